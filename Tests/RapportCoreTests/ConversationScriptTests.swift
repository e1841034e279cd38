import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The conversation scripts shipped in Prompts/tests, run against the real engine, and the
/// script runner's own behaviour.
struct ConversationScriptTests {
    static let shipped: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.appendingPathComponent("tests").path)) ?? [])
        .filter { $0.hasSuffix(".transcript") }.sorted()

    /// Every shipped flow has a script in every shipped language, and each language's scripts
    /// include coaching (a check or branch that pushes back) somewhere.
    @Test func everyFlowHasAScriptInEveryLanguage() throws {
        var covered: Set<String> = []
        for file in Self.shipped {
            let text = try String(contentsOf: Fixtures.prompts.appendingPathComponent("tests/" + file), encoding: .utf8)
            let script = try ConversationScript.parse(text, file: file)
            covered.insert("\(script.flowID)/\(script.language ?? "en")")
        }
        let languages = ["en"] + LanguageTests.languages
        for file in PromptsTests.flowFiles {
            for language in languages {
                #expect(covered.contains("\(file.dropLast(5))/\(language)"), "no script for \(file.dropLast(5)) in \(language)")
            }
        }
    }

    @Test(arguments: shipped)
    func shippedScriptPasses(file: String) throws {
        let text = try String(contentsOf: Fixtures.prompts.appendingPathComponent("tests/" + file), encoding: .utf8)
        let script = try ConversationScript.parse(text, file: file)
        let language = script.language ?? "en"
        let engine = DialogueEngine(flow: try Fixtures.flow(script.flowID, language: language), lexicon: Fixtures.lexicon(language))
        let failure = script.run(with: engine)
        #expect(failure == nil, "\(failure?.description ?? "")")
    }

    private func run(_ script: String) throws -> ConversationScript.Failure? {
        let parsed = try ConversationScript.parse(script, file: "t.transcript")
        return parsed.run(with: DialogueEngine(flow: try Fixtures.flow(parsed.flowID), lexicon: Fixtures.english))
    }

    @Test func aWrongBotLineIsReportedWithItsLineNumber() throws {
        let failure = try run("flow: prep\n\nbot: Who are we meeting?\n")
        #expect(failure?.description == "t.transcript:3: expected “Who are we meeting?”, the bot said “Who are you meeting?”")
    }

    @Test func anUnlistedBotLineFailsUnlessSkipped() throws {
        let strict = try run("flow: prep\nset contact.name: Anna Berg\nyou: tomorrow 14:00\n")
        #expect(strict?.line == 3)
        #expect(strict?.message.contains("When do you meet Anna Berg?") == true)
        #expect(try run("flow: prep\nset contact.name: Anna Berg\n...\nyou: tomorrow 14:00\n...\nyou: pause\npaused\n") == nil)
    }

    @Test func theEndStateIsChecked() throws {
        let failure = try run("flow: prep\n...\nyou: Anna Berg\n...\nend\n")
        #expect(failure?.message == "expected the conversation to be finished, it is active")
    }

    @Test func malformedScriptsNameTheLine() {
        #expect(throws: ConversationScript.Failure.self) { try ConversationScript.parse("bot: hi\n", file: "x") }
        do {
            _ = try ConversationScript.parse("flow: prep\nnow: soon\n", file: "x.transcript")
            Issue.record("expected a failure")
        } catch {
            #expect(error.description == "x.transcript:2: 'now:' needs an ISO 8601 moment such as 2026-11-23T10:00:00+01:00")
        }
    }
}
