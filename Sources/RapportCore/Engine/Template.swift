/// Slot interpolation in flow texts: `{contact.name}`, `{contact.name|first}`,
/// `{contact.name|first|or:them}`, and in Polish a name in a case: `{contact.name|instrumental}`.
///
/// A text may give alternatives separated by `||`: the first whose case filters could all decline
/// their name is used, else the last. So a Polish question can name the person in the
/// instrumental and fall back to another phrasing for a name it cannot decline:
/// `Kiedy spotykasz się z {contact.name|instrumental}? || {contact.name}: kiedy się spotykacie?`
public enum Template {
    /// The filters a placeholder may apply, after the slot name.
    public static let filters = ["first", "or"] + PolishName.Case.allCases.map(\.rawValue)

    /// What separates alternative phrasings of one text.
    public static let alternativeSeparator = "||"

    /// The text with every placeholder replaced; a missing slot becomes its `or:` fallback or nothing.
    public static func render(_ template: String, slots: [String: SlotValue], formatter: ValueFormatter) -> String {
        let alternatives = template.components(separatedBy: alternativeSeparator)
        for (index, alternative) in alternatives.enumerated() {
            let isLast = index == alternatives.count - 1
            let trimmed = alternatives.count == 1 ? alternative : alternative.trimmingWhitespace()
            if let text = render(alternative: trimmed, slots: slots, formatter: formatter, strict: !isLast) { return text }
        }
        return ""
    }

    /// One alternative; nil when `strict` and a case filter could not decline its name.
    private static func render(alternative template: String, slots: [String: SlotValue], formatter: ValueFormatter, strict: Bool) -> String? {
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                output += rest[open...]
                return output
            }
            let placeholder = Placeholder(rest[rest.index(after: open)..<close])
            guard let text = placeholder.render(slots: slots, formatter: formatter) else {
                if strict { return nil }
                output += slots[placeholder.slot].map { formatter.format($0, slot: placeholder.slot) } ?? ""
                rest = rest[rest.index(after: close)...]
                continue
            }
            output += text
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output
    }

    /// The slot names a template refers to, with their offsets in the text, for validation.
    public static func placeholders(in template: String) -> [Placeholder] {
        var result: [Placeholder] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result.append(Placeholder(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return result
    }

    /// One `{slot|filter|…}` occurrence.
    public struct Placeholder: Hashable, Sendable {
        public var slot: String
        public var filters: [(name: String, argument: String?)]

        init(_ body: Substring) {
            let parts = body.split(separator: "|", omittingEmptySubsequences: false).map {
                String($0).trimmingWhitespace()
            }
            slot = parts.first ?? ""
            filters = parts.dropFirst().map { part in
                if let colon = part.firstIndex(of: ":") {
                    return (String(part[..<colon]), String(part[part.index(after: colon)...]))
                }
                return (part, nil)
            }
        }

        /// The placeholder's text; nil when a case filter cannot decline the name it was given.
        func render(slots: [String: SlotValue], formatter: ValueFormatter) -> String? {
            var text = slots[slot].map { formatter.format($0, slot: slot) } ?? ""
            for filter in filters {
                switch filter.name {
                case "first": text = text.split(separator: " ").first.map(String.init) ?? ""
                case "or" where text.isEmpty: text = filter.argument ?? ""
                case let name:
                    // Cases are Polish grammar; other languages keep the name as it is.
                    guard let grammaticalCase = PolishName.Case(rawValue: name), formatter.lexicon.language == "pl" else { continue }
                    guard let declined = PolishName.decline(text, grammaticalCase) else { return nil }
                    text = declined
                }
            }
            return text
        }

        public static func == (lhs: Placeholder, rhs: Placeholder) -> Bool {
            lhs.slot == rhs.slot && lhs.filters.map(\.name) == rhs.filters.map(\.name)
                && lhs.filters.map(\.argument) == rhs.filters.map(\.argument)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(slot)
            hasher.combine(filters.map(\.name))
        }
    }
}
