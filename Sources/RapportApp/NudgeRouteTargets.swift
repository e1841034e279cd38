/// Where one kind of nudge goes, as `nudges.routes` writes it: one name (`team`, `dm`, `none`) or
/// a list of them (`[team, dm]`), where `dm` is the owner's own Slack direct message.
public struct NudgeRouteTargets: Codable, Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    public var names: [String]

    /// The name that stands for the owner's DM with the Slack app's bot.
    public static let directMessage = "dm"

    public init(_ names: [String]) { self.names = names }
    public init(stringLiteral value: String) { names = [value] }
    public init(arrayLiteral elements: String...) { names = elements }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let name = try? container.decode(String.self) {
            names = [name]
        } else {
            names = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if names.count == 1 { try container.encode(names[0]) } else { try container.encode(names) }
    }
}
