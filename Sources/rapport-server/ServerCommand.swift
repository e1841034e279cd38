import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import RapportApp
import RapportServer
import RapportTerminal
import ServiceLifecycle

/// `rapport-server`: what `rapport serve` runs. One long-running process that answers chat
/// webhooks; it stops cleanly on SIGTERM or SIGINT.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport-server",
        abstract: "Chat with rapport over HTTP (POST /v1/chat, /v1/slack, /v1/slack/events, /v1/mattermost; GET /healthz; the Mattermost bot's DMs) and deliver the nudges that are due."
    )

    @Option(help: "The address to listen on (default: server.host in the config, else 127.0.0.1).")
    var host: String?

    @Option(help: "The port (default: server.port in the config, else 8080).")
    var port: Int?

    @Option(help: ArgumentHelp("The store: a SQLite file, or a team store postgres://user@host/db (env RAPPORT_STORE).", valueName: "path-or-url"))
    var store: String?

    @Option(help: ArgumentHelp("The config file (env RAPPORT_CONFIG).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("A folder of flows (env RAPPORT_PROMPTS).", valueName: "dir"))
    var prompts: String?

    @Option(help: ArgumentHelp("How often to deliver due nudges, as `rapport nudge` does (0: never).", valueName: "seconds"))
    var nudgeEvery: Int = 60

    /// `rapport-server terminal ARGS…` is `rapport ARGS…` on a team store (rapport hands over to
    /// it); anything else is the server.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "terminal" {
            // A terminal command's output is its own: the database driver says only errors, on stderr.
            LoggingSystem.bootstrap(StreamLogHandler.standardError)
            var quiet = Logger(label: "rapport.postgres")
            quiet.logLevel = .error
            await RapportServices.$teamStore.withValue(PostgresTeamStore(logger: quiet)) {
                await RapportCommand.start(Array(arguments.dropFirst()))
            }
            return
        }
        await Self.main(arguments)
    }

    func run() async throws {
        Self.shareOutEventLoops()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "rapport.server")
        logger.logLevel = .info
        let overrides = RapportSettings.Overrides(store: store, config: config, prompts: prompts)
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let settings: RapportSettings
        let limits: ServerLimits
        let rapport: RapportServices
        let policy: ChatServerPolicy
        let warnings: [String]
        do {
            settings = try RapportSettings.resolve(overrides, executable: executable)
            limits = try ServerLimits.configured(by: settings.server)
            rapport = try await RapportServices.open(settings, concurrentReads: true, teamStore: PostgresTeamStore(logger: logger))
            let fixedNow = settings.fixedNow
            (policy, warnings) = try ChatServerPolicy.configured(by: settings, clock: { fixedNow ?? Date() })
        } catch {
            FileHandle.standardError.write(Data("rapport-server: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let server = settings.server
        let builtIn = RapportConfig.ServerConfig.builtIn
        let fixedNow = settings.fixedNow
        for warning in warnings { logger.warning("\(warning)") }
        var files = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files) == 0, let warning = limits.fileLimitWarning(openFileLimit: Int(clamping: files.rlim_cur)) {
            logger.warning("\(warning)")
        }
        let bell = ReplyBell()
        let chat = ChatService(services: rapport, clock: { fixedNow ?? Date() }, replyQueued: { bell.ring() })
        var services: [any Service] = []
        if settings.server.slackBotToken != nil || settings.server.mattermostBotToken != nil {
            services.append(ReplyLoop(bell: bell, services: rapport, logger: logger))
        }
        if let bot = MattermostBot(settings: settings, chat: chat, policy: policy, logger: logger) {
            services.append(bot)
        }
        if nudgeEvery > 0, settings.nudges.routesAnything {
            services.append(NudgeLoop(every: .seconds(nudgeEvery), round: NudgeRound(services: rapport, logger: logger)))
            logger.info("delivering due nudges every \(nudgeEvery) s")
        }
        // Calendars are looked at every minute and read when their refresh interval has passed.
        services.append(CalendarLoop(every: .seconds(60), services: rapport, logger: logger))
        let address = (host: host ?? server.host ?? builtIn.host!, port: port ?? server.port ?? builtIn.port!)
        let app = Application(
            router: buildRouter(chat: chat, policy: policy, timeZones: slackTimeZones(settings, logger: logger)),
            server: limits.http1(logger: logger),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "rapport",
                                 availableConnectionsDelegate: limits.connectionCap(logger: logger)),
            services: services,
            logger: logger)
        do {
            try await limits.runUntilSignalled(app, logger: logger)
        } catch let error as IOError where [EADDRINUSE, EACCES, EADDRNOTAVAIL].contains(error.errnoCode) {
            let why = switch error.errnoCode {
            case EADDRINUSE: "the port is in use (is another rapport serve running?)"
            case EACCES: "ports below 1024 need root"
            default: "that address is not one of this machine's"
            }
            FileHandle.standardError.write(Data("rapport-server: cannot listen on \(address.host):\(address.port): \(why); choose another with --host/--port or server: in the config\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension ServerCommand {
    /// Requests are answered on Swift's cooperative pool, a thread per core; the event loops
    /// (HTTP and the database's connections) only move bytes, so one loop per two cores is
    /// enough, and each request then wakes fewer threads: on 2 cores with two replicas, 6–10%
    /// less server CPU per chat turn (4 runs of each, flat out). NIO's own
    /// NIO_SINGLETON_GROUP_LOOP_COUNT still decides when set.
    static func shareOutEventLoops() {
        guard ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil else { return }
        NIOSingletons.groupLoopCountSuggestion = max(1, System.coreCount / 2)
    }
}

/// Slack users' own time zones, asked of `users.info` with the bot's token; nil without a bot.
private func slackTimeZones(_ settings: RapportSettings, logger: Logger) -> (any PersonTimeZones)? {
    guard case .success(let bot?) = settings.slackBot(), let token = bot.bearerToken else { return nil }
    let fixedNow = settings.fixedNow
    return SlackTimeZones(apiBase: settings.server.slackAPIURL ?? "https://slack.com/api", token: token, clock: { fixedNow ?? Date() }, logger: logger)
}
