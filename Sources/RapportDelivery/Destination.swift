import RapportCore

/// A named place to post: a platform, its webhook URL and, for generic JSON, a signing secret.
/// The URL is a secret too (whoever has it can post), so it is only ever shown redacted.
public struct Destination: Sendable {
    public var name: String
    public var kind: WebhookKind
    public var url: String
    public var signer: StandardWebhooks?
    /// The bot token a Web API destination sends as `Authorization: Bearer …` (never shown).
    public var bearerToken: String?
    /// Where a Mattermost bot's buttons send their presses, and the secret that signs each (nil: no buttons).
    public var buttonActions: MattermostActionLink?

    public init(name: String, kind: WebhookKind, url: String, signer: StandardWebhooks? = nil, bearerToken: String? = nil, buttonActions: MattermostActionLink? = nil) {
        self.buttonActions = buttonActions
        self.name = name
        self.kind = kind
        self.url = url
        self.signer = signer
        self.bearerToken = bearerToken
    }

    /// The Slack app's bot, posting with `chat.postMessage` under `apiBase` (Slack's own, or a
    /// stand-in's for tests and demos).
    public static func slackBot(name: String, token: String, apiBase: String = "https://slack.com/api") -> Destination {
        let base = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        return Destination(name: name, kind: .slackBot, url: base + "/chat.postMessage", bearerToken: token)
    }

    /// A Mattermost bot account, posting with `POST /api/v4/posts` on the server at `serverURL`,
    /// its buttons (when `buttonActions` is given) pressed back to rapport.
    public static func mattermostBot(name: String, token: String, serverURL: String, buttonActions: MattermostActionLink?) -> Destination {
        let base = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        return Destination(name: name, kind: .mattermostBot, url: base + "/api/v4/posts", bearerToken: token, buttonActions: buttonActions)
    }

    /// Resolves a configured destination: `env:NAME` values are read from `environment`.
    public init(name: String, kind: String, url: String, secret: String?, environment: [String: String]) throws(DeliveryError) {
        guard let parsedKind = WebhookKind(rawValue: kind.lowercased()), !parsedKind.isBot else {
            throw .invalidDestination(destination: name, reason: "kind '\(kind)' is not one of \(WebhookKind.configurable.map(\.rawValue).joined(separator: ", "))")
        }
        let resolvedURL = try Self.value(url, destination: name, environment: environment)
        guard let scheme = resolvedURL.split(separator: ":").first?.lowercased(), scheme == "https" || scheme == "http",
            resolvedURL.contains("://")
        else {
            throw .invalidURL(destination: name)
        }
        var signer: StandardWebhooks? = nil
        if let secret {
            let resolved = try Self.value(secret, destination: name, environment: environment)
            guard parsedKind == .generic else {
                throw .invalidDestination(destination: name, reason: "only generic destinations are signed; remove 'secret'")
            }
            guard let parsed = StandardWebhooks(secret: resolved) else {
                throw .invalidDestination(destination: name, reason: "the secret is not base64 (whsec_…)")
            }
            signer = parsed
        }
        self.init(name: name, kind: parsedKind, url: resolvedURL, signer: signer)
    }

    /// The URL without its secret parts: `https://hooks.slack.com/…`.
    public var redactedURL: String { Self.redact(url) }

    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "…" }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" }.split(separator: "@").last.map(String.init) ?? ""
        return String(url[..<schemeEnd.upperBound]) + host + (rest.count > host.count ? "/…" : "")
    }

    private static func value(_ text: String, destination: String, environment: [String: String]) throws(DeliveryError) -> String {
        switch Result(catching: { () throws(SecretReference.Missing) in try SecretReference.resolve(text, environment: environment) }) {
        case .success(let value): return value
        case .failure(let missing): throw .missingSecret(destination: destination, variable: missing.variable)
        }
    }
}
