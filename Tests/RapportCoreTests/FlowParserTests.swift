import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct FlowParserTests {
    /// The errors a broken flow produces, as "line:column step: message" for easy matching.
    private func errors(_ yaml: String) -> [FlowError] {
        do {
            _ = try Fixtures.flow(yaml: yaml, file: "broken.yaml")
            Issue.record("expected the flow to be refused")
            return []
        } catch {
            return error.errors
        }
    }

    private let valid = """
        flow: demo
        title: Demo
        steps:
          - id: name
            ask: Who?
            expect: name
            into: contact.name
          - id: goal
            ask: What do you want from {contact.name}?
            into: meeting.goal
            serves: [P4.1]
        """

    @Test func readsAValidFlow() throws {
        let flow = try Fixtures.flow(yaml: valid)
        #expect(flow.id == "demo")
        #expect(flow.start == "name")
        #expect(flow.steps.map(\.id) == ["name", "goal"])
        #expect(flow.steps[0].expect == .name)
        #expect(flow.steps[1].serves == ["P4.1"])
        #expect(flow.steps[1].location.line == 8)
    }

    @Test func namesFileLineColumnAndStepOfAnUnknownTarget() {
        let found = errors(valid + "\n    next:\n      - goto: nowhere\n")
        #expect(found.count == 1)
        #expect(found.first?.description == "broken.yaml:13:15: step 'goal': 'goto: nowhere' names a step that does not exist")
    }

    @Test func reportsADuplicateStepId() {
        let found = errors(valid.replacingOccurrences(of: "id: goal", with: "id: name"))
        #expect(found.contains { $0.step == "name" && $0.message.contains("used by an earlier step") && $0.location.line == 8 })
    }

    @Test func reportsAnUnreachableStep() {
        let yaml = valid.replacingOccurrences(of: "    into: contact.name", with: "    into: contact.name\n    next: end")
        let found = errors(yaml)
        #expect(found.count == 1)
        #expect(found.first?.step == "goal")
        #expect(found.first?.message.contains("no path from the start") == true)
    }

    @Test func reportsUnknownLexiconsAndPrincipleIds() {
        let yaml = valid.replacingOccurrences(of: "serves: [P4.1]", with: "serves: [P4.1, P9.9]\n    check:\n      - if: { matches: no_such_list }\n        say: Hm.")
        let found = errors(yaml)
        #expect(found.map(\.step) == ["goal", "goal"])
        #expect(found[0].message.contains("'P9.9'"))
        #expect(found[1].message.contains("'matches: no_such_list'"))
        #expect(found[1].location.line == 13)
    }

    @Test func reportsBadSlotNamesTemplatesAndTypes() {
        let yaml = valid
            .replacingOccurrences(of: "into: meeting.goal", with: "into: Meeting Goal")
            .replacingOccurrences(of: "{contact.name}", with: "{contact.name|shout}")
            .replacingOccurrences(of: "expect: name", with: "expect: colour")
        let messages = errors(yaml).map(\.message)
        #expect(messages.contains { $0.contains("'expect: colour' is not an answer type") })
        #expect(messages.contains { $0.contains("'into: Meeting Goal' is not a slot name") })
        #expect(messages.contains { $0.contains("unknown filter") })
    }

    @Test func reportsAMisspelledKeyWithTheKnownOnes() {
        let found = errors(valid.replacingOccurrences(of: "    ask: Who?", with: "    aks: Who?"))
        #expect(found.contains { $0.message.hasPrefix("unknown key 'aks' in a step") && $0.location.line == 5 && $0.step == "name" })
        #expect(found.contains { $0.message == "step 'name' needs 'ask:'" })
    }

    @Test func locatesYamlSyntaxErrors() {
        let found = errors("flow: demo\ntitle: [unclosed\nsteps:\n  - id: a\n")
        #expect(found.count == 1)
        #expect(found[0].message.hasPrefix("the file is not valid YAML"))
        #expect(found[0].location.file == "broken.yaml")
        #expect(found[0].location.line >= 2)
    }

    @Test func refusesAnEmptyFileAndAFileThatIsNotAMapping() {
        #expect(errors("").first?.message.contains("empty") == true)
        #expect(errors("- just\n- a list\n").first?.message.contains("mapping") == true)
    }

    @Test func needsOptionsForAChoiceAndAnOrderedScale() {
        let yaml = valid
            .replacingOccurrences(of: "expect: name", with: "expect: choice")
            .replacingOccurrences(of: "    into: meeting.goal", with: "    into: meeting.goal\n    expect: scale\n    min: 5\n    max: 1")
        let messages = errors(yaml).map(\.message)
        #expect(messages.contains { $0.contains("'expect: choice' needs 'options:'") })
        #expect(messages.contains { $0.contains("min' below 'max'") })
    }

    /// Every shipped flow, lexicon and locale file.
    static let shippedFiles: [String] = {
        let root = Fixtures.prompts.path
        func yaml(_ folder: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: root + folder)) ?? []).filter { $0.hasSuffix(".yaml") && $0 != "principles.yaml" }.map { String(folder.dropFirst()) + ($0) }
        }
        return (yaml("/") + yaml("/lexicons/") + yaml("/locales/")).sorted()
    }()

    /// Mangled copies of the real files: their readers must never crash, and every refusal must
    /// carry a location inside the file.
    @Test(arguments: shippedFiles)
    func neverCrashesOnMangledFilesAndAlwaysLocatesTheProblem(file: String) throws {
        let original = try String(contentsOf: Fixtures.prompts.appendingPathComponent(file), encoding: .utf8)
        let lineCount = original.split(separator: "\n", omittingEmptySubsequences: false).count
        var generator = SplitMix64(seed: 2026)
        var refused = 0
        for _ in 0..<150 {
            var bytes = Array(original.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert([UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "{"), UInt8(ascii: " "), UInt8(ascii: "\t")].randomElement(using: &generator)!, at: index)
                case 2: bytes[index] = UInt8.random(in: 0x20...0x7E, using: &generator)
                default: bytes.insert(contentsOf: "\n  ".utf8, at: index)
                }
            }
            let mangled = String(decoding: bytes, as: UTF8.self)
            var problems: [FlowError] = []
            do {
                if file.hasPrefix("lexicons/") {
                    _ = try LexiconParser.parse(yaml: mangled, file: file)
                } else if file.hasPrefix("locales/") {
                    _ = try FlowLocalizer.parse(yaml: mangled, file: file)
                } else {
                    _ = try Fixtures.flow(yaml: mangled, file: file)
                }
            } catch {
                problems = error.errors
            }
            if !problems.isEmpty { refused += 1 }
            for problem in problems {
                #expect(problem.location.file == file)
                #expect((1...lineCount + 2).contains(problem.location.line), "\(problem)")
            }
        }
        #expect(refused > 20, "the mangling should break the file often enough to test the errors")
    }
}
