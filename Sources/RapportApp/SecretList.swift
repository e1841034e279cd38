/// A config value that may be one secret or a list of them, each the secret itself or
/// `env:NAME`: Mattermost, say, gives each slash command and each outgoing webhook its own token.
public struct SecretList: Codable, Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    public var values: [String]

    public init(_ values: [String]) {
        self.values = values
    }

    public init(stringLiteral value: String) {
        values = [value]
    }

    public init(arrayLiteral elements: String...) {
        values = elements
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }
}
