import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The reader's fast paths give what the slow ones give: a series with COUNT counted up to the
/// window in closed form, and descriptions read from the feed's bytes only when asked for.
/// Also BYWEEKNO (RFC 5545 3.3.10), which yearly rules may use.
struct CalendarRecurrenceTests {
    private let stockholm = Fixtures.stockholm

    private func calendar(_ body: String) -> [UInt8] {
        Array(("BEGIN:VCALENDAR\nVERSION:2.0\n" + body + "\nEND:VCALENDAR\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    private func series(_ start: String, _ rule: String, _ more: String...) -> String {
        (["BEGIN:VEVENT", "UID:s", "DTSTART:\(start)", "RRULE:\(rule)"] + more + ["END:VEVENT"]).joined(separator: "\n")
    }

    /// Starts inside a window, as UTC text; budgets wide enough for years of a daily series.
    private func starts(_ body: String, from: String, to: String) -> [String] {
        var limits = CalendarLimits()
        limits.expansion.occurrencesPerRule = 1_000_000
        limits.maxOccurrences = 1_000_000
        let document = ICalendarParser().parse(calendar(body))
        let window = DateInterval(start: Fixtures.moment(from), end: Fixtures.moment(to))
        return CalendarExpansion(timeZone: stockholm, limits: limits).occurrences(of: document, in: window).occurrences
            .map { $0.start.formatted(Date.ISO8601FormatStyle()) }
    }

    @Test func aSeriesWithCountFromYearsBackHasTheOccurrencesSteppingFromItsStartGives() {
        // DTSTART a Wednesday in 2019, so a rule on other days begins with a short first week.
        let rules = [
            "FREQ=WEEKLY;COUNT=400;BYDAY=FR", "FREQ=WEEKLY;INTERVAL=2;COUNT=200;BYDAY=MO,TH;WKST=SU", "FREQ=WEEKLY;COUNT=373;BYDAY=MO,FR",
            "FREQ=WEEKLY;COUNT=800;BYDAY=MO,TU,WE;BYSETPOS=-1", "FREQ=DAILY;COUNT=2640", "FREQ=DAILY;INTERVAL=3;COUNT=900;BYHOUR=9,15",
            "FREQ=HOURLY;INTERVAL=7;COUNT=8000", "FREQ=MONTHLY;COUNT=88", "FREQ=MONTHLY;COUNT=100;BYDAY=-1FR", "FREQ=YEARLY;COUNT=8",
            "FREQ=WEEKLY;COUNT=10;BYDAY=TU", "FREQ=WEEKLY;UNTIL=20260320T000000Z;BYDAY=MO,WE",
        ]
        for rule in rules {
            let body = series("20190612T080000Z", rule, "EXDATE:20260325T080000Z")
            let stepped = starts(body, from: "2019-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z").filter { $0 >= "2026-03-01" && $0 < "2026-04-01" }
            let skipped = starts(body, from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z")
            #expect(skipped == stepped, "\(rule)")
        }
        #expect(!starts(series("20190612T080000Z", "FREQ=WEEKLY;COUNT=400;BYDAY=FR"), from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z").isEmpty)
        // Counted by hand: the 110th Friday from 5 January 2024 is 6 February 2026, and the last.
        #expect(starts(series("20240105T100000Z", "FREQ=WEEKLY;COUNT=110"), from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z")
            == ["2026-02-06T10:00:00Z"])
    }

    @Test func weekNumbersOfTheYearAreReadAsRFC5545Says() {
        // The RFC's example: Monday of week number 20, forever.
        let may = series("19970512T090000", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO").replacingOccurrences(of: "DTSTART:", with: "DTSTART;TZID=America/New_York:")
        #expect(starts(may, from: "1997-01-01T00:00:00Z", to: "2000-01-01T00:00:00Z")
            == ["1997-05-12T13:00:00Z", "1998-05-11T13:00:00Z", "1999-05-17T13:00:00Z"])
        // Week 1 is the week with 4 January: its Monday may be in the year before. -1 is the last week.
        #expect(starts(series("20240101T090000Z", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO"), from: "2024-01-01T00:00:00Z", to: "2026-01-31T00:00:00Z")
            == ["2024-01-01T09:00:00Z", "2024-12-30T09:00:00Z", "2025-12-29T09:00:00Z"])
        #expect(starts(series("20250101T090000Z", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU"), from: "2025-01-01T00:00:00Z", to: "2026-01-31T00:00:00Z")
            == ["2025-01-01T09:00:00Z", "2025-12-28T09:00:00Z"])
        // Without BYDAY the week's day is DTSTART's (a Thursday here).
        #expect(starts(series("20260101T090000Z", "FREQ=YEARLY;BYWEEKNO=10"), from: "2026-01-02T00:00:00Z", to: "2028-01-01T00:00:00Z")
            == ["2026-03-05T09:00:00Z", "2027-03-11T09:00:00Z"])
        #expect(throws: RecurrenceRule.RuleError.self) { try RecurrenceRule.parse("FREQ=MONTHLY;BYWEEKNO=3").get() }
        #expect(throws: RecurrenceRule.RuleError.self) { try RecurrenceRule.parse("FREQ=YEARLY;BYWEEKNO=54").get() }
    }

    @Test func descriptionsReadLaterAreTheOnesReadAtOnce() {
        let text = [
            "BEGIN:VEVENT", "UID:a", "DTSTART:20260310T130000Z",
            // Folded inside a two-byte letter, with a quoted parameter holding ':' and an escape across a fold.
            "description;ALTREP=\"cid:part1@example.org\";LANGUAGE=sv:Dagordning f\u{C3}", " \u{B6}r m\u{C3}\u{B6}tet\\", " , punkt ett\\nsedan tv\u{C3}\u{A5}",
            "END:VEVENT",
            "BEGIN:VEVENT", "UID:b", "DTSTART:20260311T130000Z", "DESCRIPTION:Kort\\; en rad", "END:VEVENT",
            "BEGIN:VEVENT", "UID:c", "DTSTART:20260312T130000Z", "DESCRIPTION:", "END:VEVENT",
        ].joined(separator: "\r\n")
        // Built from bytes, not from a Swift string: the fold splits a character.
        var bytes = Array("BEGIN:VCALENDAR\r\n".utf8)
        for scalar in text.unicodeScalars { bytes.append(scalar.value < 256 ? UInt8(scalar.value) : 63) }
        bytes += Array("\r\nEND:VCALENDAR\r\n".utf8)
        let later = ICalendarParser().parse(bytes).events.map(\.description)
        let atOnce = bytes.withUnsafeBufferPointer { ICalendarParser().parse($0) }.events.map(\.description)
        #expect(later == ["Dagordning för mötet, punkt ett\nsedan två", "Kort; en rad", ""])
        #expect(later == atOnce)
    }
}
