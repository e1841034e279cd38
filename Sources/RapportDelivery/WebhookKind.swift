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
