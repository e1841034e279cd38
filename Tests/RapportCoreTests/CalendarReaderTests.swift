import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The RFC 5545 reader piece by piece: lines, values, zones, rules, what counts as a meeting,
/// and what a hostile or broken feed costs.
struct CalendarReaderTests {
    private let stockholm = Fixtures.stockholm

    private func calendar(_ body: String, eol: String = "\r\n") -> [UInt8] {
        Array(("BEGIN:VCALENDAR\nVERSION:2.0\n" + body + "\nEND:VCALENDAR\n").replacingOccurrences(of: "\n", with: eol).utf8)
    }

    private func event(_ lines: String...) -> String {
        (["BEGIN:VEVENT"] + lines + ["END:VEVENT"]).joined(separator: "\n")
    }

    private func starts(_ body: String, from: String = "2026-01-01T00:00:00Z", to: String = "2027-01-01T00:00:00Z") -> [String] {
        let document = ICalendarParser().parse(calendar(body))
        let window = DateInterval(start: Fixtures.moment(from), end: Fixtures.moment(to))
        return CalendarExpansion(timeZone: stockholm).occurrences(of: document, in: window).occurrences.filter { !$0.cancelled }
            .map { $0.start.formatted(Date.ISO8601FormatStyle()) }
    }

    @Test func foldedLinesEscapesAndQuotedParametersAreRead() {
        let text = """
            BEGIN:VEVENT
            UID:a
            DTSTART:20260310T130000Z
            SUMMARY:Lunch\\, then a walk\\; bring shoes\\nand a c
             oat\\\\umbrella
            DESCRIPTION:one
            \ttwo
            ATTENDEE;CN="Berg, Anna: CFO";DELEGATED-FROM="mailto:a@x.se","mailto:b@x.se";PARTSTAT=accepted:MAILTO:Anna.Berg%40kund.se
            END:VEVENT
            """
        for eol in ["\r\n", "\n"] {
            let document = ICalendarParser().parse(calendar(text, eol: eol))
            let event = try! #require(document.events.first)
            #expect(event.summary == "Lunch, then a walk; bring shoes\nand a coat\\umbrella")
            #expect(event.description == "onetwo")
            #expect(event.attendees == [CalendarAttendee(email: "anna.berg@kund.se", name: "Berg, Anna: CFO", status: "ACCEPTED")])
            #expect(document.warnings.isEmpty)
        }
    }

    @Test func timesAreUTCFloatingZonedOrDays() {
        // Floating: the person's zone (Stockholm, +01:00 in March); a TZID by IANA name, by Windows
        // name (also its display name), inside a /mozilla.org/ prefix; a day.
        let body = [
            event("UID:utc", "DTSTART:20260310T130000Z"),
            event("UID:floating", "DTSTART:20260310T130000"),
            event("UID:iana", "DTSTART;TZID=America/New_York:20260310T130000"),
            event("UID:windows", "DTSTART;TZID=\"Pacific Standard Time\":20260310T130000"),
            event("UID:display", "DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20260310T130000"),
            event("UID:mozilla", "DTSTART;TZID=/mozilla.org/20050126_1/Asia/Tokyo:20260310T130000"),
            event("UID:day", "DTSTART;VALUE=DATE:20260310"),
        ].joined(separator: "\n")
        let document = ICalendarParser().parse(calendar(body))
        let window = DateInterval(start: Fixtures.moment("2026-03-09T00:00:00Z"), end: Fixtures.moment("2026-03-12T00:00:00Z"))
        let found = Dictionary(uniqueKeysWithValues: CalendarExpansion(timeZone: stockholm).occurrences(of: document, in: window).occurrences.map {
            ($0.uid, $0.start.formatted(Date.ISO8601FormatStyle()))
        })
        #expect(found == [
            "utc": "2026-03-10T13:00:00Z", "floating": "2026-03-10T12:00:00Z", "iana": "2026-03-10T17:00:00Z", "windows": "2026-03-10T20:00:00Z",
            "display": "2026-03-10T12:00:00Z", "mozilla": "2026-03-10T04:00:00Z", "day": "2026-03-09T23:00:00Z",
        ])
    }

    @Test func aTimeSkippedOrRepeatedBySummerTimeIsReadAsRFC5545Says() {
        // 02:30 on 29 March 2026 does not exist in Stockholm: read with the offset before the gap
        // (+01:00), so 01:30Z. 02:30 on 25 October happens twice: the first, at +02:00.
        let body = [
            event("UID:gap", "DTSTART;TZID=Europe/Stockholm:20260329T023000"),
            event("UID:twice", "DTSTART;TZID=Europe/Stockholm:20261025T023000"),
        ].joined(separator: "\n")
        #expect(starts(body) == ["2026-03-29T01:30:00Z", "2026-10-25T00:30:00Z"])
    }

    @Test func aDailySeriesKeepsItsWallClockAcrossSummerTimeAndDurationsCountDays() {
        let body = event("UID:d", "DTSTART;TZID=Europe/Stockholm:20260327T090000", "DURATION:P1DT1H", "RRULE:FREQ=DAILY;COUNT=4")
        let document = ICalendarParser().parse(calendar(body))
        let window = DateInterval(start: Fixtures.moment("2026-03-01T00:00:00Z"), end: Fixtures.moment("2026-04-30T00:00:00Z"))
        let occurrences = CalendarExpansion(timeZone: stockholm).occurrences(of: document, in: window).occurrences
        let utc = Date.ISO8601FormatStyle()
        #expect(occurrences.map { $0.start.formatted(utc) } == ["2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"])
        // P1D is a day on the wall clock (10:00 the next day), not 24 hours.
        #expect(occurrences[1].end.formatted(utc) == "2026-03-29T08:00:00Z")
    }

    @Test func theCalendarsZoneReadsItsFloatingTimes() {
        let text = "X-WR-TIMEZONE:America/New_York\n" + event("UID:f", "DTSTART:20260310T090000")
        let document = ICalendarParser().parse(calendar(text))
        #expect(document.defaultTimeZone == "America/New_York")
        let window = DateInterval(start: Fixtures.moment("2026-03-01T00:00:00Z"), end: Fixtures.moment("2026-04-01T00:00:00Z"))
        #expect(CalendarExpansion(timeZone: stockholm).occurrences(of: document, in: window).occurrences.map(\.start) == [Fixtures.moment("2026-03-10T13:00:00Z")])
    }

    @Test func badInputIsWarnedAboutWithItsLineAndTheRestIsRead() {
        let body = """
            BEGIN:VEVENT
            UID:no-start
            SUMMARY:No start
            DTSTART:2026-03-10
            END:VEVENT
            BEGIN:VEVENT
            UID:bad-rule
            DTSTART:20260310T090000Z
            RRULE:FREQ=FORTNIGHTLY
            END:VEVENT
            this line has no colon
            BEGIN:VEVENT
            UID:unknown-zone
            DTSTART;TZID=Mars/Olympus_Mons:20260311T090000
            END:VEVENT
            BEGIN:VEVENT
            UID:unclosed
            DTSTART:20260312T090000Z
            BEGIN:VEVENT
            UID:good
            DTSTART:20260313T090000Z
            END:VEVENT
            """
        let document = ICalendarParser().parse(calendar(body))
        // Line numbers count from the file's first line (BEGIN:VCALENDAR, VERSION come first).
        #expect(document.warnings.sorted { $0.line < $1.line }.map(\.description) == [
            "line 3: an event without a DTSTART was left out ('No start')",
            "line 6: DTSTART '2026-03-10' is not a date or time",
            "line 11: RRULE: FREQ=FORTNIGHTLY is not a frequency; only the first occurrence is read",
            "line 13: 'this line has no colon' is not a NAME:value line",
            "line 18: BEGIN:VEVENT is not closed before the next one (line 21); it was read up to there",
        ])
        #expect(document.events.map(\.uid) == ["bad-rule", "unknown-zone", "unclosed", "good"])
        let window = DateInterval(start: Fixtures.moment("2026-03-01T00:00:00Z"), end: Fixtures.moment("2026-04-01T00:00:00Z"))
        let result = CalendarExpansion(timeZone: stockholm).occurrences(of: document, in: window)
        #expect(result.occurrences.map(\.uid) == ["bad-rule", "unknown-zone", "unclosed", "good"])
        #expect(result.warnings.map(\.description) == ["line 14: the time zone 'Mars/Olympus_Mons' is unknown; its times were read in Europe/Stockholm"])
    }

    @Test func aHostileFeedIsReadWithinItsBudgets() {
        var limits = CalendarLimits()
        limits.maxEvents = 1_000
        limits.maxLineBytes = 64 * 1024
        var text = "BEGIN:VCALENDAR\r\n"
        text += "X-HUGE:" + String(repeating: "x", count: 200_000) + "\r\n"  // a line too long: skipped
        text += String(repeating: "BEGIN:VALARM\r\n", count: 5_000)  // nested far too deep
        text += String(repeating: "END:VALARM\r\n", count: 5_000)
        // A rule every second since 1970, counted: the budget stops it, not the clock.
        text += "BEGIN:VEVENT\r\nUID:every-second\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=SECONDLY;COUNT=2000000000\r\nEND:VEVENT\r\n"
        // One that never matches (30 February), over every year to 9999.
        text += "BEGIN:VEVENT\r\nUID:never\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=5\r\nEND:VEVENT\r\n"
        text += String(repeating: "BEGIN:VEVENT\r\nUID:many\r\nDTSTART:20260310T090000Z\r\nEND:VEVENT\r\n", count: 2_000)
        let clock = ContinuousClock()
        let started = clock.now
        let document = ICalendarParser(limits: limits).parse(Array(text.utf8))
        let result = CalendarExpansion(timeZone: stockholm, limits: limits)
            .occurrences(of: document, in: DateInterval(start: Fixtures.moment("2026-03-01T00:00:00Z"), end: Fixtures.moment("2026-04-01T00:00:00Z")))
        #expect(clock.now - started < .seconds(5))
        let warnings = (document.warnings + result.warnings).map(\.message)
        #expect(warnings.contains("a line of more than 64 KB was skipped"))
        #expect(warnings.contains { $0.hasPrefix("components nest more than 12 deep") })
        #expect(warnings.contains("the feed has more than 1000 events; the rest was not read"))
        #expect(warnings.contains { $0.hasPrefix("the recurrence of 'every-second' was cut off") })
        #expect(document.events.count == 1_000)
    }

    @Test func recurrenceRulesAreCheckedWhenRead() {
        #expect(throws: RecurrenceRule.RuleError.self) { try RecurrenceRule.parse("FREQ=WEEKLY;BYDAY=XX").get() }
        #expect(throws: RecurrenceRule.RuleError.self) { try RecurrenceRule.parse("FREQ=MONTHLY;BYMONTHDAY=32").get() }
        #expect(throws: RecurrenceRule.RuleError.self) { try RecurrenceRule.parse("FREQ=DAILY;COUNT=3;UNTIL=20260101").get() }
        #expect(throws: RecurrenceRule.RuleError.self) { try RecurrenceRule.parse("INTERVAL=2").get() }
        let rule = try! RecurrenceRule.parse("freq=monthly;byday=1MO,-1FR,+2TU;interval=99999999999999;wkst=SU").get()
        #expect(rule.byDay.map(\.ordinal) == [1, -1, 2])
        #expect(rule.interval == 1_000_000)
        #expect(rule.weekStart == 7)
    }

    @Test func meetingsAreTimedWithSomeoneFromOutsideWhoHasNotDeclined() {
        let me = "ATTENDEE;PARTSTAT=ACCEPTED;CN=Ada:mailto:ada@firma.se"
        let body = [
            event("UID:outside", "DTSTART:20260310T090000Z", "SUMMARY:With Anna", me, "ATTENDEE;CN=Anna Berg:mailto:anna@kund.se"),
            event("UID:colleague", "DTSTART:20260310T100000Z", me, "ATTENDEE;CN=Bo:mailto:bo@sales.firma.se"),
            event("UID:room", "DTSTART:20260310T110000Z", me, "ATTENDEE;CUTYPE=ROOM;CN=Vänern:mailto:vanern@rooms.example"),
            event("UID:i-declined", "DTSTART:20260310T120000Z", "ATTENDEE;PARTSTAT=DECLINED:mailto:ada@firma.se", "ATTENDEE;CN=Jan:mailto:jan@x.pl"),
            event("UID:they-declined", "DTSTART:20260310T130000Z", me, "ATTENDEE;PARTSTAT=DECLINED;CN=Jan:mailto:jan@x.pl"),
            event("UID:cancelled", "DTSTART:20260310T140000Z", "STATUS:CANCELLED", "ATTENDEE;CN=Jan:mailto:jan@x.pl"),
            event("UID:all-day", "DTSTART;VALUE=DATE:20260311", "ATTENDEE;CN=Jan:mailto:jan@x.pl"),
            event("UID:address-only", "DTSTART:20260312T090000Z", "ORGANIZER:mailto:lukasz.wojcik@krakow-dev.pl"),
            event("UID:outlook-name", "DTSTART:20260312T100000Z", "ATTENDEE;CN=\"Holm, Søren\":mailto:soren@x.dk"),
        ].joined(separator: "\n")
        let window = DateInterval(start: Fixtures.moment("2026-03-09T00:00:00Z"), end: Fixtures.moment("2026-03-23T00:00:00Z"))
        let reading = CalendarReading(calendar(body), window: window, timeZone: stockholm, own: OwnAddresses(["ada@firma.se", "firma.se"]))
        #expect(reading.meetings.map { "\($0.uid): \($0.contactName)" } == ["outside: Anna Berg", "address-only: Lukasz Wojcik", "outlook-name: Søren Holm"])
        #expect(reading.meetings[0].contactEmail == "anna@kund.se")
        #expect(reading.meetings[0].title == "With Anna")
    }
}
