/// Reads lengths of time: "30 min", "1h", "1.5 hours", "1h30", "1:30", "an hour", "half an hour",
/// "2 weeks", "every 3 months". A bare number is minutes.
public struct DurationParser: Sendable {
    public var words: DateWords
    /// Longer than this is not a length of time anyone means here (and would not fit an `Int`
    /// once in minutes): ten years.
    static let longestMonths = 120
    static let longestMinutes = 10 * 366 * 24 * 60

    public init(words: DateWords) {
        self.words = words
    }

    /// The duration the text names, or nil.
    public func parse(_ text: String) -> DurationValue? {
        var tokens: [String] = []
        for raw in TextFolding.fold(text).split(separator: " ") {
            tokens.append(contentsOf: splitDigitsFromLetters(String(raw)))
        }
        tokens.removeAll { token in words.fillers.contains { TextFolding.fold($0) == token } || token == "every" }
        guard !tokens.isEmpty else { return nil }
        let phrase = tokens.joined(separator: " ")
        if let meaning = words.periods.first(where: { TextFolding.fold($0.key) == phrase })?.value {
            return Self.period(meaning)  // "monthly" → 1 month
        }

        if tokens.count == 1, tokens[0].contains(":") {  // "1:30"
            let parts = tokens[0].split(separator: ":").map { Int($0) }
            guard parts.count == 2, let hours = parts[0], let minutes = parts[1], (0...59).contains(minutes),
                  (0...Self.longestMinutes / 60).contains(hours)
            else { return nil }
            return DurationValue(amount: hours * 60 + minutes, unit: .minute)
        }

        var totalMinutes = 0.0
        var monthsOrLarger: DurationValue? = nil
        var pending: Double? = nil
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if let unit = unit(for: token) {
                let amount = pending ?? 1
                pending = nil
                switch unit {
                case .minute: totalMinutes += amount
                case .hour: totalMinutes += amount * 60
                case .day: totalMinutes += amount * 60 * 24
                case .week: totalMinutes += amount * 60 * 24 * 7
                case .month:
                    guard amount == amount.rounded(), amount <= Double(Self.longestMonths), monthsOrLarger == nil, totalMinutes == 0 else { return nil }
                    monthsOrLarger = DurationValue(amount: Int(amount), unit: .month)
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
            index += 1
        }
        if let months = monthsOrLarger {
            return pending == nil && totalMinutes == 0 ? months : nil
        }
        if let leftover = pending {
            // "90" is minutes; "1h 30" is an hour and thirty minutes.
            totalMinutes += leftover
        }
        guard totalMinutes > 0, totalMinutes <= Double(Self.longestMinutes), totalMinutes == totalMinutes.rounded() else { return nil }
        return Self.normalized(minutes: Int(totalMinutes))
    }

    /// A period's meaning as the lexicon writes it, in English unit names: "2 weeks", "1 month".
    static func period(_ meaning: String) -> DurationValue? {
        let parts = meaning.split(separator: " ")
        guard parts.count == 2, let amount = Int(parts[0]), amount > 0 else { return nil }
        let name = parts[1].hasSuffix("s") ? String(parts[1].dropLast()) : String(parts[1])
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

    private func unit(for token: String) -> DurationValue.Unit? {
        for (name, list) in words.units where list.contains(where: { TextFolding.fold($0) == token }) {
            return DurationValue.Unit(rawValue: name)
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
