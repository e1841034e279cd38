import Foundation
import RapportCore
import RapportStore
import RapportTestSupport
import Testing

/// The calendar part of the store contract, run against every adapter: feeds per owner, and the
/// meetings a feed's occurrences become, moved, cancelled, restored and prepared.
struct CalendarStoreContractTests {
    private let now = Contract.now  // Tue 24 Nov 2026 17:00 in Stockholm
    private var window: DateInterval { DateInterval(start: now, duration: 14 * 86_400) }

    private func draft(_ key: String, _ start: String, name: String = "Anna Berg", email: String = "anna@kund.se", title: String = "Pipeline review") -> CalendarMeetingDraft {
        let at = Fixtures.moment(start)
        return CalendarMeetingDraft(
            key: key, uid: key.components(separatedBy: "@").first ?? key, start: at, end: at.addingTimeInterval(3600), title: title,
            description: "Agenda: numbers", location: "Kund AB", contactName: name, contactEmail: email,
            attendees: [CalendarAttendee(email: "ada@firma.se", name: "Ada"), CalendarAttendee(email: email, name: name, status: "ACCEPTED")])
    }

    private func snapshot(_ feed: CalendarFeed, _ meetings: [CalendarMeetingDraft], etag: String? = "\"v1\"") -> CalendarSnapshot {
        CalendarSnapshot(feedID: feed.id, window: window, meetings: meetings, etag: etag, lastModified: nil, warnings: [], readAt: now)
    }

    private func pending(_ store: Adapter.Store) async throws -> [OutboxEntry] {
        try await store.entries(statuses: [.pending], limit: 100).sorted { $0.key < $1.key }
    }

    @Test(arguments: Adapter.allCases)
    func feedsAreTheirOwnersAndNamedOnce(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let alice = UserKey(platform: .slack, user: "U0ALICE")
        let work = try await store.addCalendarFeed(name: "work", source: "env:WORK_ICS", owner: .local, now: now)
        await #expect(throws: (any Error).self) { try await store.addCalendarFeed(name: "work", source: "https://x.example/a.ics", owner: .local, now: now) }
        _ = try await store.addCalendarFeed(name: "work", source: "https://x.example/b.ics", owner: alice, now: now)
        #expect(try await store.calendarFeeds(owner: .local).map(\.source) == ["env:WORK_ICS"])
        #expect(try await store.calendarFeeds(owner: alice).map(\.source) == ["https://x.example/b.ics"])
        // Someone else's feed can be neither synced nor removed.
        await #expect(throws: (any Error).self) { try await store.syncCalendar(snapshot(work, []), owner: alice, now: now) }
        #expect(try await store.removeCalendarFeed(id: work.id, owner: alice, now: now) == false)
    }

    @Test(arguments: Adapter.allCases)
    func forgettingAPersonTakesTheirCalendarsAndWhatTheyHeld(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let alice = UserKey(platform: .slack, user: "U0ALICE")
        let hers = try await store.addCalendarFeed(name: "work", source: "https://x.example/alice.ics", owner: alice, now: now)
        let mine = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        _ = try await store.syncCalendar(snapshot(hers, [draft("a", "2026-12-01T10:00:00+01:00")]), owner: alice, now: now)
        _ = try await store.syncCalendar(snapshot(mine, [draft("b", "2026-12-02T10:00:00+01:00", name: "Jan Kowalski", email: "jan@x.pl")]), owner: .local, now: now)
        let herMeeting = try #require(try await store.meetings(owner: alice, startingFrom: now, limit: 5).first)
        let forgotten = try await store.forget(owner: alice)
        #expect(forgotten.meetings == 1)
        #expect(try await store.calendarFeeds(owner: alice).isEmpty)
        #expect(try await store.calendarEvent(meetingID: herMeeting.id, owner: alice) == nil)
        // Her address, title, description and attendees are gone; someone else's calendar stays.
        _ = try await store.addCalendarFeed(name: "work", source: "https://x.example/again.ics", owner: alice, now: now)
        #expect(try await store.calendarFeeds(owner: .local).map(\.meetingCount) == [1])
        let kept = try #require(try await store.meetings(owner: .local, startingFrom: now, limit: 5).first)
        #expect(try await store.calendarEvent(meetingID: kept.id, owner: .local)?.description == "Agenda: numbers")
    }

    @Test(arguments: Adapter.allCases)
    func aForgottenContactStaysForgottenWhenTheirCalendarIsReadAgain(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        let series = [draft("s@20261201", "2026-12-01T10:00:00+01:00"), draft("s@20261208", "2026-12-08T10:00:00+01:00")]
        let jan = draft("j", "2026-11-26T09:00:00+01:00", name: "Jan Kowalski", email: "jan@x.pl")
        _ = try await store.syncCalendar(snapshot(feed, series + [jan]), owner: .local, now: now)
        let anna = try #require(try await store.contacts(matching: "anna", owner: .local, limit: 5).first)
        #expect(try await store.deleteContact(id: anna.id, owner: .local, now: now))

        // The same feed read again, now with the series' next occurrence (a new key, the same UID).
        let again = try await store.syncCalendar(
            snapshot(feed, series + [jan, draft("s@20261215", "2026-12-15T10:00:00+01:00")], etag: "\"v2\""), owner: .local, now: now)
        #expect(again == CalendarSyncResult(unchanged: 1), "her events are skipped, not added back")
        #expect(try await store.contacts(matching: "anna", owner: .local, limit: 5).isEmpty)
        #expect(try await store.meetings(owner: .local, startingFrom: now, limit: 10).map(\.contactName) == ["Jan Kowalski"])
        #expect(try await store.calendarFeeds(owner: .local).map(\.meetingCount) == [1])
        #expect(try await pending(store).allSatisfy { !$0.payload.contains("Anna") })

        // A new invitation with her is a new meeting: forgetting is of what was stored.
        let invited = try await store.syncCalendar(
            snapshot(feed, series + [jan, draft("n@20261210", "2026-12-10T10:00:00+01:00")], etag: "\"v3\""), owner: .local, now: now)
        #expect(invited.added == 1)
        #expect(try await store.contacts(matching: "anna", owner: .local, limit: 5).count == 1)
    }

    @Test(arguments: Adapter.allCases)
    func aSyncAddsMeetingsWithTheirContactsAndNudges(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-11-20T10:00:00+01:00"), in: store)  // a contact already known
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        let result = try await store.syncCalendar(snapshot(feed, [
            draft("s@20261201", "2026-12-01T10:00:00+01:00", name: "anna berg"), draft("j", "2026-11-26T09:00:00+01:00", name: "Jan Kowalski", email: "jan@x.pl"),
        ]), owner: .local, now: now)
        #expect(result == CalendarSyncResult(added: 2))
        let upcoming = try await store.meetings(owner: .local, startingFrom: now, limit: 10)
        #expect(upcoming.map(\.contactName) == ["Jan Kowalski", "Anna Berg"], "the contact is matched without regard to case")
        #expect(upcoming.allSatisfy { $0.fromCalendar && !$0.prepared && $0.hasTime && $0.calendarTitle == "Pipeline review" })
        #expect(try await store.contacts(matching: "anna", owner: .local, limit: 5).count == 1)
        let anna = try #require(upcoming.last)
        let event = try #require(try await store.calendarEvent(meetingID: anna.id, owner: .local))
        #expect(event.description == "Agenda: numbers")
        #expect(event.attendees.map(\.email) == ["ada@firma.se", "anna@kund.se"])
        #expect(try await store.calendarEvent(meetingID: anna.id, owner: UserKey(platform: .web, user: "eve")) == nil)
        let keys = try await pending(store).map(\.key)
        #expect(keys.contains("prep-m\(anna.id)-20261201"))
        #expect(keys.contains("reminder-m\(anna.id)-20261201"))
        #expect(keys.contains("reflect-m\(anna.id)"))
        let feeds = try await store.calendarFeeds(owner: .local)
        #expect(feeds.map(\.meetingCount) == [2])
        #expect(feeds.map(\.etag) == ["\"v1\""])
        #expect(feeds.map(\.lastReadAt) == [now])
    }

    @Test(arguments: Adapter.allCases)
    func aMovedEventMovesItsMeetingAndNudgesAndAGoneOneCancelsThem(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        _ = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-01T10:00:00+01:00"), draft("b", "2026-12-02T10:00:00+01:00", name: "Jan Kowalski")]),
                                         owner: .local, now: now)
        let before = try await store.meetings(owner: .local, startingFrom: now, limit: 10)
        let (anna, jan) = (before[0], before[1])

        let second = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-03T15:00:00+01:00")], etag: "\"v2\""), owner: .local, now: now)
        #expect(second == CalendarSyncResult(moved: 1, cancelled: 1))
        let after = try await store.meetings(owner: .local, startingFrom: now, limit: 10)
        #expect(after.map(\.id) == [anna.id], "the cancelled meeting is listed nowhere")
        #expect(after[0].startsAt == Fixtures.moment("2026-12-03T15:00:00+01:00"))
        let keys = try await pending(store).map(\.key)
        #expect(keys.contains("reminder-m\(anna.id)-20261203") && !keys.contains("reminder-m\(anna.id)-20261201"))
        #expect(!keys.contains { $0.contains("m\(jan.id)") }, "a cancelled meeting's nudges are cancelled: \(keys)")
        #expect(try await store.meetings(contactID: jan.contactID, owner: .local).isEmpty)

        // Back in the feed: the same meeting again, with its nudges.
        let third = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-03T15:00:00+01:00"), draft("b", "2026-12-02T10:00:00+01:00", name: "Jan Kowalski")]),
                                                 owner: .local, now: now)
        #expect(third == CalendarSyncResult(restored: 1, unchanged: 1))
        #expect(try await store.meetings(owner: .local, startingFrom: now, limit: 10).map(\.id) == [jan.id, anna.id])
        #expect(try await pending(store).map(\.key).contains("reminder-m\(jan.id)-20261202"))
    }

    @Test(arguments: Adapter.allCases)
    func aPrepFillsTheCalendarMeetingAndStaysWithItWhenItMoves(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        _ = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-01T10:00:00+01:00")]), owner: .local, now: now)
        let meeting = try #require(try await store.meetings(owner: .local, startingFrom: now, limit: 1).first)
        #expect(Meeting.toPrepare(among: try await store.meetings(contactID: meeting.contactID, owner: .local), from: now)?.id == meeting.id)

        // A prep started with the meeting prefilled (as `rapport prep anna` does) fills it.
        var state = Contract.finishedPrep("Anna Berg", goal: "An intro to their CFO")
        state.prefill["meeting.id"] = .number(Int(meeting.id))
        state.path.removeAll { $0 == "when" }
        state.answers["when"] = nil
        state.prefill["meeting.when"] = .when(WhenValue(date: meeting.startsAt!, hasTime: true))
        let written = try await Contract.finish(state, in: store)
        #expect(written == meeting.id)
        let all = try await store.meetings(owner: .local, startingFrom: nil, limit: 10)
        #expect(all.count == 1, "no second meeting")
        #expect(all[0].goal == "An intro to their CFO" && all[0].prepared && all[0].startsAt == meeting.startsAt)
        #expect(Meeting.toPrepare(among: try await store.meetings(contactID: meeting.contactID, owner: .local), from: now) == nil)
        #expect(!(try await pending(store).map(\.key).contains { $0.hasPrefix("prep-") }), "a prepared meeting needs no prep nudge")

        _ = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-04T09:00:00+01:00")]), owner: .local, now: now)
        let moved = try #require(try await store.meeting(id: meeting.id, owner: .local))
        #expect(moved.goal == "An intro to their CFO" && moved.startsAt == Fixtures.moment("2026-12-04T09:00:00+01:00"))
    }

    @Test(arguments: Adapter.allCases)
    func aMeetingPreparedBeforeTheCalendarKnewOfItIsLinkedNotDoubled(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let prepared = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-12-01T10:00:00+01:00"), in: store))
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        _ = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-01T10:30:00+01:00")]), owner: .local, now: now)
        let meetings = try await store.meetings(owner: .local, startingFrom: now, limit: 10)
        #expect(meetings.map(\.id) == [prepared])
        #expect(meetings[0].fromCalendar && meetings[0].goal == "An intro to their CFO" && meetings[0].startsAt == Fixtures.moment("2026-12-01T10:30:00+01:00"))
    }

    @Test(arguments: Adapter.allCases)
    func aCheckKeepsTheLastGoodReadAndPastMeetingsStay(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        _ = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-01T10:00:00+01:00")]), owner: .local, now: now)
        let later = now.addingTimeInterval(3600)
        try await store.recordCalendarCheck(CalendarCheck(feedID: feed.id, at: later, error: "it did not answer within 30 s"), owner: .local)
        let checked = try #require(try await store.calendarFeeds(owner: .local).first)
        #expect(checked.lastReadAt == now && checked.lastCheckedAt == later && checked.lastError == "it did not answer within 30 s" && checked.meetingCount == 1)
        #expect(try await store.meetings(owner: .local, startingFrom: now, limit: 10).count == 1)

        // After the meeting, a read whose window starts later leaves it as it was, even without it.
        let afterwards = Fixtures.moment("2026-12-02T09:00:00+01:00")
        var next = snapshot(feed, [])
        next.window = DateInterval(start: afterwards, duration: 14 * 86_400)
        let result = try await store.syncCalendar(next, owner: .local, now: afterwards)
        #expect(result == CalendarSyncResult())
        #expect(try await store.awaitingReflection(owner: .local, now: afterwards, limit: 5).count == 1)
    }

    @Test(arguments: Adapter.allCases)
    func removingAFeedDropsTheMeetingsAheadAndKeepsThosePast(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        _ = try await store.syncCalendar(snapshot(feed, [draft("a", "2026-12-01T10:00:00+01:00"), draft("b", "2026-11-25T10:00:00+01:00", name: "Jan Kowalski")]),
                                         owner: .local, now: now)
        let later = Fixtures.moment("2026-11-26T12:00:00+01:00")
        #expect(try await store.removeCalendarFeed(id: feed.id, owner: .local, now: later))
        #expect(try await store.calendarFeeds(owner: .local).isEmpty)
        let left = try await store.meetings(owner: .local, startingFrom: nil, limit: 10)
        #expect(left.map(\.contactName) == ["Jan Kowalski"])
        #expect(!left[0].fromCalendar)
    }
}
