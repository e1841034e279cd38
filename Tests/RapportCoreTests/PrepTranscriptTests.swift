import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Whole prep conversations against the shipped flow and English lexicon, kept as golden
/// transcripts in Transcripts/ (re-record with RECORD_TRANSCRIPTS=1 after a deliberate change).
struct PrepTranscriptTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    private func prep() throws -> DialogueEngine {
        DialogueEngine(flow: try Fixtures.flow("prep"), lexicon: Fixtures.english)
    }

    @Test func happyPath() throws {
        var talk = TranscriptRecorder(engine: try prep(), context: context)
        talk.answer(
            "Anna Berg", "tomorrow 14:00", "Advice on pricing our pilot for municipalities", "no",
            "She has priced three software pilots for municipalities", "partly",
            "I build scheduling software for home-care providers", "An intro to the care network she asked about",
            "Would you price this per user or per site?")
        #expect(talk.state.status == .finished)
        assertTranscript(talk.text, named: "prep-happy-path")
    }

    @Test func vagueGoalIsPushedBackThenAcceptedAsWeak() throws {
        var talk = TranscriptRecorder(engine: try prep(), prefill: ["contact.name": .name("Jan Kowalski")], context: context)
        talk.answer("fri 9:30", "coffee", "just catch up", "see", "yes", "He knows everyone in Poznań logistics", "yes", "nothing", "Warehouse tips", "How do you pick carriers?")
        #expect(talk.state.weakSlots == ["meeting.goal"])
        #expect(talk.state.status == .finished)
        assertTranscript(talk.text, named: "prep-vague-goal")
    }

    @Test func theyDontKnowWhatIDoAsksForAOneLinePitch() throws {
        var talk = TranscriptRecorder(engine: try prep(), prefill: ["contact.name": .name("Łukasz Wójcik")], context: context)
        talk.answer("2026-12-01 10:00", "A recommendation to a trustworthy window supplier", "not sure", "He builds apartment blocks in Kraków", "no",
                    "windows", "I make energy-efficient windows for builders of apartment blocks", "A lead on a plot in Wrocław", "Who buys windows for your projects?")
        #expect(talk.state.slots["me.pitch"] == .text("I make energy-efficient windows for builders of apartment blocks"))
        assertTranscript(talk.text, named: "prep-pitch-asked")
    }

    @Test func aSavedPitchIsOfferedAgain() throws {
        let prefill: [String: SlotValue] = ["contact.name": .name("Søren Holm"), "me.pitch": .text("I make energy-efficient windows for builders")]
        var talk = TranscriptRecorder(engine: try prep(), prefill: prefill, context: context)
        talk.answer("in 3 days", "An introduction to their purchasing manager", "no", "He sits on the board of the builders' association", "partly", "yes",
                    "Feedback on his tender template", "Who decides on windows?")
        #expect(talk.state.path.contains("pitch_reuse"))
        #expect(!talk.state.path.contains("pitch"))
        assertTranscript(talk.text, named: "prep-pitch-offered-again")
    }

    @Test func backReviewWhyAndCancel() throws {
        var talk = TranscriptRecorder(engine: try prep(), context: context)
        talk.answer("Anna Berg", "help", "?", "skip", "tomorrow 9:00", "review", "back", "fri 9:00", "An intro to their CFO", "back", "", "cancel", "no", "cancel", "yes")
        #expect(talk.state.status == .cancelled)
        assertTranscript(talk.text, named: "prep-back-review-cancel")
    }

    @Test func endOfInputPausesAndTheConversationResumesFromItsSavedState() throws {
        let engine = try prep()
        var first = TranscriptRecorder(engine: engine, context: context)
        first.answer("Anna Berg", "tomorrow 14:00", "An introduction to their CFO")
        first.send(.endOfInput)
        #expect(first.state.status == .paused)

        // Saved as JSON, as the store does, and picked up an hour later in another process.
        let saved = try JSONEncoder().encode(first.state)
        let later = TurnContext(now: Fixtures.monday.addingTimeInterval(3600), timeZone: Fixtures.stockholm)
        var second = TranscriptRecorder(engine: engine, state: try JSONDecoder().decode(ConversationState.self, from: saved), context: later)
        second.send(.resume)
        second.answer("no", "She chairs the CFO network", "yes", "A speaker for her network", "Who else should I meet?")
        #expect(second.state.status == .finished)
        assertTranscript(first.text + "--- resumed ---\n" + second.text, named: "prep-eof-then-resume")
    }
}
