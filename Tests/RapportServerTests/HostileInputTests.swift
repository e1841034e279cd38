import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import RapportApp
import RapportDelivery
import RapportServer
import RapportAppTestSupport
import RapportCore
import RapportTestSupport
import Testing

/// What the research's acceptance list asks of the inbound routes: a replayed request applied
/// once however it is sent, hostile bodies refused with a 4xx (how fast is for `make bench`, not a unit test), and mangled requests of every
/// kind (a seeded random mutation test over the three parsers) never answered with a 5xx.
struct HostileInputTests {
    static let token = "s3cret-token"
    static let slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let mattermostToken = "mm-token-123"
    static let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let now = Date(timeIntervalSince1970: 1614265330)

    private func app(store path: String) async throws -> some ApplicationProtocol {
        let chat = ChatService(services: try await TestServices.open(store: path), clock: { Fixtures.monday })
        let policy = ChatServerPolicy(
            token: Self.token, users: ["web:U1": "local"], slackSigningSecret: Self.slackSecret, mattermostTokens: [Self.mattermostToken],
            signingSecret: Self.webhookSecret, clock: { Self.now })
        return Application(router: buildRouter(chat: chat, policy: policy))
    }

    private func signedChat(_ client: some TestClientProtocol, body: [UInt8], id: String) async throws -> (HTTPResponse.Status, String) {
        let signer = StandardWebhooks(secret: Self.webhookSecret)!
        let timestamp = Int(Self.now.timeIntervalSince1970)
        let headers: HTTPFields = [
            .contentType: "application/json", .init("webhook-id")!: id, .init("webhook-timestamp")!: "\(timestamp)",
            .init("webhook-signature")!: try signer.signature(id: id, timestamp: timestamp, body: body),
        ]
        return try await client.execute(uri: "/v1/chat", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func aSignedRequestReplayedFiftyTimesEightAtOnceIsAppliedOnce() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let body = Array(#"{"user":"U1","text":"prep Anna Berg"}"#.utf8)
        try await app(store: path).test(.router) { client in
            var answers: [(HTTPResponse.Status, String)] = []
            while answers.count < 50 {
                let size = min(8, 50 - answers.count)
                answers += try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                    for _ in 0..<size { group.addTask { try await signedChat(client, body: body, id: "msg_replayed") } }
                    var round: [(HTTPResponse.Status, String)] = []
                    for try await answer in group { round.append(answer) }
                    return round
                }
            }
            #expect(answers.count == 50)
            #expect(answers.allSatisfy { $0.0 == .ok })
            #expect(Set(answers.map(\.1)).count == 1, "every replay gets the first reply")
        }
        let queue = try DatabaseQueue(path: path)
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM conversations") } == 1)
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM processed_messages") } == 1)
    }

    @Test func hostileBodiesAreRefusedWithAFourHundred() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer \(Self.token)", .contentType: "application/json"]
            let bodies: [(String, [UInt8], HTTPResponse.Status)] = [
                ("1 MB", Array(repeating: UInt8(ascii: "x"), count: 1 << 20), .contentTooLarge),
                ("nested 60,000 deep", Array(repeating: UInt8(ascii: "["), count: 60_000), .badRequest),
                ("invalid UTF-8", Array(#"{"user":"U1","text":""#.utf8) + [0xFF, 0xFE, 0xC0] + Array(#""}"#.utf8), .badRequest),
                ("empty", [], .badRequest),
                ("wrong types", Array(#"{"user":1,"text":["a"]}"#.utf8), .badRequest),
                ("empty user", Array(#"{"user":"","text":"help"}"#.utf8), .badRequest),
            ]
            for (what, body, expected) in bodies {
                try await client.execute(uri: "/v1/chat", method: .post, headers: bearer, body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == expected, "\(what)")
                    #expect(!String(buffer: response.body).contains(Self.token), "\(what)")
                }
            }
        }
    }

    /// Seeded random mutations (flipped, dropped, inserted and truncated bytes) of a valid
    /// request to each route, signed after mutating where the route checks a signature first,
    /// so that the parsers behind the signature see them.
    @Test func mangledRequestsToEveryRouteGetAnAnswerAndNeverAServerError() async throws {
        let folder = TemporaryDirectory()
        var generator = SplitMix64(seed: 2026)
        let seeds: [(route: String, body: [UInt8])] = [
            ("/v1/chat", Array(#"{"user":"U1","text":"prep Anna Berg","lang":"en"}"#.utf8)),
            ("/v1/slack", Array("user_id=U1&command=%2Frapport&text=prep+Anna+%C5%81ukasz&trigger_id=t1".utf8)),
            ("/v1/mattermost", Array("token=\(Self.mattermostToken)&user_id=U1&trigger_word=rapport&text=rapport+help&post_id=p1".utf8)),
            ("/v1/mattermost", Array(#"{"token":"\#(Self.mattermostToken)","user_id":"U1","text":"status","post_id":"p2"}"#.utf8)),
        ]
        let interesting: [UInt8] = Array("%&=+{}[]\":,\\\0".utf8) + [0xFF, 0xC3, 0x80]
        var requests: [(route: String, body: [UInt8], headers: HTTPFields)] = []
        for round in 0..<1_200 {
            let (route, seed) = seeds[round % seeds.count]
            var body = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = body.isEmpty ? 0 : Int.random(in: 0..<body.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where !body.isEmpty: body[position] ^= UInt8.random(in: 1...255, using: &generator)
                case 1 where !body.isEmpty: body.remove(at: position)
                case 2: body.insert(interesting.randomElement(using: &generator)!, at: position)
                default: body = Array(body.prefix(position))
                }
            }
            let timestamp = "\(Int(Self.now.timeIntervalSince1970))"
            let headers: HTTPFields = switch route {
            case "/v1/chat": [.authorization: "Bearer \(Self.token)", .contentType: "application/json"]
            case "/v1/slack":
                [.contentType: "application/x-www-form-urlencoded", .init("X-Slack-Request-Timestamp")!: timestamp,
                 .init("X-Slack-Signature")!: try SlackSignature(secret: Self.slackSecret)!.signature(timestamp: timestamp, body: body)]
            default: [.contentType: seed.first == UInt8(ascii: "{") ? "application/json" : "application/x-www-form-urlencoded"]
            }
            requests.append((route, body, headers))
        }
        let mangled = requests
        let statuses = try await app(store: folder.path("r.sqlite")).test(.router) { client in
            var statuses: [HTTPResponse.Status: Int] = [:]
            for (route, body, headers) in mangled {
                let status = try await client.execute(uri: route, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { $0.status }
                statuses[status, default: 0] += 1
                #expect(status.code < 500, "\(route) answered \(status) to \(String(decoding: body, as: UTF8.self).debugDescription)")
            }
            return statuses
        }
        // The mutations reach past the first check: some are answered, some refused as malformed.
        #expect(statuses[.ok, default: 0] > 100, "\(statuses)")
        #expect(statuses[.badRequest, default: 0] > 100, "\(statuses)")
    }
}
