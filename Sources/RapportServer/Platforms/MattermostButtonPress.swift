import Foundation
import Hummingbird
import RapportApp
import RapportCore
import RapportDelivery

/// `POST /v1/mattermost/actions`: a button pressed on one of the Mattermost bot's questions or DM
/// nudges. Mattermost posts the button's `integration.context` as JSON with who pressed it
/// (`user_id`), where (`channel_id`, `post_id`) and a `trigger_id` of its own for each press.
/// Anyone can post to this URL, so the context's value is believed only when its signature is
/// ours (`MattermostActionLink`); the press is then a turn like a Slack one, its reply posted in
/// the DM by the outbox, and a press retried with the same `trigger_id` answered once.
struct MattermostButtonPress: ChatPlatform {
    var path: RouterPath { "/v1/mattermost/actions" }

    func read(_ request: Request, body: [UInt8], policy: ChatServerPolicy, languages: [String]) throws -> InboundChat {
        guard let link = policy.mattermostActions, let destination = policy.mattermostBotDestination else {
            throw HTTPError(.unauthorized, message: "this rapport has no Mattermost bot with buttons")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object")
        }
        // Verified before anything else of the body is believed.
        guard let context = object["context"] as? [String: Any], let raw = link.value(of: context) else {
            throw HTTPError(.unauthorized, message: "the button's context is not signed by this rapport")
        }
        guard let user = Self.id(object["user_id"]), let channel = Self.id(object["channel_id"]), let post = Self.id(object["post_id"]) else {
            throw HTTPError(.badRequest, message: "a button press needs user_id, channel_id and post_id")
        }
        // Each press has its own trigger id (long: kept as a digest); without one, by its post and value.
        let press = Self.digest(Self.id(object["trigger_id"]) ?? raw)
        var message = InboundMessage(
            platform: .mattermost, workspace: nil, user: user, text: "",
            messageID: MessageID(platform: .mattermost, value: "press:\(post)/\(press)"),
            replyChannel: ReplyChannel(destination: destination, channel: channel))
        if let value = SlackButtonValue(parsing: raw) {
            message.text = value.answer
            message.press = ChatPress(
                conversationID: value.conversationID, version: value.version, stepID: value.stepID, answer: value.answer, startedAt: value.startedAt)
        } else if let value = SlackNudgeValue(parsing: raw) {
            message.text = value.action.rawValue
            message.nudgePress = NudgePress(action: value.action, subjectID: value.subjectID, owner: value.owner)
        } else {
            return .ignored
        }
        return .message(message)
    }

    /// FNV-1a, 64 bits, in hex: the same on every replica and every run (unlike `hashValue`).
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// An id as Mattermost writes them (letters, digits, `_`, `-`; a trigger id also `:` and
    /// base64's `+/=`), or nil.
    private static func id(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty, text.utf8.count <= 1_024,
              text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_-:+/=".unicodeScalars.contains($0)) })
        else { return nil }
        return text
    }

    /// Mattermost wants JSON back; `{}` leaves the post as it is. The reply is posted in the DM.
    func respond(_ reply: ChatService.Reply, to message: InboundMessage) throws -> Response {
        try json([String: String]())
    }

    func refuseStranger(_ message: InboundMessage) throws -> Response {
        try json(["ephemeral_text": strangerReply])
    }
}
