/// Reads lengths of time: "30 min", "1h", "1.5 hours", "1h30", "1:30", "an hour", "half an hour",
/// "2 weeks", "every 3 months". A bare number is minutes.
///
/// Cadences — how often, rather than how long — are read by `parseCadence`: "every month",
/// "once a month", "every quarter", "twice a year", "var sjätte vecka", "en gång i månaden",
/// "hver anden måned", "to gange om året", "co miesiąc", "dwa razy w roku".
public struct DurationParser: Sendable {
    public var words: DateWords
    /// Longer than this is not a length of time anyone means here (and would not fit an `Int`
    /// once in minutes): ten years.
    static let longestMonths = 120
    static let longestMinutes = 10 * 366 * 24 * 60
    /// Unit names a lexicon may give beside the stored units, and what each is in them.
    static let longerUnits: [String: (amount: Int, unit: DurationValue.Unit)] = [
        "fortnight": (2, .week), "quarter": (3, .month), "year": (12, .month),
    ]

    public init(words: DateWords) {
        self.words = words
    }

    /// The duration the text names, or nil.
    public func parse(_ text: String) -> DurationValue? {
        let tokens = self.tokens(text)
        guard !tokens.isEmpty else { return nil }
        if let period = period(tokens) { return period }
        return length(tokens)
    }

    /// How often the text says something should happen, as the time between two occurrences, or
    /// nil. At least a day apart: a cadence is for keeping in touch, not for alarms.
    public func parseCadence(_ text: String) -> DurationValue? {
        let tokens = self.tokens(text)
        guard !tokens.isEmpty else { return nil }
        let interval: DurationValue?
        if let period = period(tokens) {
            interval = period
        } else if let frequency = frequency(tokens) {
            interval = frequency
        } else {
            interval = length(tokens)
        }
        guard let interval, interval.minutes.map({ $0 >= 24 * 60 }) ?? true else { return nil }
        return interval
    }

    /// Folded words without fillers, digits split from letters.
    private func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        for raw in TextFolding.fold(text).split(separator: " ") {
            tokens.append(contentsOf: splitDigitsFromLetters(String(raw)))
        }
        let fillers = Set((words.fillers + words.at + words.dayOfMonth).map(TextFolding.fold) + ["every"])
        tokens.removeAll { fillers.contains($0) }
        return tokens
    }

    /// A word for a whole period: "monthly" → 1 month.
    private func period(_ tokens: [String]) -> DurationValue? {
        let phrase = tokens.joined(separator: " ")
        return words.periods.first(where: { TextFolding.fold($0.key) == phrase }).flatMap { Self.period($0.value) }
    }

    /// "twice a year", "three times a month", "en gång i månaden", "raz na kwartał": the period
    /// divided by how many times.
    private func frequency(_ tokens: [String]) -> DurationValue? {
        let times = Set(words.times.map(TextFolding.fold))
        let per = Set(words.per.map(TextFolding.fold))
        let split: Int
        let countEnd: Int
        if let index = tokens.firstIndex(where: times.contains) {
            (split, countEnd) = (index + 1, index)
        } else if let index = tokens.indices.dropFirst().first(where: { per.contains(tokens[$0]) }) {
            (split, countEnd) = (index, index)
        } else {
            return nil
        }
        var count = 1
        if countEnd > 0 {
            guard let said = number(Array(tokens[..<countEnd])), said > 0 else { return nil }
            count = said
        }
        let rest = Array(tokens[split...].drop { per.contains($0) })
        guard !rest.isEmpty, let whole = length(rest) else { return nil }
        return Self.divide(whole, by: count)
    }

    /// A whole number said in digits or words ("3", "three", "a couple of").
    private func number(_ tokens: [String]) -> Int? {
        let phrase = tokens.joined(separator: " ")
        if let value = Int(phrase) { return value }
        return words.numbers.first(where: { TextFolding.fold($0.key) == phrase })?.value
    }

    /// A period split into equal parts: a month in two is two weeks, a year in three four months.
    static func divide(_ period: DurationValue, by count: Int) -> DurationValue? {
        guard count > 0 else { return nil }
        if let minutes = period.minutes {
            return minutes % count == 0 ? normalized(minutes: minutes / count) : nil
        }
        let months = period.amount
        if months % count == 0 { return DurationValue(amount: months / count, unit: .month) }
        if (months * 4) % count == 0 { return DurationValue(amount: months * 4 / count, unit: .week) }
        if (months * 30) % count == 0 { return normalized(minutes: months * 30 / count * 24 * 60) }
        return nil
    }

    /// A length: "2 weeks", "1h30", "half an hour", "pół roku".
    private func length(_ tokens: [String]) -> DurationValue? {
        if tokens.count == 1, tokens[0].contains(":") {  // "1:30"
            let parts = tokens[0].split(separator: ":").map { Int($0) }
            guard parts.count == 2, let hours = parts[0], let minutes = parts[1], (0...59).contains(minutes),
                  (0...Self.longestMinutes / 60).contains(hours)
            else { return nil }
            return DurationValue(amount: hours * 60 + minutes, unit: .minute)
        }

        var totalMinutes = 0.0
        var months: Double? = nil
        var pending: Double? = nil
        for token in tokens {
            if let (unit, multiple) = unit(for: token) {
                let amount = (pending ?? 1) * Double(multiple)
                pending = nil
                switch unit {
                case .minute: totalMinutes += amount
                case .hour: totalMinutes += amount * 60
                case .day: totalMinutes += amount * 60 * 24
                case .week: totalMinutes += amount * 60 * 24 * 7
                case .month:
                    guard amount == amount.rounded(), amount <= Double(Self.longestMonths), months == nil, totalMinutes == 0 else { return nil }
                    months = amount
                }
            } else if words.half.contains(where: { TextFolding.fold($0) == token }) {
                pending = (pending ?? 1) * 0.5
            } else if let number = Double(token.replacingOccurrences(of: ",", with: ".")), number.isFinite, number >= 0 {
                guard pending == nil else { return nil }
                pending = number
            } else if let value = words.numbers.first(where: { TextFolding.fold($0.key) == token })?.value {
                pending = pending.map { $0 * Double(value) } ?? Double(value)
            } else {
                return nil
            }
        }
        if let months {
            return pending == nil && totalMinutes == 0 && months > 0 ? DurationValue(amount: Int(months), unit: .month) : nil
        }
        if let leftover = pending {
            // "90" is minutes; "1h 30" is an hour and thirty minutes.
            totalMinutes += leftover
        }
        guard totalMinutes > 0, totalMinutes <= Double(Self.longestMinutes), totalMinutes == totalMinutes.rounded() else { return nil }
        return Self.normalized(minutes: Int(totalMinutes))
    }

    /// A period's meaning as the lexicon writes it, in English unit names: "2 weeks", "1 month".
    /// Also how flows write lengths that must not depend on the language (`due_default: 2 weeks`).
    public static func period(_ meaning: String) -> DurationValue? {
        let parts = meaning.split(separator: " ")
        guard parts.count == 2, let amount = Int(parts[0]), amount > 0, amount <= 10_000 else { return nil }
        let name = parts[1].hasSuffix("s") ? String(parts[1].dropLast()) : String(parts[1])
        if let longer = longerUnits[name] { return DurationValue(amount: amount * longer.amount, unit: longer.unit) }
        return DurationValue.Unit(rawValue: name).map { DurationValue(amount: amount, unit: $0) }
    }

    /// The largest whole unit: 120 minutes is "2 hours", 14 days is "2 weeks".
    static func normalized(minutes: Int) -> DurationValue {
        let day = 60 * 24
        if minutes % (day * 7) == 0 { return DurationValue(amount: minutes / (day * 7), unit: .week) }
        if minutes % day == 0 { return DurationValue(amount: minutes / day, unit: .day) }
        if minutes % 60 == 0 { return DurationValue(amount: minutes / 60, unit: .hour) }
        return DurationValue(amount: minutes, unit: .minute)
    }

    /// The unit a word names and how many of it: "weeks" is one week, "quarter" three months.
    private func unit(for token: String) -> (DurationValue.Unit, Int)? {
        for (name, list) in words.units.sorted(by: { $0.key < $1.key }) where list.contains(where: { TextFolding.fold($0) == token }) {
            if let unit = DurationValue.Unit(rawValue: name) { return (unit, 1) }
            if let longer = Self.longerUnits[name] { return (longer.unit, longer.amount) }
        }
        return nil
    }

    private func splitDigitsFromLetters(_ token: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var currentIsNumber: Bool? = nil
        for character in token {
            let isNumber = character.isNumber || character == "." || character == "," || character == ":"
            if let kind = currentIsNumber, kind != isNumber {
                parts.append(current)
                current = ""
            }
            current.append(character)
            currentIsNumber = isNumber
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }
}
