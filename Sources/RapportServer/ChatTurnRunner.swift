import Foundation
import Hummingbird
import Logging
import RapportApp
import RapportCore

/// One person's message answered, whichever way it came in (an HTTP request of a platform, or
/// the Mattermost bot's event stream): the sender let in or, once, told they are not; their own
/// time zone asked for; the press or the text handed to the conversation and committed.
struct ChatTurnRunner: Sendable {
    let chat: ChatService
    let policy: ChatServerPolicy
    /// Where a sender's own time zone comes from (Slack's `users.info`); nil: the configured one.
    var timeZones: (any PersonTimeZones)? = nil

    /// The bot's reply, or nil when the sender is not let in (told so in their DM when the reply
    /// goes there). A store that fails is a 500 the platform may retry, logged without the text.
    func answer(_ message: InboundMessage, logger: Logger) async throws -> ChatService.Reply? {
        let sender = UserKey(platform: message.platform, workspace: message.workspace, user: message.user)
        guard let user = policy.userKey(platform: message.platform, workspace: message.workspace, user: message.user) else {
            if let channel = message.replyChannel, let id = message.messageID {
                // Told in their DM, once: the platform is answered at once either way.
                try await turn(user: sender, logger: logger) {
                    try await chat.notify(strangerReply, sender: sender, messageID: id, replyChannel: channel)
                }
            }
            return nil
        }
        let zone = await timeZones?.timeZone(of: sender)
        return try await turn(user: user, logger: logger) {
            if let press = message.nudgePress {
                return try await chat.press(
                    press, user: user, platform: message.platform, messageID: message.messageID, replyChannel: message.replyChannel, timeZone: zone)
            }
            if let press = message.press {
                return try await chat.press(
                    press, user: user, platform: message.platform, messageID: message.messageID, replyChannel: message.replyChannel, timeZone: zone)
            }
            // A retried message id is answered once, whichever way the request got in.
            return try await chat.handle(
                text: message.text, user: user, platform: message.platform, language: message.language, messageID: message.messageID,
                replyChannel: message.replyChannel, timeZone: zone)
        }
    }

    private func turn<Result>(user: UserKey, logger: Logger, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            logger.error("chat turn failed", metadata: ["chat.user": .string(user.stored), "error": .string("\(error)")])
            throw HTTPError(.internalServerError, message: "the conversation could not be saved; try again")
        }
    }
}
