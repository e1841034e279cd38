import Foundation
import RapportCore
import RapportStore
import RapportTestSupport
import Testing

/// Issue 15, the contract every adapter keeps for the changes people make to their contacts
/// and meetings: listing and close names, rename, merge, delete, a meeting moved or cancelled.
/// Each re-plans the nudges of what it touched, in the same write.
struct ContactChangesContractTests {
    private let now = Contract.now

    private func pending(_ store: Adapter.Store) async throws -> [OutboxEntry] {
        try await store.entries(statuses: [.pending], limit: 50)
    }

    @Test(arguments: Adapter.allCases)
    func contactsAreListedByNameAndATypoFindsTheNameMeant(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        for name in ["Łukasz Wójcik", "Anna Berg", "anders Ek", "Jan Kowalski", "Annika Lind"] {
            _ = try await store.logInteraction(contactName: name, note: "met", owner: .local, now: now)
        }
        _ = try await store.logInteraction(contactName: "Anna Svensson", note: "met", owner: UserKey(platform: .slack, user: "U0EVA"), now: now)
        #expect(try await store.contacts(owner: .local, limit: 10).map(\.name) == ["anders Ek", "Anna Berg", "Annika Lind", "Jan Kowalski", "Łukasz Wójcik"])
        #expect(try await store.contacts(owner: .local, limit: 2).map(\.name) == ["anders Ek", "Anna Berg"])

        #expect(try await store.contacts(closeTo: "anan", owner: .local, limit: 5).map(\.name) == ["Anna Berg"], "a swap of two letters")
        #expect(try await store.contacts(closeTo: "Ana Berg", owner: .local, limit: 5).map(\.name) == ["Anna Berg"])
        #expect(try await store.contacts(closeTo: "lukas", owner: .local, limit: 5).map(\.name) == ["Łukasz Wójcik"], "accents aside, a letter short")
        #expect(try await store.contacts(closeTo: "kowalsky", owner: .local, limit: 5).map(\.name) == ["Jan Kowalski"])
        #expect(try await store.contacts(closeTo: "zed", owner: .local, limit: 5).isEmpty)
        #expect(try await store.contacts(closeTo: "svenson", owner: .local, limit: 5).isEmpty, "another owner's contact is not theirs to suggest")
    }

    @Test(arguments: Adapter.allCases)
    func aRenamedContactKeepsEverythingAndItsNudgesSayTheNewName(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg"), in: store))
        let anna = try #require(try await store.contacts(matching: "anna", owner: .local, limit: 1).first)
        _ = try await store.logInteraction(contactName: "Jan Kowalski", note: "met", owner: .local, now: now)

        guard case .renamed(let renamed) = try await store.renameContact(id: anna.id, to: "Anna Lindqvist", owner: .local, now: now) else {
            Issue.record("not renamed")
            return
        }
        #expect(renamed.id == anna.id)
        #expect(renamed.name == "Anna Lindqvist")
        #expect(try await store.contacts(matching: "lindqvist", owner: .local, limit: 5).map(\.id) == [anna.id])
        #expect(try await store.contacts(matching: "berg", owner: .local, limit: 5).isEmpty, "the old name's words are gone from the index")
        #expect(try await store.meeting(id: meetingID, owner: .local)?.contactName == "Anna Lindqvist")
        #expect(try await pending(store).filter { $0.kind == "reminder" }.allSatisfy { $0.payload.contains("Anna Lindqvist") })

        // A name another contact has is refused (that is a merge); an unknown id too; a stranger's call changes nothing.
        let jan = try #require(try await store.contacts(matching: "jan", owner: .local, limit: 1).first)
        #expect(try await store.renameContact(id: anna.id, to: "jan kowalski", owner: .local, now: now) == .taken(jan))
        #expect(try await store.renameContact(id: 999, to: "X Y", owner: .local, now: now) == .noSuchContact)
        #expect(try await store.renameContact(id: anna.id, to: "X Y", owner: UserKey(platform: .web, user: "mallory"), now: now) == .noSuchContact)
        // Another spelling of the same name is a rename too.
        guard case .renamed(let respelled) = try await store.renameContact(id: anna.id, to: "anna lindqvist", owner: .local, now: now) else {
            Issue.record("not respelled")
            return
        }
        #expect(respelled.name == "anna lindqvist")
    }

    @Test(arguments: Adapter.allCases)
    func mergingMovesMeetingsFollowUpsAndNotesAndReplansThem(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let first = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-11-20T10:00:00+01:00"), in: store))
        try await Contract.finish(Contract.finishedReflection(meetingID: first, slots: Contract.reflection), in: store)
        let second = try #require(try await Contract.finish(Contract.finishedPrep("Anna B", starts: "2026-12-02T10:00:00+01:00"), in: store))
        _ = try await store.logInteraction(contactName: "Anna B", note: "called", owner: .local, now: now)
        let berg = try #require(try await store.contacts(matching: "Anna Berg", owner: .local, limit: 1).first)
        let short = try #require(try await store.contacts(matching: "Anna B", owner: .local, limit: 1).first)
        #expect(berg.id != short.id)

        let merged = try #require(try await store.mergeContact(id: short.id, into: berg.id, owner: .local, now: now))
        #expect(merged.id == berg.id)
        #expect(merged.keepInTouch == DurationValue(amount: 6, unit: .week), "the kept contact's cadence stays")
        #expect(try await store.meetings(contactID: berg.id, owner: .local).map(\.id) == [first, second])
        #expect(try await store.meeting(id: second, owner: .local)?.contactName == "Anna Berg")
        #expect(try await store.interactions(contactID: berg.id, owner: .local).compactMap(\.note) == ["called"])
        #expect(try await store.contacts(matching: "anna", owner: .local, limit: 5).map(\.id) == [berg.id], "one Anna left")
        #expect(try await store.meetings(contactID: short.id, owner: .local).isEmpty)
        let reminders = try await pending(store).filter { $0.kind == "reminder" }
        #expect(reminders.count == 1)
        #expect(reminders.allSatisfy { $0.payload.contains("Anna Berg") && !$0.payload.contains("Anna B,") })
        // Being in touch counts the call made to the merged-away name.
        let warm = try #require(try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 5).first)
        #expect(warm.contact.id == berg.id)
        #expect(warm.due == Fixtures.moment("2027-01-13T00:00:00+01:00"), "six weeks after the meeting on 2 Dec")

        #expect(try await store.mergeContact(id: berg.id, into: berg.id, owner: .local, now: now) == nil, "not into itself")
        #expect(try await store.mergeContact(id: 999, into: berg.id, owner: .local, now: now) == nil)
    }

    @Test(arguments: Adapter.allCases)
    func deletingAContactRemovesEverythingAboutThemAndTheirNudges(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-11-20T10:00:00+01:00"), in: store))
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store)
        try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-12-02T10:00:00+01:00"), in: store)
        try await Contract.finish(Contract.finishedPrep("Jan Kowalski"), in: store)
        let anna = try #require(try await store.contacts(matching: "anna", owner: .local, limit: 1).first)
        #expect(try await pending(store).contains { $0.payload.contains("Anna Berg") })

        #expect(try await store.deleteContact(id: anna.id, owner: UserKey(platform: .web, user: "mallory"), now: now) == false)
        #expect(try await store.deleteContact(id: anna.id, owner: .local, now: now))
        #expect(try await store.contacts(matching: "anna", owner: .local, limit: 5).isEmpty)
        #expect(try await store.meeting(id: meetingID, owner: .local) == nil)
        #expect(try await store.reflection(meetingID: meetingID, owner: .local) == nil)
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 10).map(\.contactName) == ["Jan Kowalski"])
        #expect(try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 10).isEmpty)
        #expect(try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 10).isEmpty)
        #expect(try await store.interactions(contactID: anna.id, owner: .local).isEmpty)
        let left = try await store.entries(statuses: [.pending, .cancelled, .dead, .sent], limit: 50)
        #expect(!left.contains { $0.payload.contains("Anna Berg") }, "no message about her is left to send: \(left.map(\.key))")
        #expect(left.contains { $0.payload.contains("Jan Kowalski") })
        #expect(try await store.deleteContact(id: anna.id, owner: .local, now: now) == false, "once")
    }

    @Test(arguments: Adapter.allCases)
    func aMovedMeetingMovesItsNudgesAndACancelledOneHasNone(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-11-25T14:00:00+01:00"), in: store))
        let friday = WhenValue(date: Fixtures.moment("2026-11-27T09:30:00+01:00"), hasTime: true)
        let stranger = UserKey(platform: .web, user: "mallory")
        #expect(try await store.moveMeeting(id: meetingID, to: friday, owner: stranger, now: now) == nil)

        let moved = try #require(try await store.moveMeeting(id: meetingID, to: friday, owner: .local, now: now))
        #expect(moved.startsAt == friday.date)
        #expect(moved.hasTime)
        let planned = try await pending(store)
        #expect(Set(planned.map(\.key)) == ["reminder-m\(meetingID)-20261127", "reflect-m\(meetingID)"])
        #expect(planned.first { $0.kind == "reminder" }?.nextAttemptAt == Fixtures.moment("2026-11-27T08:30:00+01:00"))
        #expect(try await store.meetings(owner: .local, startingFrom: Fixtures.moment("2026-11-26T00:00:00+01:00"), limit: 5).map(\.id) == [meetingID])

        let cancelled = try #require(try await store.cancelMeeting(id: meetingID, owner: .local, now: now))
        #expect(cancelled.cancelled)
        #expect(try await pending(store).isEmpty, "nothing is sent about a meeting that will not happen")
        #expect(try await store.meeting(id: meetingID, owner: .local)?.cancelled == true)
        #expect(try await store.awaitingReflection(owner: .local, now: Fixtures.moment("2026-11-28T00:00:00+01:00"), limit: 5).isEmpty)
        #expect(try await store.cancelMeeting(id: 999, owner: .local, now: now) == nil)

        // Moving it again books it again.
        let rebooked = try #require(try await store.moveMeeting(id: meetingID, to: friday, owner: .local, now: now))
        #expect(!rebooked.cancelled)
        #expect(try await pending(store).count == 2)
    }

    @Test(arguments: Adapter.allCases)
    func aPrepDoneAgainForABookedMeetingChangesThatMeeting(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg", goal: "An intro to their CFO"), in: store))
        var again = Contract.finishedPrep("Anna Berg", goal: "A pilot agreed", starts: "2026-11-26T10:00:00+01:00")
        again.prefill["meeting.id"] = .number(Int(meetingID))
        #expect(try await Contract.finish(again, in: store) == meetingID)
        let meetings = try await store.meetings(owner: .local, startingFrom: nil, limit: 10)
        #expect(meetings.map(\.id) == [meetingID], "no second meeting")
        #expect(meetings.first?.goal == "A pilot agreed")
        #expect(meetings.first?.startsAt == Fixtures.moment("2026-11-26T10:00:00+01:00"))
        #expect(Set(try await pending(store).map(\.key)) == ["reminder-m\(meetingID)-20261126", "reflect-m\(meetingID)"])
    }

    @Test(arguments: Adapter.allCases)
    func whenKnowingWhatYouDoWasLastAskedIsKept(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        try await Contract.finish(Contract.finishedPrep("Anna Berg"), in: store)
        let asked = try #require(try await store.contacts(matching: "anna", owner: .local, limit: 1).first)
        #expect(asked.knowsWhatIDo == "no")
        #expect(asked.knowsWhatIDoAt == now)

        // A later prep that did not ask (the answer was known) keeps the date it was asked.
        var known = Contract.finishedPrep("Anna Berg")
        known.answers["knows"] = nil
        known.path.removeAll { $0 == "knows" }
        known.prefill["contact.knows_what_i_do"] = .choice("no")
        try await Contract.finish(known, in: store, now: now.addingTimeInterval(86400))
        #expect(try await store.contacts(matching: "anna", owner: .local, limit: 1).first?.knowsWhatIDoAt == now)
    }
}
