import Foundation

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
    /// The conversation to post in, for a destination that posts as a bot (a Slack DM or channel
    /// id for `chat.postMessage`); nil for a webhook, which has its channel in its URL.
    public var channel: String?
    /// The thread to answer in (Slack's `thread_ts`), when the message answered was in one.
    public var thread: String?
    /// The question's one-press answers, for a platform with buttons (the Slack app's bot); the
    /// lines still say the question, for every other place the text is shown.
    public var buttons: ChatButtons?
    /// A finished conversation's card, laid out by a platform that can (Block Kit); it comes after
    /// the lines, and is not in them.
    public var card: SummaryCard?
    /// A nudge's buttons in its owner's DM ([Prep now], [Done] …); nil for a channel's nudge and a reply.
    public var actions: [NudgeAction]?

    public init(
        idempotencyKey: String, kind: String, title: String, lines: [String], channel: String? = nil, thread: String? = nil,
        buttons: ChatButtons? = nil, card: SummaryCard? = nil, actions: [NudgeAction]? = nil
    ) {
        self.actions = actions
        self.idempotencyKey = idempotencyKey
        self.kind = kind
        self.title = title
        self.lines = lines
        self.channel = channel
        self.thread = thread
        self.buttons = buttons
        self.card = card
    }

    /// The lines and then the card, as plain text.
    public var plainLines: [String] {
        lines + (card.map { [$0.plainText.trimmingCharacters(in: .whitespacesAndNewlines)] } ?? [])
    }
}
