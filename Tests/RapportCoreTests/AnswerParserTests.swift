import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct AnswerParserTests {
    let parser = AnswerParser(lexicon: Fixtures.english, now: Fixtures.monday, timeZone: Fixtures.stockholm)

    @Test(arguments: [("yes", true), ("Yes, she does", true), ("y", true), ("nope", false), ("not really", false), ("No idea", false)])
    func readsYesAndNo(answer: String, expected: Bool) {
        #expect(parser.parse(answer, as: .yesno) == .success(.bool(expected)))
    }

    @Test func refusesAnAnswerThatIsNeitherYesNorNo() {
        #expect(parser.parse("perhaps later", as: .yesno) == .failure(AnswerParser.Rejection("not_yesno")))
    }

    @Test func readsChoicesByNumberWordAndSynonym() {
        let options = [
            ChoiceOption(value: "yes", label: "Yes"),
            ChoiceOption(value: "partly", label: "Partly", words: ["a bit"]),
            ChoiceOption(value: "no", label: "No"),
        ]
        #expect(parser.parse("2", as: .choice(options)) == .success(.choice("partly")))
        #expect(parser.parse("PARTLY", as: .choice(options)) == .success(.choice("partly")))
        #expect(parser.parse("a bit, I think", as: .choice(options)) == .success(.choice("partly")))
        #expect(parser.parse("yeah", as: .choice(options)) == .success(.choice("yes")))
        #expect(parser.parse("4", as: .choice(options)) == .failure(AnswerParser.Rejection("not_a_choice", ["options": "1) Yes  2) Partly  3) No"])))
    }

    @Test func readsScalesWithinTheirRange() {
        #expect(parser.parse("4/5", as: .scale(min: 1, max: 5)) == .success(.number(4)))
        #expect(parser.parse("7", as: .scale(min: 1, max: 5)) == .failure(AnswerParser.Rejection("not_in_scale", ["min": "1", "max": "5"])))
    }

    @Test func readsListsSeparatedByCommasOrSemicolons() {
        #expect(parser.parse("Anna, Jan ; Łukasz,", as: .list) == .success(.list(["Anna", "Jan", "Łukasz"])))
    }

    @Test(arguments: [
        ("30 min", DurationValue(amount: 30, unit: .minute)),
        ("1h", DurationValue(amount: 1, unit: .hour)),
        ("1.5 hours", DurationValue(amount: 90, unit: .minute)),
        ("1h30", DurationValue(amount: 90, unit: .minute)),
        ("1:30", DurationValue(amount: 90, unit: .minute)),
        ("half an hour", DurationValue(amount: 30, unit: .minute)),
        ("an hour", DurationValue(amount: 1, unit: .hour)),
        ("2 weeks", DurationValue(amount: 2, unit: .week)),
        ("every 3 months", DurationValue(amount: 3, unit: .month)),
        ("14 days", DurationValue(amount: 2, unit: .week)),
        ("45", DurationValue(amount: 45, unit: .minute)),
        ("120 months", DurationValue(amount: 120, unit: .month)),
    ])
    func readsDurations(answer: String, expected: DurationValue) {
        #expect(parser.parse(answer, as: .duration) == .success(.duration(expected)))
    }

    /// The last ones were found by `make fuzz`: each trapped converting or multiplying past Int.max.
    @Test(arguments: [
        "soon", "1:75", "2 months 3 days", "-5 min", "121 months",
        "99999999999999999999", "153722867280912931:00", "inf min", "nan", "1e30 months", "99999999999 weeks",
    ])
    func refusesDurationsItCannotRead(answer: String) {
        #expect(parser.parse(answer, as: .duration) == .failure(AnswerParser.Rejection("not_a_duration")))
    }

    @Test func capitalisesNamesTypedInLowercaseAndKeepsDeliberateCasing() {
        #expect(parser.parse("anna berg", as: .name) == .success(.name("Anna Berg")))
        #expect(parser.parse("Jan van der Berg", as: .name) == .success(.name("Jan van der Berg")))
        #expect(parser.parse("  łukasz   wójcik ", as: .name) == .success(.name("Łukasz Wójcik")))
    }

    @Test func readsAPartialNameAsTheOneKnownPersonItFits() {
        let knowing = AnswerParser(lexicon: Fixtures.english, now: Fixtures.monday, timeZone: Fixtures.stockholm, knownNames: ["Anna Berg", "Łukasz Wójcik"])
        #expect(knowing.parse("anna", as: .name) == .success(.name("Anna Berg")))
        #expect(knowing.parse("lukasz wojcik", as: .name) == .success(.name("Łukasz Wójcik")))
        #expect(knowing.parse("Anna Lind", as: .name) == .success(.name("Anna Lind")))
    }

    @Test(arguments: ["42", "anna@example.com", "<script>", String(repeating: "a", count: 81)])
    func refusesWhatIsNotAName(answer: String) {
        #expect(parser.parse(answer, as: .name) == .failure(AnswerParser.Rejection("not_a_name")))
    }

    @Test func refusesAMeetingInThePastWhenTheStepWantsTheFuture() {
        #expect(parser.parse("2026-11-01 10:00", as: .when(.future)) == .failure(AnswerParser.Rejection("when_in_past", ["when": "Sun 1 Nov 10:00"])))
        #expect(parser.parse("today", as: .when(.future)) == .success(.when(WhenValue(date: Fixtures.moment("2026-11-23T00:00:00+01:00"), hasTime: false))))
        #expect(parser.parse("tomorrow", as: .when(.past)) == .failure(AnswerParser.Rejection("when_in_future", ["when": "Tue 24 Nov"])))
    }
}
