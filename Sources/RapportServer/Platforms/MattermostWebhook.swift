import Foundation
import Hummingbird
import RapportApp
import RapportCore
import RapportDelivery

/// `POST /v1/mattermost`: a Mattermost slash command or outgoing webhook, form-encoded or JSON,
/// let in by its token. A slash command is answered to its user alone; an outgoing webhook's
/// reply can only be a post in its (public) channel, so what the person typed is escaped for
/// Mattermost's Markdown there and everywhere.
struct MattermostWebhook: ChatPlatform {
    var path: RouterPath { "/v1/mattermost" }

    func read(_ request: Request, body: [UInt8], policy: ChatServerPolicy, languages: [String]) throws -> InboundChat {
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
        return .message(InboundMessage(
            platform: .mattermost, workspace: fields["team_id"], user: user, text: text.isEmpty ? "help" : text,
            messageID: (fields["post_id"] ?? fields["trigger_id"]).map { MessageID(platform: .mattermost, value: $0) },
            isPrivate: fields["command"] != nil))
    }

    func respond(_ reply: ChatService.Reply, to message: InboundMessage) throws -> Response {
        let text = ChatMarkup.markdown(reply.replies.joined(separator: "\n\n"))
        return try json(message.isPrivate ? ["response_type": "ephemeral", "text": text] : ["text": text])
    }

    func refuseStranger(_ message: InboundMessage) throws -> Response {
        try json(message.isPrivate ? ["response_type": "ephemeral", "text": strangerReply] : ["text": strangerReply])
    }
}
