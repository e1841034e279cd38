import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Whole reflect conversations against the shipped flow, kept as golden transcripts.
struct ReflectTranscriptTests {
    /// Tuesday evening, after the 14:00 meeting.
    private let context = TurnContext(now: Fixtures.moment("2026-11-24T17:00:00+01:00"), timeZone: Fixtures.stockholm)

    /// What reflect knows about a prepared meeting.
    private let prepared: [String: SlotValue] = [
        "contact.name": .name("Anna Berg"), "meeting.id": .number(1), "meeting.goal": .text("An introduction to their CFO"),
        "meeting.when": .when(WhenValue(date: Fixtures.moment("2026-11-24T14:00:00+01:00"), hasTime: true)),
        "me.pitch": .text("I build scheduling software for home-care providers"),
    ]

    private func reflect() throws -> DialogueEngine {
        DialogueEngine(flow: try Fixtures.flow("reflect"), lexicon: Fixtures.english)
    }

    @Test func goalReachedWithSeveralFollowUps() throws {
        var talk = TranscriptRecorder(engine: try reflect(), prefill: prepared, context: context)
        talk.answer(
            "yes", "She introduced me to Eva Lind, their CFO, over email", "yes", "A speaker for her network", "The introduction",
            "yes", "send Eva the deck by friday", "call Eva in 2 weeks", "thank Anna tomorrow", "", "", "yes", "monthly")
        #expect(talk.state.status == .finished)
        let outcome = ConversationOutcome(state: talk.state, card: nil, formatter: ValueFormatter(lexicon: Fixtures.english, now: context.now, timeZone: context.timeZone))
        #expect(outcome.meetingID == 1)
        #expect(outcome.meeting == nil)
        #expect(outcome.reflection?.goalReached == "yes")
        #expect(outcome.followUps.map(\.text) == ["send Eva the deck", "call Eva", "thank Anna"])
        #expect(outcome.keepInTouch == .set(DurationValue(amount: 1, unit: .month)))
        assertTranscript(talk.text, named: "reflect-goal-reached")
    }

    @Test func goalPartlyReachedWithAReferral() throws {
        var talk = TranscriptRecorder(engine: try reflect(), prefill: prepared, context: context)
        talk.answer(
            "partly", "The CFO's name, but no introduction yet", "partly", "An intro to a builder", "A name", "partly",
            "ask Anna for the intro by friday", "", "recommended Jan Kowalski for their warehouse project", "", "yes", "every 6 weeks")
        let outcome = ConversationOutcome(state: talk.state, card: nil, formatter: ValueFormatter(lexicon: Fixtures.english, now: context.now, timeZone: context.timeZone))
        #expect(outcome.followUps.map(\.kind) == [.action, .referralFeedback])
        #expect(outcome.followUps.last?.due == WhenValue(date: Fixtures.moment("2026-12-08T00:00:00+01:00"), hasTime: false))
        assertTranscript(talk.text, named: "reflect-goal-partly-referral")
    }

    @Test func goalMissedAndTheContactLetRest() throws {
        var talk = TranscriptRecorder(engine: try reflect(), prefill: prepared, context: context)
        talk.answer("no", "Small talk about the market", "no", "nothing", "nothing", "no", "", "none", "no")
        let outcome = ConversationOutcome(state: talk.state, card: nil, formatter: ValueFormatter(lexicon: Fixtures.english, now: context.now, timeZone: context.timeZone))
        #expect(outcome.reflection?.goalReached == "no")
        #expect(outcome.keepInTouch == .clear)
        #expect(outcome.followUps.isEmpty)
        assertTranscript(talk.text, named: "reflect-goal-missed")
    }

    @Test func aMeetingWithoutPrepAsksWhoWhenAndWhatWasWanted() throws {
        var talk = TranscriptRecorder(engine: try reflect(), context: context)
        talk.answer(
            "Søren Holm", "tomorrow", "yesterday", "Advice on tender pricing", "yes", "A rule of thumb: price per site", "partly",
            "Feedback on his slides", "Pricing advice", "yes", "send him the tender by 4 dec", "", "", "yes", "quarterly")
        #expect(talk.state.status == .finished)
        let outcome = ConversationOutcome(state: talk.state, card: nil, formatter: ValueFormatter(lexicon: Fixtures.english, now: context.now, timeZone: context.timeZone))
        #expect(outcome.meetingID == nil)
        #expect(outcome.meeting?.goal == "Advice on tender pricing")
        #expect(outcome.meeting?.startsAt == WhenValue(date: Fixtures.moment("2026-11-23T00:00:00+01:00"), hasTime: false))
        assertTranscript(talk.text, named: "reflect-without-prep")
    }

    @Test func pausedMidwayAndResumedFromTheSavedState() throws {
        let engine = try reflect()
        var first = TranscriptRecorder(engine: engine, prefill: prepared, context: context)
        first.answer("yes", "An email introduction to Eva", "send Eva the deck by friday", "pause")
        #expect(first.state.status == .paused)
        let saved = try JSONEncoder().encode(first.state)
        var second = TranscriptRecorder(engine: engine, state: try JSONDecoder().decode(ConversationState.self, from: saved), context: context)
        second.send(.resume)
        second.answer("yes", "A speaker", "An intro", "yes", "send Eva the deck by friday", "", "", "no")
        #expect(second.state.status == .finished)
        assertTranscript(first.text + "--- resumed ---\n" + second.text, named: "reflect-pause-resume")
    }
}
