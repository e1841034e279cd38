import Foundation

/// A stand-in for Slack on 127.0.0.1, written from Slack's published docs and examples rather
/// than from rapport's encoder. Its Web API takes `POST /api/chat.postMessage` as the docs
/// describe it (`Authorization: Bearer xoxb-…`, a JSON body with `channel` and `text` or Block
/// Kit `blocks`) and answers as Slack does: `{"ok":true,"channel","ts","message"}`, or
/// `{"ok":false,"error"}` with HTTP 200, or 429 with `Retry-After` when told to. It sends
/// Events API requests signed the v0 way (`X-Slack-Signature`, `X-Slack-Request-Timestamp`),
/// shaped like the docs' `event_callback` examples (message.im, app_mention), and button presses
/// as interactivity sends them: form-encoded, one `payload` field of `block_actions` JSON.
public final class FakeSlack: @unchecked Sendable {
    // @unchecked: everything mutable is behind `lock`.

    /// A message the Web API accepted, as it would show in Slack.
    public struct Post: Sendable, Equatable {
        public var channel: String
        public var text: String?
        public var threadTS: String?
        /// The block types, in order, when the message had blocks.
        public var blockTypes: [String]
        public var ts: String
        /// The buttons of its actions blocks, in order.
        public var buttons: [Button] = []
        /// The texts of its header, section and context blocks, in order.
        public var blockTexts: [String] = []
    }

    /// A button as posted in an actions block.
    public struct Button: Sendable, Equatable {
        public var text: String
        public var value: String
        public var actionID: String
        public var blockID: String?
    }

    /// What the Web API answers the next call with, instead of posting it.
    public enum Trouble: Sendable {
        /// HTTP 429 with `Retry-After: seconds` (Slack's rate limits).
        case rateLimited(seconds: Int)
        /// HTTP 200 with `{"ok": false, "error": code}`.
        case error(String)
    }

    /// Slack's example formats: a bot token, a team, the bot's user, a signing secret.
    public let botToken = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
    public let signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    public let team = "T123ABC456"
    public let botUserID = "U0BOTUSER1"
    public let appID = "A123ABC456"

    /// The block types `chat.postMessage` accepts in a message (Block Kit's "Blocks" reference).
    public static let messageBlockTypes: Set<String> = [
        "actions", "context", "divider", "file", "header", "image", "input", "markdown", "rich_text", "section", "video",
    ]

    private let lock = NSLock()
    private var posted: [Post] = []
    private var refusals: [String] = []
    private var troubles: [Trouble] = []
    private var calls = 0
    private var userInfoCalls = 0
    /// Each user's `tz`, as their Slack profile has it; a user not here is `user_not_found`.
    private var timeZones: [String: String] = [:]
    private var server: LoopbackHTTPServer!

    public init() throws {
        server = try LoopbackHTTPServer { [unowned self] request in self.answer(request) }
    }

    /// The Web API's base, as `server.slack_api_url` takes it.
    public var apiURL: String { server.url + "/api" }

    /// The messages posted so far, oldest first.
    public var posts: [Post] { lock.withLock { posted } }

    /// The messages posted in one conversation.
    public func posts(in channel: String) -> [Post] { posts.filter { $0.channel == channel } }

    /// Every call the Web API refused, with Slack's error code and why.
    public var refused: [String] { lock.withLock { refusals } }

    /// How many `chat.postMessage` calls came, accepted or not.
    public var postMessageCalls: Int { lock.withLock { calls } }

    /// How many `users.info` calls came.
    public var usersInfoCalls: Int { lock.withLock { userInfoCalls } }

    /// Sets a user's time zone (an IANA name) as their Slack profile has it.
    public func setTimeZone(_ zone: String, of user: String) {
        lock.withLock { timeZones[user] = zone }
    }

    /// Makes the next calls fail, in order, as told.
    public func fail(_ trouble: Trouble...) {
        lock.withLock { troubles += trouble }
    }

    public func stop() { server.stop() }

    // MARK: - The Web API

    private func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Reply {
        if request.path.split(separator: "?", maxSplits: 1).first == "/api/users.info" { return usersInfo(request) }
        guard request.method == "POST", request.path == "/api/chat.postMessage" else {
            return .respond(status: 404, body: "Not Found")
        }
        lock.withLock { calls += 1 }
        if let trouble = lock.withLock({ troubles.isEmpty ? nil : troubles.removeFirst() }) {
            switch trouble {
            case .rateLimited(let seconds):
                return .respond(status: 429, headers: ["Retry-After": "\(seconds)", "Content-Type": "application/json"], body: #"{"ok":false,"error":"ratelimited"}"#)
            case .error(let code):
                return refuse(code, "told to")
            }
        }
        // "Authorization: Bearer xoxb-…": missing is not_authed, any other token invalid_auth.
        guard let authorization = request.headers["authorization"] else { return refuse("not_authed", "no Authorization header") }
        guard authorization == "Bearer " + botToken else { return refuse("invalid_auth", "Authorization is \(authorization.prefix(12))…") }
        guard request.headers["content-type"]?.lowercased().hasPrefix("application/json") == true,
              let body = request.json
        else { return refuse("invalid_arguments", "the body is not JSON sent as application/json") }
        guard let channel = body["channel"] as? String, !channel.isEmpty else { return refuse("channel_not_found", "no channel") }
        let text = body["text"] as? String
        var blockTypes: [String] = []
        var buttons: [Button] = []
        var texts: [String] = []
        if let blocks = body["blocks"] {
            guard let list = blocks as? [[String: Any]], !list.isEmpty, list.count <= 50 else { return refuse("invalid_blocks", "blocks is not a list of 1–50 objects") }
            for block in list {
                guard let type = block["type"] as? String, Self.messageBlockTypes.contains(type) else {
                    return refuse("invalid_blocks", "a block of type \(block["type"] ?? "none") cannot be in a message")
                }
                if let problem = Self.problem(with: block, type: type, buttons: &buttons, texts: &texts) { return refuse("invalid_blocks", problem) }
                blockTypes.append(type)
            }
        } else {
            guard let text, !text.isEmpty else { return refuse("no_text", "neither text nor blocks") }
        }
        if let text, text.count > 40_000 { return refuse("msg_too_long", "\(text.count) characters") }
        let ts = lock.withLock { () -> String in
            let ts = String(format: "1503435956.%06d", posted.count + 1)
            posted.append(Post(channel: channel, text: text, threadTS: body["thread_ts"] as? String, blockTypes: blockTypes, ts: ts, buttons: buttons, blockTexts: texts))
            return ts
        }
        var message: [String: Any] = ["type": "message", "user": botUserID, "bot_id": "B123ABC456", "ts": ts]
        message["text"] = text
        return .respond(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: Self.json(["ok": true, "channel": channel, "ts": ts, "message": message]))
    }

    /// `users.info?user=U…` (GET, token in the header), answered like the docs' example: the
    /// user object with `tz`, `tz_label` and `tz_offset`, or `user_not_found`.
    private func usersInfo(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Reply {
        lock.withLock { userInfoCalls += 1 }
        guard request.method == "GET" || request.method == "POST" else { return .respond(status: 405, body: "Method Not Allowed") }
        guard let authorization = request.headers["authorization"] else { return refuse("not_authed", "users.info without Authorization") }
        guard authorization == "Bearer " + botToken else { return refuse("invalid_auth", "users.info with another token") }
        let query = request.path.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let user = query.split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return parts.count == 2 && parts[0] == "user" ? String(parts[1]) : nil
        }.first
        guard let user, !user.isEmpty else { return refuse("user_not_found", "users.info without user") }
        guard let zone = lock.withLock({ timeZones[user] }) else {
            return .respond(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: Self.json(["ok": false, "error": "user_not_found"]))
        }
        let offset = TimeZone(identifier: zone)?.secondsFromGMT() ?? 0
        let profile: [String: Any] = ["real_name": "Egon Spengler", "display_name": "spengler", "team": team]
        let object: [String: Any] = [
            "id": user, "team_id": team, "name": "spengler", "deleted": false, "color": "9f69e7", "real_name": "Egon Spengler",
            "tz": zone, "tz_label": zone, "tz_offset": offset, "profile": profile, "is_admin": true, "is_owner": false, "is_primary_owner": false,
            "is_restricted": false, "is_ultra_restricted": false, "is_bot": false, "updated": 1502138686, "is_app_user": false, "has_2fa": false,
        ]
        return .respond(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: Self.json(["ok": true, "user": object]))
    }

    private func refuse(_ code: String, _ why: String) -> LoopbackHTTPServer.Reply {
        lock.withLock { refusals.append("\(code): \(why)") }
        return .respond(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: Self.json(["ok": false, "error": code]))
    }

    /// A composition object: `{"type": "mrkdwn" | "plain_text", "text": "…"}`.
    private static func isTextObject(_ value: Any?) -> Bool {
        guard let object = value as? [String: Any], let type = object["type"] as? String, let text = object["text"] as? String else { return false }
        return (type == "mrkdwn" || type == "plain_text") && !text.isEmpty
    }

    /// A text object's text, when it is of the one type allowed (or either) and within `limit`.
    private static func text(_ value: Any?, plainOnly: Bool, limit: Int) -> String? {
        guard isTextObject(value), let object = value as? [String: Any], let text = object["text"] as? String, text.count <= limit else { return nil }
        return plainOnly && object["type"] as? String != "plain_text" ? nil : text
    }

    /// What the Block Kit reference would refuse in one block, or nil: a section's text within
    /// 3,000 characters, a header's plain_text within 150, a context's 1–10 elements, an actions
    /// block's 1–25 elements, each button a plain_text label within 75 characters, a value within
    /// 2,000 and an action_id within 255 that no other element of the message has.
    private static func problem(with block: [String: Any], type: String, buttons: inout [Button], texts: inout [String]) -> String? {
        if let id = block["block_id"] { guard let id = id as? String, !id.isEmpty, id.count <= 255 else { return "a block_id must be 1–255 characters" } }
        switch type {
        case "section":
            if block["text"] == nil, block["fields"] != nil { return nil }
            guard let text = text(block["text"], plainOnly: false, limit: 3_000) else { return "a section needs a text object of 1–3,000 characters" }
            texts.append(text)
        case "header":
            guard let text = text(block["text"], plainOnly: true, limit: 150) else { return "a header needs plain_text of 1–150 characters" }
            texts.append(text)
        case "context":
            guard let elements = block["elements"] as? [[String: Any]], (1...10).contains(elements.count) else { return "a context needs 1–10 elements" }
            for element in elements {
                guard let text = text(element, plainOnly: false, limit: 3_000) else { return "a context element must be a text object" }
                texts.append(text)
            }
        case "actions":
            guard let elements = block["elements"] as? [[String: Any]], (1...25).contains(elements.count) else { return "an actions block needs 1–25 elements" }
            for element in elements {
                guard element["type"] as? String == "button" else { continue }
                guard let label = text(element["text"], plainOnly: true, limit: 75) else { return "a button's text must be plain_text of 1–75 characters" }
                guard let value = element["value"] as? String, value.count <= 2_000 else { return "a button's value must be a string of at most 2,000 characters" }
                guard let actionID = element["action_id"] as? String, !actionID.isEmpty, actionID.count <= 255 else { return "a button needs an action_id of 1–255 characters" }
                if buttons.contains(where: { $0.actionID == actionID }) { return "action_id \(actionID) is used twice in one message" }
                buttons.append(Button(text: label, value: value, actionID: actionID, blockID: block["block_id"] as? String))
            }
        default:
            break
        }
        return nil
    }

    // MARK: - Events, as Slack sends them

    /// A direct message to the bot (`message.im`), shaped as the docs' example.
    public func directMessage(_ text: String, from user: String, channel: String, eventID: String, ts: String = "1355517523.000005") -> [UInt8] {
        eventCallback(eventID: eventID, event: [
            "type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts, "channel_type": "im",
        ])
    }

    /// The bot mentioned in a channel (`app_mention`), its text starting with the mention.
    public func mention(_ text: String, from user: String, channel: String, eventID: String, ts: String = "1515449522.000016") -> [UInt8] {
        eventCallback(eventID: eventID, event: [
            "type": "app_mention", "user": user, "text": "<@\(botUserID)> " + text, "ts": ts, "channel": channel, "event_ts": ts,
        ])
    }

    /// The bot's own reply coming back as a `message.im` event (`bot_id`, the bot's user).
    public func botsOwnMessage(_ text: String, channel: String, eventID: String) -> [UInt8] {
        eventCallback(eventID: eventID, event: [
            "type": "message", "channel": channel, "user": botUserID, "bot_id": "B123ABC456", "app_id": appID, "text": text,
            "ts": "1355517524.000006", "event_ts": "1355517524.000006", "channel_type": "im",
        ])
    }

    /// A person editing their message (`subtype: message_changed`; the user is inside `message`).
    public func edit(to text: String, from user: String, channel: String, eventID: String) -> [UInt8] {
        eventCallback(eventID: eventID, event: [
            "type": "message", "subtype": "message_changed", "hidden": true, "channel": channel, "channel_type": "im",
            "ts": "1358878755.000001", "event_ts": "1358878755.000001",
            "message": ["type": "message", "user": user, "text": text, "ts": "1355517523.000005", "edited": ["user": user, "ts": "1358878755.000001"]],
        ])
    }

    /// The Request URL check Slack makes when the URL is saved.
    public func urlVerification(challenge: String) -> [UInt8] {
        Array(Self.json(["token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": challenge, "type": "url_verification"]).utf8)
    }

    private func eventCallback(eventID: String, event: [String: Any]) -> [UInt8] {
        Array(Self.json([
            "token": "XXYYZZ", "team_id": team, "api_app_id": appID, "event": event, "type": "event_callback",
            "authorizations": [["enterprise_id": NSNull(), "team_id": team, "user_id": botUserID, "is_bot": true, "is_enterprise_install": false]],
            "event_context": "EC123ABC456", "event_id": eventID, "event_time": 1355517523,
        ]).utf8)
    }

    // MARK: - Button presses, as interactivity sends them

    /// A person pressing one of a posted message's buttons: the form Slack posts to the
    /// interactivity Request URL, `payload=` and the `block_actions` JSON, shaped as the docs'
    /// example (user, container, channel, message, response_url, actions with `action_ts`).
    public func press(_ button: Button, on post: Post, from user: String, actionTS: String) -> [UInt8] {
        let payload: [String: Any] = [
            "type": "block_actions",
            "user": ["id": user, "username": "spengler", "name": "spengler", "team_id": team],
            "api_app_id": appID,
            "token": "9s8d9as89d8as9d8as989",
            "container": ["type": "message", "message_ts": post.ts, "channel_id": post.channel, "is_ephemeral": false],
            "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
            "team": ["id": team, "domain": "coverbands"],
            "enterprise": NSNull(),
            "is_enterprise_install": false,
            "channel": ["id": post.channel, "name": "directmessage"],
            "message": ["bot_id": "B123ABC456", "type": "message", "text": post.text ?? "", "user": botUserID, "ts": post.ts],
            "state": ["values": [String: Any]()],
            "response_url": "https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209",
            "actions": [[
                "action_id": button.actionID, "block_id": button.blockID ?? "=qXel", "text": ["type": "plain_text", "text": button.text, "emoji": true],
                "value": button.value, "type": "button", "action_ts": actionTS,
            ] as [String: Any]],
        ]
        return Self.form(payload: Self.json(payload))
    }

    /// `payload=` and the JSON, form-encoded, as Slack's interactivity posts a press: every byte
    /// but the unreserved ones as `%XX`.
    public static func form(payload json: String) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let ascii = CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127))
        return Array(("payload=" + (json.addingPercentEncoding(withAllowedCharacters: allowed.intersection(ascii)) ?? "")).utf8)
    }

    /// The v0 headers for a body: `v0=` + hex HMAC-SHA256 of `v0:timestamp:body`.
    public func signatureHeaders(_ body: [UInt8], timestamp: Int) -> [(String, String)] {
        let base = Array("v0:\(timestamp):".utf8) + body
        return [
            ("X-Slack-Request-Timestamp", "\(timestamp)"),
            ("X-Slack-Signature", "v0=" + SHA256.hex(SHA256.hmac(key: Array(signingSecret.utf8), message: base))),
        ]
    }

    /// Sends a signed event to `url` (`http://127.0.0.1:PORT/v1/slack/events`) as Slack does,
    /// a retry with `X-Slack-Retry-Num`; returns the status and body, or nil when no answer came.
    public func send(
        _ body: [UInt8], to url: String, timestamp: Int, retry: Int? = nil, contentType: String = "application/json", within seconds: Double = 10
    ) -> (status: Int, body: String)? {
        guard let parsed = URL(string: url), let port = parsed.port, let connection = try? RawConnection(port: port) else { return nil }
        var headers = signatureHeaders(body, timestamp: timestamp) + [
            ("Host", "127.0.0.1:\(port)"), ("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"),
            ("Content-Type", contentType), ("Content-Length", "\(body.count)"), ("Connection", "close"),
        ]
        if let retry { headers += [("X-Slack-Retry-Num", "\(retry)"), ("X-Slack-Retry-Reason", "http_timeout")] }
        let head = "POST \(parsed.path) HTTP/1.1\r\n" + headers.map { "\($0): \($1)\r\n" }.joined() + "\r\n"
        guard connection.send(head + String(decoding: body, as: UTF8.self)), let response = connection.response(within: seconds) else { return nil }
        let status = response.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        let answer = response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) } ?? ""
        return (status, answer)
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data(), as: UTF8.self)
    }
}
