import Foundation
import Hummingbird
import RapportApp
import RapportCore
import RapportDelivery

/// `POST /v1/slack/events`: the Slack app's Events API. Direct messages to the bot (`message`
/// in an `im`) and mentions of it (`app_mention`) are turns; the bot's own messages, edits and
/// every other `subtype` are not. The request is answered as soon as the turn and its reply are
/// committed (Slack retries after 3 s, with `X-Slack-Retry-Num`; a retry's `event_id` is already
/// claimed, so it changes nothing); the reply is posted by the outbox with `chat.postMessage`.
struct SlackEvents: ChatPlatform {
    var path: RouterPath { "/v1/slack/events" }

    func read(_ request: Request, body: [UInt8], policy: ChatServerPolicy, languages: [String]) throws -> InboundChat {
        guard let slack = policy.slack,
              slack.verify(timestamp: header("x-slack-request-timestamp", in: request), signature: header("x-slack-signature", in: request),
                           body: body, now: policy.clock())
        else { throw HTTPError(.unauthorized, message: "the request is not signed with this app's signing secret") }
        guard let envelope = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let type = envelope["type"] as? String else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object with a \"type\"")
        }
        switch type {
        case "url_verification":
            // Slack checks the Request URL once: the challenge, echoed.
            guard let challenge = envelope["challenge"] as? String else { throw HTTPError(.badRequest, message: "url_verification needs a challenge") }
            return .handshake(try json(["challenge": challenge]))
        case "event_callback":
            return try message(in: envelope, policy: policy)
        default:
            return .ignored
        }
    }

    /// The person's message in an `event_callback`, or nothing to answer.
    private func message(in envelope: [String: Any], policy: ChatServerPolicy) throws -> InboundChat {
        guard let event = envelope["event"] as? [String: Any], let eventType = event["type"] as? String else { return .ignored }
        // Edits (`message_changed`), deletions, joins, the bot's own posts (`bot_message`): not the person speaking.
        guard event["subtype"] == nil, event["bot_id"] == nil, let user = event["user"] as? String, !user.isEmpty,
              let channel = event["channel"] as? String, !channel.isEmpty
        else { return .ignored }
        if user == policy.slackBotUserID ?? Self.botUserID(envelope) { return .ignored }
        let thread: String?
        switch eventType {
        case "message" where event["channel_type"] as? String == "im":
            thread = event["thread_ts"] as? String
        case "app_mention":
            // A mention in a channel is answered in its thread, not in the channel itself.
            thread = (event["thread_ts"] as? String) ?? (event["ts"] as? String)
        default:
            return .ignored
        }
        guard let eventID = envelope["event_id"] as? String, !eventID.isEmpty else {
            throw HTTPError(.badRequest, message: "an event_callback needs an event_id")
        }
        guard let destination = policy.slackBotDestination else { return .ignored }
        let team = (envelope["team_id"] as? String) ?? (event["team"] as? String)
        return .message(InboundMessage(
            platform: .slack, workspace: team, user: user, text: Self.plainText(event["text"] as? String ?? ""),
            messageID: MessageID(platform: .slack, value: eventID), replyChannel: ReplyChannel(destination: destination, channel: channel, thread: thread)))
    }

    /// Slack has answered already: every event is acknowledged with an empty 200.
    func respond(_ reply: ChatService.Reply, to message: InboundMessage) throws -> Response {
        Response(status: .ok)
    }

    func refuseStranger(_ message: InboundMessage) throws -> Response {
        Response(status: .ok)
    }

    /// The bot's own user id, as the event's `authorizations` says (the installation it is for).
    static func botUserID(_ envelope: [String: Any]) -> String? {
        let authorizations = envelope["authorizations"] as? [[String: Any]] ?? []
        return (authorizations.first { $0["is_bot"] as? Bool == true } ?? authorizations.first)?["user_id"] as? String
    }

    /// What the person typed: Slack sends `&`, `<` and `>` escaped, and a mention of the bot
    /// (`<@U0BOT> prep Anna`) before the words.
    static func plainText(_ text: String) -> String {
        var text = Substring(text).drop(while: \.isWhitespace)
        while text.hasPrefix("<@"), let end = text.firstIndex(of: ">") {
            text = text[text.index(after: end)...].drop(while: \.isWhitespace)
        }
        return String(text).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespaces)
    }
}
