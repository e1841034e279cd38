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
            let runner = ChatTurnRunner(chat: chat, policy: policy, timeZones: timeZones)
            guard let reply = try await runner.answer(message, logger: context.logger) else { return try platform.refuseStranger(message) }
            return try platform.respond(reply, to: message)
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
