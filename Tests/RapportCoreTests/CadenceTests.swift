import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Issue 15: how often to keep in touch, said the ways people say it, refused as a cadence when it
/// is not one, and shown as a person would say it.
struct CadenceTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    /// The shipped reflect flow at its cadence question.
    private func cadence(_ language: String) throws -> (DialogueEngine, ConversationState) {
        var flow = try Fixtures.flow("reflect", language: language)
        flow.start = "cadence"
        let engine = DialogueEngine(flow: flow, lexicon: Fixtures.lexicon(language))
        let (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        return (engine, state)
    }

    private static func months(_ count: Int) -> DurationValue { DurationValue(amount: count, unit: .month) }
    private static func weeks(_ count: Int) -> DurationValue { DurationValue(amount: count, unit: .week) }

    @Test(arguments: [
        ("en", "once a month", months(1)), ("en", "every quarter", months(3)), ("en", "twice a year", months(6)),
        ("en", "every other week", weeks(2)), ("en", "every 6 weeks", weeks(6)), ("en", "three times a year", months(4)),
        ("en", "once a week", weeks(1)), ("en", "every year", months(12)), ("en", "twice a month", weeks(2)), ("en", "quarterly", months(3)),
        ("sv", "en gång i månaden", months(1)), ("sv", "varje månad", months(1)), ("sv", "var sjätte vecka", weeks(6)),
        ("sv", "varannan månad", months(2)), ("sv", "två gånger om året", months(6)), ("sv", "en gång i kvartalet", months(3)),
        ("sv", "varje kvartal", months(3)), ("sv", "varje år", months(12)), ("sv", "en gång i veckan", weeks(1)), ("sv", "kvartalsvis", months(3)),
        ("da", "en gang om måneden", months(1)), ("da", "hver måned", months(1)), ("da", "hver anden måned", months(2)),
        ("da", "hver sjette uge", weeks(6)), ("da", "to gange om året", months(6)), ("da", "hvert kvartal", months(3)),
        ("da", "en gang i kvartalet", months(3)), ("da", "hvert år", months(12)), ("da", "en gang om ugen", weeks(1)), ("da", "månedligt", months(1)),
        ("pl", "co miesiąc", months(1)), ("pl", "raz w miesiącu", months(1)), ("pl", "co 6 tygodni", weeks(6)), ("pl", "co dwa tygodnie", weeks(2)),
        ("pl", "dwa razy w roku", months(6)), ("pl", "raz na kwartał", months(3)), ("pl", "co kwartał", months(3)), ("pl", "co pół roku", months(6)),
        ("pl", "raz w tygodniu", weeks(1)), ("pl", "co roku", months(12)),
    ])
    func commonFormsAreRead(language: String, answer: String, meant: DurationValue) throws {
        var (engine, state) = try cadence(language)
        let outputs = engine.handle(.answer(answer), state: &state, context: context)
        #expect(state.slots["contact.keep_in_touch"] == .duration(meant), "\(language) “\(answer)”: \(outputs)")
    }

    @Test(arguments: [("en", "sometimes"), ("sv", "ibland"), ("da", "nogle gange"), ("pl", "czasem"), ("en", "every 30 min")])
    func whatIsNotACadenceIsSaidToBeNone(language: String, answer: String) throws {
        var (engine, state) = try cadence(language)
        let outputs = engine.handle(.answer(answer), state: &state, context: context)
        #expect(outputs == [.say(.problem(Fixtures.lexicon(language).message("not_a_cadence")))])
        #expect(Fixtures.lexicon(language).messages["not_a_cadence"] != nil)
    }

    @Test(arguments: [
        ("en", "monthly", "Keep in touch: every month"), ("en", "every 6 weeks", "Keep in touch: every 6 weeks"),
        ("en", "every other week", "Keep in touch: every 2 weeks"), ("en", "yearly", "Keep in touch: every year"),
        ("sv", "månadsvis", "Hålla kontakten: varje månad"), ("sv", "var sjätte vecka", "Hålla kontakten: var sjätte vecka"),
        ("sv", "varannan vecka", "Hålla kontakten: varannan vecka"), ("sv", "var tredje månad", "Hålla kontakten: var tredje månad"),
        ("sv", "årligen", "Hålla kontakten: varje år"),
        ("da", "månedligt", "Holde kontakten: hver måned"), ("da", "hver anden måned", "Holde kontakten: hver anden måned"),
        ("da", "hver sjette uge", "Holde kontakten: hver sjette uge"), ("da", "årligt", "Holde kontakten: hvert år"),
        ("pl", "miesięcznie", "Jak często: co miesiąc"), ("pl", "co 6 tygodni", "Jak często: co 6 tygodni"),
        ("pl", "co 2 tygodnie", "Jak często: co 2 tygodnie"), ("pl", "kwartalnie", "Jak często: co 3 miesiące"), ("pl", "rocznie", "Jak często: co roku"),
    ])
    func theCardSaysItAsAPersonWould(language: String, answer: String, line: String) throws {
        var (engine, state) = try cadence(language)
        let outputs = engine.handle(.answer(answer), state: &state, context: context)
        guard case .finished(let card?)? = outputs.last else {
            Issue.record("no card: \(outputs)")
            return
        }
        #expect(card.lines.map { "\($0.label): \($0.text)" }.contains(line), "\(card.lines)")
    }
}
