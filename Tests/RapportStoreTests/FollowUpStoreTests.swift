import Foundation
import RapportCore
import RapportStore
import RapportTestSupport
import Testing

struct FollowUpStoreTests {
    private let now = Fixtures.moment("2026-11-24T17:00:00+01:00")

    private func formatter() -> ValueFormatter { ValueFormatter(lexicon: Fixtures.english, now: now, timeZone: Fixtures.stockholm) }

    private func day(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: false) }

    /// A store with Anna's prepared meeting, as a finished prep leaves it; returns the meeting id.
    private func storeWithPreparedMeeting() throws -> (RapportDatabase, Int64) {
        let store = try RapportDatabase.inMemory()
        var state = ConversationState(flowID: "prep", language: "en", prefill: ["contact.name": .name("Anna Berg")])
        state.answers["when"] = .init(raw: "", value: .when(WhenValue(date: Fixtures.moment("2026-11-24T14:00:00+01:00"), hasTime: true)), weak: false, slot: "meeting.when")
        state.answers["goal"] = .init(raw: "", value: .text("An intro to their CFO"), weak: false, slot: "meeting.goal")
        state.path = ["when", "goal"]
        state.status = .finished
        let id = try store.createConversation(state: state, channel: "terminal", userKey: "local", now: now)
        let meetingID = try store.finishConversation(conversationID: id, state: state, answers: [], outcome: ConversationOutcome(state: state, card: nil, formatter: formatter()), now: now)
        return (store, try #require(meetingID))
    }

    /// A finished reflection on that meeting with the given slots.
    private func reflect(_ store: RapportDatabase, meetingID: Int64, slots: [String: SlotValue], reflectionID: Int64? = nil) throws {
        var prefill: [String: SlotValue] = ["contact.name": .name("Anna Berg"), "meeting.id": .number(Int(meetingID))]
        if let reflectionID { prefill["reflection.id"] = .number(Int(reflectionID)) }
        var state = ConversationState(flowID: "reflect", language: "en", prefill: prefill)
        for (index, (slot, value)) in slots.sorted(by: { $0.key < $1.key }).enumerated() {
            state.answers["s\(index)"] = .init(raw: "", value: value, weak: false, slot: slot)
            state.path.append("s\(index)")
        }
        state.status = .finished
        let id = try store.createConversation(state: state, channel: "terminal", userKey: "local", now: now)
        try store.finishConversation(conversationID: id, state: state, answers: [], outcome: ConversationOutcome(state: state, card: nil, formatter: formatter()), now: now)
    }

    private let reflection: [String: SlotValue] = [
        "reflection.goal_reached": .choice("partly"), "reflection.outcome": .text("A name"),
        "contact.knows_what_i_do": .choice("yes"), "contact.keep_warm": .bool(true),
        "contact.keep_in_touch": .duration(DurationValue(amount: 6, unit: .week)),
        "followups": .many([.followUp(FollowUpValue(action: "send the deck", due: WhenValue(date: Fixtures.moment("2026-11-27T00:00:00+01:00"), hasTime: false)))]),
        "referrals": .many([.followUp(FollowUpValue(action: "recommended Jan", due: WhenValue(date: Fixtures.moment("2026-12-08T00:00:00+01:00"), hasTime: false)))]),
    ]

    @Test func aReflectionStoresItselfItsFollowUpsAndTheCadence() throws {
        let (store, meetingID) = try storeWithPreparedMeeting()
        try reflect(store, meetingID: meetingID, slots: reflection)

        let saved = try #require(try store.reflection(meetingID: meetingID))
        #expect(saved.goalReached == "partly")
        #expect(saved.outcome == "A name")
        #expect(try store.meeting(id: meetingID)?.reflected == true)
        #expect(try store.meetings().count == 1, "no second meeting for a prepared one")
        let followUps = try store.followUps()
        #expect(followUps.map(\.text) == ["send the deck", "recommended Jan"])
        #expect(followUps.map(\.kind) == [.action, .referralFeedback])
        #expect(followUps.allSatisfy { $0.meetingID == meetingID && $0.contactName == "Anna Berg" })
        let anna = try #require(try store.contacts().first)
        #expect(anna.keepInTouch == DurationValue(amount: 6, unit: .week))
        #expect(anna.keepInTouchSince == now)
        #expect(anna.knowsWhatIDo == "yes")
        #expect(try store.interactions().map(\.kind) == [.reflection])
    }

    @Test func reflectingAgainReplacesTheReflectionAndItsOpenFollowUps() throws {
        let (store, meetingID) = try storeWithPreparedMeeting()
        try reflect(store, meetingID: meetingID, slots: reflection)
        let first = try #require(try store.reflection(meetingID: meetingID))
        _ = try store.markDone(followUpID: try #require(try store.followUps().first?.id), now: now)

        var edited = reflection
        edited["reflection.goal_reached"] = .choice("yes")
        edited["followups"] = .many([.followUp(FollowUpValue(action: "book a lunch", due: WhenValue(date: Fixtures.moment("2026-12-01T00:00:00+01:00"), hasTime: false)))])
        edited["referrals"] = .many([])
        try reflect(store, meetingID: meetingID, slots: edited, reflectionID: first.id)

        let second = try #require(try store.reflection(meetingID: meetingID))
        #expect(second.id == first.id)
        #expect(second.goalReached == "yes")
        #expect(try store.followUps().map(\.text) == ["book a lunch"])
        #expect(try store.followUps(includeDone: true).map(\.text).sorted() == ["book a lunch", "send the deck"], "what was done stays done")
    }

    @Test func sayingNoToKeepingWarmClearsTheCadence() throws {
        let (store, meetingID) = try storeWithPreparedMeeting()
        try reflect(store, meetingID: meetingID, slots: reflection)
        try reflect(store, meetingID: meetingID, slots: ["reflection.goal_reached": .choice("no"), "contact.keep_warm": .bool(false)])
        #expect(try store.contacts().first?.keepInTouch == nil)
    }

    @Test func doneAndSnoozeChangeOneFollowUp() throws {
        let (store, meetingID) = try storeWithPreparedMeeting()
        try reflect(store, meetingID: meetingID, slots: reflection)
        let deck = try #require(try store.followUps().first)
        let later = day("2026-12-04T00:00:00+01:00")
        #expect(try store.snooze(followUpID: deck.id, until: later, now: now)?.due == later.date)
        let done = try #require(try store.markDone(followUpID: deck.id, now: now))
        #expect(done.doneAt == now)
        #expect(try store.followUps().map(\.text) == ["recommended Jan"])
        #expect(try store.interactions().map(\.kind) == [.reflection, .followUpDone])
        #expect(try store.markDone(followUpID: 999, now: now) == nil)
        #expect(try store.snooze(followUpID: 999, until: later, now: now) == nil)
    }

    @Test func loggingAnInteractionFindsOrAddsTheContact() throws {
        let (store, _) = try storeWithPreparedMeeting()
        let anna = try store.logInteraction(contactName: "Anna Berg", note: "called about the pilot", now: now)
        let jan = try store.logInteraction(contactName: "Jan Kowalski", note: "coffee at the fair", now: now)
        #expect(try store.contacts().map(\.name) == ["Anna Berg", "Jan Kowalski"])
        #expect(try store.interactions(contactID: anna.id).map(\.note) == ["called about the pilot"])
        #expect(try store.interactions(contactID: jan.id).map(\.kind) == [.note])
    }
}

/// With a nudge plan set, every change to the records updates the outbox in the same transaction.
struct OutboxInTheSameTransactionTests {
    let now = Fixtures.moment("2026-11-24T17:00:00+01:00")

    private func storeWithPlan() throws -> RapportDatabase {
        var store = try RapportDatabase.inMemory()
        store.nudgePlan = { records, _ in
            records.followUps.map { OutboxDraft(key: "followup-\($0.id)-\(Int($0.due.timeIntervalSince1970))", destination: "team", kind: "followup", payload: "{}", dueAt: $0.due) }
        }
        return store
    }

    private func finish(_ store: RapportDatabase, conversationID: Int64, followUps: [String]) throws {
        var state = ConversationState(flowID: "reflect", language: "en", prefill: ["contact.name": .name("Anna Berg")])
        let items = followUps.map { SlotValue.followUp(FollowUpValue(action: $0, due: WhenValue(date: now.addingTimeInterval(86400), hasTime: false))) }
        state.answers["f"] = .init(raw: "", value: .many(items), weak: false, slot: "followups")
        state.answers["w"] = .init(raw: "", value: .when(WhenValue(date: now, hasTime: false)), weak: false, slot: "meeting.when")
        state.answers["r"] = .init(raw: "", value: .choice("yes"), weak: false, slot: "reflection.goal_reached")
        state.path = ["w", "r", "f"]
        state.status = .finished
        let outcome = ConversationOutcome(state: state, card: nil, formatter: ValueFormatter(lexicon: Fixtures.english, now: now, timeZone: Fixtures.stockholm))
        try store.finishConversation(conversationID: conversationID, state: state, answers: [], outcome: outcome, now: now)
    }

    @Test func aFinishedReflectionWritesItsNudgesAndADoneFollowUpCancelsOne() throws {
        let store = try storeWithPlan()
        let id = try store.createConversation(state: ConversationState(flowID: "reflect", language: "en", prefill: [:]), channel: "terminal", userKey: "local", now: now)
        try finish(store, conversationID: id, followUps: ["send the deck", "call Eva"])
        #expect(try store.outbox().count == 2)
        _ = try store.markDone(followUpID: 1, now: now)
        #expect(try store.outbox(statuses: [.pending]).count == 1)
        #expect(try store.outbox(statuses: [.cancelled]).count == 1)
    }

    @Test func aFailedFinishWritesNoNudge() throws {
        let store = try storeWithPlan()
        #expect(throws: StoreError.self) { try finish(store, conversationID: 999, followUps: ["send the deck"]) }
        #expect(try store.outbox(statuses: [.pending, .cancelled, .sent, .dead]).isEmpty)
        #expect(try store.followUps().isEmpty)
    }
}
