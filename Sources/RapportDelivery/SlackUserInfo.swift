import Foundation

/// What rapport reads of Slack's `users.info` answer: the person's time zone (`user.tz`, an
/// IANA name such as `America/Los_Angeles`). The answer is read as hostile: an `ok: false`,
/// a name that is not a time zone, or an oversized body is no time zone.
public enum SlackUserInfo {
    /// Longer than any IANA zone name; a longer one is not one.
    static let maximumZoneNameLength = 64

    /// The URL that asks for one user (`users.info?user=U…`), or nil for an id that is not one.
    public static func url(apiBase: String, user: String) -> String? {
        guard !user.isEmpty, user.count <= 32, user.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) })
        else { return nil }
        return apiBase + "/users.info?user=" + user
    }

    /// What the answer says of the user's time zone.
    public enum Reading: Sendable, Equatable {
        case timeZone(TimeZone)
        /// Slack answered, and has no usable time zone for them (or refused: `error` says why).
        case unknown(error: String?)
    }

    public static func read(_ body: [UInt8]) -> Reading {
        guard body.count <= 64 * 1024, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return .unknown(error: "not a JSON object")
        }
        guard object["ok"] as? Bool == true else { return .unknown(error: (object["error"] as? String).map { String($0.prefix(60)) } ?? "ok is not true") }
        guard let user = object["user"] as? [String: Any], let name = user["tz"] as? String, name.count <= maximumZoneNameLength,
              let zone = TimeZone(identifier: name)
        else { return .unknown(error: nil) }
        return .timeZone(zone)
    }
}
