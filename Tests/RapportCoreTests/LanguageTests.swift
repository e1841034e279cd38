import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The languages beside English: their date words, their translations, their coaching words.
struct LanguageTests {
    static let languages = ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.appendingPathComponent("locales").path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()

    @Test func swedishIsShipped() {
        #expect(Self.languages.contains("sv"))
    }

    @Test(arguments: languages)
    func everyFlowTextIsTranslated(language: String) throws {
        let translations = Fixtures.translations(language)
        for file in PromptsTests.flowFiles {
            let flow = try Fixtures.flow(String(file.dropLast(5)))
            let missing = FlowLocalizer.keys(of: flow).filter { translations.texts[$0] == nil }
            #expect(missing.isEmpty, "\(language): \(flow.id) lacks \(missing.joined(separator: ", "))")
        }
    }

    @Test(arguments: languages)
    func everyEngineMessageIsTranslated(language: String) throws {
        let text = try String(contentsOf: Fixtures.prompts.appendingPathComponent("lexicons/\(language).yaml"), encoding: .utf8)
        let own = try LexiconParser.parse(yaml: text, file: language)
        let missing = Set(Fixtures.english.messages.keys).subtracting(own.messages.keys)
        #expect(missing.isEmpty, "\(language) lacks \(missing.sorted())")
        #expect(Set(ConversationCommand.allCases.map(\.rawValue)).isSubset(of: own.commands.keys))
        #expect(own.dates.weekdays.count == 7 && own.dates.months.count == 12)
    }

    @Test(arguments: languages)
    func translatedFlowsStillLoadAndTheirTemplatesNameRealSlots(language: String) throws {
        for file in PromptsTests.flowFiles {
            let flow = try Fixtures.flow(String(file.dropLast(5)), language: language)
            for step in flow.steps {
                for placeholder in Template.placeholders(in: step.ask + (step.why ?? "") + (step.hint ?? "")) {
                    #expect(["contact.name", "meeting.goal", "me.pitch", "meeting.when"].contains(placeholder.slot), "\(language) \(flow.id).\(step.id): {\(placeholder.slot)}")
                }
            }
        }
    }

    private func swedish(_ text: String, lookingBack: Bool = false) -> WhenValue? {
        WhenParser(words: Fixtures.lexicon("sv").dates, now: Fixtures.monday, timeZone: Fixtures.stockholm, lookingBack: lookingBack).parse(text)
    }

    private func at(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: true) }
    private func day(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: false) }

    @Test func swedishDates() {
        // Monday 23 November 2026, 10:00.
        #expect(swedish("i morgon kl 14") == at("2026-11-24T14:00:00+01:00"))
        #expect(swedish("imorgon 14:00") == at("2026-11-24T14:00:00+01:00"))
        #expect(swedish("på fredag") == day("2026-11-27T00:00:00+01:00"))
        #expect(swedish("fre 9.30") == at("2026-11-27T09:30:00+01:00"))
        #expect(swedish("om 2 veckor") == day("2026-12-07T00:00:00+01:00"))
        #expect(swedish("om en vecka") == day("2026-11-30T00:00:00+01:00"))
        #expect(swedish("i övermorgon") == day("2026-11-25T00:00:00+01:00"))
        #expect(swedish("den 4 december kl 10") == at("2026-12-04T10:00:00+01:00"))
        #expect(swedish("nästa tisdag") == day("2026-11-24T00:00:00+01:00"), "like “next tue”: the coming one, never today")
        #expect(swedish("igår", lookingBack: true) == day("2026-11-22T00:00:00+01:00"))
        #expect(swedish("för 3 dagar sedan", lookingBack: true) == day("2026-11-20T00:00:00+01:00"))
        #expect(swedish("förra fredagen", lookingBack: true) == day("2026-11-20T00:00:00+01:00"))
    }

    private func danish(_ text: String, lookingBack: Bool = false) -> WhenValue? {
        WhenParser(words: Fixtures.lexicon("da").dates, now: Fixtures.monday, timeZone: TimeZone(identifier: "Europe/Copenhagen")!, lookingBack: lookingBack).parse(text)
    }

    @Test func danishDates() {
        // Monday 23 November 2026, 10:00 (Copenhagen shares Stockholm's offset).
        #expect(danish("i morgen kl. 14") == at("2026-11-24T14:00:00+01:00"))
        #expect(danish("på fredag") == day("2026-11-27T00:00:00+01:00"))
        #expect(danish("om 2 uger") == day("2026-12-07T00:00:00+01:00"))
        #expect(danish("i overmorgen") == day("2026-11-25T00:00:00+01:00"))
        #expect(danish("tors 9.30") == at("2026-11-26T09:30:00+01:00"))
        #expect(danish("den 4. december") == day("2026-12-04T00:00:00+01:00"))
        #expect(danish("i går", lookingBack: true) == day("2026-11-22T00:00:00+01:00"))
        #expect(danish("for 3 dage siden", lookingBack: true) == day("2026-11-20T00:00:00+01:00"))
        let durations = DurationParser(words: Fixtures.lexicon("da").dates)
        #expect(durations.parse("hver sjette uge") == DurationValue(amount: 6, unit: .week))
        #expect(durations.parse("månedligt") == DurationValue(amount: 1, unit: .month))
        #expect(Fixtures.lexicon("da").command(for: "tilbage") == .back)
    }

    private func polish(_ text: String, lookingBack: Bool = false) -> WhenValue? {
        WhenParser(words: Fixtures.lexicon("pl").dates, now: Fixtures.monday, timeZone: TimeZone(identifier: "Europe/Warsaw")!, lookingBack: lookingBack).parse(text)
    }

    @Test func polishDates() {
        // Monday 23 November 2026, 10:00 (Warsaw shares Stockholm's offset).
        #expect(polish("jutro o 14") == at("2026-11-24T14:00:00+01:00"))
        #expect(polish("jutro o 14:30") == at("2026-11-24T14:30:00+01:00"))
        #expect(polish("w piątek") == day("2026-11-27T00:00:00+01:00"))
        #expect(polish("w środę o 9:30") == at("2026-11-25T09:30:00+01:00"))
        #expect(polish("za 3 dni") == day("2026-11-26T00:00:00+01:00"))
        #expect(polish("za 2 tygodnie") == day("2026-12-07T00:00:00+01:00"))
        #expect(polish("pojutrze") == day("2026-11-25T00:00:00+01:00"))
        #expect(polish("4 grudnia") == day("2026-12-04T00:00:00+01:00"))
        #expect(polish("wczoraj", lookingBack: true) == day("2026-11-22T00:00:00+01:00"))
        #expect(polish("3 dni temu", lookingBack: true) == day("2026-11-20T00:00:00+01:00"))
        #expect(polish("w zeszły piątek", lookingBack: true) == day("2026-11-20T00:00:00+01:00"))
        let durations = DurationParser(words: Fixtures.lexicon("pl").dates)
        #expect(durations.parse("co 6 tygodni") == DurationValue(amount: 6, unit: .week))
        #expect(durations.parse("kwartalnie") == DurationValue(amount: 3, unit: .month))
        let display = ValueFormatter(lexicon: Fixtures.lexicon("pl"), now: Fixtures.monday, timeZone: Fixtures.stockholm)
        #expect(display.format(DurationValue(amount: 1, unit: .week)) == "1 tydzień")
        #expect(display.format(DurationValue(amount: 2, unit: .week)) == "2 tygodnie")
        #expect(display.format(DurationValue(amount: 6, unit: .week)) == "6 tygodni")
        #expect(display.format(DurationValue(amount: 12, unit: .week)) == "12 tygodni")
        #expect(display.format(DurationValue(amount: 22, unit: .month)) == "22 miesiące")
        let parser = AnswerParser(lexicon: Fixtures.lexicon("pl"), now: Fixtures.monday, timeZone: Fixtures.stockholm)
        #expect(parser.yesNo("tak, zna") == true)
        #expect(parser.yesNo("raczej nie") == false)
        #expect(Fixtures.lexicon("pl").command(for: "wstecz") == .back)
    }

    @Test func swedishYesNoChoicesAndCoaching() throws {
        let lexicon = Fixtures.lexicon("sv")
        let parser = AnswerParser(lexicon: lexicon, now: Fixtures.monday, timeZone: Fixtures.stockholm)
        #expect(parser.yesNo("Ja, det gör hon") == true)
        #expect(parser.yesNo("nej") == false)
        #expect(lexicon.command(for: "tillbaka") == .back)
        #expect(lexicon.command(for: "varför") == .why)
        let durations = DurationParser(words: lexicon.dates)
        #expect(durations.parse("var sjätte vecka") == DurationValue(amount: 6, unit: .week))
        #expect(durations.parse("kvartalsvis") == DurationValue(amount: 3, unit: .month))
        #expect(durations.parse("varannan vecka") == DurationValue(amount: 2, unit: .week))
        #expect(durations.parse("månadsvis") == DurationValue(amount: 1, unit: .month))
        #expect(durations.parse("6 veckor") == DurationValue(amount: 6, unit: .week))
        let prep = try Fixtures.flow("prep", language: "sv")
        let engine = DialogueEngine(flow: prep, lexicon: lexicon)
        let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        _ = engine.handle(.answer("i morgon kl 14"), state: &state, context: context)
        let coffee = engine.handle(.answer("en fika"), state: &state, context: context)
        #expect(coffee == [.say(.coach("Tänk dig att du lägger tusen kronor under dörrmattan när du går in. Vad måste hända för att du ska plocka upp dem igen när du går?"))])
        _ = engine.handle(.answer("En introduktion till deras ekonomichef"), state: &state, context: context)
        let choice = engine.handle(.answer("vet inte"), state: &state, context: context)
        #expect(state.slots["meeting.existing_contacts_could"] == .choice("unsure"))
        #expect(choice.contains(.ask(Question(stepID: "why_them", text: "Varför Anna? Vad kan hen bidra med till det målet?", hint: "Kunskap, idéer, erfarenheter eller sitt eget nätverk"))))
    }
}
