/// An `RRULE` as RFC 5545 section 3.3.10 defines it.
public struct RecurrenceRule: Hashable, Sendable {
    public enum Frequency: Int, Comparable, Sendable {
        case secondly, minutely, hourly, daily, weekly, monthly, yearly

        public static func < (lhs: Frequency, rhs: Frequency) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A `BYDAY` entry: an ISO weekday (1 Monday … 7 Sunday), with an ordinal such as 1 or -1.
    public struct WeekdayNumber: Hashable, Sendable {
        public var ordinal: Int?
        public var weekday: Int
    }

    /// Until, as written: a date (inclusive), or a moment (UTC, or local for a floating start).
    public enum Until: Hashable, Sendable {
        case date(CivilTime)
        case moment(CalendarTime)
    }

    public var frequency: Frequency
    public var interval = 1
    public var count: Int?
    public var until: Until?
    public var byDay: [WeekdayNumber] = []
    public var byMonthDay: [Int] = []
    public var byMonth: [Int] = []
    public var byYearDay: [Int] = []
    /// Week numbers of the year (weeks begin on `weekStart`; week 1 is the first with four days in the year).
    public var byWeekNo: [Int] = []
    public var bySetPos: [Int] = []
    public var byHour: [Int] = []
    public var byMinute: [Int] = []
    public var bySecond: [Int] = []
    /// The week's first day (ISO weekday), default Monday.
    public var weekStart = 1

    public init(frequency: Frequency) {
        self.frequency = frequency
    }

    /// The most entries a BY list may have: no real rule comes near, and a long list costs every period.
    static let maxListEntries = 400

    /// Reads an RRULE value, or says in one sentence what is wrong with it.
    public static func parse(_ text: String) -> Result<RecurrenceRule, RuleError> {
        var parts: [String: String] = [:]
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return .failure(RuleError("'\(part)' is not NAME=VALUE")) }
            parts[pair[0].uppercased()] = pair[1]
        }
        let frequencies: [String: Frequency] = [
            "SECONDLY": .secondly, "MINUTELY": .minutely, "HOURLY": .hourly, "DAILY": .daily, "WEEKLY": .weekly, "MONTHLY": .monthly, "YEARLY": .yearly,
        ]
        guard let name = parts["FREQ"] else { return .failure(RuleError("FREQ is missing")) }
        guard let frequency = frequencies[name.uppercased()] else { return .failure(RuleError("FREQ=\(name) is not a frequency")) }
        var rule = RecurrenceRule(frequency: frequency)
        if let value = parts["INTERVAL"] {
            guard let interval = Int(value), interval >= 1 else { return .failure(RuleError("INTERVAL=\(value) is not a positive number")) }
            rule.interval = min(interval, 1_000_000)
        }
        if let value = parts["COUNT"] {
            guard let count = Int(value), count >= 1 else { return .failure(RuleError("COUNT=\(value) is not a positive number")) }
            rule.count = count
        }
        if let value = parts["UNTIL"] {
            guard let until = CalendarValues.time(value, tzid: nil, isDate: nil) else { return .failure(RuleError("UNTIL=\(value) is not a date")) }
            rule.until = until.isDate ? .date(until.civil) : .moment(until)
        }
        if rule.count != nil && rule.until != nil { return .failure(RuleError("COUNT and UNTIL are both given")) }
        func numbers(_ key: String, _ range: ClosedRange<Int>, allowNegative: Bool = true) -> Result<[Int], RuleError> {
            guard let value = parts[key] else { return .success([]) }
            var list: [Int] = []
            for item in value.split(separator: ",") {
                guard let number = Int(item), range.contains(abs(number)), allowNegative || number >= 0, number != 0 || range.lowerBound == 0 else {
                    return .failure(RuleError("\(key)=\(value) has '\(item)', which is out of range"))
                }
                list.append(number)
            }
            guard list.count <= maxListEntries else { return .failure(RuleError("\(key) lists more than \(maxListEntries) values")) }
            return .success(list)
        }
        do {
            rule.byMonthDay = try numbers("BYMONTHDAY", 1...31).get()
            rule.byMonth = try numbers("BYMONTH", 1...12, allowNegative: false).get()
            rule.byYearDay = try numbers("BYYEARDAY", 1...366).get()
            rule.byWeekNo = try numbers("BYWEEKNO", 1...53).get()
            rule.bySetPos = try numbers("BYSETPOS", 1...366).get()
            rule.byHour = try numbers("BYHOUR", 0...23, allowNegative: false).get()
            rule.byMinute = try numbers("BYMINUTE", 0...59, allowNegative: false).get()
            rule.bySecond = try numbers("BYSECOND", 0...60, allowNegative: false).get().map { min($0, 59) }
        } catch {
            return .failure(error)
        }
        if let value = parts["BYDAY"] {
            for item in value.split(separator: ",") {
                let text = item.uppercased()
                guard text.count >= 2, let weekday = weekdays[String(text.suffix(2))] else {
                    return .failure(RuleError("BYDAY=\(value) has '\(item)', which is not a weekday such as MO, 1MO or -1FR"))
                }
                let prefix = text.dropLast(2)
                var ordinal: Int? = nil
                if !prefix.isEmpty {
                    guard let number = Int(prefix.hasPrefix("+") ? String(prefix.dropFirst()) : String(prefix)), (1...53).contains(abs(number)) else {
                        return .failure(RuleError("BYDAY=\(value) has '\(item)', whose number is out of range"))
                    }
                    ordinal = number
                }
                rule.byDay.append(WeekdayNumber(ordinal: ordinal, weekday: weekday))
            }
            guard rule.byDay.count <= maxListEntries else { return .failure(RuleError("BYDAY lists more than \(maxListEntries) values")) }
        }
        if let value = parts["WKST"] {
            guard let weekday = weekdays[value.uppercased()] else { return .failure(RuleError("WKST=\(value) is not a weekday")) }
            rule.weekStart = weekday
        }
        if !rule.byWeekNo.isEmpty && frequency != .yearly {
            return .failure(RuleError("BYWEEKNO is only for FREQ=YEARLY (RFC 5545)"))
        }
        return .success(rule)
    }

    static let weekdays: [String: Int] = ["MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 7]

    /// Why an RRULE could not be read.
    public struct RuleError: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
