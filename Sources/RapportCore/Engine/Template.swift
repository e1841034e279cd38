/// Slot interpolation in flow texts: `{contact.name}`, `{contact.name|first}`,
/// `{contact.name|first|or:them}`.
public enum Template {
    /// The filters a placeholder may apply, after the slot name.
    public static let filters = ["first", "or"]

    /// The text with every placeholder replaced; a missing slot becomes its `or:` fallback or nothing.
    public static func render(_ template: String, slots: [String: SlotValue], formatter: ValueFormatter) -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                output += rest[open...]
                return output
            }
            let placeholder = Placeholder(rest[rest.index(after: open)..<close])
            output += placeholder.render(slots: slots, formatter: formatter)
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

        func render(slots: [String: SlotValue], formatter: ValueFormatter) -> String {
            var text = slots[slot].map { formatter.format($0, slot: slot) } ?? ""
            for filter in filters {
                switch filter.name {
                case "first": text = text.split(separator: " ").first.map(String.init) ?? ""
                case "or" where text.isEmpty: text = filter.argument ?? ""
                default: break
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
