import RapportCore

/// A named place to post: a platform, its webhook URL and, for generic JSON, a signing secret.
/// The URL is a secret too (whoever has it can post), so it is only ever shown redacted.
public struct Destination: Sendable {
    public var name: String
    public var kind: WebhookKind
    public var url: String
    public var signer: StandardWebhooks?

    public init(name: String, kind: WebhookKind, url: String, signer: StandardWebhooks? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.signer = signer
    }

    /// Resolves a configured destination: `env:NAME` values are read from `environment`.
    public init(name: String, kind: String, url: String, secret: String?, environment: [String: String]) throws(DeliveryError) {
        guard let parsedKind = WebhookKind(rawValue: kind.lowercased()) else {
            throw .invalidDestination(destination: name, reason: "kind '\(kind)' is not one of \(WebhookKind.allCases.map(\.rawValue).joined(separator: ", "))")
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
