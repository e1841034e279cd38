import Foundation
import Hummingbird
import RapportApp
import RapportCore
import RapportDelivery

/// `POST /v1/slack`: a Slack slash command (`/rapport prep Anna`), signed with the app's signing
/// secret, answered ephemerally in Slack's mrkdwn.
struct SlackSlashCommand: ChatPlatform {
    var path: RouterPath { "/v1/slack" }

    func read(_ request: Request, body: [UInt8], policy: ChatServerPolicy, languages: [String]) throws -> InboundChat {
        // Verified before the body is parsed: an unsigned request never reaches the engine.
        guard let slack = policy.slack,
              slack.verify(timestamp: header("x-slack-request-timestamp", in: request), signature: header("x-slack-signature", in: request),
                           body: body, now: policy.clock())
        else { throw HTTPError(.unauthorized, message: "the request is not signed with this app's signing secret") }
        let form = FormBody(body)
        // Slack's check of the URL's certificate: signed, no user, and only a 200 will do.
        if form["ssl_check"] == "1" { return .handshake(Response(status: .ok)) }
        guard let user = form["user_id"], !user.isEmpty else { throw HTTPError(.badRequest, message: "a slash command needs user_id") }
        let text = form["text"].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return .message(InboundMessage(
            platform: .slack, workspace: form["team_id"], user: user, text: text.isEmpty ? "help" : text,
            messageID: form["trigger_id"].map { MessageID(platform: .slack, value: $0) }, isPrivate: true))
    }

    func respond(_ reply: ChatService.Reply, to message: InboundMessage) throws -> Response {
        try json(["response_type": "ephemeral", "text": ChatMarkup.slack(reply.replies.joined(separator: "\n\n"))])
    }

    func refuseStranger(_ message: InboundMessage) throws -> Response {
        try json(["response_type": "ephemeral", "text": strangerReply])
    }
}
