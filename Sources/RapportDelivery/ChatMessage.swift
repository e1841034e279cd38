/// A message for a team channel, before it is shaped for a platform. Text is plain: each
/// platform's markup is added, and user text escaped, when the payload is built.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Stable across retries: sent as `webhook-id` (generic) or Google Chat's `messageId`.
    public var idempotencyKey: String
    /// What kind of nudge this is (`followup`, `reminder`, `digest`, `test`…), for generic receivers.
    public var kind: String
    /// One line, shown in bold where the platform has bold.
    public var title: String
    /// The body, a line each.
    public var lines: [String]

    public init(idempotencyKey: String, kind: String, title: String, lines: [String]) {
        self.idempotencyKey = idempotencyKey
        self.kind = kind
        self.title = title
        self.lines = lines
    }
}

/// The chat platforms rapport posts to, each with its own payload, markup and limits.
public enum WebhookKind: String, Sendable, Codable, CaseIterable {
    case slack, mattermost, discord, teams, googlechat, generic

    /// The least time between two posts to one destination, from each platform's published
    /// limits (Slack's incoming webhooks about one a second, Google Chat 60 a minute per space,
    /// Teams connectors 4 a second, Discord 5 per 2 seconds per webhook).
    public var minimumInterval: Duration {
        switch self {
        case .slack, .googlechat: return .seconds(1)
        case .teams: return .milliseconds(250)
        case .discord: return .milliseconds(400)
        case .mattermost, .generic: return .zero
        }
    }
}
