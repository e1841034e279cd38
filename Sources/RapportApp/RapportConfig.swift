import Foundation
import Yams

/// The user's settings, from `config/rapport.yaml`'s documented keys. Every key is optional;
/// command-line options and `RAPPORT_*` variables override the file.
public struct RapportConfig: Codable, Sendable, Equatable {
    /// The store: a SQLite file's path, or a team store's `postgres://user@host:port/db` URL.
    public var store: String?
    /// A team store's password (`env:NAME` keeps it out of the file); else `PGPASSWORD` or `~/.pgpass`.
    public var storePassword: String?
    /// The language of flows and messages (`en`, `sv`, `da`, `pl`).
    public var language: String?
    /// A folder of flows to use instead of the built-in ones.
    public var prompts: String?
    /// false turns colours off, like `--no-color` or `NO_COLOR`.
    public var color: Bool?
    /// An IANA time zone (`Europe/Stockholm`) for reading and showing times; default: the system's.
    public var timeZone: String?
    /// Team chat webhooks by name.
    public var destinations: [String: DestinationConfig]?
    /// Which nudges go where, and when.
    public var nudges: NudgeConfig?
    /// `rapport serve`: where it listens and whom it answers.
    public var server: ServerConfig?
    /// The calendars meetings are read from: who you are in them, how far ahead, how often.
    public var calendar: CalendarConfig?

    /// `mine`: your own addresses and domains (`ada@firma.se`, `firma.se`), so a meeting with
    /// someone outside them is told from one with colleagues; `horizon_days` ahead are read;
    /// `refresh_minutes` between reads by `rapport nudge` and `rapport serve`; a feed larger
    /// than `max_megabytes`, or slower than `timeout_seconds`, is refused.
    public struct CalendarConfig: Codable, Sendable, Equatable {
        public var mine: [String]?
        public var horizonDays: Int?
        public var refreshMinutes: Int?
        public var maxMegabytes: Double?
        public var timeoutSeconds: Double?

        public init(mine: [String]? = nil, horizonDays: Int? = nil, refreshMinutes: Int? = nil, maxMegabytes: Double? = nil, timeoutSeconds: Double? = nil) {
            self.mine = mine
            self.horizonDays = horizonDays
            self.refreshMinutes = refreshMinutes
            self.maxMegabytes = maxMegabytes
            self.timeoutSeconds = timeoutSeconds
        }

        enum CodingKeys: String, CodingKey {
            case mine
            case horizonDays = "horizon_days"
            case refreshMinutes = "refresh_minutes"
            case maxMegabytes = "max_megabytes"
            case timeoutSeconds = "timeout_seconds"
        }
    }

    /// `host` and `port`; `token` (a bearer token for `POST /v1/chat`, `env:NAME` allowed);
    /// `users` maps chat user ids to the local profile (`local`) so the terminal and chat share
    /// conversations; `allow_anyone` answers users not in the map, each with their own
    /// conversations; `max_body_bytes` bounds a request; the timeouts, `max_connections` and
    /// `shutdown_timeout_seconds` bound what slow or stalled clients can hold.
    public struct ServerConfig: Codable, Sendable, Equatable {
        public var host: String?
        public var port: Int?
        public var token: String?
        public var users: [String: String]?
        public var allowAnyone: Bool?
        public var maxBodyBytes: Int?
        /// A Standard Webhooks secret (`whsec_…`): `POST /v1/chat` also takes requests signed with it.
        public var signingSecret: String?
        /// The Slack app's signing secret for `POST /v1/slack` and `/v1/slack/events` (`env:NAME` allowed).
        public var slackSigningSecret: String?
        /// The Slack app's bot token (`xoxb-…`, `env:NAME` allowed): replies in DMs are posted with it.
        public var slackBotToken: String?
        /// The bot's own user id (`U…`), whose messages are never answered; Slack also says it in
        /// each event's `authorizations`.
        public var slackBotUserID: String?
        /// Where Slack's Web API is (`https://slack.com/api`); a stand-in's address for tests and demos.
        public var slackAPIURL: String?
        /// The tokens of the Mattermost slash commands and outgoing webhooks that may use
        /// `POST /v1/mattermost` (Mattermost gives each its own): one, or a list (`env:NAME` allowed in each).
        public var mattermostToken: SecretList?
        /// The Mattermost server the bot account is on (`https://chat.example.com`): its event
        /// stream (`/api/v4/websocket`) brings the DMs, its REST API takes the replies.
        public var mattermostURL: String?
        /// The bot account's access token (`env:NAME` allowed): with `mattermost_url`, rapport
        /// answers DMs to the bot.
        public var mattermostBotToken: String?
        /// The secret that signs the bot's buttons (`env:NAME` allowed); without it the bot's
        /// questions have no buttons, since a press could not be told from a forged one.
        public var mattermostActionsSecret: String?
        /// The address Mattermost reaches this server at (`https://rapport.example.com`): the bot's
        /// buttons are pressed back to `<public_url>/v1/mattermost/actions`.
        public var publicURL: String?
        /// Seconds a new connection has to send its first request's headers.
        public var headerTimeoutSeconds: Double?
        /// Seconds a request has from its headers to the last byte of its body.
        public var bodyTimeoutSeconds: Double?
        /// Seconds a kept-alive connection may sit idle between requests.
        public var idleTimeoutSeconds: Double?
        /// Connections open at once; more wait to be accepted.
        public var maxConnections: Int?
        /// Seconds SIGTERM leaves requests in flight before their connections are closed.
        public var shutdownTimeoutSeconds: Double?

        /// What the server uses for a key the config leaves out. The idle timeout outlasts a reverse
        /// proxy's own hold on an idle connection (Caddy's 2 minutes, nginx's 60 s), so the proxy
        /// closes first and never sends a request down a connection the server is closing.
        public static let builtIn: ServerConfig = {
            var config = ServerConfig(host: "127.0.0.1", port: 8080, allowAnyone: false, maxBodyBytes: 64 * 1024)
            config.headerTimeoutSeconds = 10
            config.bodyTimeoutSeconds = 10
            config.idleTimeoutSeconds = 130
            config.maxConnections = 512
            config.shutdownTimeoutSeconds = 5
            return config
        }()

        enum CodingKeys: String, CodingKey {
            case host, port, token, users
            case allowAnyone = "allow_anyone"
            case maxBodyBytes = "max_body_bytes"
            case slackSigningSecret = "slack_signing_secret"
            case slackBotToken = "slack_bot_token"
            case slackBotUserID = "slack_bot_user_id"
            case slackAPIURL = "slack_api_url"
            case signingSecret = "signing_secret"
            case mattermostToken = "mattermost_token"
            case mattermostURL = "mattermost_url"
            case mattermostBotToken = "mattermost_bot_token"
            case mattermostActionsSecret = "mattermost_actions_secret"
            case publicURL = "public_url"
            case headerTimeoutSeconds = "header_timeout_seconds"
            case bodyTimeoutSeconds = "body_timeout_seconds"
            case idleTimeoutSeconds = "idle_timeout_seconds"
            case maxConnections = "max_connections"
            case shutdownTimeoutSeconds = "shutdown_timeout_seconds"
        }

        public init(host: String? = nil, port: Int? = nil, token: String? = nil, users: [String: String]? = nil, allowAnyone: Bool? = nil, maxBodyBytes: Int? = nil,
                    slackSigningSecret: String? = nil, mattermostToken: SecretList? = nil, signingSecret: String? = nil) {
            self.signingSecret = signingSecret
            self.slackSigningSecret = slackSigningSecret
            self.mattermostToken = mattermostToken
            self.host = host
            self.port = port
            self.token = token
            self.users = users
            self.allowAnyone = allowAnyone
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// `destination` for every kind of nudge, `routes` per kind (reminder, reflect, followup,
    /// referral, keep_in_touch, digest; `none` keeps one off chat, `dm` sends it to its owner's
    /// Slack DM, a list like `[team, dm]` to both), the reminder's lead time,
    /// quiet hours like `20-8` (or `off`), the hour for date-only nudges, and whether a
    /// reminder may show the meeting's goal.
    public struct NudgeConfig: Codable, Sendable, Equatable {
        public var destination: String?
        public var routes: [String: NudgeRouteTargets]?
        public var leadMinutes: Int?
        public var reflectAfterMinutes: Int?
        public var quietHours: String?
        public var morningHour: Int?
        public var shareGoals: Bool?
        /// When a calendar meeting's "not prepared yet" goes out: `morning` (the morning of the
        /// day, or 2 hours before when that is later) or a number of minutes before it.
        public var prepBefore: String?
        /// Whether nudges about calendar meetings may name the person and the event's title.
        public var shareCalendar: Bool?
        /// Where the nudges about each colleague's own records go, by chat user
        /// (`slack:T0TEAM:U0ALICE: { destination: alice }`); a colleague not named gets none.
        public var people: [String: PersonRoutes]?

        /// One colleague's routes: `destination` for every kind, `routes` per kind.
        public struct PersonRoutes: Codable, Sendable, Equatable {
            public var destination: String?
            public var routes: [String: NudgeRouteTargets]?
        }

        public init(
            destination: String? = nil, routes: [String: NudgeRouteTargets]? = nil, leadMinutes: Int? = nil, reflectAfterMinutes: Int? = nil,
            quietHours: String? = nil, morningHour: Int? = nil, shareGoals: Bool? = nil
        ) {
            self.destination = destination
            self.routes = routes
            self.leadMinutes = leadMinutes
            self.reflectAfterMinutes = reflectAfterMinutes
            self.quietHours = quietHours
            self.morningHour = morningHour
            self.shareGoals = shareGoals
        }

        enum CodingKeys: String, CodingKey {
            case destination, routes
            case leadMinutes = "lead_minutes"
            case reflectAfterMinutes = "reflect_after_minutes"
            case quietHours = "quiet_hours"
            case morningHour = "morning_hour"
            case shareGoals = "share_goals"
            case prepBefore = "prep_before"
            case shareCalendar = "share_calendar"
            case people
        }
    }

    /// One webhook: `kind` (slack, mattermost, discord, teams, googlechat, generic), `url` and, for
    /// generic, a Standard Webhooks `secret`; `env:NAME` reads a value from the environment.
    public struct DestinationConfig: Codable, Sendable, Equatable {
        public var kind: String
        public var url: String
        public var secret: String?

        public init(kind: String, url: String, secret: String? = nil) {
            self.kind = kind
            self.url = url
            self.secret = secret
        }
    }

    enum CodingKeys: String, CodingKey {
        case store, language, prompts, color, destinations, nudges, server, calendar
        case timeZone = "time_zone"
        case storePassword = "store_password"
    }

    public init(store: String? = nil, language: String? = nil, prompts: String? = nil, color: Bool? = nil, timeZone: String? = nil) {
        self.store = store
        self.language = language
        self.prompts = prompts
        self.color = color
        self.timeZone = timeZone
    }

    /// Reads a config file; a missing file is an empty config. A mistake in it, or a number
    /// outside its range, is an error that says where, and quotes nothing of the file.
    public static func load(path: String) throws(RapportError) -> RapportConfig {
        guard FileManager.default.fileExists(atPath: path) else { return RapportConfig() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadableFile(path: path)
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return RapportConfig() }
        do {
            return try parse(text)
        } catch {
            throw .invalidConfig(path: path, reason: error.reason)
        }
    }
}
