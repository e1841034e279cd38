import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The shipped content: every flow file loads cleanly and serves real principles.
struct PromptsTests {
    static let flowFiles: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.path))?
        .filter { $0.hasSuffix(".yaml") && $0 != "principles.yaml" }.sorted() ?? []

    @Test func thereAreFlowsToCheck() {
        #expect(Self.flowFiles.contains("prep.yaml"))
    }

    @Test(arguments: flowFiles)
    func everyShippedFlowLoadsWithoutErrors(file: String) throws {
        let id = String(file.dropLast(5))
        let flow = try Fixtures.flow(id)
        #expect(flow.id == id)
        #expect(flow.steps.allSatisfy { !$0.serves.isEmpty }, "every step should say which principle it serves")
        #expect(flow.steps.allSatisfy { $0.why != nil }, "every step should say why it is asked")
    }

    @Test func prepServesTheIssuesPrinciples() throws {
        let served = Set(try Fixtures.flow("prep").steps.flatMap(\.serves))
        for id in ["P4.1", "P4.2", "P2.7", "P4.3", "P4.4", "P4.5", "P3.2", "P3.3", "P2.2", "P0.10", "P2.4", "P3.6"] {
            #expect(served.contains(id), "prep does not serve \(id)")
        }
    }

    /// principles.yaml restates the ids of PRINCIPLES.md in the shared notes, when they are beside the repository.
    @Test func principleIdsMatchTheSharedPrinciples() throws {
        let shared = Fixtures.root.deletingLastPathComponent().appendingPathComponent("shared/PRINCIPLES.md")
        guard let text = try? String(contentsOf: shared, encoding: .utf8) else { return }
        var ids: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("- **P") {
            let id = line.dropFirst(4).prefix { $0 != " " }
            ids.insert(String(id))
        }
        #expect(ids == Fixtures.principles)
    }
}

/// `rapport flows` checks on the shipped flows: lint is clean, coverage and graphs are right.
struct FlowToolingTests {
    @Test(arguments: PromptsTests.flowFiles)
    func shippedFlowsHaveNoLintWarnings(file: String) throws {
        let flow = try Fixtures.flow(String(file.dropLast(5)))
        #expect(FlowLinter.warnings(flow).map(\.description) == [])
    }

    @Test func lintFindsDeadEndsUnusedSlotsAndMissingReasons() throws {
        let flow = try Fixtures.flow(yaml: """
            flow: loop
            title: Loop
            steps:
              - id: a
                ask: A?
                into: scratch.a
                serves: [P4.1]
                why: Because.
                next: b
              - id: b
                ask: B?
                next: a
            """, file: "loop.yaml")
        let messages = FlowLinter.warnings(flow).map(\.description)
        #expect(messages.contains("loop.yaml:4:5: warning: step 'a': no path from here reaches the end; the conversation could never finish"))
        #expect(messages.contains("loop.yaml:4:5: warning: step 'a': the slot 'scratch.a' is written but never used in a text, a condition or the summary"))
        #expect(messages.contains("loop.yaml:10:5: warning: step 'b': no 'why:', so 'why' or '?' at this question has no answer"))
        #expect(messages.contains("loop.yaml:10:5: warning: step 'b': no 'serves:'; name the principle ids this question serves"))
    }

    @Test func coverageNamesWhatServesEachPrincipleAndWhatNothingServes() throws {
        let coverage = PrincipleCoverage(flows: [try Fixtures.flow("prep"), try Fixtures.flow("reflect")], principles: Fixtures.principles.sorted())
        #expect(coverage.servedBy["P4.1"]?.contains("prep.goal") == true)
        #expect(coverage.servedBy["P0.8"]?.contains("reflect.referrals") == true)
        #expect(coverage.servedBy["P0.8"]?.contains("nudge: referral") == true)
        #expect(coverage.unserved.contains("P1.6"))
        #expect(!coverage.unserved.contains("P2.7"))
    }

    @Test func graphsShowStepsAndBranches() throws {
        let prep = try Fixtures.flow("prep")
        let mermaid = FlowGraph.render(prep, as: .mermaid)
        #expect(mermaid.hasPrefix("flowchart TD\n    start((start)) --> who\n"))
        #expect(mermaid.contains("    knows -->|contact.knows_what_i_do is yes| give\n"), "a known answer, prefilled or given, goes by the slot")
        #expect(mermaid.contains("    knows -->|me.pitch given| pitch_reuse\n"))
        #expect(mermaid.contains("    question --> end_\n"))
        let dot = FlowGraph.render(prep, as: .dot)
        #expect(dot.hasPrefix("digraph \"prep\" {"))
        #expect(dot.contains("    \"pitch_reuse\" -> \"pitch\";\n"))
        #expect(dot.contains("    \"already\" -> \"why_them\" [label=\"answer is yes\"];\n"))
        #expect(dot.hasSuffix("}\n"))
    }
}
