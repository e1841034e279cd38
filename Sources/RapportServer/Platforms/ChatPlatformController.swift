import Foundation
import Hummingbird
import Logging
import RapportApp
import RapportCore

/// Registers one chat platform on the router as a route collection, in the style of
/// Hummingbird's controllers: the body bounded, the request read and verified by the platform,
/// the message handed to the conversation, the reply rendered by the platform.
struct ChatPlatformController<Platform: ChatPlatform> {
    let platform: Platform
    let chat: ChatService
    let policy: ChatServerPolicy
    /// Where a sender's own time zone comes from (Slack's `users.info`); nil: the configured one.
    var timeZones: (any PersonTimeZones)? = nil

    var routes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.post(platform.path) { request, context in try await handle(request, context: context) }
        return routes
    }

    func handle(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = Array(buffer: try await request.body.collect(upTo: policy.maxBodyBytes))
        switch try platform.read(request, body: body, policy: policy, languages: chat.languages) {
        case .handshake(let response):
            return response
        case .ignored:
            return Response(status: .ok)
        case .message(let message):
            guard let user = policy.userKey(platform: message.platform, workspace: message.workspace, user: message.user) else {
                if let channel = message.replyChannel, let id = message.messageID {
                    // Told in their DM, once: the platform is answered at once either way.
                    let sender = UserKey(platform: message.platform, workspace: message.workspace, user: message.user)
                    try await turn(message, user: sender, logger: context.logger) {
                        try await chat.notify(strangerReply, sender: sender, messageID: id, replyChannel: channel)
                    }
                }
                return try platform.refuseStranger(message)
            }
            let zone = await timeZones?.timeZone(of: UserKey(platform: message.platform, workspace: message.workspace, user: message.user))
            let reply = try await turn(message, user: user, logger: context.logger) {
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
            return try platform.respond(reply, to: message)
        }
    }

    /// Runs a turn; a store that fails is a 500 the platform may retry, logged without the text.
    private func turn<Result>(_ message: InboundMessage, user: UserKey, logger: Logger, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            logger.error("chat turn failed", metadata: ["chat.user": .string(user.stored), "error": .string("\(error)")])
            throw HTTPError(.internalServerError, message: "the conversation could not be saved; try again")
        }
    }
}

/// What chat platforms are told when the user id is not let in; a 200, so it shows in the channel.
let strangerReply = "This rapport does not know you yet; ask the person who runs it to add your user id."

/// A header by its lower-case name (HTTP field names are case-insensitive).
func header(_ name: String, in request: Request) -> String? {
    request.headers.first { $0.name.canonicalName == name }?.value
}

/// A JSON answer, its keys sorted: the same reply, byte for byte, to a retry.
func json(_ value: some Encodable) throws -> Response {
    var buffer = ByteBuffer()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    buffer.writeBytes(try encoder.encode(value))
    return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
}
