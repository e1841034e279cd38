import Foundation

/// How a Mattermost bot's button comes back to rapport: Mattermost posts the button's
/// `integration.context` to `url` when it is pressed, and anyone can post to that URL, so the
/// context carries the button's value and an HMAC-SHA256 of it under a secret only rapport
/// knows. A press whose signature does not match is forged (or for another rapport) and refused.
public struct MattermostActionLink: Sendable {
    /// `…/v1/mattermost/actions` as Mattermost reaches rapport.
    public var url: String
    var secret: [UInt8]

    /// Longer than any value of ours (`SlackButtonValue.maximumLength`) with its signature.
    public static let maximumValueLength = 2_000

    /// Nil for an empty secret: a button signed with nothing would let anyone press it.
    public init?(url: String, secret: String) {
        guard !secret.isEmpty, !url.isEmpty else { return nil }
        self.url = url
        self.secret = Array(secret.utf8)
    }

    /// The context to post with a button carrying `value`; nil when it cannot be signed.
    public func context(for value: String) -> [String: String]? {
        guard let code = try? HMACSHA256.authenticationCode(for: Array(value.utf8), key: secret) else { return nil }
        return ["value": value, "signature": Self.hex(code)]
    }

    /// The value of a pressed button's context, when its signature is ours; nil for anything else.
    public func value(of context: [String: Any]) -> String? {
        guard let value = context["value"] as? String, value.utf8.count <= Self.maximumValueLength,
              let signature = context["signature"] as? String, signature.utf8.count == 64,
              let code = try? HMACSHA256.authenticationCode(for: Array(value.utf8), key: secret),
              HMACSHA256.constantTimeEqual(Array(Self.hex(code).utf8), Array(signature.lowercased().utf8))
        else { return nil }
        return value
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
