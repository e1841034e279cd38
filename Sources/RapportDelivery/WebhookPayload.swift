import Foundation
import RapportCore

/// One HTTP request for one message to one platform: its real payload and markup, with user
/// text escaped so that an answer can neither ping a whole channel nor smuggle in a link.
public struct WebhookPayload: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    /// Builds the request. `signer` (generic only) adds the Standard Webhooks headers;
    /// `timestamp` is the attempt's Unix time, given so that building stays free of the clock.
    public init(
        kind: WebhookKind, url: String, message: ChatMessage, signer: StandardWebhooks? = nil, bearerToken: String? = nil,
        buttonActions: MattermostActionLink? = nil, timestamp: Int
    ) throws(DeliveryError) {
        var url = url
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        let object: [String: Any]
        switch kind {
        case .slack:
            object = [
                "text": (["*" + Self.slack(message.title) + "*"] + message.plainLines.map(Self.slack)).joined(separator: "\n"),
                "unfurl_links": false, "unfurl_media": false,
            ]
        case .slackBot:
            // chat.postMessage: the conversation, mrkdwn text, and no previews of what was typed.
            guard let channel = message.channel else { throw .invalidDestination(destination: "payload", reason: "a bot's message needs a channel") }
            var text = message.plainLines.map(Self.slack)
            if !message.title.isEmpty { text.insert("*" + Self.slack(message.title) + "*", at: 0) }
            var fields: [String: Any] = ["channel": channel, "text": text.joined(separator: "\n"), "unfurl_links": false, "unfurl_media": false]
            if let thread = message.thread { fields["thread_ts"] = thread }
            // With blocks, Slack shows them and uses `text` as the notification's fallback.
            if let blocks = SlackBlocks.message(
                text: message.lines.joined(separator: "\n"), card: message.card, buttons: message.buttons, title: message.title, nudge: message.actions) {
                fields["blocks"] = blocks
            }
            object = fields
        case .mattermostBot:
            guard let channel = message.channel else { throw .invalidDestination(destination: "payload", reason: "a bot's message needs a channel") }
            object = MattermostPost.object(message, channel: channel, actions: buttonActions)
        case .mattermost:
            object = ["text": (["**" + Self.markdown(message.title) + "**"] + message.plainLines.map(Self.markdown)).joined(separator: "\n")]
        case .discord:
            url = Self.adding(query: "wait=true", to: url)  // otherwise a message that is not saved returns no error
            object = [
                "content": (["**" + Self.markdown(message.title) + "**"] + message.plainLines.map(Self.markdown)).joined(separator: "\n"),
                "allowed_mentions": ["parse": [String]()],
            ]
        case .teams:
            let blocks: [[String: Any]] = [["type": "TextBlock", "text": Self.markdown(message.title), "weight": "Bolder", "wrap": true]]
                + message.plainLines.map { ["type": "TextBlock", "text": Self.markdown($0), "wrap": true] }
            object = [
                "type": "message",
                "attachments": [[
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": NSNull(),
                    "content": [
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
                        "body": blocks,
                    ] as [String: Any],
                ] as [String: Any]],
            ]
        case .googlechat:
            // messageId makes a retry return the message created the first time instead of a second one.
            url = Self.adding(query: "messageId=" + Self.googleMessageID(message.idempotencyKey), to: url)
            object = ["text": (["*" + Self.googleChat(message.title) + "*"] + message.plainLines.map(Self.googleChat)).joined(separator: "\n")]
        case .generic:
            object = [
                "id": message.idempotencyKey, "type": message.kind, "title": message.title, "lines": message.plainLines,
                "text": ([message.title] + message.plainLines).joined(separator: "\n"),
            ]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw .invalidURL(destination: "payload")
        }
        body = Array(data)
        // The Web API warns (`missing_charset`) about JSON sent without its charset.
        if kind == .slackBot { headers[0] = ("Content-Type", "application/json; charset=utf-8") }
        if let bearerToken { headers.append(("Authorization", "Bearer " + bearerToken)) }
        if kind == .generic, let signer {
            headers += try signer.headers(id: message.idempotencyKey, timestamp: timestamp, body: body)
        } else if kind == .generic {
            headers.append(("webhook-id", message.idempotencyKey))
        }
        self.url = url
        self.headers = headers
    }

    // MARK: - Escaping user text (ChatMarkup)

    static func slack(_ text: String) -> String { ChatMarkup.slack(text) }
    static func markdown(_ text: String) -> String { ChatMarkup.markdown(text) }
    static func googleChat(_ text: String) -> String { ChatMarkup.googleChat(text) }

    /// Google Chat's client message id: `client-` and at most 63 lowercase letters, digits and hyphens.
    static func googleMessageID(_ key: String) -> String {
        let cleaned = key.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        return String(("client-" + String(cleaned)).prefix(63))
    }

    static func adding(query: String, to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + query
    }
}
