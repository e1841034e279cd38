import Foundation
@testable import RapportCore
import RapportTestSupport
import Testing

/// Flow and lexicon files written to hurt: aliases that expand a short file to billions of
/// nodes, chains nested thousands deep, and flows of thousands of steps. Each is one located
/// error (or, for the long flow, loads), never a hang, a crash or gigabytes of memory.
struct HostileFlowTests {
    /// The errors of a file that must be refused.
    private func errors(_ yaml: String, file: String) -> [FlowError] {
        do {
            _ = try Fixtures.flow(yaml: yaml, file: file)
            Issue.record("expected \(file) to be refused")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func anAliasBombIsOneErrorAtItsStep() {
        let found = errors(HostileYAML.aliasBomb, file: "bomb.yaml")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.step == "a")
        #expect(found.first?.location == SourceLocation(file: "bomb.yaml", line: 6, column: 5))
        #expect(found.first?.message == "'skip_if' expands to more than \(NodeBudget.maximumNodes) YAML values (aliases repeating aliases?); real files need far fewer, so write it out without aliases")
    }

    /// Yams hashes every mapping key whole while composing, to refuse duplicates: a bomb used
    /// as a key must be refused before composing, or composing itself would hang.
    @Test func anAliasBombUsedAsAKeyIsOneErrorBeforeComposing() throws {
        let found = errors(HostileYAML.keyBomb, file: "keys.yaml")
        #expect(found.map(\.description) == ["keys.yaml:14:18: a key here is an alias (*name) or holds one; write keys out as plain words"])
        // An alias as a value, and a star or an ampersand in a text, are as they were.
        let values = "flow: values\ntitle: Values\nsteps:\n  - id: a\n    ask: \"*Why* ask? It's a & b.\"\n    label: &l First\n    hint: *l\n  - id: b\n    ask: B?\n"
        #expect(try Fixtures.flow(yaml: values, file: "values.yaml").steps.first?.hint == "First")
    }

    @Test func aFiveThousandDeepChainOfAliasedNotsIsOneErrorAtItsStep() {
        let found = errors(HostileYAML.notChain(depth: 5_000), file: "chain.yaml")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.step == "a")
        #expect(found.first?.location == SourceLocation(file: "chain.yaml", line: 6, column: 5))
        #expect(found.first?.message == "'skip_if' nests more than \(NodeBudget.maximumDepth) levels deep; real files need far fewer, so flatten it")
    }

    @Test func aChainWithinTheDepthBudgetStillLoads() throws {
        let flow = try Fixtures.flow(yaml: HostileYAML.notChain(depth: 20), file: "chain.yaml")
        guard case .any(let conditions) = flow.steps[0].skipIf else {
            Issue.record("expected an any: list")
            return
        }
        #expect(conditions.count == 21)
    }

    /// Nesting written out is bounded by the YAML parser itself at 1,000 levels; below that
    /// the depth budget applies as it does to aliases.
    @Test func aDeepChainWrittenOutWithoutAliasesIsOneErrorToo() {
        func flow(depth: Int) -> String {
            let chain = String(repeating: "{not: ", count: depth) + "{slot: contact.name, is: x}" + String(repeating: "}", count: depth)
            return "flow: deep\ntitle: Deep\nsteps:\n  - id: a\n    ask: A?\n    skip_if: \(chain)\n"
        }
        let deep = errors(flow(depth: 100), file: "deep.yaml")
        #expect(deep.map(\.description) == ["deep.yaml:6:5: step 'a': 'skip_if' nests more than \(NodeBudget.maximumDepth) levels deep; real files need far fewer, so flatten it"])
        let deeper = errors(flow(depth: 5_000), file: "deep.yaml")
        #expect(deeper.count == 1, "\(deeper)")
        #expect(deeper.first?.message.contains("Maximum nesting level reached") == true, "\(deeper)")
    }

    /// The lexicon reader reads at most two levels, so aliases cannot multiply its work; the
    /// budget still stops a bomb before anything reads it, as one error.
    @Test func aLexiconAliasBombIsOneError() {
        let levels = Array("abcdefghij").map(String.init)
        var yaml = "language: en\nlists:\n  vague_goal: &a [get to know, catch up]\n"
        for (previous, current) in zip(levels, levels.dropFirst()) {
            yaml += "  \(current): &\(current) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        do {
            _ = try LexiconParser.parse(yaml: yaml, file: "en.yaml")
            Issue.record("expected the lexicon to be refused")
        } catch {
            #expect(error.errors.map(\.description) == ["en.yaml:2:1: 'lists' expands to more than \(NodeBudget.maximumNodes) YAML values (aliases repeating aliases?); real files need far fewer, so write it out without aliases"])
        }
    }

    /// The locale reader walks nested mappings: a bomb of mappings would take it a billion steps.
    @Test func aLocaleAliasBombIsOneError() {
        let keys = (0..<10).map { "k\($0)" }
        var yaml = "language: sv\na: &a {" + keys.map { "\($0): x" }.joined(separator: ", ") + "}\n"
        for (previous, current) in zip("abcdefghi", "bcdefghij") {
            yaml += "\(current): &\(current) {" + keys.map { "\($0): *\(previous)" }.joined(separator: ", ") + "}\n"
        }
        do {
            _ = try FlowLocalizer.parse(yaml: yaml, file: "sv.yaml")
            Issue.record("expected the locale file to be refused")
        } catch {
            #expect(error.errors.count == 1, "\(error.errors)")
            #expect(error.errors.first?.message.contains("expands to more than") == true)
        }
    }

    /// Eight thousand steps, each falling through to the next (every other one may also go
    /// back to the start): loading, linting and drawing finish, and the whole-flow checks visit
    /// each step and branch a bounded number of times. (Before, validating took 40 s in a debug
    /// build and linting, which learnt one more step that reaches the end per pass, hours.)
    @Test(.timeLimit(.minutes(1)))
    func eightThousandStepsLoadLintAndDrawInLinearWork() throws {
        let count = 8_000
        var yaml = "flow: long\ntitle: Long\nsteps:\n"
        for index in 0..<count {
            yaml += "  - id: s\(index)\n    ask: Question \(index)?\n    why: Because.\n    serves: [P4.1]\n"
            if index % 2 == 1 { yaml += "    next:\n      - if: { matches: vague_goal }\n        goto: s0\n" }
        }
        let flow = try Fixtures.flow(yaml: yaml, file: "long.yaml")
        #expect(flow.steps.count == count)
        #expect(FlowLinter.warnings(flow).map(\.description) == [])
        #expect(FlowGraph.render(flow, as: .mermaid).split(separator: "\n").count == 3 + count + count + count / 2)

        var paths = FlowPaths(flow)
        #expect(paths.reachable(from: flow.start).count == count)
        #expect(paths.reachingTheEnd().count == count)
        let branches = count + count / 2
        #expect(paths.visits <= 5 * (count + branches), "\(paths.visits) visits for \(count) steps and \(branches) branches")
    }
}
