import Foundation

/// Slack's v0 request signing: `X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of
/// `v0:<X-Slack-Request-Timestamp>:<raw body>` under the app's signing secret.
public struct SlackSignature: Sendable {
    private let secret: [UInt8]
    /// Requests older or newer than this are refused, so a captured request cannot be replayed later.
    public var tolerance: TimeInterval = 300

    /// Nil for an empty or blank secret: a verifier that accepts anything is worse than none.
    public init?(secret: String) {
        guard !secret.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        self.secret = Array(secret.utf8)
    }

    public func signature(timestamp: String, body: [UInt8]) throws(DeliveryError) -> String {
        let code = try HMACSHA256.authenticationCode(for: Array("v0:\(timestamp):".utf8) + body, key: secret)
        return "v0=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether the headers sign this exact body within the tolerance of `now`.
    public func verify(timestamp: String?, signature: String?, body: [UInt8], now: Date) -> Bool {
        guard let timestamp, let signature, let seconds = Int(timestamp),
              abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance,
              let expected = try? self.signature(timestamp: timestamp, body: body)
        else { return false }
        return HMACSHA256.constantTimeEqual(Array(signature.utf8), Array(expected.utf8))
    }
}
