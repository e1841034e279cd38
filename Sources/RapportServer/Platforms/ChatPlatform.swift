import Hummingbird
import RapportApp
import RapportCore

/// One chat platform's way into `rapport serve`: it reads and verifies a request into a message
/// (or a handshake, or nothing to do), and renders the bot's reply the way that platform shows
/// it, with what the person typed escaped for its markup. `ChatPlatformController` registers
/// each on the router; the conversation behind them is the same ChatService.
protocol ChatPlatform: Sendable {
    /// Where the platform posts, e.g. `/v1/slack`.
    var path: RouterPath { get }
    /// The request, verified (its token or signature, in constant time) before anything of the
    /// body is believed. Throws an `HTTPError` for a request to refuse.
    func read(_ request: Request, body: [UInt8], policy: ChatServerPolicy, languages: [String]) throws -> InboundChat
    /// The HTTP answer to a message, given the bot's reply.
    func respond(_ reply: ChatService.Reply, to message: InboundMessage) throws -> Response
    /// The HTTP answer to a message from someone the server does not let in.
    func refuseStranger(_ message: InboundMessage) throws -> Response
}

/// What a platform made of one request.
enum InboundChat: Sendable {
    /// A person's message, to answer.
    case message(InboundMessage)
    /// The platform checking the endpoint (Slack's `url_verification`, `ssl_check`): answered as is.
    case handshake(Response)
    /// Nothing to answer (the bot's own message, an edit, an event rapport does not follow).
    case ignored
}

/// One message from a chat user, as the platform said it.
struct InboundMessage: Sendable {
    var platform: UserKey.Platform
    var workspace: String?
    var user: String
    var text: String
    /// The language asked for (generic JSON only); nil for the configured one.
    var language: String? = nil
    /// The platform's id for the message, so a retry is answered once.
    var messageID: MessageID?
    /// Where the reply is posted later, through the outbox, when the platform does not take it
    /// as the HTTP answer (Slack's Events API); nil when it does.
    var replyChannel: ReplyChannel? = nil
    /// Whether the reply is for the sender alone (a slash command), not the whole channel.
    var isPrivate: Bool = false
    /// The question a pressed button answers (its `text` is the answer); nil for a typed message.
    var press: ChatPress? = nil
    /// The nudge a pressed button in the owner's DM acts on; nil for anything else.
    var nudgePress: NudgePress? = nil
}
