import Foundation
import Hummingbird
import Logging
import RapportApp
import RapportCore
import RapportDelivery

/// The body of `POST /v1/chat`.
struct ChatRequest: Decodable {
    var user: String
    var text: String
    var lang: String?
}

/// What chat platforms are told when the user id is not let in; a 200, so it shows in the channel.
let strangerReply = "This rapport does not know you yet; ask the person who runs it to add your user id."

/// The routes of `rapport serve`: a health check, the generic JSON chat, Slack slash commands and
/// Mattermost outgoing webhooks — three ways into one ChatService.
public func buildRouter(chat: ChatService, policy: ChatServerPolicy) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.get("/healthz") { _, _ -> String in "ok" }
    router.post("/v1/chat") { request, context -> Response in
        let body = try await request.body.collect(upTo: policy.maxBodyBytes)
        // Either the bearer token or a Standard Webhooks signature over this exact body.
        let messageID = header("webhook-id", in: request)
        let signed = policy.standardWebhooks.map {
            $0.verify(id: messageID, timestamp: header("webhook-timestamp", in: request), signatures: header("webhook-signature", in: request),
                      body: Array(buffer: body), now: policy.clock())
        } ?? false
        guard signed || policy.authorizes(request.headers[.authorization]) else {
            throw HTTPError(.unauthorized, message: "a valid bearer token or webhook signature is required")
        }
        let message: ChatRequest
        do {
            message = try JSONDecoder().decode(ChatRequest.self, from: Data(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the body must be JSON with \"user\" and \"text\" strings")
        }
        guard !message.user.isEmpty, message.user.count <= 200 else {
            throw HTTPError(.badRequest, message: "\"user\" must be a non-empty id")
        }
        if let language = message.lang, !chat.languages.contains(language) {
            throw HTTPError(.badRequest, message: "\"lang\" must be one of \(chat.languages.joined(separator: ", "))")
        }
        guard let userKey = policy.userKey(platform: .web, workspace: nil, user: message.user) else {
            throw HTTPError(.forbidden, message: strangerReply)
        }
        let reply: ChatService.Reply
        do {
            // A retried webhook-id is answered once, whichever way the request got in.
            reply = try await chat.handle(
                text: message.text, user: userKey, platform: .web, language: message.lang, messageID: messageID.map { MessageID(platform: .web, value: $0) })
        } catch {
            context.logger.error("chat turn failed", metadata: ["chat.user": .string(userKey.stored), "error": .string("\(error)")])
            throw HTTPError(.internalServerError, message: "the conversation could not be saved; try again")
        }
        return try json(reply)
    }
    router.post("/v1/slack") { request, context -> Response in
        let body = Array(buffer: try await request.body.collect(upTo: policy.maxBodyBytes))
        // Verified before the body is parsed: an unsigned request never reaches the engine.
        guard let slack = policy.slack,
              slack.verify(timestamp: header("x-slack-request-timestamp", in: request),
                           signature: header("x-slack-signature", in: request),
                           body: body, now: policy.clock())
        else { throw HTTPError(.unauthorized, message: "the request is not signed with this app's signing secret") }
        let form = FormBody(body)
        // Slack's check of the URL's certificate: signed, no user, and only a 200 will do.
        if form["ssl_check"] == "1" { return Response(status: .ok) }
        guard let user = form["user_id"], !user.isEmpty else { throw HTTPError(.badRequest, message: "a slash command needs user_id") }
        let text = form["text"].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let answer = try await platformTurn(
            text: text.isEmpty ? "help" : text, platform: .slack, workspace: form["team_id"], user: user,
            messageID: form["trigger_id"].map { MessageID(platform: .slack, value: $0) }, chat: chat, policy: policy, logger: context.logger)
        return try json(["response_type": "ephemeral", "text": answer])
    }
    router.post("/v1/mattermost") { request, context -> Response in
        let body = Array(buffer: try await request.body.collect(upTo: policy.maxBodyBytes))
        let fields: [String: String]
        if request.headers[.contentType]?.hasPrefix("application/json") == true {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw HTTPError(.badRequest, message: "the body must be a JSON object")
            }
            fields = object.compactMapValues { $0 as? String }
        } else {
            fields = FormBody(body).fields
        }
        guard policy.authorizesMattermost(fields["token"]) else {
            throw HTTPError(.unauthorized, message: "the token is not this outgoing webhook's")
        }
        guard let user = fields["user_id"], !user.isEmpty else { throw HTTPError(.badRequest, message: "an outgoing webhook needs user_id") }
        var text = fields["text"] ?? ""
        if let trigger = fields["trigger_word"], !trigger.isEmpty, text.hasPrefix(trigger) { text.removeFirst(trigger.count) }
        text = text.trimmingCharacters(in: .whitespaces)
        // A slash command (it names its `command`) is answered to its user alone; an outgoing
        // webhook's reply can only be a post in its (public) channel.
        let isSlashCommand = fields["command"] != nil
        let messageID = (fields["post_id"] ?? fields["trigger_id"]).map { MessageID(platform: .mattermost, value: $0) }
        let answer = try await platformTurn(
            text: text.isEmpty ? "help" : text, platform: .mattermost, workspace: fields["team_id"], user: user, messageID: messageID,
            chat: chat, policy: policy, logger: context.logger)
        return try json(isSlashCommand ? ["response_type": "ephemeral", "text": answer] : ["text": answer])
    }
    return router
}

/// One turn from Slack or Mattermost: the user's replies joined into one message, a retried
/// message id answered with the first reply, a stranger told politely.
private func platformTurn(
    text: String, platform: UserKey.Platform, workspace: String?, user: String, messageID: MessageID?, chat: ChatService, policy: ChatServerPolicy,
    logger: Logger
) async throws -> String {
    guard let userKey = policy.userKey(platform: platform, workspace: workspace, user: user) else { return strangerReply }
    do {
        let reply = try await chat.handle(text: text, user: userKey, platform: platform, messageID: messageID)
        return reply.replies.joined(separator: "\n\n")
    } catch {
        logger.error("chat turn failed", metadata: ["chat.user": .string(userKey.stored), "error": .string("\(error)")])
        throw HTTPError(.internalServerError, message: "the conversation could not be saved; try again")
    }
}

/// A header by its lower-case name (HTTP field names are case-insensitive).
private func header(_ name: String, in request: Request) -> String? {
    request.headers.first { $0.name.canonicalName == name }?.value
}

private func json(_ value: some Encodable) throws -> Response {
    var buffer = ByteBuffer()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes] // the same reply, byte for byte, to a retry
    buffer.writeBytes(try encoder.encode(value))
    return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
}
