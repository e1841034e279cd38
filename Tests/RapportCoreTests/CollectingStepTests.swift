import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct CollectingStepTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    private func engine() throws -> DialogueEngine {
        let yaml = """
            flow: demo
            title: Demo
            steps:
              - id: todo
                ask: What will you follow up?
                ask_more: Another?
                expect: followup
                collect: true
                into: followups
                serves: [P0.8]
              - id: note
                ask: A note?
                into: meeting.note
            """
        return DialogueEngine(flow: try Fixtures.flow(yaml: yaml), lexicon: Fixtures.english)
    }

    private func asked(_ outputs: [EngineOutput]) -> Question? {
        outputs.lazy.compactMap { if case .ask(let question) = $0 { return question } else { return nil } }.first
    }

    @Test func collectsOneItemPerLineUntilAnEmptyLine() throws {
        let engine = try engine()
        var (state, _) = engine.start(prefill: [:], context: context)
        let first = engine.handle(.answer("send the deck by friday"), state: &state, context: context)
        #expect(first.contains(.recorded(RecordedAnswer(stepID: "todo", slot: "followups", raw: "send the deck by friday", value: .followUp(FollowUpValue(action: "send the deck", due: WhenValue(date: Fixtures.moment("2026-11-27T00:00:00+01:00"), hasTime: false))), weak: false))))
        #expect(asked(first)?.text == "Another?")
        #expect(asked(first)?.hint == "So far: send the deck (Fri 27 Nov). Enter when that is all.")
        _ = engine.handle(.answer("call Jan in 2 weeks"), state: &state, context: context)
        let done = engine.handle(.answer(""), state: &state, context: context)
        #expect(asked(done)?.stepID == "note")
        guard case .many(let items)? = state.slots["followups"] else {
            Issue.record("no items collected")
            return
        }
        #expect(items.count == 2)
        #expect(!done.contains { if case .recorded = $0 { return true } else { return false } })
    }

    @Test func aDoneWordOrNoEndsTheListEvenWhenEmpty() throws {
        let engine = try engine()
        for word in ["none", "no", "done", "That's all"] {
            var (state, _) = engine.start(prefill: [:], context: context)
            #expect(asked(engine.handle(.answer(word), state: &state, context: context))?.stepID == "note", "\(word)")
            #expect(state.slots["followups"] == .many([]))
        }
    }

    @Test func anItemWithoutADateIsAskedAgainWithExamples() throws {
        let engine = try engine()
        var (state, _) = engine.start(prefill: [:], context: context)
        let outputs = engine.handle(.answer("send the proposal"), state: &state, context: context)
        #expect(outputs == [.say(.problem("Say what and by when, for example “send the proposal by friday”, “call in 2 weeks” or “tomorrow: book the venue”."))])
        #expect(state.currentStep == "todo")
    }

    @Test func backRemovesTheLastItemBeforeLeavingTheStep() throws {
        let engine = try engine()
        var (state, _) = engine.start(prefill: [:], context: context)
        _ = engine.handle(.answer("send the deck by friday"), state: &state, context: context)
        let back = engine.handle(.answer("back"), state: &state, context: context)
        #expect(back.first == .say(.note("Removed: send the deck (Fri 27 Nov).")))
        #expect(asked(back)?.text == "What will you follow up?")
        #expect(engine.handle(.answer("back"), state: &state, context: context) == [.say(.note("This is the first question; there is nothing to go back to."))])
    }

    @Test func reviewShowsTheItemsSoFar() throws {
        let engine = try engine()
        var (state, _) = engine.start(prefill: [:], context: context)
        _ = engine.handle(.answer("send the deck by friday"), state: &state, context: context)
        let review = engine.handle(.answer("review"), state: &state, context: context)
        #expect(review.first == .say(.review([ReviewItem(label: "todo", value: "send the deck (Fri 27 Nov)")])))
    }

    @Test func rememberedAnswersAreOfferedBack() throws {
        let engine = try engine()
        let (state, outputs) = engine.start(prefill: [:], remembered: ["meeting.note": .text("old note")], context: context)
        #expect(asked(outputs)?.stepID == "todo")
        #expect(state.answers["note"]?.value == .text("old note"))
        #expect(state.path.isEmpty)
    }
}
