import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// A date that changes an earlier one (a snoozed follow-up, an answer given again after `back`)
/// keeps what the new words leave out.
struct WhenChangingTests {
    private func parse(_ text: String, changing previous: WhenValue?) -> WhenValue? {
        WhenParser(words: Fixtures.english.dates, now: Fixtures.monday, timeZone: Fixtures.stockholm).parse(text, changing: previous)
    }

    private func at(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: true) }
    private func day(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: false) }

    @Test func aDayAloneKeepsTheTimeOfDay() {
        let due = at("2026-11-25T15:00:00+01:00")
        #expect(parse("in a week", changing: due) == at("2026-11-30T15:00:00+01:00"))
        #expect(parse("friday", changing: due) == at("2026-11-27T15:00:00+01:00"))
        #expect(parse("2026-12-10", changing: due) == at("2026-12-10T15:00:00+01:00"))
        #expect(parse("friday 9:00", changing: due) == at("2026-11-27T09:00:00+01:00"), "a time said is the time")
    }

    @Test func aDayAloneStaysADayWhenTheTimeKeptHasPassedOrThereWasNone() {
        // Monday 10:00: today at 09:00 has passed.
        #expect(parse("today", changing: at("2026-11-20T09:00:00+01:00")) == day("2026-11-23T00:00:00+01:00"))
        #expect(parse("in a week", changing: day("2026-11-25T00:00:00+01:00")) == day("2026-11-30T00:00:00+01:00"))
    }

    @Test func aTimeAloneKeepsTheDayUnlessItHasPassed() {
        #expect(parse("16:30", changing: at("2026-11-27T15:00:00+01:00")) == at("2026-11-27T16:30:00+01:00"))
        #expect(parse("at 4", changing: day("2026-11-27T00:00:00+01:00")) == at("2026-11-27T16:00:00+01:00"))
        // An overdue follow-up moved to a time: today's, as without an earlier date.
        #expect(parse("16:30", changing: at("2026-11-20T15:00:00+01:00")) == at("2026-11-23T16:30:00+01:00"))
    }

    @Test func withoutAnEarlierDateNothingChanges() {
        #expect(parse("in a week", changing: nil) == day("2026-11-30T00:00:00+01:00"))
        #expect(parse("16:30", changing: nil) == at("2026-11-23T16:30:00+01:00"))
    }
}
