import Foundation
import Hummingbird
import RapportApp
import RapportCore
import RapportDelivery

/// `POST /v1/slack/interactivity`: a button pressed on one of the bot's questions or DM nudges, as Slack's
/// interactivity sends it: form-encoded, one `payload` field of JSON (`type: block_actions`),
/// signed as the Events API is. The button's value says which question it answers
/// (`SlackButtonValue`); the press is a turn with that answer only while the question is still
/// the one asked. Slack wants the 200 within 3 s; it comes once the turn and its reply (posted
/// by the outbox) are committed, and a retried press (the same message and `action_ts`) is
/// answered once.
struct SlackButtonPress: ChatPlatform {
    var path: RouterPath { "/v1/slack/interactivity" }

    /// More than a block_actions payload for one of our messages needs (50 blocks of text).
    static let maximumPayloadBytes = 48 * 1024
    /// Slack's ids (`U…`, `T…`, `D…`) and timestamps (`1548261231.000200`) are short and plain.
    static let maximumIDLength = 64

    func read(_ request: Request, body: [UInt8], policy: ChatServerPolicy, languages: [String]) throws -> InboundChat {
        // Verified before the body is parsed: an unsigned request never reaches the engine.
        guard let slack = policy.slack,
              slack.verify(timestamp: header("x-slack-request-timestamp", in: request), signature: header("x-slack-signature", in: request),
                           body: body, now: policy.clock())
        else { throw HTTPError(.unauthorized, message: "the request is not signed with this app's signing secret") }
        guard let payload = FormBody(body)["payload"], payload.utf8.count <= Self.maximumPayloadBytes,
              let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
        else { throw HTTPError(.badRequest, message: "the body must be a form whose payload field is a JSON object") }
        // Shortcuts, modal submissions and the rest: not a question answered.
        guard object["type"] as? String == "block_actions" else { return .ignored }
        guard let press = Self.press(in: object) else { return .ignored }
        guard let user = Self.id((object["user"] as? [String: Any])?["id"]) else {
            throw HTTPError(.badRequest, message: "a block_actions payload needs user.id")
        }
        let container = object["container"] as? [String: Any] ?? [:]
        guard let channel = Self.id((object["channel"] as? [String: Any])?["id"]) ?? Self.id(container["channel_id"]),
              let messageTS = Self.id(container["message_ts"]), let actionTS = Self.id(press.action["action_ts"])
        else { throw HTTPError(.badRequest, message: "a button press needs channel.id, container.message_ts and actions[0].action_ts") }
        guard let destination = policy.slackBotDestination else { return .ignored }
        let team = Self.id((object["team"] as? [String: Any])?["id"]) ?? Self.id((object["user"] as? [String: Any])?["team_id"])
        var message = InboundMessage(
            platform: .slack, workspace: team, user: user, text: "",
            messageID: MessageID(platform: .slack, value: "press:\(messageTS)/\(actionTS)"),
            replyChannel: ReplyChannel(destination: destination, channel: channel, thread: Self.id(container["thread_ts"])))
        switch press.value {
        case .question(let value):
            message.text = value.answer
            message.press = ChatPress(
                conversationID: value.conversationID, version: value.version, stepID: value.stepID, answer: value.answer, startedAt: value.startedAt)
        case .nudge(let value):
            message.text = value.action.rawValue
            message.nudgePress = NudgePress(action: value.action, subjectID: value.subjectID, owner: value.owner)
        }
        return .message(message)
    }

    /// What a button of ours carries: an answer to a question, or a nudge's action.
    enum Value {
        case question(SlackButtonValue)
        case nudge(SlackNudgeValue)
    }

    /// The first action, when it is one of our buttons: its value read back.
    private static func press(in object: [String: Any]) -> (action: [String: Any], value: Value)? {
        guard let actions = object["actions"] as? [[String: Any]], let action = actions.first, action["type"] as? String == "button",
              let raw = action["value"] as? String
        else { return nil }
        if let value = SlackButtonValue(parsing: raw) { return (action, .question(value)) }
        if let value = SlackNudgeValue(parsing: raw) { return (action, .nudge(value)) }
        return nil
    }

    /// An id or timestamp as Slack writes them (letters, digits, `.`, `_`, `-`), or nil.
    private static func id(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty, text.utf8.count <= maximumIDLength,
              text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._-".unicodeScalars.contains($0)) })
        else { return nil }
        return text
    }

    /// Slack has its 200; the reply is posted in the DM.
    func respond(_ reply: ChatService.Reply, to message: InboundMessage) throws -> Response {
        Response(status: .ok)
    }

    func refuseStranger(_ message: InboundMessage) throws -> Response {
        Response(status: .ok)
    }
}
