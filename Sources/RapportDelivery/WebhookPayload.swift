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
    public init(kind: WebhookKind, url: String, message: ChatMessage, signer: StandardWebhooks? = nil, timestamp: Int) throws(DeliveryError) {
        var url = url
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        let object: [String: Any]
        switch kind {
        case .slack:
            object = [
                "text": (["*" + Self.slack(message.title) + "*"] + message.lines.map(Self.slack)).joined(separator: "\n"),
                "unfurl_links": false, "unfurl_media": false,
            ]
        case .mattermost:
            object = ["text": (["**" + Self.markdown(message.title) + "**"] + message.lines.map(Self.markdown)).joined(separator: "\n")]
        case .discord:
            url = Self.adding(query: "wait=true", to: url)  // otherwise a message that is not saved returns no error
            object = [
                "content": (["**" + Self.markdown(message.title) + "**"] + message.lines.map(Self.markdown)).joined(separator: "\n"),
                "allowed_mentions": ["parse": [String]()],
            ]
        case .teams:
            let blocks: [[String: Any]] = [["type": "TextBlock", "text": Self.markdown(message.title), "weight": "Bolder", "wrap": true]]
                + message.lines.map { ["type": "TextBlock", "text": Self.markdown($0), "wrap": true] }
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
            object = ["text": (["*" + Self.googleChat(message.title) + "*"] + message.lines.map(Self.googleChat)).joined(separator: "\n")]
        case .generic:
            object = [
                "id": message.idempotencyKey, "type": message.kind, "title": message.title, "lines": message.lines,
                "text": ([message.title] + message.lines).joined(separator: "\n"),
            ]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw .invalidURL(destination: "payload")
        }
        body = Array(data)
        if kind == .generic, let signer {
            headers += try signer.headers(id: message.idempotencyKey, timestamp: timestamp, body: body)
        } else if kind == .generic {
            headers.append(("webhook-id", message.idempotencyKey))
        }
        self.url = url
        self.headers = headers
    }

    // MARK: - Escaping user text

    /// Slack: `&`, `<` and `>` are control characters (`<!channel>`, `<url|text>`); escaped they show as typed.
    static func slack(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Markdown platforms (Mattermost, Discord, Teams): links and images are `[text](url)`, and
    /// `@channel`/`@all`/`@here`/`@everyone` ping everyone. Brackets are backslash-escaped and a
    /// zero-width joiner after `@` keeps a mention from forming while it still reads the same.
    static func markdown(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "[", "]", "<", ">", "\\": output += "\\" + String(character)
            case "@": output += "@\u{2060}"
            default: output.append(character)
            }
        }
        return output
    }

    /// Google Chat: `<users/all>` mentions and `<url|text>` links start with `<`; a word joiner after
    /// it keeps them from forming.
    static func googleChat(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "<\u{2060}")
    }

    /// Google Chat's client message id: `client-` and at most 63 lowercase letters, digits and hyphens.
    static func googleMessageID(_ key: String) -> String {
        let cleaned = key.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        return String(("client-" + String(cleaned)).prefix(63))
    }

    static func adding(query: String, to url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + query
    }
}
