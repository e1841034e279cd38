import Foundation
import RapportApp
import RapportCore
import RapportDelivery

/// How the server answers: its token, who may talk to it, how big a request may be.
public struct ChatServerPolicy: Sendable {
    /// The bearer token `POST /v1/chat` requires; nil refuses every request to it.
    public var token: String?
    /// Chat users by platform (`slack:U0ALICE`, `slack:T0TEAM:U0ALICE`, `mattermost:…`, `web:…`)
    /// → the profile they are (`local` shares the terminal's conversations).
    public var users: [String: String]
    /// Answer users that are not in `users`, each under their own key.
    public var allowAnyone: Bool
    public var maxBodyBytes: Int
    /// Verifies `POST /v1/chat` requests signed the Standard Webhooks way, as an alternative to the token.
    public var standardWebhooks: StandardWebhooks?
    /// Verifies `POST /v1/slack`; nil refuses every request to it.
    public var slack: SlackSignature?
    /// The tokens Mattermost sends, one per slash command or outgoing webhook; none refuses every
    /// request to `POST /v1/mattermost`.
    public var mattermostTokens: [String]
    /// The outbox destination that posts as the Slack app's bot; nil leaves `POST /v1/slack/events`
    /// with no way to answer, so it answers nothing.
    public var slackBotDestination: String?
    /// The bot's own user id (else each event's `authorizations` says it): its messages are not turns.
    public var slackBotUserID: String?
    /// The outbox destination that posts as the Mattermost bot account; nil: its DMs are not read.
    public var mattermostBotDestination: String?
    /// Verifies the Mattermost bot's button presses (`POST /v1/mattermost/actions`); nil refuses every one.
    public var mattermostActions: MattermostActionLink?
    /// Slack's signatures are only good for five minutes of this clock.
    public var clock: @Sendable () -> Date

    public init(token: String?, users: [String: String] = [:], allowAnyone: Bool = false, maxBodyBytes: Int = 64 * 1024,
                slackSigningSecret: String? = nil, mattermostTokens: [String] = [], signingSecret: String? = nil,
                slackBotDestination: String? = nil, slackBotUserID: String? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.slackBotDestination = slackBotDestination
        self.slackBotUserID = slackBotUserID
        self.standardWebhooks = signingSecret.flatMap(StandardWebhooks.init(secret:))
        self.token = token
        self.users = users
        self.allowAnyone = allowAnyone
        self.maxBodyBytes = maxBodyBytes
        self.slack = slackSigningSecret.flatMap(SlackSignature.init(secret:))
        self.mattermostTokens = mattermostTokens.filter { !$0.isEmpty }
        self.clock = clock
    }

    /// The policy `server:` in the config describes, with its `env:` secrets read, and one line per
    /// way in that will refuse every request because its secret is missing (names, never values).
    public static func configured(by settings: RapportSettings, clock: @escaping @Sendable () -> Date) throws -> (policy: ChatServerPolicy, warnings: [String]) {
        let server = settings.server
        let builtIn = RapportConfig.ServerConfig.builtIn
        if let unqualified = unqualifiedUsers(server.users ?? [:]).first {
            throw RapportError.invalidConfig(
                path: "server.users", reason: "'\(unqualified)' names no platform; write slack:\(unqualified), mattermost:\(unqualified) or web:\(unqualified) (a bare id would let every way in act as that user)")
        }
        var warnings: [String] = []
        func resolve(_ value: String) -> Result<String, SecretReference.Missing> {
            Result { () throws(SecretReference.Missing) in try SecretReference.resolve(value, environment: settings.paths.environment) }
        }
        func secret(_ value: String?, key: String, route: String) -> String? {
            guard let value else { return nil }
            switch resolve(value) {
            case .success(let resolved): return resolved
            case .failure(let missing):
                warnings.append("server.\(key) names \(missing.variable), which is not set: \(route) refuses every request")
                return nil
            }
        }
        let slackSecret = secret(server.slackSigningSecret, key: "slack_signing_secret", route: "POST /v1/slack")
        let signingSecret = secret(server.signingSecret, key: "signing_secret", route: "POST /v1/chat with a signature")
        let token = secret(server.token, key: "token", route: "POST /v1/chat with a bearer token")
        // One token per slash command or outgoing webhook: a missing one refuses only its own requests.
        let mattermost = (server.mattermostToken?.values ?? []).map(resolve)
        let mattermostTokens = mattermost.compactMap { try? $0.get() }
        for case .failure(let missing) in mattermost {
            let refused = mattermostTokens.isEmpty ? "every request" : "the requests with that token"
            warnings.append("server.mattermost_token names \(missing.variable), which is not set: POST /v1/mattermost refuses \(refused)")
        }
        var policy = ChatServerPolicy(
            token: token,
            users: server.users ?? [:],
            allowAnyone: server.allowAnyone ?? builtIn.allowAnyone!,
            maxBodyBytes: server.maxBodyBytes ?? builtIn.maxBodyBytes!,
            slackSigningSecret: slackSecret,
            mattermostTokens: mattermostTokens,
            signingSecret: signingSecret,
            slackBotDestination: server.slackBotToken == nil ? nil : RapportSettings.slackBotDestination,
            slackBotUserID: server.slackBotUserID,
            clock: clock)
        switch settings.mattermostBot() {
        case .success(let bot?):
            policy.mattermostBotDestination = bot.name
            policy.mattermostActions = bot.buttonActions
            if bot.buttonActions == nil {
                warnings.append("server.mattermost_actions_secret or server.public_url is not set: the Mattermost bot asks without buttons")
            }
        case .failure(let error):
            warnings.append("\(error): the Mattermost bot does not connect until it is set")
        case .success(nil):
            break
        }
        if case .failure(let error) = settings.slackBot() {
            warnings.append("\(error): replies in Slack DMs wait in the outbox until it is set")
        }
        if slackSecret != nil, policy.slack == nil {
            warnings.append("server.slack_signing_secret is blank: POST /v1/slack refuses every request")
        }
        if signingSecret != nil, policy.standardWebhooks == nil {
            warnings.append("server.signing_secret is not a whsec_… base64 secret: POST /v1/chat with a signature refuses every request")
        }
        if policy.token == nil, policy.standardWebhooks == nil, policy.slack == nil, policy.mattermostTokens.isEmpty, policy.mattermostBotDestination == nil {
            warnings.append("no token or signing secret is configured under server: in the config; every chat request is refused")
        }
        return (policy, warnings)
    }

    /// Whose conversations and records a chat user's are, or nil when the user is not let in: the
    /// profile `users` maps them to (by platform and workspace, or by platform alone), else, with
    /// `allow_anyone`, their own, keyed by platform so one platform's ids never reach another's.
    public func userKey(platform: UserKey.Platform, workspace: String?, user: String) -> UserKey? {
        if let workspace, !workspace.isEmpty, let mapped = users["\(platform.rawValue):\(workspace):\(user)"] { return .profile(mapped) }
        if let mapped = users["\(platform.rawValue):\(user)"] { return .profile(mapped) }
        return allowAnyone ? UserKey(platform: platform, workspace: workspace, user: user) : nil
    }

    /// The `users` entries that name no platform: each would let every way in act as that user.
    static func unqualifiedUsers(_ users: [String: String]) -> [String] {
        let platforms = Set([UserKey.Platform.slack, .mattermost, .web].map(\.rawValue))
        return users.keys.filter { key in
            let parts = key.split(separator: ":", omittingEmptySubsequences: false)
            return !(2...3).contains(parts.count) || !platforms.contains(String(parts[0])) || parts.contains(where: \.isEmpty)
        }.sorted()
    }

    /// Whether an `Authorization` header carries the token, compared in constant time.
    func authorizes(_ header: String?) -> Bool {
        guard let token, !token.isEmpty, let header, let credential = Self.bearerCredential(header) else { return false }
        return HMACSHA256.constantTimeEqual(credential, Array(token.utf8))
    }

    /// The token68 of `Bearer <token>` (RFC 9110 11.4, RFC 6750 2.1): the scheme in any case, one
    /// or more spaces (or tabs) before the token, whitespace around the value ignored; nil for
    /// another scheme, no token, or a credential with a space inside.
    static func bearerCredential(_ header: String) -> [UInt8]? {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        var value = Array(header.utf8)[...]
        while let first = value.first, blank(first) { value.removeFirst() }
        while let last = value.last, blank(last) { value.removeLast() }
        guard let gap = value.firstIndex(where: blank),
              String(decoding: value[..<gap], as: UTF8.self).lowercased() == "bearer"
        else { return nil }
        let credential = value[gap...].drop(while: blank)
        guard !credential.isEmpty, !credential.contains(where: blank) else { return nil }
        return Array(credential)
    }

    /// Whether a Mattermost request carries one of the tokens, each compared in constant time
    /// (all of them, so the time taken does not tell which matched).
    func authorizesMattermost(_ sent: String?) -> Bool {
        guard let sent else { return false }
        let bytes = Array(sent.utf8)
        return mattermostTokens.reduce(false) { found, token in HMACSHA256.constantTimeEqual(bytes, Array(token.utf8)) || found }
    }
}
