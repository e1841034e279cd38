/// The chat platforms rapport posts to, each with its own payload, markup and limits.
public enum WebhookKind: String, Sendable, Codable, CaseIterable {
    case slack, mattermost, discord, teams, googlechat, generic
    /// Slack's Web API `chat.postMessage` with the bot's token: replies in the person's DM. Set up
    /// by `server.slack_bot_token`, not as a destination.
    case slackBot = "slack_bot"
    /// Mattermost's REST API `POST /api/v4/posts` with the bot account's access token: replies in
    /// the person's DM. Set up by `server.mattermost_bot_token`, not as a destination.
    case mattermostBot = "mattermost_bot"

    /// The kinds a destination in the config can be.
    public static var configurable: [WebhookKind] { allCases.filter { !$0.isBot } }

    /// Whether it posts as a bot into a conversation it names (a DM), rather than to a webhook's channel.
    public var isBot: Bool { self == .slackBot || self == .mattermostBot }

    /// Whether its messages are a conversation's replies, posted in the order they were written:
    /// a failed one holds the messages behind it rather than letting them overtake it.
    public var keepsOrder: Bool { isBot }

    /// The least time between two posts to one destination, from each platform's published
    /// limits (Slack's incoming webhooks about one a second, Google Chat 60 a minute per space,
    /// Teams connectors 4 a second, Discord 5 per 2 seconds per webhook).
    public var minimumInterval: Duration {
        switch self {
        // chat.postMessage: about one message a second per conversation ("special" tier).
        case .slack, .googlechat, .slackBot: return .seconds(1)
        case .teams: return .milliseconds(250)
        case .discord: return .milliseconds(400)
        // Mattermost's own rate limit is per user and configurable (10 a second by default).
        case .mattermostBot: return .milliseconds(100)
        case .mattermost, .generic: return .zero
        }
    }
}
