import Foundation
import RapportApp
import RapportCore
import RapportDelivery

/// One frame of Mattermost's WebSocket event stream, read as hostile: a `hello` (whose
/// `broadcast.user_id` is the bot's own), a person's message to answer, or nothing. A `posted`
/// event carries its post as a JSON string in `data.post`; a post in a direct channel
/// (`channel_type` `D`) is a turn, and so is one in a channel that mentions the bot (answered in
/// its thread). The bot's own posts, other bots' and webhooks' (`from_bot`), system messages
/// (a `type`), edits and every other event are not.
enum MattermostEvent: Equatable {
    case hello(botUserID: String?)
    case message(platform: UserKey.Platform, user: String, text: String, postID: String, channel: String, thread: String?)
    case ignored

    /// Longer than any post Mattermost keeps (16,383 characters, 4 bytes each at most), with its JSON.
    static let maximumFrameBytes = 128 * 1024

    static func read(_ frame: String, botUserID: String?) -> MattermostEvent {
        guard frame.utf8.count <= maximumFrameBytes,
              let object = try? JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any],
              let event = object["event"] as? String
        else { return .ignored }
        let data = object["data"] as? [String: Any] ?? [:]
        switch event {
        case "hello":
            return .hello(botUserID: id((object["broadcast"] as? [String: Any])?["user_id"]))
        case "posted":
            break
        default:
            return .ignored
        }
        guard let encoded = data["post"] as? String, let post = try? JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any],
              let user = id(post["user_id"]), let postID = id(post["id"]), let channel = id(post["channel_id"])
        else { return .ignored }
        let props = post["props"] as? [String: Any] ?? [:]
        guard user != botUserID, (post["type"] as? String ?? "").isEmpty, !isTrue(props["from_bot"]), !isTrue(props["from_webhook"]) else {
            return .ignored
        }
        let message = post["message"] as? String ?? ""
        let root = id(post["root_id"])
        if data["channel_type"] as? String == "D" {
            return .message(platform: .mattermost, user: user, text: message.trimmingCharacters(in: .whitespaces), postID: postID, channel: channel, thread: root)
        }
        // A channel or group message: only when it mentions the bot, answered in its thread.
        guard let botUserID, let mentions = data["mentions"] as? String,
              let mentioned = try? JSONSerialization.jsonObject(with: Data(mentions.utf8)) as? [String], mentioned.contains(botUserID)
        else { return .ignored }
        return .message(platform: .mattermost, user: user, text: withoutLeadingMention(message), postID: postID, channel: channel, thread: root ?? postID)
    }

    /// The words after `@rapport` (or whatever the bot is called) at the start.
    static func withoutLeadingMention(_ text: String) -> String {
        var rest = Substring(text).drop(while: \.isWhitespace)
        if rest.hasPrefix("@") { rest = rest.drop(while: { !$0.isWhitespace }) }
        return rest.trimmingCharacters(in: .whitespaces)
    }

    /// Mattermost writes props as strings (`"true"`) or booleans.
    private static func isTrue(_ value: Any?) -> Bool {
        (value as? Bool) == true || (value as? String)?.lowercased() == "true"
    }

    /// A Mattermost id (26 lower-case letters and digits; tests and older servers use others),
    /// or nil for anything that is not a short plain token.
    private static func id(_ value: Any?) -> String? {
        guard let text = value as? String, MattermostDirectChannel.isID(text) else { return nil }
        return text
    }
}
