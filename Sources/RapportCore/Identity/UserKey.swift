/// Whose conversations and records these are: the person at the terminal, a named profile, or
/// one chat user of one platform (and workspace). A value, so that one platform's user ids can
/// never reach another platform's records: `slack` user U0ALICE and `mattermost` user U0ALICE
/// are different people.
public struct UserKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Where a user comes from.
    public enum Platform: String, Sendable, Codable, CaseIterable {
        /// The person at the terminal, who owns the store.
        case local
        /// A profile named in `server.users`, shared by the chat ids mapped to it.
        case profile
        case slack
        case mattermost
        /// The generic JSON chat (`POST /v1/chat`).
        case web
    }

    public var platform: Platform
    /// The Slack team or Mattermost team, when the platform says.
    public var workspace: String?
    /// The platform's user id (or the profile's name).
    public var user: String

    public init(platform: Platform, workspace: String? = nil, user: String) {
        self.platform = platform
        self.workspace = workspace.flatMap { $0.isEmpty ? nil : $0 }
        self.user = user
    }

    /// The person at the terminal.
    public static let local = UserKey(platform: .local, user: "local")

    /// A named profile (`server.users: { slack:U0ALICE: alice }`); `local` is the terminal's.
    public static func profile(_ name: String) -> UserKey {
        name == "local" ? .local : UserKey(platform: .profile, user: name)
    }

    /// The stored form: `local`, `profile:alice`, `slack:T0TEAM:U0ALICE`, `web::alice`. Each part
    /// is escaped, so no user id can imitate another key.
    public var stored: String {
        switch platform {
        case .local: return "local"
        case .profile: return "profile:" + Self.escape(user)
        default: return [platform.rawValue, Self.escape(workspace ?? ""), Self.escape(user)].joined(separator: ":")
        }
    }

    /// Reads a stored key; nil for text that is not one.
    public init?(stored: String) {
        if stored == "local" {
            self = .local
            return
        }
        let parts = stored.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let platform = parts.first.flatMap(Platform.init(rawValue:)), platform != .local else { return nil }
        if platform == .profile {
            guard parts.count == 2, let user = Self.unescape(parts[1]), !user.isEmpty else { return nil }
            self.init(platform: .profile, user: user)
            return
        }
        guard parts.count == 3, let workspace = Self.unescape(parts[1]), let user = Self.unescape(parts[2]), !user.isEmpty else { return nil }
        self.init(platform: platform, workspace: workspace, user: user)
    }

    /// A chat user as the config names one: `slack:U0ALICE`, `slack:T0TEAM:U0ALICE`,
    /// `mattermost:…`, `web:alice`, or a profile (`profile:alice`, `local`); nil for anything else.
    public init?(configured text: String) {
        if text == "local" {
            self = .local
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let platform = parts.first.flatMap(Platform.init(rawValue:)), platform != .local, !parts.dropFirst().contains(where: \.isEmpty) else { return nil }
        switch (platform, parts.count) {
        case (.profile, 2): self = .profile(parts[1])
        case (.slack, 2), (.mattermost, 2), (.web, 2): self.init(platform: platform, user: parts[1])
        case (.slack, 3), (.mattermost, 3): self.init(platform: platform, workspace: parts[1], user: parts[2])
        default: return nil
        }
    }

    public var description: String { stored }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = UserKey(stored: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a user key"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }

    /// `%` and `:` as %25 and %3A: the separator can never appear inside a part.
    private static func escape(_ part: String) -> String {
        guard part.contains(where: { $0 == "%" || $0 == ":" }) else { return part }
        return part.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ":", with: "%3A")
    }

    private static func unescape(_ part: String) -> String? {
        guard part.contains("%") else { return part }
        var result = ""
        var rest = Substring(part)
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            let code = rest[percent...].dropFirst().prefix(2)
            switch code {
            case "25": result += "%"
            case "3A": result += ":"
            default: return nil
            }
            rest = rest[percent...].dropFirst(3)
        }
        return result + rest
    }
}
