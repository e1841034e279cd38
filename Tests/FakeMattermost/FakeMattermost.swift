import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import RapportTestSupport

/// A stand-in for a Mattermost server on 127.0.0.1, written from Mattermost's API reference
/// (api.mattermost.com: "Create a post", the WebSocket "posted" and "hello" events) and its
/// interactive-messages guide rather than from rapport's encoder. It holds a bot account and one
/// person with a direct channel between them.
/// - `GET /api/v4/websocket` upgrades with `Authorization: Bearer <token>` (401 otherwise), says
///   `hello` with the bot's user id in `broadcast.user_id`, then sends `posted` events, the post
///   JSON-encoded inside `data.post`, for every post in a channel the bot is in, its own too.
/// - `POST /api/v4/posts` takes `channel_id`, `message`, `root_id` and `props.attachments` (with
///   `actions` whose `integration` has a `url`), answers 201 with the created post, or 401/403/400
///   with Mattermost's error JSON, or 429 with `Retry-After` when told to.
/// - A button press is sent as Mattermost's server sends it to the action's `integration.url`:
///   a JSON POST with `user_id`, `channel_id`, `post_id`, a fresh `trigger_id` and the `context`.
public final class FakeMattermost: @unchecked Sendable {
    // @unchecked: everything mutable is behind `lock`.

    /// A post as Mattermost stores and shows it.
    public struct Post: Sendable, Equatable {
        public var id: String
        public var userID: String
        public var channelID: String
        public var rootID: String
        public var message: String
        public var attachments: [Attachment]
        /// The buttons of every attachment, in order.
        public var buttons: [Button] { attachments.flatMap(\.actions) }
    }

    /// A message attachment (Mattermost's "message attachments" reference).
    public struct Attachment: Sendable, Equatable {
        public var title: String?
        /// Each field's title and value.
        public var fields: [[String]]
        public var footer: String?
        public var actions: [Button]
    }

    /// An interactive button: what it shows, and what Mattermost posts back when it is pressed.
    public struct Button: Sendable, Equatable {
        public var id: String
        public var name: String
        public var url: String
        /// The integration's context, as JSON.
        public var context: String
    }

    /// What the REST API answers the next `POST /api/v4/posts` with, instead of posting.
    public enum Trouble: Sendable {
        /// 429 with `Retry-After: seconds` and Mattermost's `X-Ratelimit-*` headers.
        case rateLimited(seconds: Int)
        /// 500, as a server in trouble answers.
        case serverError
    }

    /// Mattermost ids and tokens are 26 lower-case letters and digits.
    public let botToken = "9xuqwrwgstrb3mzrxb83nb357a"
    public let botUserID = "pbyt3sgmmifzfe1fzyqgqg6cfh"
    public let person = "k5thx4o6ctbf7g5c8tqqhawf1o"
    public let personName = "anna.berg"
    /// The direct channel of the bot and the person.
    public let directChannel = "qmd5oqtwoibz8cuzxzg5ekshgr"

    private let lock = NSLock()
    private var posted: [Post] = []
    private var refusals: [String] = []
    private var troubles: [Trouble] = []
    private var sockets: [Int: WebSocketOutboundWriter] = [:]
    private var upgrades = 0
    private var meCalls = 0
    /// What happened in the DM, in order, as lines a person would read.
    private var record: [String] = []
    private var directOpens = 0
    private var nextSocket = 0
    private var sequence = 0
    private var task: Task<Void, any Error>?
    private var boundPort = 0

    /// Starts the fake on a free port and waits until it listens.
    public static func start() async throws -> FakeMattermost {
        let fake = FakeMattermost()
        let deadline = ContinuousClock.now + .seconds(30)
        while fake.port == 0 {
            guard ContinuousClock.now < deadline else { throw HTTPError(.internalServerError, message: "the fake Mattermost did not start") }
            try await Task.sleep(for: .milliseconds(10))
        }
        return fake
    }

    private init() {
        // Weak: the server's tasks can outlive the fake (a stream closing after the test ends).
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.post("/api/v4/posts") { [weak self] request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            guard let self else { return Response(status: .serviceUnavailable) }
            return await createPost(request, body: body)
        }
        router.get("/api/v4/users/me") { [weak self] request, _ -> Response in
            guard let self else { return Response(status: .serviceUnavailable) }
            return me(request)
        }
        router.post("/api/v4/channels/direct") { [weak self] request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 16))
            guard let self else { return Response(status: .serviceUnavailable) }
            return openDirect(request, body: body)
        }
        let sockets = Router(context: BasicWebSocketRequestContext.self)
        sockets.ws("/api/v4/websocket") { [weak self] request, _ in
            guard let self, bearer(request) == botToken else { throw HTTPError(.unauthorized) }
            return .upgrade([:])
        } onUpgrade: { [weak self] inbound, outbound, _ in
            guard let number = self?.opened(outbound), let hello = self?.helloEvent() else { return }
            try await outbound.write(.text(hello))
            // Read until the client closes: pings are answered by the library.
            for try await _ in inbound {}
            self?.closed(number)
        }
        var logger = Logger(label: "fake-mattermost")
        logger.logLevel = .critical  // its shutdown's CancellationError is no news
        let app = Application(
            router: router, server: .http1WebSocketUpgrade(webSocketRouter: sockets),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { [weak self] channel in
                self?.lock.withLock { self?.boundPort = channel.localAddress?.port ?? 0 }
            },
            logger: logger)
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
    }

    public var port: Int { lock.withLock { boundPort } }
    /// `mattermost_url` for rapport.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Every post made, in order (the person's and the bot's).
    public var posts: [Post] { lock.withLock { posted } }
    /// The bot's posts in the direct channel.
    public var botPosts: [Post] { posts.filter { $0.userID == botUserID && $0.channelID == directChannel } }
    /// Why requests were refused, in order.
    public var refused: [String] { lock.withLock { refusals } }
    /// Event streams open now, and upgrades ever made.
    public var openSockets: Int { lock.withLock { sockets.count } }
    public var socketUpgrades: Int { lock.withLock { upgrades } }

    /// Calls to `users/me` and to `channels/direct` that were answered.
    public var usersMeCalls: Int { lock.withLock { meCalls } }
    public var directChannelOpens: Int { lock.withLock { directOpens } }

    /// The next calls to `POST /api/v4/posts` are answered with these troubles, one each.
    public func fail(_ trouble: Trouble...) { lock.withLock { troubles += trouble } }

    public func stop() {
        task?.cancel()
    }

    deinit { task?.cancel() }

    // MARK: - The person's side

    /// The person writes `text` in their direct channel with the bot: the post is made and its
    /// `posted` event sent on every open stream. Returns the post.
    @discardableResult
    public func say(_ text: String) async -> Post {
        let id = newID()
        let post = lock.withLock { () -> Post in
            let post = Post(id: id, userID: person, channelID: directChannel, rootID: "", message: text, attachments: [])
            posted.append(post)
            record.append("\(personName): \(text)")
            return post
        }
        await broadcast(post, props: [:], senderName: "@" + personName)
        return post
    }

    /// Sends a post's `posted` event again, as a second replica's stream or a reconnect would see it.
    public func resend(_ post: Post) async {
        await broadcast(post, props: [:], senderName: "@" + personName)
    }

    /// Closes every event stream from the server's side (a restart of Mattermost, say).
    public func dropSockets() async {
        let open = lock.withLock { sockets.values.map { $0 } }
        for socket in open { try? await socket.close(.goingAway, reason: "server restarting") }
    }

    /// Presses the button called `name` on `post` as Mattermost does: a JSON POST to its
    /// integration URL. Returns the status and body of the integration's answer.
    public func press(_ name: String, on post: Post, by user: String? = nil, context: String? = nil) -> (status: Int, body: String)? {
        guard let button = post.buttons.first(where: { $0.name == name }) else { return nil }
        lock.withLock { record.append("\(user == nil ? personName : user!) pressed [\(name)]") }
        let contextObject = (try? JSONSerialization.jsonObject(with: Data((context ?? button.context).utf8))) ?? [:]
        let trigger = Data("\(newID()):\(user ?? person):\(Int(Date().timeIntervalSince1970 * 1000)):MEUCIQDy".utf8).base64EncodedString()
        let request: [String: Any] = [
            "user_id": user ?? person, "user_name": personName, "channel_id": post.channelID, "channel_name": "\(botUserID)__\(person)",
            "team_id": "", "team_domain": "", "post_id": post.id, "trigger_id": trigger, "type": "button", "data_source": "",
            "context": contextObject,
        ]
        return Self.postJSON(request, to: button.url)
    }

    /// The DM as the fake recorded it: what the person wrote and pressed, and the bot's posts
    /// with their attachments (a card's title and fields, the buttons) as Mattermost lays them out.
    public var transcript: String { lock.withLock { record.joined(separator: "\n") + "\n" } }

    static func shown(_ post: Post) -> String {
        var lines = post.message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for attachment in post.attachments {
            if let title = attachment.title { lines.append("┃ " + title) }
            for field in attachment.fields { lines.append("┃ " + field.joined(separator: ": ")) }
            if let footer = attachment.footer { lines.append("┃ " + footer) }
            if !attachment.actions.isEmpty { lines.append(attachment.actions.map { "[\($0.name)]" }.joined(separator: " ")) }
        }
        let shown = lines.filter { !$0.isEmpty }
        return "rapport: " + (shown.first ?? "") + shown.dropFirst().map { "\n         " + $0 }.joined()
    }

    // MARK: - The server's side

    private func createPost(_ request: Request, body: [UInt8]) async -> Response {
        guard bearer(request) == botToken else {
            return refuse(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
        }
        if let trouble = lock.withLock({ troubles.isEmpty ? nil : troubles.removeFirst() }) {
            switch trouble {
            case .rateLimited(let seconds):
                lock.withLock { refusals.append("rate limited") }
                return Response(
                    status: .tooManyRequests,
                    headers: [.retryAfter: "\(seconds)", HTTPField.Name("X-Ratelimit-Limit")!: "10", HTTPField.Name("X-Ratelimit-Remaining")!: "0",
                              HTTPField.Name("X-Ratelimit-Reset")!: "\(seconds)"],
                    body: .init(byteBuffer: ByteBuffer(string: "limit exceeded\n")))
            case .serverError:
                return refuse(500, "api.post.create_post.internal_error", "Unable to save the post.")
            }
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return refuse(400, "api.context.invalid_body_param.app_error", "Invalid or missing post in request body.")
        }
        guard let channel = object["channel_id"] as? String, !channel.isEmpty else {
            return refuse(400, "api.context.invalid_body_param.app_error", "Invalid or missing channel_id in request body.")
        }
        guard channel == directChannel else {
            return refuse(403, "api.context.permissions.app_error", "You do not have the appropriate permissions.")
        }
        let message = object["message"] as? String ?? ""
        guard message.count <= 16_383 else { return refuse(400, "model.post.is_valid.message_length.app_error", "Invalid Message property length.") }
        let props = object["props"] as? [String: Any] ?? [:]
        var attachments: [Attachment] = []
        for attachment in props["attachments"] as? [[String: Any]] ?? [] {
            var buttons: [Button] = []
            for action in attachment["actions"] as? [[String: Any]] ?? [] {
                // Mattermost keeps an action's id only when it is letters and digits, and needs a name and a URL.
                guard let id = action["id"] as? String, !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
                      let name = action["name"] as? String, !name.isEmpty,
                      let integration = action["integration"] as? [String: Any], let url = integration["url"] as? String,
                      url.hasPrefix("http://") || url.hasPrefix("https://")
                else { return refuse(400, "model.post.is_valid.props.app_error", "Invalid props: an action needs an id, a name and an integration URL.") }
                let context = (try? JSONSerialization.data(withJSONObject: integration["context"] ?? [:], options: [.sortedKeys])) ?? Data("{}".utf8)
                buttons.append(Button(id: id, name: name, url: url, context: String(decoding: context, as: UTF8.self)))
            }
            let fields = (attachment["fields"] as? [[String: Any]] ?? []).map { [($0["title"] as? String) ?? "", ($0["value"] as? String) ?? ""] }
            attachments.append(Attachment(title: attachment["title"] as? String, fields: fields, footer: attachment["footer"] as? String, actions: buttons))
        }
        guard !message.isEmpty || !attachments.isEmpty else {
            return refuse(400, "api.context.invalid_body_param.app_error", "A post needs a message, an attachment or a file.")
        }
        let id = newID()
        let post = lock.withLock { () -> Post in
            let post = Post(id: id, userID: botUserID, channelID: channel, rootID: object["root_id"] as? String ?? "", message: message, attachments: attachments)
            posted.append(post)
            record.append(Self.shown(post))
            return post
        }
        // A bot account's posts carry `from_bot`, and go out on the streams like any other.
        await broadcast(post, props: ["from_bot": "true"], senderName: "@rapport")
        let created: [String: Any] = [
            "id": post.id, "create_at": Int(Date().timeIntervalSince1970 * 1000), "update_at": Int(Date().timeIntervalSince1970 * 1000), "edit_at": 0,
            "delete_at": 0, "user_id": botUserID, "channel_id": channel, "root_id": post.rootID, "message": message, "type": "",
            "props": props.merging(["from_bot": "true"]) { a, _ in a },
        ]
        return Self.json(created, status: .created)
    }

    /// `GET /api/v4/users/me`: the bot account, as "Get a user" shows a user.
    private func me(_ request: Request) -> Response {
        guard bearer(request) == botToken else {
            return refuse(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
        }
        lock.withLock { meCalls += 1 }
        return Self.json(["id": botUserID, "username": "rapport", "is_bot": true, "roles": "system_user", "locale": "en", "create_at": 1_700_000_000_000], status: .ok)
    }

    /// `POST /api/v4/channels/direct` with the two user ids: the direct channel, made or existing (201).
    private func openDirect(_ request: Request, body: [UInt8]) -> Response {
        guard bearer(request) == botToken else {
            return refuse(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
        }
        guard let ids = try? JSONSerialization.jsonObject(with: Data(body)) as? [String], ids.count == 2 else {
            return refuse(400, "api.context.invalid_body_param.app_error", "Invalid or missing user_ids in request body.")
        }
        guard Set(ids) == [botUserID, person] else {
            return refuse(400, "api.channel.create_direct_channel.invalid_user.app_error", "Invalid user ID for direct channel creation.")
        }
        lock.withLock { directOpens += 1 }
        return Self.json(["id": directChannel, "type": "D", "name": "\(botUserID)__\(person)", "display_name": "", "team_id": "", "create_at": 1_700_000_000_000], status: .created)
    }

    private func refuse(_ status: Int, _ id: String, _ message: String) -> Response {
        lock.withLock { refusals.append(id) }
        return Self.json(["id": id, "message": message, "detailed_error": "", "request_id": newID(), "status_code": status],
                         status: HTTPResponse.Status(code: status))
    }

    private func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }

    private func opened(_ writer: WebSocketOutboundWriter) -> Int {
        lock.withLock {
            nextSocket += 1
            upgrades += 1
            sockets[nextSocket] = writer
            return nextSocket
        }
    }

    private func closed(_ number: Int) { _ = lock.withLock { sockets.removeValue(forKey: number) } }

    private func helloEvent() -> String {
        Self.text([
            "event": "hello", "data": ["server_version": "10.5.0.13542.abc.true", "connection_id": newID()],
            "broadcast": ["omit_users": NSNull(), "user_id": botUserID, "channel_id": "", "team_id": ""] as [String: Any],
            "seq": nextSequence(),
        ])
    }

    /// The `posted` event of a post, sent on every open stream.
    private func broadcast(_ post: Post, props: [String: String], senderName: String) async {
        let postJSON = Self.text([
            "id": post.id, "create_at": Int(Date().timeIntervalSince1970 * 1000), "update_at": Int(Date().timeIntervalSince1970 * 1000),
            "edit_at": 0, "delete_at": 0, "is_pinned": false, "user_id": post.userID, "channel_id": post.channelID, "root_id": post.rootID,
            "original_id": "", "message": post.message, "type": "", "props": props, "hashtags": "", "pending_post_id": "", "reply_count": 0,
            "metadata": [String: String](),
        ])
        let event = Self.text([
            "event": "posted",
            "data": [
                "channel_display_name": "@" + personName, "channel_name": "\(botUserID)__\(person)", "channel_type": "D", "post": postJSON,
                "sender_name": senderName, "set_online": true, "team_id": "",
            ] as [String: Any],
            "broadcast": ["omit_users": NSNull(), "user_id": "", "channel_id": post.channelID, "team_id": "", "connection_id": "", "omit_connection_id": ""] as [String: Any],
            "seq": nextSequence(),
        ])
        let open = lock.withLock { sockets.values.map { $0 } }
        for socket in open { try? await socket.write(.text(event)) }
    }

    private func nextSequence() -> Int { lock.withLock { sequence += 1; return sequence } }

    /// A fresh 26-character id of lower-case letters and digits.
    private func newID() -> String {
        String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(26))
    }

    private static func text(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data(), as: UTF8.self)
    }

    private static func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text(object))))
    }

    /// One JSON POST over a raw loopback connection, as Mattermost's server makes it.
    static func postJSON(_ object: [String: Any], to url: String) -> (status: Int, body: String)? {
        guard let parsed = URL(string: url), let port = parsed.port, let connection = try? RawConnection(port: port) else { return nil }
        let body = text(object)
        let head = "POST \(parsed.path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: Mattermost-Bot/1.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        guard connection.send(head + body), let response = connection.response(within: 10) else { return nil }
        let status = response.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        let answer = response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) } ?? ""
        return (status, answer)
    }
}
