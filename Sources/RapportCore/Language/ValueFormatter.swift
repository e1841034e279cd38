import Foundation

/// Shows slot values to the user in their language: dates as "Fri 4 Dec 10:00", booleans as the
/// language's yes/no, lists joined with commas.
public struct ValueFormatter: Sendable {
    public var lexicon: Lexicon
    public var now: Date
    public var calendar: Calendar
    /// How choice values are shown, by slot ("meeting.existing_contacts_could": "unsure" → "Not sure");
    /// values without a label show as they are.
    public var choiceLabels: [String: [String: String]]
    /// Slots that hold a cadence: their durations are said as how often ("every 6 weeks").
    public var cadenceSlots: Set<String>

    public init(
        lexicon: Lexicon, now: Date, timeZone: TimeZone, choiceLabels: [String: [String: String]] = [:], cadenceSlots: Set<String> = []
    ) {
        self.lexicon = lexicon
        self.now = now
        self.choiceLabels = choiceLabels
        self.cadenceSlots = cadenceSlots
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// A slot's value, with a choice shown by the label its step gave it.
    public func format(_ value: SlotValue, slot: String?) -> String {
        if case .choice(let choice) = value, let slot, let label = choiceLabels[slot]?[choice] { return label }
        if case .duration(let duration) = value, let slot, cadenceSlots.contains(slot) { return format(cadence: duration) }
        return format(value)
    }

    public func format(_ value: SlotValue) -> String {
        switch value {
        case .text(let text), .name(let text): return text
        case .choice(let value): return value
        case .bool(let value): return value ? (lexicon.yes.first ?? "yes") : (lexicon.no.first ?? "no")
        case .number(let value): return String(value)
        case .list(let items): return items.joined(separator: ", ")
        case .when(let when): return format(when)
        case .duration(let duration): return format(duration)
        case .followUp(let followUp): return "\(followUp.action) (\(format(followUp.due)))"
        case .many(let items): return items.map(format).joined(separator: "; ")
        }
    }

    /// "Fri 4 Dec 10:00"; the year is added when it is not the current one.
    public func format(_ when: WhenValue) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: when.date)
        let weekdayIndex = (parts.weekday! + 5) % 7  // Monday-first index
        let weekday = lexicon.dates.weekdays.indices.contains(weekdayIndex) ? capitalized(lexicon.dates.weekdays[weekdayIndex][0]) : ""
        let month = lexicon.dates.months.indices.contains(parts.month! - 1) ? capitalized(lexicon.dates.months[parts.month! - 1][0]) : String(parts.month!)
        var text = "\(weekday) \(parts.day!) \(month)"
        if parts.year! != calendar.component(.year, from: now) { text += " \(parts.year!)" }
        if when.hasTime { text += " " + twoDigits(parts.hour!) + ":" + twoDigits(parts.minute!) }
        return text
    }

    public func format(_ duration: DurationValue) -> String {
        let names = lexicon.dates.units[duration.unit.rawValue] ?? [duration.unit.rawValue]
        // The unit list is written short name first, then singular, then plural.
        let name: String
        let few = lexicon.dates.pluralFew && names.count > 3 && (2...4).contains(duration.amount % 10) && !(12...14).contains(duration.amount % 100)
        if duration.amount == 1 {
            name = names.count > 1 ? names[1] : names[0]
        } else if few {
            name = names[3]
        } else {
            name = names.count > 2 ? names[2] : names[0]
        }
        return "\(duration.amount) \(name)"
    }

    /// How often, as a person says it: "every month", "every 6 weeks", "varannan vecka",
    /// "var sjätte vecka", "hver anden måned", "co 6 tygodni", "every year".
    public func format(cadence: DurationValue) -> String {
        if cadence.unit == .month, cadence.amount == 12, lexicon.messages["every_year"] != nil {
            return lexicon.message("every_year")
        }
        let names = lexicon.dates.units[cadence.unit.rawValue] ?? [cadence.unit.rawValue]
        let singular = names.count > 1 ? names[1] : names[0]
        let plural = format(cadence).split(separator: " ", maxSplits: 1).last.map(String.init) ?? singular
        let phrases = lexicon.dates.every
        if phrases.indices.contains(cadence.amount - 1) {
            return phrases[cadence.amount - 1].replacingOccurrences(of: "{unit}", with: singular).replacingOccurrences(of: "{units}", with: plural)
        }
        return lexicon.message("every_many", ["count": String(cadence.amount), "unit": singular, "units": plural])
    }

    private func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    private func capitalized(_ word: String) -> String {
        lexicon.dates.capitalize ? word.prefix(1).uppercased() + word.dropFirst() : word
    }
}
