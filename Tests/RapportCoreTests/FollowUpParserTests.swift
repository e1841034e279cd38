import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct FollowUpParserTests {
    private func parse(_ text: String, at now: String = "2026-11-23T10:00:00+01:00", defaultDue: DurationValue? = nil) -> FollowUpValue? {
        let when = WhenParser(words: Fixtures.english.dates, now: Fixtures.moment(now), timeZone: Fixtures.stockholm)
        return FollowUpParser(when: when).parse(text, defaultDue: defaultDue)
    }

    private func day(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: false) }

    @Test(arguments: [
        ("send the proposal by friday", "send the proposal", "2026-11-27T00:00:00+01:00"),
        ("call Anna in 2 weeks", "call Anna", "2026-12-07T00:00:00+01:00"),
        ("Send the deck by Friday.", "Send the deck", "2026-11-27T00:00:00+01:00"),
        ("tomorrow: book the venue", "book the venue", "2026-11-24T00:00:00+01:00"),
        ("introduce her to Jan, next week", "introduce her to Jan", "2026-11-30T00:00:00+01:00"),
        ("email the Monday Group on 4 dec", "email the Monday Group", "2026-12-04T00:00:00+01:00"),
    ])
    func splitsActionAndDueDate(text: String, action: String, due: String) {
        #expect(parse(text) == FollowUpValue(action: action, due: day(due)))
    }

    @Test func keepsATimeWhenOneIsGiven() {
        #expect(parse("call Jan tomorrow 9:00") == FollowUpValue(action: "call Jan", due: WhenValue(date: Fixtures.moment("2026-11-24T09:00:00+01:00"), hasTime: true)))
    }

    @Test func fridaySaidOnAFridayMeansNextFriday() {
        let friday = "2026-11-27T10:00:00+01:00"
        #expect(parse("send it by friday", at: friday) == FollowUpValue(action: "send it", due: day("2026-12-04T00:00:00+01:00")))
        #expect(parse("send it today", at: friday) == FollowUpValue(action: "send it", due: day("2026-11-27T00:00:00+01:00")))
    }

    @Test func withoutADateTheDefaultAppliesOrNothingIsRead() {
        #expect(parse("send the proposal") == nil)
        #expect(parse("recommended Jan for the warehouse", defaultDue: DurationValue(amount: 2, unit: .week))
            == FollowUpValue(action: "recommended Jan for the warehouse", due: day("2026-12-07T00:00:00+01:00")))
        #expect(parse("recommended Jan for the warehouse", at: "2026-01-31T10:00:00+01:00", defaultDue: DurationValue(amount: 1, unit: .month))
            == FollowUpValue(action: "recommended Jan for the warehouse", due: day("2026-02-28T00:00:00+01:00")))
    }

    @Test func aDateAloneIsNotAFollowUp() {
        #expect(parse("friday") == nil)
        #expect(parse("by friday") == nil)
    }

    @Test func theEngineRefusesADueDateInThePast() {
        let parser = AnswerParser(lexicon: Fixtures.english, now: Fixtures.monday, timeZone: Fixtures.stockholm)
        #expect(parser.parse("send it on 2026-11-01", as: .followUp(defaultDue: nil)) == .failure(AnswerParser.Rejection("followup_in_past", ["when": "Sun 1 Nov"])))
        #expect(parser.parse("send it", as: .followUp(defaultDue: nil)) == .failure(AnswerParser.Rejection("not_a_followup")))
    }
}
