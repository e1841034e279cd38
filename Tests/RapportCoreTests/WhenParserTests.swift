import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct WhenParserTests {
    private func parse(_ text: String, at now: String = "2026-11-23T10:00:00+01:00", zone: TimeZone = Fixtures.stockholm) -> WhenValue? {
        WhenParser(words: Fixtures.english.dates, now: Fixtures.moment(now), timeZone: zone).parse(text)
    }

    private func at(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: true) }
    private func day(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: false) }

    @Test(arguments: [
        ("tomorrow 14:00", "2026-11-24T14:00:00+01:00"),
        ("Tomorrow at 2pm", "2026-11-24T14:00:00+01:00"),
        ("fri 9:30", "2026-11-27T09:30:00+01:00"),
        ("Friday 9.30", "2026-11-27T09:30:00+01:00"),
        ("on friday at 9:30am", "2026-11-27T09:30:00+01:00"),
        ("2026-12-01 10:00", "2026-12-01T10:00:00+01:00"),
        ("2026-12-01T10:00", "2026-12-01T10:00:00+01:00"),
        ("today 3pm", "2026-11-23T15:00:00+01:00"),
        ("11:00", "2026-11-23T11:00:00+01:00"),
        ("at 14", "2026-11-23T14:00:00+01:00"),
        ("noon tomorrow", "2026-11-24T12:00:00+01:00"),
        ("12am tomorrow", "2026-11-24T00:00:00+01:00"),
        ("in 2 hours", "2026-11-23T12:00:00+01:00"),
        ("in 90 min", "2026-11-23T11:30:00+01:00"),
        ("dec 4 10:00", "2026-12-04T10:00:00+01:00"),
        ("4 december 2026 08:15", "2026-12-04T08:15:00+01:00"),
    ])
    func readsMomentsWithTimes(text: String, expected: String) {
        #expect(parse(text) == at(expected))
    }

    @Test(arguments: [
        ("in 3 days", "2026-11-26T00:00:00+01:00"),
        ("in a week", "2026-11-30T00:00:00+01:00"),
        ("next week", "2026-11-30T00:00:00+01:00"),
        ("in 2 weeks", "2026-12-07T00:00:00+01:00"),
        ("4 dec", "2026-12-04T00:00:00+01:00"),
        ("4th of december", "2026-12-04T00:00:00+01:00"),
        ("4.12.", "2026-12-04T00:00:00+01:00"),
        ("4/12", "2026-12-04T00:00:00+01:00"),
        ("day after tomorrow", "2026-11-25T00:00:00+01:00"),
        ("tomorrow", "2026-11-24T00:00:00+01:00"),
        ("thursday", "2026-11-26T00:00:00+01:00"),
    ])
    func readsDaysWithoutTimes(text: String, expected: String) {
        #expect(parse(text) == day(expected))
    }

    @Test func aTimeThatHasPassedTodayMeansTomorrow() {
        #expect(parse("9:00") == at("2026-11-24T09:00:00+01:00"))
    }

    @Test func theSameWeekdayMeansTodayOnlyWhenTheTimeIsStillAhead() {
        // Monday 10:00.
        #expect(parse("mon 11:00") == at("2026-11-23T11:00:00+01:00"))
        #expect(parse("mon 9:00") == at("2026-11-30T09:00:00+01:00"))
        #expect(parse("monday") == day("2026-11-30T00:00:00+01:00"))
        #expect(parse("next mon 11:00") == at("2026-11-30T11:00:00+01:00"))
    }

    @Test func aDateThatHasPassedThisYearMeansNextYear() {
        #expect(parse("15 nov") == day("2027-11-15T00:00:00+01:00"))
        #expect(parse("1 jan 9:00") == at("2027-01-01T09:00:00+01:00"))
    }

    @Test func crossesMonthEnds() {
        let now = "2026-01-31T10:00:00+01:00"
        #expect(parse("tomorrow 9:00", at: now) == at("2026-02-01T09:00:00+01:00"))
        #expect(parse("in 1 month", at: now) == day("2026-02-28T00:00:00+01:00"))
        #expect(parse("in 3 days", at: now) == day("2026-02-03T00:00:00+01:00"))
    }

    @Test func crossesYearEnds() {
        let now = "2026-12-31T15:00:00+01:00"
        #expect(parse("tomorrow 9:00", at: now) == at("2027-01-01T09:00:00+01:00"))
        #expect(parse("in 3 days", at: now) == day("2027-01-03T00:00:00+01:00"))
        #expect(parse("fri 10:00", at: now) == at("2027-01-01T10:00:00+01:00"))
    }

    @Test func knowsLeapDays() {
        #expect(parse("tomorrow", at: "2028-02-28T10:00:00+01:00") == day("2028-02-29T00:00:00+01:00"))
        #expect(parse("29 feb", at: "2026-11-23T10:00:00+01:00") == nil)  // 2027 has none
        #expect(parse("29 feb 2028") == day("2028-02-29T00:00:00+01:00"))
    }

    @Test func keepsTheWallClockAcrossTheSpringDaylightSavingChange() {
        // Stockholm moves from +01:00 to +02:00 at 02:00 on Sunday 29 March 2026.
        let saturday = "2026-03-28T10:00:00+01:00"
        #expect(parse("tomorrow 14:00", at: saturday) == at("2026-03-29T14:00:00+02:00"))
        #expect(parse("in 1 day", at: saturday) == day("2026-03-29T00:00:00+01:00"))
        #expect(parse("mon 9:00", at: saturday) == at("2026-03-30T09:00:00+02:00"))
        // Hours are elapsed time, not wall-clock time.
        #expect(parse("in 24 hours", at: saturday) == at("2026-03-29T11:00:00+02:00"))
    }

    @Test func keepsTheWallClockAcrossTheAutumnDaylightSavingChange() {
        // Stockholm moves from +02:00 to +01:00 at 03:00 on Sunday 25 October 2026.
        let saturday = "2026-10-24T10:00:00+02:00"
        #expect(parse("tomorrow 10:00", at: saturday) == at("2026-10-25T10:00:00+01:00"))
        #expect(parse("in 2 days", at: saturday) == day("2026-10-26T00:00:00+01:00"))
    }

    @Test func usesTheGivenTimeZone() {
        let newYork = TimeZone(identifier: "America/New_York")!
        #expect(parse("tomorrow 9:00", at: "2026-11-23T10:00:00-05:00", zone: newYork) == at("2026-11-24T09:00:00-05:00"))
    }

    @Test(arguments: ["", "blah", "31 feb", "25:00", "9:75", "when pigs fly", "fri blah", "2026-13-01", "in days", "tomorrow friday"])
    func refusesWhatItCannotRead(text: String) {
        #expect(parse(text) == nil)
    }

    /// Numbers no one means in a date, which would overflow the arithmetic (a trap would stop
    /// `rapport serve` for everyone): refused, not read.
    @Test(arguments: [
        "in 9223372036854775807 hours", "in 999999999999999 weeks", "999999999999 days ago", "in 9999999999 months",
        "1/1/9223372036854775807", "4 dec 99999999999999", "2026-01-99999999999999999", "99999999999:00", "31/12/99999",
    ])
    func refusesNumbersTooLargeForADate(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func stillReadsTheLargestSensibleNumbers() {
        #expect(parse("in 99999 days") != nil)
        #expect(parse("4 dec 2030") == day("2030-12-04T00:00:00+01:00"))
        #expect(parse("31/12/2027") == day("2027-12-31T00:00:00+01:00"))
    }
}

/// "When did you meet?": the same words, read backwards.
struct WhenParserLookingBackTests {
    private func parse(_ text: String, lookingBack: Bool = true) -> WhenValue? {
        WhenParser(words: Fixtures.english.dates, now: Fixtures.moment("2026-11-25T10:00:00+01:00"), timeZone: Fixtures.stockholm, lookingBack: lookingBack).parse(text)
    }

    private func at(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: true) }
    private func day(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: false) }

    // Wednesday 25 November 2026, 10:00.
    @Test(arguments: [
        ("yesterday", "2026-11-24T00:00:00+01:00"),
        ("monday", "2026-11-23T00:00:00+01:00"),
        ("last mon", "2026-11-23T00:00:00+01:00"),
        ("wednesday", "2026-11-25T00:00:00+01:00"),
        ("last wednesday", "2026-11-18T00:00:00+01:00"),
        ("3 days ago", "2026-11-22T00:00:00+01:00"),
        ("a week ago", "2026-11-18T00:00:00+01:00"),
        ("last week", "2026-11-18T00:00:00+01:00"),
        ("4 dec", "2025-12-04T00:00:00+01:00"),
        ("20 nov", "2026-11-20T00:00:00+01:00"),
    ])
    func readsDaysBackwards(text: String, expected: String) {
        #expect(parse(text) == day(expected))
    }

    @Test func readsTimesBackwards() {
        #expect(parse("yesterday 14:00") == at("2026-11-24T14:00:00+01:00"))
        #expect(parse("9:00") == at("2026-11-25T09:00:00+01:00"))
        #expect(parse("11:00") == at("2026-11-24T11:00:00+01:00"))
        #expect(parse("wed 11:00") == at("2026-11-18T11:00:00+01:00"))
        #expect(parse("2 hours ago") == at("2026-11-25T08:00:00+01:00"))
    }

    @Test func yesterdayAndAgoWorkLookingForwardToo() {
        #expect(parse("yesterday", lookingBack: false) == day("2026-11-24T00:00:00+01:00"))
        #expect(parse("monday", lookingBack: false) == day("2026-11-30T00:00:00+01:00"))
    }
}
