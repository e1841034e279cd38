import Foundation
import Hummingbird
import RapportApp
import RapportCore

/// `POST /v1/chat`: any JSON client (`{"user", "text", "lang"?}` → `{"replies", "ended"}`),
/// let in by the bearer token or a Standard Webhooks signature over the exact body. The replies
/// are plain text: the client shows them, so there is no markup to escape.
struct GenericChatPlatform: ChatPlatform {
    /// The body of `POST /v1/chat`.
    struct Body: Decodable {
        var user: String
        var text: String
        var lang: String?
    }

    var path: RouterPath { "/v1/chat" }

    func read(_ request: Request, body: [UInt8], policy: ChatServerPolicy, languages: [String]) throws -> InboundChat {
        let messageID = header("webhook-id", in: request)
        let signed = policy.standardWebhooks.map {
            $0.verify(id: messageID, timestamp: header("webhook-timestamp", in: request), signatures: header("webhook-signature", in: request),
                      body: body, now: policy.clock())
        } ?? false
        guard signed || policy.authorizes(request.headers[.authorization]) else {
            throw HTTPError(.unauthorized, message: "a valid bearer token or webhook signature is required")
        }
        let message: Body
        do {
            message = try JSONDecoder().decode(Body.self, from: Data(body))
        } catch {
            throw HTTPError(.badRequest, message: "the body must be JSON with \"user\" and \"text\" strings")
        }
        guard !message.user.isEmpty, message.user.count <= 200 else {
            throw HTTPError(.badRequest, message: "\"user\" must be a non-empty id")
        }
        if let language = message.lang, !languages.contains(language) {
            throw HTTPError(.badRequest, message: "\"lang\" must be one of \(languages.joined(separator: ", "))")
        }
        return .message(InboundMessage(
            platform: .web, workspace: nil, user: message.user, text: message.text, language: message.lang,
            messageID: messageID.map { MessageID(platform: .web, value: $0) }))
    }

    func respond(_ reply: ChatService.Reply, to message: InboundMessage) throws -> Response {
        // `{replies, ended}` as documented: the buttons' questions are in the replies' text.
        try json(ChatService.Reply(replies: reply.replies, ended: reply.ended))
    }

    func refuseStranger(_ message: InboundMessage) throws -> Response {
        throw HTTPError(.forbidden, message: strangerReply)
    }
}
