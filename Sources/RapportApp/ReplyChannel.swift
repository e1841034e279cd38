/// Where the bot's reply to one chat message is posted, later and through the outbox, when the
/// platform does not take the reply as the answer to its request (Slack's Events API): the
/// destination that posts as the bot, and the conversation (and thread) to post in.
public struct ReplyChannel: Sendable, Hashable {
    /// The outbox destination that posts as the bot (`RapportSettings.slackBotDestination`).
    public var destination: String
    /// The platform's conversation id: a DM (`D…`) or a channel (`C…`).
    public var channel: String
    /// The thread to answer in (a mention in a channel is answered in its thread).
    public var thread: String?

    public init(destination: String, channel: String, thread: String? = nil) {
        self.destination = destination
        self.channel = channel
        self.thread = thread
    }
}
