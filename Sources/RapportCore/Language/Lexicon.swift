import Foundation

/// The words of one language that the engine needs: conversation commands, yes/no, named
/// phrase lists for checks (`vague_goal`), date words and the engine's own messages.
/// Loaded from `Prompts/lexicons/<lang>.yaml`; a missing entry falls back to English.
public struct Lexicon: Sendable, Hashable, Codable {
    /// The language code (`en`, `sv`, `da`, `pl`).
    public var language: String
    /// Words for each conversation command; a whole answer equal to one of them is the command.
    public var commands: [String: [String]]
    /// Words that mean yes and no.
    public var yes: [String]
    public var no: [String]
    /// Named phrase lists for `matches:` conditions.
    public var lists: [String: [String]]
    public var dates: DateWords
    /// The engine's own sentences, templates with `{name}` placeholders.
    public var messages: [String: String]

    public init(
        language: String, commands: [String: [String]], yes: [String], no: [String], lists: [String: [String]],
        dates: DateWords, messages: [String: String]
    ) {
        self.language = language
        self.commands = commands
        self.yes = yes
        self.no = no
        self.lists = lists
        self.dates = dates
        self.messages = messages
    }

    /// The command this whole answer names, if any.
    public func command(for answer: String) -> ConversationCommand? {
        let folded = TextFolding.fold(answer)
        for command in ConversationCommand.allCases {
            if let words = commands[command.rawValue], words.contains(where: { TextFolding.fold($0) == folded }) {
                return command
            }
        }
        return nil
    }

    /// The first word listed for a command, as shown in help texts.
    public func word(for command: ConversationCommand) -> String {
        commands[command.rawValue]?.first ?? command.rawValue
    }

    /// A message by key with its placeholders filled. An unknown key shows itself, so a gap in
    /// a translation is visible rather than silent. One pass over the template: a value is what
    /// a person typed and is never read as a template, so `{when}` inside it stays as typed.
    public func message(_ key: String, _ values: [String: String] = [:]) -> String {
        guard let template = messages[key] else { return "[\(key)]" }
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}",
                let value = values[String(rest[afterOpen..<close])]
            {
                output += value
                rest = rest[rest.index(after: close)...]
            } else {
                output += "{"  // not a placeholder with a value: kept as written
                rest = rest[afterOpen...]
            }
        }
        return output + rest
    }

    /// A count with its noun in the right form: the message holds the forms separated by `|`,
    /// singular then plural ("{count} note|{count} notes"), and for a language with a form for
    /// 2–4 (Polish) singular, 2–4, then the rest ("{count} notatka|{count} notatki|{count} notatek").
    public func counted(_ key: String, _ count: Int) -> String {
        let forms = message(key, ["count": String(count)]).components(separatedBy: "|")
        guard forms.count > 1 else { return forms[0] }
        if count == 1 { return forms[0] }
        let few = (2...4).contains(count % 10) && !(12...14).contains(count % 100)
        if forms.count > 2, dates.pluralFew { return few ? forms[1] : forms[2] }
        return forms[1]
    }

    /// This lexicon with every missing command, list, date word and message taken from `fallback`.
    public func fillingGaps(from fallback: Lexicon) -> Lexicon {
        var merged = self
        merged.commands.merge(fallback.commands) { own, _ in own }
        merged.lists.merge(fallback.lists) { own, _ in own }
        merged.messages.merge(fallback.messages) { own, _ in own }
        if merged.yes.isEmpty { merged.yes = fallback.yes }
        if merged.no.isEmpty { merged.no = fallback.no }
        merged.dates = dates.fillingGaps(from: fallback.dates)
        return merged
    }
}

/// The conversation commands that work at every step.
public enum ConversationCommand: String, Sendable, CaseIterable, Codable {
    case back, review, why, skip, pause, cancel, help
}

/// Words for reading and writing dates in one language.
public struct DateWords: Sendable, Hashable, Codable {
    /// Monday first; the first word of each is the short display name ("Mon").
    public var weekdays: [[String]]
    /// January first; the first word of each is the short display name ("Jan").
    public var months: [[String]]
    public var today: [String]
    public var tomorrow: [String]
    public var dayAfterTomorrow: [String]
    /// Words that introduce an offset: "in 3 days", "om 2 veckor", "za 3 dni".
    public var inWords: [String]
    /// "next friday".
    public var next: [String]
    /// "yesterday", "last friday", "3 days ago": for looking back.
    public var yesterday: [String] = []
    public var last: [String] = []
    public var ago: [String] = []
    /// Words that carry no meaning for the date ("on", "at", "kl", "w").
    public var fillers: [String]
    /// Unit words by `DurationValue.Unit` raw value.
    public var units: [String: [String]]
    /// Number words ("a", "an", "two").
    public var numbers: [String: Int]
    public var am: [String]
    public var pm: [String]
    public var noon: [String]
    /// "half" in "half an hour", "1.5" style is handled as digits.
    public var half: [String]
    /// Words for a whole period, with the duration they mean: "monthly" → "1 month".
    public var periods: [String: String] = [:]
    /// Whether day and month names are shown with a capital ("Tue 24 Nov"), or not ("tis 24 nov").
    public var capitalize = true
    /// Words that introduce a time of day ("at", "kl.", "o"): the number after one is an hour.
    public var at: [String] = []
    /// Words after which a number is a day of the month ("den", "d.", "dnia").
    public var dayOfMonth: [String] = []
    /// Words for the morning ("in the morning", "rano"): a bare hour stays as said.
    public var morning: [String] = []
    /// Words for the afternoon and evening ("tonight", "i kväll"): a bare hour up to 11 is after noon.
    public var afternoon: [String] = []
    /// How a cadence is said, by how many units apart: "every {unit}", "varannan {unit}",
    /// "var tredje {unit}"…; past the list, the message `every_many` is used.
    public var every: [String] = []
    /// Words that turn a number into a frequency: "three times a year", "två gånger om året".
    public var times: [String] = []
    /// Words between a frequency and its period: "once a month", "två gånger om året".
    public var per: [String] = []
    /// Whether unit words have a fourth form for 2–4 (22–24, …), as in Polish ("2 tygodnie" but
    /// "5 tygodni"); then a unit list is short, singular, plural, plural for 2–4.
    public var pluralFew = false

    public init(
        weekdays: [[String]], months: [[String]], today: [String], tomorrow: [String], dayAfterTomorrow: [String],
        inWords: [String], next: [String], fillers: [String], units: [String: [String]], numbers: [String: Int],
        am: [String], pm: [String], noon: [String], half: [String]
    ) {
        self.weekdays = weekdays
        self.months = months
        self.today = today
        self.tomorrow = tomorrow
        self.dayAfterTomorrow = dayAfterTomorrow
        self.inWords = inWords
        self.next = next
        self.fillers = fillers
        self.units = units
        self.numbers = numbers
        self.am = am
        self.pm = pm
        self.noon = noon
        self.half = half
    }

    /// An empty set of date words, for a lexicon file that has none.
    init(from _: [String: String]) {
        self.init(
            weekdays: [], months: [], today: [], tomorrow: [], dayAfterTomorrow: [], inWords: [], next: [],
            fillers: [], units: [:], numbers: [:], am: [], pm: [], noon: [], half: [])
    }

    func fillingGaps(from fallback: DateWords) -> DateWords {
        var merged = self
        if merged.weekdays.count != 7 { merged.weekdays = fallback.weekdays }
        if merged.months.count != 12 { merged.months = fallback.months }
        merged.units.merge(fallback.units) { own, _ in own }
        merged.periods.merge(fallback.periods) { own, _ in own }
        return merged
    }
}
