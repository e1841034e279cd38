import Foundation

/// Signing by the Standard Webhooks specification (v1): `webhook-id`, `webhook-timestamp` and
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, with a `whsec_` secret.
public struct StandardWebhooks: Sendable {
    /// The raw key bytes (the secret after `whsec_`, base64-decoded).
    let key: [UInt8]
    /// How far a timestamp may be from now when verifying.
    public var tolerance: TimeInterval = 300

    /// A secret as the spec writes it (`whsec_` + base64); the prefix is optional.
    public init?(secret: String) {
        var encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        while encoded.count % 4 != 0 { encoded += "=" }
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else { return nil }
        key = Array(data)
    }

    /// The three headers for one delivery of `body`.
    public func headers(id: String, timestamp: Int, body: [UInt8]) throws(DeliveryError) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", try signature(id: id, timestamp: timestamp, body: body))]
    }

    /// `v1,<base64>` for the message.
    public func signature(id: String, timestamp: Int, body: [UInt8]) throws(DeliveryError) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(try HMACSHA256.authenticationCode(for: signed, key: key)).base64EncodedString()
    }

    /// Whether the headers carry a valid, fresh signature for `body`: any `v1` entry of the
    /// space-separated list may match, compared in constant time.
    public func verify(id: String?, timestamp: String?, signatures: String?, body: [UInt8], now: Date) -> Bool {
        guard let id, let timestamp, let signatures, let seconds = Int(timestamp),
            abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance,
            let expected = try? signature(id: id, timestamp: seconds, body: body)
        else { return false }
        let expectedBytes = Array(expected.utf8)
        var valid = false
        for entry in signatures.split(separator: " ") where entry.hasPrefix("v1,") {
            // Check every entry, so the time taken does not tell which one matched.
            if HMACSHA256.constantTimeEqual(Array(entry.utf8), expectedBytes) { valid = true }
        }
        return valid
    }
}
