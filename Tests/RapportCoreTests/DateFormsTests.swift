import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Issue 15: the forms people write dates in, per language, read as they meant them. All at
/// Monday 23 November 2026, 10:00 (Stockholm, Copenhagen and Warsaw keep the same offset); ISO
/// week 50 is 7–13 December.
struct DateFormsTests {
    private func read(_ text: String, _ language: String) -> WhenValue? {
        WhenParser(words: Fixtures.lexicon(language).dates, now: Fixtures.monday, timeZone: Fixtures.stockholm).parse(text)
    }

    /// "26 14:00" is 26 November at 14:00, "9/12" 9 December without a time.
    private func expected(_ short: String) -> WhenValue {
        let parts = short.split(separator: " ")
        let dayMonth = parts[0].split(separator: "/")
        let day = Int(dayMonth[0])!
        let month = dayMonth.count > 1 ? Int(dayMonth[1])! : 11
        let time = parts.count > 1 ? String(parts[1]) : "00:00"
        let iso = String(format: "2026-%02d-%02dT%@:00+01:00", month, day, time)
        return WhenValue(date: Fixtures.moment(iso), hasTime: parts.count > 1)
    }

    @Test(arguments: [
        ("thursday at 2", "26 14:00"), ("thu 2am", "26 02:00"), ("thu 02:00", "26 02:00"), ("at 3", "23 15:00"),
        ("tomorrow morning at 7", "24 07:00"), ("tonight at 8", "23 20:00"), ("fri 3pm", "27 15:00"),
        ("14.30", "23 14:30"), ("1430", "23 14:30"), ("tomorrow 14h", "24 14:00"), ("tomorrow 14h30", "24 14:30"),
        ("in an hour", "23 11:00"), ("in half an hour", "23 10:30"),
        ("the 9th", "9/12"), ("9th december", "9/12"), ("december 9th", "9/12"), ("on the 30th", "30"),
        ("next tuesday", "24"), ("next week", "30"), ("week 50", "7/12"), ("tuesday week 50", "8/12"),
        ("tue week 50 at 10", "8/12 10:00"), ("wed 9 dec", "9/12"),
    ])
    func english(text: String, meant: String) {
        #expect(read(text, "en") == expected(meant), "“\(text)”")
    }

    @Test(arguments: [
        ("i morgon kl 14", "24 14:00"), ("imorgon 14.30", "24 14:30"), ("i övermorgon", "25"), ("på torsdag kl 9", "26 09:00"),
        ("torsdag kl 2", "26 14:00"), ("nästa tisdag", "24"), ("nästa vecka", "30"), ("om en vecka", "30"), ("om 2 veckor", "7/12"),
        ("om en timme", "23 11:00"), ("om en halv timme", "23 10:30"), ("om 30 minuter", "23 10:30"),
        ("den 9:e", "9/12"), ("9:e december", "9/12"), ("den 9 december kl 10", "9/12 10:00"), ("9 dec", "9/12"), ("9/12", "9/12"),
        ("tisdag vecka 50", "8/12"), ("vecka 50", "7/12"), ("v. 50", "7/12"), ("v50", "7/12"), ("tis v. 50 kl 10", "8/12 10:00"),
        ("kl. 14", "23 14:00"), ("14.30", "23 14:30"), ("1430", "23 14:30"), ("ikväll kl 7", "23 19:00"), ("i kväll 7.30", "23 19:30"),
        ("fredag 9.30", "27 09:30"), ("onsdag den 9 december", "9/12"),
    ])
    func swedish(text: String, meant: String) {
        #expect(read(text, "sv") == expected(meant), "“\(text)”")
    }

    @Test(arguments: [
        ("i morgen kl. 14", "24 14:00"), ("i overmorgen", "25"), ("på torsdag", "26"), ("torsdag kl. 2", "26 14:00"),
        ("næste tirsdag", "24"), ("næste uge", "30"), ("om en uge", "30"), ("om 2 uger", "7/12"), ("om en time", "23 11:00"),
        ("om en halv time", "23 10:30"), ("den 9.", "9/12"), ("9. december", "9/12"), ("d. 9. dec", "9/12"), ("onsdag d. 9. dec", "9/12"),
        ("onsdag den 9. december kl. 10", "9/12 10:00"), ("uge 50", "7/12"), ("tirsdag i uge 50", "8/12"), ("kl. 14.30", "23 14:30"),
        ("14.30", "23 14:30"), ("i aften kl. 8", "23 20:00"), ("tors 9.30", "26 09:30"), ("i dag kl. 15", "23 15:00"),
    ])
    func danish(text: String, meant: String) {
        #expect(read(text, "da") == expected(meant), "“\(text)”")
    }

    @Test(arguments: [
        ("jutro o 14", "24 14:00"), ("jutro o 14:30", "24 14:30"), ("jutro o 14.30", "24 14:30"), ("pojutrze", "25"),
        ("w czwartek o 9", "26 09:00"), ("w czwartek o 2", "26 14:00"), ("we wtorek", "24"), ("w przyszły wtorek", "24"),
        ("w przyszłym tygodniu", "30"), ("za tydzień", "30"), ("za 2 tygodnie", "7/12"), ("za godzinę", "23 11:00"),
        ("za pół godziny", "23 10:30"), ("za 3 dni", "26"), ("9 grudnia", "9/12"), ("dnia 9 grudnia", "9/12"), ("9 gru", "9/12"),
        ("9.12", "9/12"), ("o 14", "23 14:00"), ("dziś o 15", "23 15:00"), ("dziś wieczorem o 8", "23 20:00"),
        ("jutro rano o 7", "24 07:00"), ("tydzień 50", "7/12"), ("w środę 9 grudnia o 10", "9/12 10:00"),
    ])
    func polish(text: String, meant: String) {
        #expect(read(text, "pl") == expected(meant), "“\(text)”")
    }
}

/// Issue 15: what a date answer is read as is said back, a typo is offered back mended, and a
/// time typed after `back` keeps the day chosen.
struct DateAnswerTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    private func prep(_ language: String) throws -> DialogueEngine {
        DialogueEngine(flow: try Fixtures.flow("prep", language: language), lexicon: Fixtures.lexicon(language))
    }

    private func notes(_ outputs: [EngineOutput]) -> [String] {
        outputs.compactMap { if case .say(.note(let text)) = $0 { text } else { nil } }
    }

    private func problems(_ outputs: [EngineOutput]) -> [String] {
        outputs.compactMap { if case .say(.problem(let text)) = $0 { text } else { nil } }
    }

    @Test(arguments: [("en", "thu 14:00", "→ Thu 26 Nov 14:00"), ("sv", "tors kl 14", "→ tors 26 nov 14:00"),
                      ("da", "tors kl. 14", "→ tor 26 nov 14:00"), ("pl", "czw o 14", "→ czw 26 lis 14:00")])
    func theMomentReadIsSaidBack(language: String, answer: String, echo: String) throws {
        let engine = try prep(language)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        let outputs = engine.handle(.answer(answer), state: &state, context: context)
        #expect(notes(outputs) == [echo])
        #expect(state.currentStep == "goal")
    }

    @Test(arguments: [("en", "tmorrow 2pm", "tomorrow 2pm", "Tue 24 Nov 14:00"), ("sv", "imorgn kl 14", "imorgon kl 14", "tis 24 nov 14:00"),
                      ("da", "i morgn kl. 14", "i morgen kl. 14", "tir 24 nov 14:00"), ("pl", "jutor o 14", "jutro o 14", "wt 24 lis 14:00")])
    func aTypoInADateWordIsOfferedBackMended(language: String, typo: String, mended: String, moment: String) throws {
        let engine = try prep(language)
        let lexicon = Fixtures.lexicon(language)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        let offered = engine.handle(.answer(typo), state: &state, context: context)
        #expect(problems(offered) == [lexicon.message("did_you_mean", ["answer": mended, "when": moment])])
        #expect(state.currentStep == "when")
        _ = engine.handle(.answer(lexicon.yes[0]), state: &state, context: context)
        #expect(state.slots["meeting.when"] == .when(WhenValue(date: Fixtures.moment("2026-11-24T14:00:00+01:00"), hasTime: true)))
        #expect(state.currentStep == "goal")
    }

    @Test func aNoToTheOfferAsksAgainAndAnotherAnswerIsReadAsItIs() throws {
        let engine = try prep("en")
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        _ = engine.handle(.answer("tmorrow 2pm"), state: &state, context: context)
        let no = engine.handle(.answer("no"), state: &state, context: context)
        #expect(no == [.ask(Question(stepID: "when", text: "When do you meet Anna Berg?", hint: "For example “tomorrow 14:00”, “fri 9:30”, “in 3 days” or “2026-12-01 10:00”"))])
        _ = engine.handle(.answer("tmorrow 2pm"), state: &state, context: context)
        _ = engine.handle(.answer("fri 9:00"), state: &state, context: context)
        #expect(state.slots["meeting.when"] == .when(WhenValue(date: Fixtures.moment("2026-11-27T09:00:00+01:00"), hasTime: true)))
    }

    @Test func aTimeAloneAfterBackKeepsTheDayAlreadyChosen() throws {
        let engine = try prep("en")
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        _ = engine.handle(.answer("thu 14:00"), state: &state, context: context)
        _ = engine.handle(.answer("back"), state: &state, context: context)
        let changed = engine.handle(.answer("15:30"), state: &state, context: context)
        #expect(state.slots["meeting.when"] == .when(WhenValue(date: Fixtures.moment("2026-11-26T15:30:00+01:00"), hasTime: true)))
        #expect(notes(changed) == ["→ Thu 26 Nov 15:30"])
        _ = engine.handle(.answer("back"), state: &state, context: context)
        _ = engine.handle(.answer("fri"), state: &state, context: context)
        #expect(state.slots["meeting.when"] == .when(WhenValue(date: Fixtures.moment("2026-11-27T15:30:00+01:00"), hasTime: true)),
                "a day alone keeps the time already chosen")
    }
}
