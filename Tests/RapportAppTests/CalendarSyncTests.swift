import Foundation
import RapportApp
import RapportAppTestSupport
import RapportCore
import RapportTestSupport
import Testing

/// Reading a feed served over HTTP on 127.0.0.1, as `rapport calendar sync` and `rapport nudge` do.
@Suite(.serialized)
struct CalendarSyncTests {
    let now = Fixtures.moment("2026-11-23T10:00:00+01:00")  // Monday

    static let config = """
        calendar:
          mine: [ada@firma.se]
          max_megabytes: 0.05
          timeout_seconds: 1
        destinations:
          team: { kind: generic, url: "http://127.0.0.1:9/hook" }
        nudges:
          destination: team
          routes: { digest: none }
        """

    /// A feed shaped like Google's: Anna's meeting, Jan's, and a weekly one with Sara.
    static func feed(anna: String = "20261201T100000", janCancelled: Bool = false, nils: Bool = false) -> String {
        var events = [
            event("anna-1", "DTSTART;TZID=Europe/Stockholm:\(anna)", "Pipeline review", "Anna Berg", "anna.berg@kund.se"),
            event("jan-1", "DTSTART;TZID=Europe/Stockholm:20261202T100000", "Coffee", "Jan Kowalski", "jan@example.pl", extra: janCancelled ? ["STATUS:CANCELLED"] : []),
            event("sara-weekly", "DTSTART;TZID=Europe/Stockholm:20261105T090000", "Weekly with Sara", "Sara Nyström", "sara@partner.se", extra: ["RRULE:FREQ=WEEKLY;BYDAY=TH"]),
        ]
        if nils { events.append(event("nils-1", "DTSTART:20261204T130000Z", "Intro", "Nils Holm", "nils@holm.dk")) }
        return (["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN"] + events.flatMap { $0 } + ["END:VCALENDAR", ""]).joined(separator: "\r\n")
    }

    static func event(_ uid: String, _ start: String, _ title: String, _ name: String, _ email: String, extra: [String] = []) -> [String] {
        ["BEGIN:VEVENT", "UID:\(uid)", start, "DURATION:PT1H", "SUMMARY:\(title)", "DESCRIPTION:Private agenda for \(name)",
         "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@firma.se", "ATTENDEE;CN=\(name);PARTSTAT=ACCEPTED:mailto:\(email)"] + extra + ["END:VEVENT"]
    }

    private func services(at moment: Date, folder: TemporaryDirectory) async throws -> RapportServices {
        try await TestServices.open(store: folder.path("rapport.sqlite"), config: Self.config, now: moment)
    }

    private func upcoming(_ services: RapportServices, from moment: Date) async throws -> [String] {
        try await services.meetings.meetings(from: moment, limit: 20).map { meeting in
            "\(meeting.contactName) \(meeting.startsAt!.formatted(Date.ISO8601FormatStyle()))"
        }
    }

    private func waiting(_ services: RapportServices) async throws -> [String] {
        try await services.outbox.entries(statuses: [.pending]).map(\.key).sorted()
    }

    @Test func aFeedThatChangesBetweenTwoReadsMovesCancelsAndAddsMeetingsAndTheirNudges() async throws {
        let server = try LoopbackHTTPServer()
        let folder = TemporaryDirectory()
        let rapport = try await services(at: now, folder: folder)
        server.enqueue(.respond(status: 200, headers: ["ETag": "\"v1\"", "Content-Type": "text/calendar"], body: Self.feed()))
        let first = try await rapport.calendars.add(server.url + "/calendar/ical/private-abc/basic.ics", name: "work", now: now)
        guard case .read(let added, let meetings, let warnings) = first.outcome else { Issue.record("not read: \(first.outcome)"); return }
        #expect(added == CalendarSyncResult(added: 4) && meetings == 4 && warnings.isEmpty)
        #expect(try await upcoming(rapport, from: now) == [
            "Sara Nyström 2026-11-26T08:00:00Z", "Anna Berg 2026-12-01T09:00:00Z", "Jan Kowalski 2026-12-02T09:00:00Z",
            "Sara Nyström 2026-12-03T08:00:00Z",
        ])
        let anna = try #require(try await rapport.meetings.meetings(from: now, limit: 10).first { $0.contactName == "Anna Berg" })
        let jan = try #require(try await rapport.meetings.meetings(from: now, limit: 10).first { $0.contactName == "Jan Kowalski" })
        var keys = try await waiting(rapport)
        #expect(keys.contains("prep-m\(anna.id)-20261201") && keys.contains("reminder-m\(anna.id)-20261201") && keys.contains("prep-m\(jan.id)-20261202"))

        // The feed changes: Anna's meeting moves, Jan's is cancelled, Nils's is new.
        let later = now.addingTimeInterval(3600)
        let again = try await services(at: later, folder: folder)
        server.enqueue(.respond(status: 200, headers: ["ETag": "\"v2\""], body: Self.feed(anna: "20261203T150000", janCancelled: true, nils: true)))
        let second = try #require(try await again.calendars.sync(now: later).first)
        guard case .read(let changed, _, _) = second.outcome else { Issue.record("not read: \(second.outcome)"); return }
        #expect(changed == CalendarSyncResult(added: 1, moved: 1, cancelled: 1, unchanged: 2))
        #expect(server.requests.last?.headers["if-none-match"] == "\"v1\"")
        #expect(try await upcoming(again, from: later) == [
            "Sara Nyström 2026-11-26T08:00:00Z", "Sara Nyström 2026-12-03T08:00:00Z", "Anna Berg 2026-12-03T14:00:00Z",
            "Nils Holm 2026-12-04T13:00:00Z",
        ])
        keys = try await waiting(again)
        #expect(keys.contains("reminder-m\(anna.id)-20261203") && !keys.contains("reminder-m\(anna.id)-20261201"), "the nudges moved with it")
        #expect(!keys.contains { $0.contains("m\(jan.id)") }, "the cancelled meeting's nudges are gone")
        #expect(keys.contains { $0.hasPrefix("prep-") && $0.hasSuffix("-20261204") })
        // What the calendar says stays in the store, and out of every message.
        let event = try #require(try await again.store.calendars.calendarEvent(meetingID: anna.id, owner: .local))
        #expect(event.description == "Private agenda for Anna Berg" && event.attendees.count == 2)
        for entry in try await again.outbox.entries(statuses: [.pending]) {
            #expect(!entry.payload.contains("agenda") && !entry.payload.contains("Pipeline") && !entry.payload.contains("Anna"), "\(entry.payload)")
        }
    }

    @Test func aNotModifiedAnswerCostsNoParse() async throws {
        let server = try LoopbackHTTPServer()
        let folder = TemporaryDirectory()
        let rapport = try await services(at: now, folder: folder)
        server.enqueue(.respond(status: 200, headers: ["ETag": "\"abc\"", "Last-Modified": "Mon, 23 Nov 2026 08:00:00 GMT"], body: Self.feed()))
        _ = try await rapport.calendars.add(server.url + "/feed.ics", name: "work", now: now)
        let later = now.addingTimeInterval(1800)
        server.enqueue(.respond(status: 304, headers: ["ETag": "\"abc\""]))
        let read = try #require(try await rapport.calendars.sync(now: later).first)
        guard case .unchanged = read.outcome else { Issue.record("expected unchanged, got \(read.outcome)"); return }
        #expect(server.requests.last?.headers["if-none-match"] == "\"abc\"")
        #expect(server.requests.last?.headers["if-modified-since"] == "Mon, 23 Nov 2026 08:00:00 GMT")
        #expect(read.feed.lastReadAt == now, "the last read is still the one that parsed")
        #expect(read.feed.lastCheckedAt == later && read.feed.lastError == nil && read.feed.meetingCount == 4)
        #expect(try await upcoming(rapport, from: now).count == 4)
    }

    @Test(arguments: ["too large", "slow", "malformed", "gone"])
    func aFeedThatCannotBeReadIsReportedAndLeavesTheLastGoodState(_ trouble: String) async throws {
        let server = try LoopbackHTTPServer()
        let folder = TemporaryDirectory()
        let rapport = try await services(at: now, folder: folder)
        server.enqueue(.respond(status: 200, headers: ["ETag": "\"v1\""], body: Self.feed()))
        _ = try await rapport.calendars.add(server.url + "/feed.ics", name: "work", now: now)
        let before = try await upcoming(rapport, from: now)
        let nudges = try await waiting(rapport)

        let expected: String
        switch trouble {
        case "too large":
            server.enqueue(.respond(status: 200, body: Self.feed(anna: "20261203T150000") + String(repeating: "X-PAD:" + String(repeating: "x", count: 1000) + "\r\n", count: 100)))
            expected = "the answer was larger than 51 KB, so it was not read"
        case "slow":
            server.enqueue(.slow(seconds: 3))
            expected = "it did not answer within 1 s (calendar.timeout_seconds)"
        case "malformed":
            server.enqueue(.respond(status: 200, headers: ["Content-Type": "text/html"], body: "<html><body>Sign in to continue</body></html>"))
            expected = "what came back is not an iCalendar feed (it has no BEGIN:VCALENDAR)"
        default:
            server.enqueue(.respond(status: 404, body: "Not Found"))
            expected = "the server has no calendar there (404)"
        }
        let later = now.addingTimeInterval(3600)
        let clock = ContinuousClock()
        let started = clock.now
        let read = try #require(try await rapport.calendars.sync(now: later).first)
        #expect(clock.now - started < .seconds(3), "a slow feed is given up on at the timeout")
        guard case .failed(let reason) = read.outcome else { Issue.record("expected a failure, got \(read.outcome)"); return }
        #expect(reason.hasPrefix(expected), "\(reason)")
        #expect(read.feed.lastError == reason && read.feed.lastCheckedAt == later && read.feed.lastReadAt == now)
        #expect(try await upcoming(rapport, from: now) == before)
        #expect(try await waiting(rapport) == nudges)
    }

    @Test func aFeedIsReadAgainOnlyWhenItsRefreshIsDue() async throws {
        let server = try LoopbackHTTPServer()
        let folder = TemporaryDirectory()
        let rapport = try await services(at: now, folder: folder)
        server.enqueue(.respond(status: 200, headers: ["ETag": "\"v1\""], body: Self.feed()))
        _ = try await rapport.calendars.add(server.url + "/feed.ics", name: "work", now: now)
        #expect(try await rapport.calendars.syncDue(now: now.addingTimeInterval(10 * 60)).isEmpty)
        server.enqueue(.respond(status: 304))
        #expect(try await rapport.calendars.syncDue(now: now.addingTimeInterval(31 * 60)).count == 1)
        #expect(server.requests.count == 2)
    }

    @Test func aSourceIsASecretShownAsSchemeAndHost() async throws {
        #expect(CalendarService.shown("https://calendar.google.com/calendar/ical/ada%40firma.se/private-0123abcd/basic.ics") == "https://calendar.google.com/…")
        #expect(CalendarService.shown("env:WORK_CALENDAR") == "env:WORK_CALENDAR")
        let folder = TemporaryDirectory()
        let settings = try TestServices.settings(store: folder.path("rapport.sqlite"), now: now)
        let rapport = try await RapportServices.open(settings)
        await #expect(throws: (any Error).self) { try await rapport.calendars.add("env:RAPPORT_TEST_UNSET_CALENDAR", name: nil, now: now) }
        await #expect(throws: (any Error).self) { try await rapport.calendars.add("ftp://example.com/cal.ics", name: nil, now: now) }
        await #expect(throws: (any Error).self) { try await rapport.calendars.add(folder.path("missing.ics"), name: nil, now: now) }
    }
}
