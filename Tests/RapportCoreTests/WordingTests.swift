import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Issue 15: the texts as a native speaker would write them; the rest of each language is in
/// the golden scripts of Prompts/tests.
struct WordingTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    /// The questions a flow asks from a step on, answering each with the given lines.
    private func questions(_ flowID: String, _ language: String, at step: String, name: String, answers: [String] = []) throws -> [String] {
        var flow = try Fixtures.flow(flowID, language: language)
        flow.start = step
        let engine = DialogueEngine(flow: flow, lexicon: Fixtures.lexicon(language))
        var (state, outputs) = engine.start(prefill: ["contact.name": .name(name), "meeting.goal": .text("Intro")], context: context)
        var asked = outputs
        for answer in answers {
            outputs = engine.handle(.answer(answer), state: &state, context: context)
            asked += outputs
        }
        return asked.compactMap { if case .ask(let question) = $0 { question.text } else { nil } }
    }

    @Test(arguments: [
        ("Małgorzata Wiśniewska", "Kiedy spotykasz się z Małgorzatą Wiśniewską?"),
        ("Jan Kowalski", "Kiedy spotykasz się z Janem Kowalskim?"),
        ("Anna Berg", "Kiedy spotykasz się z Anną Berg?"),
        ("Paweł Nowak", "Kiedy spotykasz się z Pawłem Nowakiem?"),
        ("Marek Dudek", "Kiedy spotykasz się z Markiem Dudkiem?"),
        ("Søren Holm", "Søren Holm: kiedy się spotykacie?"),
        ("Budimex", "Budimex: kiedy się spotykacie?"),
    ])
    func polishNamesTheContactInTheInstrumental(name: String, question: String) throws {
        #expect(try questions("prep", "pl", at: "when", name: name).first == question)
    }

    @Test func polishGivesToTheContactInTheDative() throws {
        #expect(try questions("prep", "pl", at: "give", name: "Małgorzata Wiśniewska").first == "Co możesz dać Małgorzacie?")
        #expect(try questions("prep", "pl", at: "give", name: "Jan Kowalski").first == "Co możesz dać Janowi?")
    }

    @Test func polishReflectionIsInThePastAndGenderNeutral() throws {
        let asked = try questions("reflect", "pl", at: "gave", name: "Jan Kowalski", answers: ["Namiar na klienta"])
        #expect(asked == ["Co udało ci się dać Janowi?", "A co udało ci się zyskać?"])
    }

    @Test func swedishReflectionQuotesTheGoalAsAGoal() throws {
        #expect(try questions("reflect", "sv", at: "reached", name: "Anna Berg").first == "Inför mötet ville du ha: ”Intro”. Fick du det?")
    }

    @Test func danishAsksHowOftenToLetYourselfBeHeardFrom() throws {
        #expect(try questions("reflect", "da", at: "cadence", name: "Søren Holm").first == "Hvor tit vil du lade høre fra dig til Søren?")
    }

    @Test(arguments: [("sv", "j"), ("da", "j"), ("pl", "t"), ("en", "y")])
    func aOneLetterYesIsYes(language: String, answer: String) {
        let parser = AnswerParser(lexicon: Fixtures.lexicon(language), now: Fixtures.monday, timeZone: Fixtures.stockholm)
        #expect(parser.yesNo(answer) == true)
    }
}
