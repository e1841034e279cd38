import Foundation
import Hummingbird
import Logging
import RapportApp
import RapportCore
import ServiceLifecycle
import WSClient

/// The Mattermost bot account in `rapport serve`: it holds the server's WebSocket event stream
/// open (`/api/v4/websocket`, the bot's token in the upgrade's `Authorization`), answers each
/// direct message to the bot (and each mention of it) as a turn, and posts the reply through the
/// outbox (destination `mattermost-bot`). Frames are read one at a time, so a person's messages
/// are answered in the order they wrote them. A dropped or refused connection is tried again,
/// waiting twice as long each time up to a minute. Every replica holds its own stream and sees
/// every message: the post id is claimed once in the store, so one replica answers it.
public struct MattermostBot: Service {
    let socketURL: String
    let token: String
    let destination: String
    let runner: ChatTurnRunner
    let logger: Logger

    /// The longest wait between two attempts to connect.
    static let longestWait: Duration = .seconds(60)
    /// A connection that lasted this long was good: the next failure starts the waits again.
    static let goodConnection: Duration = .seconds(60)

    /// Nil when the config has no Mattermost bot (or its token is missing: said once, at start).
    public init?(settings: RapportSettings, chat: ChatService, policy: ChatServerPolicy, logger: Logger) {
        guard case .success(let bot?) = settings.mattermostBot(), let token = bot.bearerToken, let serverURL = settings.server.mattermostURL,
              let socketURL = Self.socketURL(serverURL)
        else { return nil }
        self.socketURL = socketURL
        self.token = token
        self.destination = bot.name
        self.runner = ChatTurnRunner(chat: chat, policy: policy)
        self.logger = logger
    }

    /// `https://chat.example.com/` → `wss://chat.example.com/api/v4/websocket`; nil for another scheme.
    static func socketURL(_ serverURL: String) -> String? {
        var base = serverURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasPrefix("https://") { return "wss://" + base.dropFirst("https://".count) + "/api/v4/websocket" }
        if base.hasPrefix("http://") { return "ws://" + base.dropFirst("http://".count) + "/api/v4/websocket" }
        return nil
    }

    public func run() async throws {
        var wait: Duration = .seconds(1)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                let close = try await cancelWhenGracefulShutdown { try await connect() }
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("the Mattermost event stream closed\(close.map { " (\($0.closeCode))" } ?? ""); connecting again")
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("the Mattermost event stream failed: \(error); connecting again in \(wait)")
            }
            if ContinuousClock.now - started >= Self.goodConnection { wait = .seconds(1) }
            let pause = wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            wait = min(wait * 2, Self.longestWait)
        }
    }

    private func connect() async throws -> WebSocketCloseFrame? {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer " + token
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: MattermostEvent.maximumFrameBytes, additionalHeaders: headers, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true)
        let runner = self.runner, destination = self.destination, logger = self.logger
        return try await WebSocketClient.connect(url: socketURL, configuration: configuration, logger: logger) { inbound, _, _ in
            var botUserID: String?
            for try await frame in inbound.messages(maxSize: MattermostEvent.maximumFrameBytes) {
                guard case .text(let text) = frame else { continue }
                switch MattermostEvent.read(text, botUserID: botUserID) {
                case .hello(let id):
                    botUserID = id
                    logger.info("connected to Mattermost's event stream", metadata: ["mattermost.bot": .string(id ?? "?")])
                case .message(let platform, let user, let text, let postID, let channel, let thread):
                    let message = InboundMessage(
                        platform: platform, workspace: nil, user: user, text: text.isEmpty ? "help" : text,
                        messageID: MessageID(platform: .mattermost, value: postID),
                        replyChannel: ReplyChannel(destination: destination, channel: channel, thread: thread))
                    do {
                        _ = try await runner.answer(message, logger: logger)
                    } catch {
                        // Logged by the runner; the stream goes on with the next message.
                    }
                case .ignored:
                    break
                }
            }
        }
    }
}
