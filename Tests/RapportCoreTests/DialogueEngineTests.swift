import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct DialogueEngineTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    private func engine(_ yaml: String) throws -> DialogueEngine {
        DialogueEngine(flow: try Fixtures.flow(yaml: yaml), lexicon: Fixtures.english)
    }

    private let demo = """
        flow: demo
        title: Demo
        max_reasks: 1
        steps:
          - id: who
            ask: Who?
            expect: name
            into: contact.name
            skip_if: { present: contact.name }
          - id: goal
            ask: Goal with {contact.name|first}?
            into: meeting.goal
            why: Because {contact.name|first} deserves a purpose.
            check:
              - if: { matches: vague_goal }
                say: Too vague.
                then: ask-again
              - if: { is: [secret] }
                say: Straight to the end.
                then: { goto: note }
          - id: gift
            ask: Anything to give?
            optional: true
            into: meeting.give
          - id: note
            ask: A note?
            into: meeting.note
        summary:
          title: "Card for {contact.name}"
          lines:
            - label: Goal
              text: "{meeting.goal}"
            - label: Give
              text: "{meeting.give}"
        """

    private func asked(_ outputs: [EngineOutput]) -> String? {
        outputs.lazy.compactMap { if case .ask(let question) = $0 { return question.stepID } else { return nil } }.first
    }

    @Test func passesOverStepsWhoseSkipConditionHoldsAtTheStart() throws {
        let (state, outputs) = try engine(demo).start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        #expect(state.currentStep == "goal")
        #expect(outputs == [.ask(Question(stepID: "goal", text: "Goal with Anna?"))])
    }

    @Test func reasksUpToTheLimitThenAcceptsTheAnswerAsWeak() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        #expect(engine.handle(.answer("a chat"), state: &state, context: context) == [.say(.coach("Too vague."))])
        let outputs = engine.handle(.answer("a chat"), state: &state, context: context)
        #expect(outputs.contains(.say(.note("I'll take it as it is, marked to revisit."))))
        #expect(outputs.contains(.recorded(RecordedAnswer(stepID: "goal", slot: "meeting.goal", raw: "a chat", value: .text("a chat"), weak: true))))
        #expect(state.currentStep == "gift")
        #expect(state.weakSlots == ["meeting.goal"])
    }

    @Test func aCheckCanJumpAhead() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        let outputs = engine.handle(.answer("secret"), state: &state, context: context)
        #expect(outputs.first == .say(.coach("Straight to the end.")))
        #expect(asked(outputs) == "note")
    }

    @Test func skipWorksOnOptionalStepsOnly() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        let refused = engine.handle(.answer("skip"), state: &state, context: context)
        #expect(refused == [.say(.problem("This one can't be skipped: the rest builds on it. Type 'pause' to stop and come back later."))])
        _ = engine.handle(.answer("a pilot agreed"), state: &state, context: context)
        let skipped = engine.handle(.answer("skip"), state: &state, context: context)
        #expect(skipped.contains(.recorded(RecordedAnswer(stepID: "gift", slot: "meeting.give", raw: "", value: nil, weak: false))))
        #expect(asked(skipped) == "note")
    }

    @Test func emptyAnswersAreAskedAgainWithWhatToDo() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        #expect(engine.handle(.answer("   "), state: &state, context: context) == [.say(.problem("Please type an answer, or 'pause' to stop here and come back later."))])
        _ = engine.handle(.answer("a pilot agreed"), state: &state, context: context)
        #expect(engine.handle(.answer(""), state: &state, context: context) == [.say(.problem("Please type an answer, or 'skip' to leave this one out."))])
        #expect(state.currentStep == "gift")
    }

    @Test func refusesOverlongAndUnreadableInputWithoutLosingThePlace() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        let long = String(repeating: "x", count: 1_000_000)
        #expect(engine.handle(.answer(long), state: &state, context: context) == [.say(.problem("That answer is 1000000 characters long; please keep it under 2000."))])
        #expect(engine.handle(.unreadableInput, state: &state, context: context).count == 1)
        #expect(state.currentStep == "goal")
        #expect(state.answers.isEmpty)
    }

    @Test func storesAnswersWithoutTerminalEscapes() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        let outputs = engine.handle(.answer("\u{1B}[31ma pilot\u{1B}[0m agreed\u{07}"), state: &state, context: context)
        #expect(outputs.contains(.recorded(RecordedAnswer(stepID: "goal", slot: "meeting.goal", raw: "a pilot agreed", value: .text("a pilot agreed"), weak: false))))
    }

    @Test func backReturnsToThePreviousQuestionAndEnterKeepsItsAnswer() throws {
        let engine = try engine(demo)
        var (state, first) = engine.start(prefill: [:], context: context)
        #expect(asked(first) == "who")
        #expect(engine.handle(.answer("back"), state: &state, context: context) == [.say(.note("This is the first question; there is nothing to go back to."))])
        _ = engine.handle(.answer("Anna Berg"), state: &state, context: context)
        let back = engine.handle(.answer("back"), state: &state, context: context)
        #expect(back == [.ask(Question(stepID: "who", text: "Who?", previous: "Anna Berg"))])
        let kept = engine.handle(.answer(""), state: &state, context: context)
        #expect(asked(kept) == "goal")
        #expect(state.slots["contact.name"] == .name("Anna Berg"))
    }

    @Test func cancelAsksFirstAndOnlyAYesCancels() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        _ = engine.handle(.answer("cancel"), state: &state, context: context)
        #expect(asked(engine.handle(.answer("no"), state: &state, context: context)) == "goal")
        #expect(state.status == .active)
        _ = engine.handle(.answer("cancel"), state: &state, context: context)
        #expect(engine.handle(.answer("yes"), state: &state, context: context).last == .cancelled)
        #expect(state.status == .cancelled)
        #expect(engine.handle(.answer("more"), state: &state, context: context).isEmpty)
    }

    @Test func pauseAndEndOfInputBothPauseAndResumeReasksTheSameQuestion() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        #expect(engine.handle(.answer("pause"), state: &state, context: context) == [.paused])
        #expect(state.status == .paused)
        let resumed = engine.handle(.resume, state: &state, context: context)
        #expect(asked(resumed) == "goal")
        #expect(engine.handle(.endOfInput, state: &state, context: context) == [.paused])
    }

    @Test func theStateSurvivesAJSONRoundTripMidConversation() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna")], context: context)
        _ = engine.handle(.answer("a pilot agreed"), state: &state, context: context)
        let data = try JSONEncoder().encode(state)
        var restored = try JSONDecoder().decode(ConversationState.self, from: data)
        #expect(restored == state)
        _ = engine.handle(.answer("skip"), state: &restored, context: context)
        let end = engine.handle(.answer("see you"), state: &restored, context: context)
        #expect(end.last == .finished(SummaryCard(title: "Card for Anna", lines: [.init(label: "Goal", text: "a pilot agreed")], footer: nil)))
        #expect(restored.status == .finished)
    }

    @Test func whyGivesTheStepsReasonWithSlotsFilledIn() throws {
        let engine = try engine(demo)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        #expect(engine.handle(.answer("?"), state: &state, context: context) == [.say(.why("Because Anna deserves a purpose."))])
        #expect(engine.handle(.answer("WHY"), state: &state, context: context) == [.say(.why("Because Anna deserves a purpose."))])
    }
}
