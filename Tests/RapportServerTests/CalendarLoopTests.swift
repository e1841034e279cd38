import Foundation
import Logging
import RapportApp
import RapportAppTestSupport
@testable import RapportServer
import RapportTestSupport
import Testing

/// `rapport serve` reads calendars on their own schedule: each round reads the feeds whose
/// refresh interval has passed, and a change in the feed moves the meeting.
struct CalendarLoopTests {
    private func feed(_ start: String) -> String {
        [
            "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:anna-1", "DTSTART;TZID=Europe/Stockholm:\(start)", "DURATION:PT1H",
            "ATTENDEE;CN=Anna Berg:mailto:anna@kund.se", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
    }

    @Test func aRoundReadsTheFeedsThatAreDue() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("work.ics")
        try feed("20261201T100000").write(toFile: path, atomically: true, encoding: .utf8)
        let config = "calendar: { mine: [firma.se], refresh_minutes: 30 }\n"
        let start = Fixtures.moment("2026-11-23T10:00:00+01:00")
        let first = try await TestServices.open(store: folder.path("rapport.sqlite"), config: config, now: start)
        _ = try await first.calendars.add(path, name: "work", now: start)

        try feed("20261202T150000").write(toFile: path, atomically: true, encoding: .utf8)
        let soon = try await TestServices.open(store: folder.path("rapport.sqlite"), config: config, now: start.addingTimeInterval(10 * 60))
        await CalendarLoop(every: .seconds(60), services: soon, logger: Logger(label: "test")).round()
        #expect(try await soon.meetings.meetings(from: start, limit: 5).map(\.startsAt) == [Fixtures.moment("2026-12-01T10:00:00+01:00")], "not due yet")

        let later = try await TestServices.open(store: folder.path("rapport.sqlite"), config: config, now: start.addingTimeInterval(31 * 60))
        await CalendarLoop(every: .seconds(60), services: later, logger: Logger(label: "test")).round()
        #expect(try await later.meetings.meetings(from: start, limit: 5).map(\.startsAt) == [Fixtures.moment("2026-12-02T15:00:00+01:00")])
    }
}
