import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The answers a question offers as buttons: derived from the step being asked, in the
/// conversation's language, and each one read back by the step's parser as if it were typed.
struct QuestionChoicesTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    private func question(_ outputs: [EngineOutput]) -> Question? {
        outputs.lazy.compactMap { if case .ask(let question) = $0 { return question } else { return nil } }.last
    }

    private func flow(_ yaml: String, language: String = "en") throws -> DialogueEngine {
        DialogueEngine(flow: try Fixtures.flow(yaml: yaml), lexicon: Fixtures.lexicon(language))
    }

    private let steps = """
        flow: demo
        title: Demo
        steps:
          - id: goal
            ask: Goal?
            into: meeting.goal
          - id: knows
            ask: Do they know what you do?
            expect: choice
            options:
              - { value: "yes", label: "Yes" }
              - { value: partly, label: Partly }
              - { value: "no", label: "No" }
            into: contact.knows_what_i_do
          - id: again
            ask: Again?
            expect: yesno
            into: meeting.again
          - id: like
            ask: How much?
            expect: scale
            min: 1
            max: 5
            into: partner.like
          - id: wide
            ask: How likely, 0 to 10?
            expect: scale
            min: 0
            max: 10
            into: partner.wide
        """

    @Test func aChoiceStepOffersItsOptionsEachAnsweredByItsNumber() throws {
        let engine = try flow(steps)
        var (state, started) = engine.start(prefill: [:], context: context)
        #expect(question(started)?.choices == [], "a text step is typed")
        let asked = try #require(question(engine.handle(.answer("An introduction to their CFO"), state: &state, context: context)))
        #expect(asked.stepID == "knows")
        #expect(asked.choices == [
            QuestionChoice(label: "Yes", answer: "1"), QuestionChoice(label: "Partly", answer: "2"), QuestionChoice(label: "No", answer: "3"),
        ])
        // The second button's answer, given as typed, stores that option's value.
        _ = engine.handle(.answer(asked.choices[1].answer), state: &state, context: context)
        #expect(state.answers["knows"]?.value == .choice("partly"))
        #expect(state.currentStep == "again")
    }

    @Test func yesAndNoAreTheConversationsOwnLanguage() throws {
        for (language, labels) in [("en", ["Yes", "No"]), ("sv", ["Ja", "Nej"]), ("pl", ["Tak", "Nie"]), ("da", ["Ja", "Nej"])] {
            let engine = try flow(steps, language: language)
            var (state, _) = engine.start(prefill: [:], context: context)
            _ = engine.handle(.answer("An introduction to their CFO"), state: &state, context: context)
            let asked = try #require(question(engine.handle(.answer("1"), state: &state, context: context)))
            #expect(asked.stepID == "again")
            #expect(asked.choices.map(\.label) == labels, "\(language)")
            _ = engine.handle(.answer(asked.choices[1].answer), state: &state, context: context)
            #expect(state.answers["again"]?.value == .bool(false), "\(language): \(asked.choices)")
        }
    }

    @Test func aShortScaleOffersEveryNumberAndALongOneIsTyped() throws {
        let engine = try flow(steps)
        var (state, _) = engine.start(prefill: [:], context: context)
        for answer in ["An introduction to their CFO", "1"] { _ = engine.handle(.answer(answer), state: &state, context: context) }
        let scale = try #require(question(engine.handle(.answer("yes"), state: &state, context: context)))
        #expect(scale.stepID == "like")
        #expect(scale.choices.map(\.label) == ["1", "2", "3", "4", "5"])
        #expect(scale.choices.map(\.answer) == ["1", "2", "3", "4", "5"])
        let wide = try #require(question(engine.handle(.answer(scale.choices[3].answer), state: &state, context: context)))
        #expect(state.answers["like"]?.value == .number(4))
        #expect(wide.stepID == "wide")
        #expect(wide.choices.isEmpty, "eleven numbers are more buttons than a question gets")
    }

    @Test func theShippedPrepFlowInPolishOffersItsTranslatedOptions() throws {
        let engine = DialogueEngine(flow: try Fixtures.flow("prep", language: "pl"), lexicon: Fixtures.lexicon("pl"))
        let prefill: [String: SlotValue] = ["contact.name": .name("Anna Berg"), "meeting.when": .when(WhenValue(date: Fixtures.monday, hasTime: true))]
        var (state, _) = engine.start(prefill: prefill, context: context)
        let asked = try #require(question(engine.handle(.answer("Polecenie zaufanego dostawcy okien"), state: &state, context: context)))
        #expect(asked.stepID == "already")
        #expect(asked.choices.map(\.label) == ["Tak", "Nie", "Nie wiem"], "the labels are the translation's")
        #expect(asked.choices.map(\.answer) == ["1", "2", "3"])
    }
}
