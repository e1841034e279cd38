import Foundation

/// Opening a person's DM with the Mattermost bot before a nudge is posted there: Mattermost's
/// `POST /api/v4/posts` needs a channel id, and a DM channel exists only once it is made
/// (`POST /api/v4/channels/direct` with the two user ids, which answers the existing channel
/// when there is one). The bot's own id comes from `GET /api/v4/users/me`. Pure: the requests
/// to make and the ids read back; the deliverer makes them.
public enum MattermostDirectChannel {
    /// A user or channel id: what Mattermost makes (26 lower-case letters and digits), and short plain tokens.
    public static func isID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_-".unicodeScalars.contains($0)) }
    }

    /// The server's API base, from the bot's posts URL (`…/api/v4/posts` → `…/api/v4`).
    public static func apiBase(postsURL: String) -> String {
        postsURL.hasSuffix("/posts") ? String(postsURL.dropLast("/posts".count)) : postsURL
    }

    /// `GET /api/v4/users/me`.
    public static func meURL(apiBase: String) -> String { apiBase + "/users/me" }

    /// `POST /api/v4/channels/direct` and its body, or nil for ids that are not ids.
    public static func openRequest(apiBase: String, bot: String, user: String) -> (url: String, body: [UInt8])? {
        guard isID(bot), isID(user) else { return nil }
        return (apiBase + "/channels/direct", Array("[\"\(bot)\",\"\(user)\"]".utf8))
    }

    /// The `id` of the user or channel an answer describes, when it is one; nil for anything else.
    public static func id(in response: HTTPResponse) -> String? {
        guard (200..<300).contains(response.status),
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let id = object["id"] as? String, isID(id)
        else { return nil }
        return id
    }
}
