import Foundation
import RapportCore
import RapportDelivery

/// Everything a command needs to know before it runs, resolved once: flag, then `RAPPORT_*`
/// variable, then config file, then default.
public struct RapportSettings: Sendable {
    /// Values given on the command line; nil when not given.
    public struct Overrides: Sendable {
        public var store: String?
        public var config: String?
        public var prompts: String?
        public var language: String?
        public var noColor: Bool

        public init(store: String? = nil, config: String? = nil, prompts: String? = nil, language: String? = nil, noColor: Bool = false) {
            self.store = store
            self.config = config
            self.prompts = prompts
            self.language = language
            self.noColor = noColor
        }
    }

    /// A SQLite file's path, or a team store's `postgres://` URL.
    public var storePath: String
    /// A team store's password as configured (`env:NAME` allowed), if any.
    public var storePassword: String?
    /// Whether the store is a team store (PostgreSQL), which only `rapport-server` opens.
    public var storeIsTeamStore: Bool { storePath.hasPrefix("postgres://") || storePath.hasPrefix("postgresql://") }
    public var language: String
    public var timeZone: TimeZone
    /// Flow folders, highest priority first.
    public var promptDirectories: [String]
    /// False when `--no-color`, `NO_COLOR` or `color: false` says so.
    public var colorAllowed: Bool
    /// A fixed moment from `RAPPORT_NOW`, for tests and demos; nil means the system clock.
    public var fixedNow: Date?
    public var paths: RapportPaths
    /// Team chat webhooks as configured, by name (values may still say `env:NAME`).
    public var destinationConfigs: [String: RapportConfig.DestinationConfig] = [:]
    /// Where and when nudges go.
    public var nudges = NudgeSettings()
    /// How `rapport serve` listens and whom it answers.
    public var server = RapportConfig.ServerConfig()
    /// How calendars are read.
    public var calendar = CalendarSettings()

    /// The calendar settings, resolved.
    public struct CalendarSettings: Sendable {
        public var own = OwnAddresses([])
        /// How far ahead meetings are read.
        public var horizon: TimeInterval = 14 * 86_400
        /// How long a feed's last read holds before `rapport nudge` or `rapport serve` reads it again.
        public var refresh: TimeInterval = 30 * 60
        public var maxBytes = 10 * 1024 * 1024
        public var timeout: Duration = .seconds(30)

        public init() {}
    }

    public static func resolve(
        _ overrides: Overrides, environment: [String: String] = ProcessInfo.processInfo.environment, executable: String
    ) throws(RapportError) -> RapportSettings {
        let paths = RapportPaths(environment: environment)
        // A variable set to nothing (`RAPPORT_STORE= rapport …`) means the default, as if unset.
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let configPath = overrides.config ?? variable("RAPPORT_CONFIG") ?? paths.userConfig
        let config = try RapportConfig.load(path: configPath)

        let storePath = overrides.store ?? variable("RAPPORT_STORE") ?? config.store.map { expand($0, paths: paths) } ?? paths.defaultStore

        var directories: [String] = []
        if let explicit = overrides.prompts ?? variable("RAPPORT_PROMPTS") ?? config.prompts.map({ expand($0, paths: paths) }) {
            directories.append(explicit)
        } else if FileManager.default.fileExists(atPath: paths.userPrompts) {
            directories.append(paths.userPrompts)
        }
        if let builtIn = RapportPaths.builtInPrompts(executable: executable) { directories.append(builtIn) }
        guard !directories.isEmpty else { throw .missingPrompts }

        let localeLanguage = (variable("LC_ALL") ?? variable("LANG")).flatMap { value -> String? in
            let code = String(value.prefix(2)).lowercased()
            return code.count == 2 && code.allSatisfy(\.isLetter) ? code : nil
        }
        let language = overrides.language ?? variable("RAPPORT_LANG") ?? config.language ?? localeLanguage ?? "en"

        var timeZone = TimeZone.current
        if let name = variable("RAPPORT_TIME_ZONE") ?? config.timeZone {
            guard let zone = TimeZone(identifier: name) else { throw .unknownTimeZone(name) }
            timeZone = zone
        }

        var fixedNow: Date? = nil
        if let value = environment["RAPPORT_NOW"], !value.isEmpty {
            guard let date = try? Date(value, strategy: .iso8601) else { throw .invalidNow(value) }
            fixedNow = date
        }

        let colorAllowed = !overrides.noColor && environment["NO_COLOR"].map(\.isEmpty) != false && config.color != false
            && environment["TERM"] != "dumb"
        var settings = RapportSettings(
            storePath: storePath, language: language, timeZone: timeZone, promptDirectories: directories,
            colorAllowed: colorAllowed, fixedNow: fixedNow, paths: paths, destinationConfigs: config.destinations ?? [:])
        settings.nudges = try nudgeSettings(
            config.nudges, destinations: config.destinations ?? [:], bots: bots(config.server), file: configPath)
        settings.server = config.server ?? RapportConfig.ServerConfig()
        settings.calendar = try calendarSettings(config.calendar)
        settings.storePassword = config.storePassword
        return settings
    }

    /// The outbox destination of each platform's bot the config sets up.
    static func bots(_ server: RapportConfig.ServerConfig?) -> [UserKey.Platform: String] {
        var bots: [UserKey.Platform: String] = [:]
        if server?.slackBotToken != nil { bots[.slack] = slackBotDestination }
        if server?.mattermostBotToken != nil { bots[.mattermost] = mattermostBotDestination }
        return bots
    }

    /// Nudge settings from the config (its numbers already checked by `RapportConfig.load`),
    /// with every named destination checked.
    static func nudgeSettings(
        _ config: RapportConfig.NudgeConfig?, destinations: [String: RapportConfig.DestinationConfig], bots: [UserKey.Platform: String] = [:], file: String
    ) throws(RapportError) -> NudgeSettings {
        var settings = NudgeSettings()
        guard let config else { return settings }
        settings.directDestinations = bots
        func check(_ name: String) throws(RapportError) -> String? {
            if name == "none" { return nil }
            guard destinations[name] != nil else { throw .unknownDestination(name: name, available: destinations.keys.sorted()) }
            return name
        }
        /// A kind's channel (at most one) and whether it also goes to the owner's DM.
        func routes(destination: String?, routes: [String: NudgeRouteTargets]?, at key: String) throws(RapportError) -> (channels: [NudgeKind: String], direct: Set<NudgeKind>) {
            var result: [NudgeKind: String] = [:]
            var direct: Set<NudgeKind> = []
            if let name = destination, let destination = try check(name) {
                for kind in NudgeKind.allCases { result[kind] = destination }
            }
            for (kindName, targets) in routes ?? [:] {
                guard let kind = NudgeKind(rawValue: kindName) else {
                    throw .invalidConfig(path: file, reason: "\(key): '\(kindName)' is not a kind of nudge; use \(NudgeKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let names = targets.names.map { $0.trimmingCharacters(in: .whitespaces) }
                let channels = names.filter { $0 != NudgeRouteTargets.directMessage }
                guard !names.isEmpty, channels.count <= 1, names.count == Set(names).count else {
                    throw .invalidConfig(path: file, reason: "\(key).\(kindName): name one destination, dm, or one destination and dm, like [team, dm]")
                }
                if names.contains(NudgeRouteTargets.directMessage) {
                    guard kind != .digest else {
                        throw .invalidConfig(path: file, reason: "\(key).digest: the digest is your own week and cannot go to a DM; name a destination or none")
                    }
                    guard !bots.isEmpty else {
                        throw .invalidConfig(path: file, reason: "\(key).\(kindName): dm posts as a bot; set server.slack_bot_token or server.mattermost_bot_token first")
                    }
                    direct.insert(kind)
                }
                result[kind] = try channels.first.flatMap(check)
            }
            return (result, direct)
        }
        (settings.routes, settings.direct) = try routes(destination: config.destination, routes: config.routes, at: "nudges.routes")
        for (person, personal) in config.people ?? [:] {
            guard let owner = UserKey(configured: person) else {
                throw .invalidConfig(path: file, reason: "nudges.people: '\(person)' is not a chat user; write slack:ID, slack:TEAM:ID, mattermost:ID or web:ID")
            }
            // The digest is the store owner's week; a colleague's records have no digest of their own.
            var (own, direct) = try routes(destination: personal.destination, routes: personal.routes, at: "nudges.people.\(person).routes")
            if !direct.isEmpty, bots[owner.platform] == nil {
                throw .invalidConfig(path: file, reason: "nudges.people.\(person).routes: dm reaches the users of a platform with a bot (Slack, Mattermost) only; route \(person)'s nudges to a destination")
            }
            own[.digest] = nil
            settings.people[owner] = own
            if !direct.isEmpty { settings.peopleDirect[owner] = direct }
        }
        if let minutes = config.leadMinutes { settings.leadTime = .seconds(minutes * 60) }
        if let minutes = config.reflectAfterMinutes { settings.reflectAfter = .seconds(minutes * 60) }
        if let hour = config.morningHour { settings.morningHour = min(max(hour, 0), 23) }
        if let share = config.shareGoals { settings.shareGoals = share }
        if let share = config.shareCalendar { settings.shareCalendar = share }
        if let before = config.prepBefore?.trimmingCharacters(in: .whitespaces).lowercased() {
            if before == "morning" {
                settings.prepTiming = .standard
            } else if let minutes = Int(before), (0...10_080).contains(minutes) {
                settings.prepTiming = .before(.seconds(minutes * 60))
            } else {
                throw .invalidSetting(key: "nudges.prep_before", requirement: "morning or a number of minutes from 0 to 10080", value: before)
            }
        }
        if let quiet = config.quietHours {
            if quiet == "off" {
                settings.quietHours = nil
            } else {
                guard let hours = RapportConfig.quietHours(quiet) else {
                    throw .invalidConfig(path: file, reason: "nudges.quiet_hours must be two hours from 0 to 23 like 20-8, or off; it is '\(quiet)'")
                }
                settings.quietHours = QuietHours(start: hours.start, end: hours.end)
            }
        }
        return settings
    }

    /// Calendar settings from the config, each number checked against its range.
    static func calendarSettings(_ config: RapportConfig.CalendarConfig?) throws(RapportError) -> CalendarSettings {
        var settings = CalendarSettings()
        guard let config else { return settings }
        settings.own = OwnAddresses(config.mine ?? [])
        if let days = config.horizonDays {
            guard (1...90).contains(days) else { throw .invalidSetting(key: "calendar.horizon_days", requirement: "a number of days from 1 to 90", value: "\(days)") }
            settings.horizon = TimeInterval(days) * 86_400
        }
        if let minutes = config.refreshMinutes {
            guard (1...10_080).contains(minutes) else { throw .invalidSetting(key: "calendar.refresh_minutes", requirement: "a number of minutes from 1 to 10080", value: "\(minutes)") }
            settings.refresh = TimeInterval(minutes) * 60
        }
        if let megabytes = config.maxMegabytes {
            guard megabytes > 0, megabytes <= 200 else { throw .invalidSetting(key: "calendar.max_megabytes", requirement: "more than 0 and at most 200", value: "\(megabytes)") }
            settings.maxBytes = Int(megabytes * 1024 * 1024)
        }
        if let seconds = config.timeoutSeconds {
            guard seconds > 0, seconds <= 600 else { throw .invalidSetting(key: "calendar.timeout_seconds", requirement: "more than 0 and at most 600", value: "\(seconds)") }
            settings.timeout = .milliseconds(Int(seconds * 1000))
        }
        return settings
    }

    /// The configured destinations that can be used, and why each of the others cannot (a secret
    /// missing from the environment, say): for a nudge run, which holds the messages of the
    /// unusable ones instead of failing as a whole.
    public func usableDestinations() -> (usable: [Destination], unusable: [String: String]) {
        var usable: [Destination] = []
        var unusable: [String: String] = [:]
        switch slackBot() {
        case .success(let bot?): usable.append(bot)
        case .failure(let error): unusable[Self.slackBotDestination] = error.description
        case .success(nil): break
        }
        switch mattermostBot() {
        case .success(let bot?): usable.append(bot)
        case .failure(let error): unusable[Self.mattermostBotDestination] = error.description
        case .success(nil): break
        }
        for (name, config) in destinationConfigs.sorted(by: { $0.key < $1.key }) {
            do {
                usable.append(try Destination(name: name, kind: config.kind, url: config.url, secret: config.secret, environment: paths.environment))
            } catch {
                unusable[name] = error.description
            }
        }
        return (usable, unusable)
    }

    /// The configured destinations (or the one named), resolved with secrets read from the
    /// environment, sorted by name.
    public func destinations(named wanted: String? = nil) throws -> [Destination] {
        if let wanted, destinationConfigs[wanted] == nil {
            throw RapportError.unknownDestination(name: wanted, available: destinationConfigs.keys.sorted())
        }
        return try destinationConfigs.sorted(by: { $0.key < $1.key }).filter { wanted == nil || wanted == $0.key }.map { name, config in
            try Destination(name: name, kind: config.kind, url: config.url, secret: config.secret, environment: paths.environment)
        }
    }

    /// The outbox destination of the Slack app's bot (`server.slack_bot_token`): replies in DMs.
    public static let slackBotDestination = "slack-bot"

    /// The outbox destination of the Mattermost bot account (`server.mattermost_bot_token`): replies in DMs.
    public static let mattermostBotDestination = "mattermost-bot"

    /// The destinations that post as a bot: only `rapport serve`'s reply loop posts to them.
    public static let botDestinations: Set<String> = [slackBotDestination, mattermostBotDestination]

    /// The Mattermost bot account as a destination, nil when no bot token is configured. Its
    /// buttons come back to `server.public_url`, signed with `server.mattermost_actions_secret`;
    /// without both, its questions are asked in words alone.
    public func mattermostBot() -> Result<Destination?, DeliveryError> {
        guard let configured = server.mattermostBotToken else { return .success(nil) }
        guard let serverURL = server.mattermostURL, !serverURL.isEmpty else {
            return .failure(.invalidDestination(destination: Self.mattermostBotDestination, reason: "server.mattermost_url is not set"))
        }
        do {
            let token = try SecretReference.resolve(configured, environment: paths.environment)
            var link: MattermostActionLink?
            if let secret = server.mattermostActionsSecret, let publicURL = server.publicURL {
                let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
                link = MattermostActionLink(url: base + "/v1/mattermost/actions", secret: try SecretReference.resolve(secret, environment: paths.environment))
            }
            return .success(.mattermostBot(name: Self.mattermostBotDestination, token: token, serverURL: serverURL, buttonActions: link))
        } catch {
            return .failure(.missingSecret(destination: Self.mattermostBotDestination, variable: error.variable))
        }
    }

    /// The Slack app's bot as a destination, nil when no bot token is configured.
    public func slackBot() -> Result<Destination?, DeliveryError> {
        guard let configured = server.slackBotToken else { return .success(nil) }
        do {
            let token = try SecretReference.resolve(configured, environment: paths.environment)
            return .success(.slackBot(name: Self.slackBotDestination, token: token, apiBase: server.slackAPIURL ?? "https://slack.com/api"))
        } catch {
            return .failure(.missingSecret(destination: Self.slackBotDestination, variable: error.variable))
        }
    }

    /// The current moment: `RAPPORT_NOW` when set, else the system clock. Read only at the edge.
    public func now() -> Date { fixedNow ?? Date() }

    private static func expand(_ path: String, paths: RapportPaths) -> String {
        guard path.hasPrefix("~/") else { return path }
        return (paths.environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
    }
}
