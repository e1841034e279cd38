import Foundation
import RapportTestSupport
import Testing

/// `rapport flows …` and user flows in ~/.config/rapport/Prompts, through the real binary.
@Suite(.serialized)
struct FlowsCommandTests {
    /// A user flows folder with one good flow of its own and one broken one.
    private func withUserFlows() throws -> RapportBinary {
        let rapport = RapportBinary()
        let folder = rapport.folder.url.appendingPathComponent("config/rapport/Prompts")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try """
            flow: checkin
            title: A quick check-in
            steps:
              - id: who
                ask: Whom did you talk to today?
                why: Small contacts add up.
                expect: name
                into: contact.name
                serves: [P3.4]
              - id: what
                ask: What did you talk about with {contact.name|first}?
                why: So you remember next time.
                into: checkin.topic
                serves: [P2.3]
            summary:
              title: "Check-in: {contact.name}"
              lines:
                - label: Topic
                  text: "{checkin.topic}"
            """.write(to: folder.appendingPathComponent("checkin.yaml"), atomically: true, encoding: .utf8)
        try """
            flow: broken
            title: Broken
            steps:
              - id: a
                ask: A?
                next: nowhere
            """.write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        try """
            flow: checkin
            bot: Whom did you talk to today?
            you: Anna Berg
            bot: What did you talk about with Anna?
            you: Her new office
            bot: Check-in: Anna Berg
            bot: Topic: Her new office
            end
            """.write(to: folder.appendingPathComponent("tests/checkin.transcript"), atomically: true, encoding: .utf8)
        return rapport
    }

    @Test func aBrokenUserFlowIsReportedAndTheOthersStillWork() throws {
        let rapport = try withUserFlows()
        let list = try rapport.run(["flows", "list"])
        #expect(list.stdout.contains("broken   \(rapport.folder.path("config"))/rapport/Prompts/broken.yaml   does not load: "))
        #expect(list.stdout.contains("checkin  \(rapport.folder.path("config"))/rapport/Prompts/checkin.yaml  A quick check-in"))
        #expect(list.stdout.contains("prep     \(Fixtures.prompts.path)/prep.yaml"))

        let chat = try rapport.run(["chat", "checkin"], lines: ["Anna Berg", "Her new office"])
        #expect(chat.status == 0)
        #expect(chat.stdout.contains("Check-in: Anna Berg\n  Topic: Her new office"))
        #expect(try rapport.run(["prep"], lines: ["Jan"]).stdout.contains("When do you meet Jan?"))

        let broken = try rapport.run(["chat", "broken"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.yaml:6:11: step 'a': 'goto: nowhere' names a step that does not exist"))
    }

    @Test func lintReportsErrorsWithLocationsAndFailsAndTestRunsUserScripts() throws {
        let rapport = try withUserFlows()
        let lint = try rapport.run(["flows", "lint"])
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("broken.yaml:6:11: error: step 'a': 'goto: nowhere' names a step that does not exist"))
        #expect(lint.stdout.contains("broken.yaml:4:5: warning: step 'a'") == false, "a flow that does not load is not also linted")
        // The user's own flow has no translations: one warning per shipped language.
        let languages = try FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.appendingPathComponent("locales").path).filter { $0.hasSuffix(".yaml") }
        #expect(lint.stdout.contains("checkin.yaml: warning: 7 texts of 'checkin' have no 'sv' translation and show in English: checkin.title, checkin.who.ask, checkin.who.why, checkin.what.ask, checkin.what.why, …"))
        let shippedFlows = try FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.path).filter { $0.hasSuffix(".yaml") && $0 != "principles.yaml" }
        #expect(lint.stdout.hasSuffix("\(shippedFlows.count + 2) flows checked: 1 error, \(languages.count) warning\(languages.count == 1 ? "" : "s").\n"))

        let test = try rapport.run(["flows", "test"])
        #expect(test.status == 0, "\(test.stdout)")
        let shippedScripts = try FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.appendingPathComponent("tests").path).filter { $0.hasSuffix(".transcript") }
        #expect(test.stdout.hasSuffix("\(shippedScripts.count + 1) passed, 0 failed\n"))
    }

    @Test func aUserFlowOverridesTheBuiltInOneById() throws {
        let rapport = RapportBinary()
        let folder = rapport.folder.url.appendingPathComponent("config/rapport/Prompts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = try String(contentsOf: Fixtures.prompts.appendingPathComponent("prep.yaml"), encoding: .utf8)
        try original.replacingOccurrences(of: "ask: Who are you meeting?", with: "ask: Whom are you seeing?")
            .write(to: folder.appendingPathComponent("prep.yaml"), atomically: true, encoding: .utf8)
        #expect(try rapport.run(["prep"], lines: []).stdout.contains("Whom are you seeing?"))
        #expect(try rapport.run(["flows", "list"]).stdout.contains("overridden by a flow with the same id above"))
    }

    @Test func aScriptIsRecordedFromItsAnswersAndThenPasses() throws {
        let rapport = RapportBinary()
        let draft = rapport.folder.path("draft.transcript")
        try "# Anna, quickly.\nflow: prep\nnow: 2026-11-23T10:00:00+01:00\ntime_zone: Europe/Stockholm\n\nyou: Anna Berg\nyou: tomorrow 14:00\nyou: pause\n"
            .write(toFile: draft, atomically: true, encoding: .utf8)
        let recorded = try rapport.run(["flows", "test", "--record", draft])
        #expect(recorded.stdout == "recorded \(draft)\n1 passed, 0 failed\n")
        let text = try String(contentsOfFile: draft, encoding: .utf8)
        #expect(text.hasPrefix("# Anna, quickly.\nflow: prep\n"))
        #expect(text.contains("bot: Who are you meeting?\nyou: Anna Berg\nbot: When do you meet Anna Berg?\nyou: tomorrow 14:00\n"))
        #expect(text.hasSuffix("you: pause\npaused\n"))
        #expect(try rapport.run(["flows", "test", draft]).stdout.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test func graphAndCoverageDescribeTheShippedFlows() throws {
        let rapport = RapportBinary()
        let graph = try rapport.run(["flows", "graph", "prep"])
        #expect(graph.stdout.hasPrefix("flowchart TD\n"))
        let coverage = try rapport.run(["flows", "coverage"])
        #expect(coverage.stdout.contains("P2.7  The 1000 kr under the mat\n      prep.goal, reflect.worth"))
    }

    /// Issue 15: a lexicon that lacks a message the program says shows English there; lint names it.
    @Test func lintNamesTheMessagesALanguageLacks() throws {
        let rapport = RapportBinary()
        let shipped = try #require(try RapportBinary().run(["flows", "lint"]).stdout.split(separator: "\n").last)
        #expect(shipped == "6 flows checked: 0 errors, 0 warnings.", "every shipped lexicon has every message")

        let folder = rapport.folder.url.appendingPathComponent("prompts/lexicons")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let swedish = try String(contentsOf: Fixtures.prompts.appendingPathComponent("lexicons/sv.yaml"), encoding: .utf8)
        let lacking = swedish.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  home_upcoming:") && !$0.hasPrefix("  due_referral:") }.joined(separator: "\n")
        try lacking.write(to: folder.appendingPathComponent("sv.yaml"), atomically: true, encoding: .utf8)
        let lint = try rapport.run(["flows", "lint", "--prompts", rapport.folder.path("prompts")])
        #expect(lint.status == 0, "a gap is a warning: English fills it")
        #expect(lint.stdout.contains("\(folder.path)/sv.yaml: warning: 2 messages have no 'sv' text and show in English: due_referral, home_upcoming\n"), "\(lint.stdout)")
        #expect(lint.stdout.hasSuffix("0 errors, 1 warning.\n"))
    }
}

/// `rapport speed`, the speed-meeting timer, run with one-second rounds.
struct SpeedCommandTests {
    @Test func announcesEachRoundTheQuestionAndAClearSignalToSwitch() throws {
        let started = Date()
        let result = try RapportBinary().run(["speed", "--rounds", "2", "--round-seconds", "1", "--question", "What interests do we share?"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0)
        #expect(result.stdout == "\nRound 1 of 2\n  What interests do we share?\n\u{07}Time! Say thank you, and find a new partner.\n\nRound 2 of 2\n  What interests do we share?\n\u{07}That was the last round. Now: time to talk.\n")
        #expect(elapsed >= 2, "each round lasts its time")
    }

    @Test func speaksTheUsersLanguage() throws {
        let result = try RapportBinary().run(["speed", "--rounds", "1", "--round-seconds", "1", "--lang", "sv"])
        #expect(result.stdout.contains("Runda 1 av 1\n  Hur skulle vi två kunna göra affärer tillsammans?"))
        #expect(try RapportBinary().run(["speed", "--rounds", "0"]).status != 0)
    }
}
