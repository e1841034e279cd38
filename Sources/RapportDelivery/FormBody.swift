import Foundation

/// An `application/x-www-form-urlencoded` body, as Slack and Mattermost post them to
/// `rapport serve` (beside the signature checks for the same requests).
public struct FormBody: Sendable {
    public private(set) var fields: [String: String] = [:]

    public init(_ bytes: [UInt8]) {
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
    }

    public subscript(name: String) -> String? { fields[name] }

    /// Form encoding writes spaces as `+`; percent-decoding alone would keep them.
    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
