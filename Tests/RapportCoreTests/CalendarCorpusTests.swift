import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The reader against real-shaped exports (Google, Outlook with Windows zone names, Apple,
/// Nextcloud) and the RFC 5545 recurrence examples. The expected occurrences in each
/// `CalendarCorpus/NAME.expected` were computed by another implementation (Python's icalendar
/// and recurring-ical-events over dateutil.rrule and zoneinfo, see scripts/calendar-expected.py),
/// not by this code.
struct CalendarCorpusTests {
    static let corpus = Fixtures.root.appendingPathComponent("Tests/RapportCoreTests/CalendarCorpus")

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var from: String
        var to: String
        var description: String { name }
    }

    static let cases = [
        Case(name: "google", from: "2026-03-02T00:00:00Z", to: "2026-04-13T00:00:00Z"),
        Case(name: "apple", from: "2026-03-02T00:00:00Z", to: "2026-04-13T00:00:00Z"),
        Case(name: "outlook", from: "2026-10-12T00:00:00Z", to: "2026-11-16T00:00:00Z"),
        Case(name: "nextcloud", from: "2026-10-12T00:00:00Z", to: "2026-11-16T00:00:00Z"),
        Case(name: "rfc5545", from: "1997-01-01T00:00:00Z", to: "2001-01-01T00:00:00Z"),
    ]

    static func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name + ".ics")))
    }

    /// An occurrence as the expected files write it: UID, start, end; UTC times or the days of an all-day event.
    static func line(_ occurrence: CalendarOccurrence) -> String {
        let utc = Date.ISO8601FormatStyle()
        if occurrence.allDay {
            let days = Date.ISO8601FormatStyle(timeZone: Fixtures.stockholm).year().month().day()
            return "\(occurrence.uid)\t\(occurrence.start.formatted(days))\t\(occurrence.end.formatted(days))"
        }
        return "\(occurrence.uid)\t\(occurrence.start.formatted(utc))\t\(occurrence.end.formatted(utc))"
    }

    @Test(arguments: cases)
    func occurrencesMatchTheIndependentlyComputedOnes(_ test: Case) throws {
        let document = ICalendarParser().parse(try Self.read(test.name))
        #expect(document.isCalendar)
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        let window = DateInterval(start: Fixtures.moment(test.from), end: Fixtures.moment(test.to))
        let result = CalendarExpansion(timeZone: Fixtures.stockholm).occurrences(of: document, in: window)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let found = result.occurrences.filter { !$0.cancelled }.map(Self.line).sorted()
        let expectedText = try String(contentsOf: Self.corpus.appendingPathComponent(test.name + ".expected"), encoding: .utf8)
        let expected = expectedText.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init).sorted()
        #expect(found.count == expected.count)
        let missing = Set(expected).subtracting(found).sorted()
        let extra = Set(found).subtracting(expected).sorted()
        #expect(missing.isEmpty, "expected but not found:\n\(missing.joined(separator: "\n"))")
        #expect(extra.isEmpty, "found but not expected:\n\(extra.joined(separator: "\n"))")
    }

    @Test func googleGivesTheMeetingsWithPeopleFromOutside() throws {
        let window = DateInterval(start: Fixtures.moment("2026-03-16T00:00:00Z"), end: Fixtures.moment("2026-03-30T00:00:00Z"))
        let reading = CalendarReading(try Self.read("google"), window: window, timeZone: Fixtures.stockholm, own: OwnAddresses(["firma.se"]))
        let meetings = reading.meetings.map { "\($0.contactName) \($0.start.formatted(Date.ISO8601FormatStyle()))" }
        // Not the stand-ups (colleagues only), the offsite (all-day), the webinar (declined), 17 March (EXDATE).
        #expect(meetings == [
            "Sam Carter 2026-03-19T15:00:00Z", "Anna Berg 2026-03-25T13:00:00Z", "Sam Carter 2026-03-26T15:00:00Z",
        ])
        let moved = try #require(reading.meetings.first { $0.contactName == "Anna Berg" })
        #expect(moved.key == "4qk0v8h1m2pipeline@google.com@20260324", "a moved instance keeps the key of the day it was due")
        #expect(moved.title == "Pipeline review with Kund AB (moved)")
        // With no `mine` configured, Google's calendar name is the person's address: the webinar
        // they declined is still no meeting (colleagues, though, are known only by `mine`).
        let week = DateInterval(start: Fixtures.moment("2026-03-09T00:00:00Z"), end: Fixtures.moment("2026-03-16T00:00:00Z"))
        let unconfigured = CalendarReading(try Self.read("google"), window: week, timeZone: Fixtures.stockholm, own: OwnAddresses([]))
        #expect(unconfigured.occurrences.contains { $0.uid == "3e3e3webinar@google.com" })
        #expect(!unconfigured.meetings.contains { $0.uid == "3e3e3webinar@google.com" })
        #expect(unconfigured.meetings.contains { $0.contactName == "Jan Kowalski" })
        #expect(!unconfigured.meetings.contains { $0.contactName == "Ada Lovelace" })
        let series = try #require(reading.document.events.first { $0.uid == "4qk0v8h1m2pipeline@google.com" && $0.recurrenceID == nil })
        #expect(series.description == "Weekly pipeline review.\nAgenda: numbers, blockers; next steps.\n\nJoin with Google Meet: https://meet.google.com/abc-defg-hij")
        #expect(series.location == "Kund AB, Drottninggatan 5, Stockholm")
        #expect(series.attendees.map(\.kind) == ["INDIVIDUAL", "INDIVIDUAL", "RESOURCE"])
    }

    @Test func outlookZonesAndQuotedNamesAreRead() throws {
        let document = ICalendarParser().parse(try Self.read("outlook"))
        let steering = try #require(document.events.first { $0.summary == "Steering group with Partner GmbH" })
        #expect(steering.organizer?.name == "Müller, Klaus")
        #expect(steering.organizer?.email == "klaus.mueller@partner.de")
        #expect(steering.start == .zoned(CivilTime(year: 2026, month: 1, day: 7, hour: 9, minute: 30), tzid: "W. Europe Standard Time"))
        // A fold that cuts a UTF-8 character in two is joined on the bytes, so the character is whole again.
        #expect(document.events.contains { $0.summary == "Supplier check-in mit Herrn Grüner" })
        let window = DateInterval(start: Fixtures.moment("2026-10-12T00:00:00Z"), end: Fixtures.moment("2026-11-16T00:00:00Z"))
        let meetings = CalendarReading(try Self.read("outlook"), window: window, timeZone: Fixtures.stockholm, own: OwnAddresses(["firma.se"])).meetings
        // "Müller, Klaus" as Outlook writes it is Klaus Müller.
        #expect(meetings.map(\.contactName) == ["Klaus Müller", "Klaus Müller", "Olena Kovalenko", "Klaus Müller", "Grüner Ingo", "Klaus Müller", "Jordan Lee"])
        #expect(!meetings.contains { $0.title?.hasPrefix("Canceled") == true }, "a cancelled event is no meeting")
    }
}
