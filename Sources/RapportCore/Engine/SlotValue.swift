import Foundation

/// A parsed answer, as stored in a slot. The JSON form is stable: it is saved in the store after
/// every turn and read back by later versions.
public enum SlotValue: Hashable, Sendable {
    case text(String)
    case name(String)
    case when(WhenValue)
    case bool(Bool)
    case choice(String)
    case number(Int)
    case list([String])
    case duration(DurationValue)
    /// An action with a due date ("send the proposal by friday").
    case followUp(FollowUpValue)
    /// The answers a collecting step gathered, one per line.
    case many([SlotValue])

    /// The value as a condition compares it: `yes`/`no`, the choice's value, the text lowercased.
    public var comparable: String {
        switch self {
        case .text(let text), .name(let text): return text.lowercased()
        case .choice(let value): return value.lowercased()
        case .bool(let value): return value ? "yes" : "no"
        case .number(let value): return String(value)
        case .list(let items): return items.joined(separator: ", ").lowercased()
        case .when(let when): return String(Int(when.date.timeIntervalSince1970))
        case .duration(let duration): return duration.description
        case .followUp(let followUp): return followUp.action.lowercased()
        case .many(let items): return items.map(\.comparable).joined(separator: "; ")
        }
    }

    /// Plain text, when the value is text-like.
    public var text: String? {
        switch self {
        case .text(let text), .name(let text), .choice(let text): return text
        default: return nil
        }
    }

    /// Whether the value holds nothing worth showing (an empty text or list).
    public var isEmpty: Bool {
        switch self {
        case .text(let text), .name(let text), .choice(let text): return text.isEmpty
        case .list(let items): return items.isEmpty
        case .many(let items): return items.isEmpty
        default: return false
        }
    }
}

extension SlotValue: Codable {
    private enum CodingKeys: String, CodingKey { case type, value, date, hasTime, amount, unit, action, items }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "text": self = .text(try container.decode(String.self, forKey: .value))
        case "name": self = .name(try container.decode(String.self, forKey: .value))
        case "choice": self = .choice(try container.decode(String.self, forKey: .value))
        case "bool": self = .bool(try container.decode(Bool.self, forKey: .value))
        case "number": self = .number(try container.decode(Int.self, forKey: .value))
        case "list": self = .list(try container.decode([String].self, forKey: .value))
        case "when":
            let seconds = try container.decode(Double.self, forKey: .date)
            self = .when(WhenValue(date: Date(timeIntervalSince1970: seconds), hasTime: try container.decode(Bool.self, forKey: .hasTime)))
        case "duration":
            let unit = try container.decode(DurationValue.Unit.self, forKey: .unit)
            self = .duration(DurationValue(amount: try container.decode(Int.self, forKey: .amount), unit: unit))
        case "followUp":
            let due = WhenValue(date: Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .date)), hasTime: try container.decode(Bool.self, forKey: .hasTime))
            self = .followUp(FollowUpValue(action: try container.decode(String.self, forKey: .action), due: due))
        case "many":
            self = .many(try container.decode([SlotValue].self, forKey: .items))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown slot value type '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let value): try container.encode("text", forKey: .type); try container.encode(value, forKey: .value)
        case .name(let value): try container.encode("name", forKey: .type); try container.encode(value, forKey: .value)
        case .choice(let value): try container.encode("choice", forKey: .type); try container.encode(value, forKey: .value)
        case .bool(let value): try container.encode("bool", forKey: .type); try container.encode(value, forKey: .value)
        case .number(let value): try container.encode("number", forKey: .type); try container.encode(value, forKey: .value)
        case .list(let value): try container.encode("list", forKey: .type); try container.encode(value, forKey: .value)
        case .when(let when):
            try container.encode("when", forKey: .type)
            try container.encode(when.date.timeIntervalSince1970, forKey: .date)
            try container.encode(when.hasTime, forKey: .hasTime)
        case .duration(let duration):
            try container.encode("duration", forKey: .type)
            try container.encode(duration.amount, forKey: .amount)
            try container.encode(duration.unit, forKey: .unit)
        case .followUp(let followUp):
            try container.encode("followUp", forKey: .type)
            try container.encode(followUp.action, forKey: .action)
            try container.encode(followUp.due.date.timeIntervalSince1970, forKey: .date)
            try container.encode(followUp.due.hasTime, forKey: .hasTime)
        case .many(let items):
            try container.encode("many", forKey: .type)
            try container.encode(items, forKey: .items)
        }
    }
}

/// Something to do by a moment: a follow-up as the user said it.
public struct FollowUpValue: Hashable, Sendable {
    public var action: String
    public var due: WhenValue

    public init(action: String, due: WhenValue) {
        self.action = action
        self.due = due
    }
}

/// A moment named by the user: a date, with or without a time of day. Without a time, `date`
/// is the start of that day in the user's time zone.
public struct WhenValue: Hashable, Sendable {
    public var date: Date
    public var hasTime: Bool

    public init(date: Date, hasTime: Bool) {
        self.date = date
        self.hasTime = hasTime
    }
}

/// A length of time as the user said it ("30 min", "2 weeks"). Months stay months, so that
/// calendar arithmetic later can respect month lengths.
public struct DurationValue: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Unit: String, Codable, Sendable, CaseIterable {
        case minute, hour, day, week, month
    }

    public var amount: Int
    public var unit: Unit

    public init(amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// Minutes, for units of a fixed length; nil for months.
    public var minutes: Int? {
        switch unit {
        case .minute: return amount
        case .hour: return amount * 60
        case .day: return amount * 60 * 24
        case .week: return amount * 60 * 24 * 7
        case .month: return nil
        }
    }

    public var description: String { "\(amount) \(unit.rawValue)\(amount == 1 ? "" : "s")" }
}
