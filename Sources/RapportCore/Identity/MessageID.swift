/// A chat platform's id for one incoming message (`webhook-id`, Slack's `trigger_id` or
/// `event_id`, Mattermost's `post_id`). Platforms retry what they think was lost, so a message is
/// claimed once with its reply, and a retry gets that reply without being applied again.
public struct MessageID: Hashable, Sendable, CustomStringConvertible {
    public var platform: UserKey.Platform
    public var value: String

    public init(platform: UserKey.Platform, value: String) {
        self.platform = platform
        self.value = value
    }

    /// The stored form, scoped by the sender: one user can never claim another's message id.
    public func stored(sender: UserKey) -> String {
        sender.stored + "/" + platform.rawValue + ":" + value
    }

    public var description: String { platform.rawValue + ":" + value }
}
