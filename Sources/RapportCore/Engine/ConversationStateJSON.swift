import Foundation

/// The state as the JSON its `Codable` conformance reads back, written by hand: a store writes it
/// after every turn, and Foundation's `JSONEncoder` took a tenth of a chat server's CPU per turn
/// for it (a profile of `make bench`'s chat load at its target pace). Same keys, sorted, same
/// values; only a number's spelling may differ from `JSONEncoder`'s, which JSON readers take alike.
extension ConversationState {
    public var json: String {
        var out = JSONWriter()
        out.beginObject()
        out.key("answers")
        out.beginObject()
        for (step, answer) in answers.sorted(by: { $0.key < $1.key }) {
            out.key(step)
            out.answer(answer)
        }
        out.endObject()
        out.key("attempts")
        out.number(attempts)
        out.key("confirmingCancel")
        out.bool(confirmingCancel)
        out.field("currentStep", currentStep)
        out.key("flowID")
        out.string(flowID)
        out.key("language")
        out.string(language)
        out.key("path")
        out.beginArray()
        for step in path { out.string(step) }
        out.endArray()
        out.key("prefill")
        out.beginObject()
        for (slot, value) in prefill.sorted(by: { $0.key < $1.key }) {
            out.key(slot)
            out.slotValue(value)
        }
        out.endObject()
        out.field("refusedLine", refusedLine)
        out.key("status")
        out.string(status.rawValue)
        out.field("suggestion", suggestion)
        out.endObject()
        return out.text
    }
}

extension SlotValue {
    /// As `encode(to:)` writes it (keys sorted): how a store keeps an answer's value.
    public var json: String {
        var out = JSONWriter()
        out.slotValue(self)
        return out.text
    }
}

/// A JSON text written left to right, the commas between members and elements its own.
public struct JSONWriter {
    public private(set) var text = ""
    private var needsComma = false

    public init() {
        text.reserveCapacity(1024)
    }

    public mutating func beginObject() {
        separate()
        text.append("{")
        needsComma = false
    }

    public mutating func endObject() {
        text.append("}")
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        text.append("[")
        needsComma = false
    }

    public mutating func endArray() {
        text.append("]")
        needsComma = true
    }

    public mutating func key(_ key: String) {
        string(key)
        text.append(":")
        needsComma = false
    }

    /// A key and its text, or nothing at all when there is no text (as `JSONEncoder` leaves out nil).
    public mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        text.append(value ? "true" : "false")
        needsComma = true
    }

    public mutating func number(_ value: Int) {
        separate()
        text.append(String(value))
        needsComma = true
    }

    /// Seconds since 1970: a whole number as `JSONEncoder` writes it, without a fraction.
    public mutating func number(_ value: Double) {
        separate()
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            text.append(String(Int64(value)))
        } else {
            text.append(value.isFinite ? String(value) : "0")
        }
        needsComma = true
    }

    /// A string, with what JSON requires escaped: the quote, the backslash and control characters.
    public mutating func string(_ value: String) {
        separate()
        text.append("\"")
        let utf8 = value.utf8
        var plainStart = utf8.startIndex
        var index = plainStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                text.append(contentsOf: value[plainStart..<index])
                switch byte {
                case UInt8(ascii: "\""): text.append("\\\"")
                case UInt8(ascii: "\\"): text.append("\\\\")
                case 0x0A: text.append("\\n")
                case 0x0D: text.append("\\r")
                case 0x09: text.append("\\t")
                default:
                    let hex = String(byte, radix: 16)
                    text.append("\\u00" + (hex.count == 1 ? "0" + hex : hex))
                }
                plainStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        text.append(contentsOf: value[plainStart..<utf8.endIndex])
        text.append("\"")
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { text.append(",") }
    }

    fileprivate mutating func answer(_ answer: ConversationState.Answer) {
        beginObject()
        key("raw")
        string(answer.raw)
        field("slot", answer.slot)
        if let value = answer.value {
            key("value")
            slotValue(value)
        }
        key("weak")
        bool(answer.weak)
        endObject()
    }

    /// As `SlotValue.encode(to:)`, its keys sorted.
    public mutating func slotValue(_ value: SlotValue) {
        beginObject()
        switch value {
        case .text(let text): tagged("text", text)
        case .name(let text): tagged("name", text)
        case .choice(let text): tagged("choice", text)
        case .bool(let flag):
            key("type")
            string("bool")
            key("value")
            bool(flag)
        case .number(let number):
            key("type")
            string("number")
            key("value")
            self.number(number)
        case .list(let items):
            key("type")
            string("list")
            key("value")
            beginArray()
            for item in items { string(item) }
            endArray()
        case .when(let when):
            key("date")
            self.number(when.date.timeIntervalSince1970)
            key("hasTime")
            bool(when.hasTime)
            key("type")
            string("when")
        case .duration(let duration):
            key("amount")
            self.number(duration.amount)
            key("type")
            string("duration")
            key("unit")
            string(duration.unit.rawValue)
        case .followUp(let followUp):
            key("action")
            string(followUp.action)
            key("date")
            self.number(followUp.due.date.timeIntervalSince1970)
            key("hasTime")
            bool(followUp.due.hasTime)
            key("type")
            string("followUp")
        case .many(let items):
            key("items")
            beginArray()
            for item in items { slotValue(item) }
            endArray()
            key("type")
            string("many")
        }
        endObject()
    }

    private mutating func tagged(_ type: String, _ value: String) {
        key("type")
        string(type)
        key("value")
        string(value)
    }
}
