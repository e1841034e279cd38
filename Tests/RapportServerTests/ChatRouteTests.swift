import Foundation
import Hummingbird
import HummingbirdTesting
import RapportApp
import RapportDelivery
import RapportServer
import RapportAppTestSupport
import RapportCore
import RapportTestSupport
import Testing

/// The chat routes without sockets (`app.test(.router)`), over a real SQLite file.
struct ChatRouteTests {
    static let token = "s3cret-token"

    /// A chat service over a store file, as `rapport-server` builds it; a second one on the same
    /// file is what a restart looks like.
    private func chat(store path: String) async throws -> ChatService {
        ChatService(services: try await TestServices.open(store: path), clock: { Fixtures.monday })
    }

    private func app(_ chat: ChatService, policy: ChatServerPolicy = ChatServerPolicy(token: token, users: ["web:U1": "local"])) -> some ApplicationProtocol {
        Application(router: buildRouter(chat: chat, policy: policy))
    }

    private func say(_ client: some TestClientProtocol, _ text: String, user: String = "U1", token: String = token) async throws -> (status: HTTPResponse.Status, reply: ChatService.Reply?, body: String) {
        let body = try JSONEncoder().encode(["user": user, "text": text])
        return try await client.execute(uri: "/v1/chat", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: ByteBuffer(bytes: body)) { response in
            let text = String(buffer: response.body)
            return (response.status, try? JSONDecoder().decode(ChatService.Reply.self, from: Data(text.utf8)), text)
        }
    }

    @Test func healthzAnswers() async throws {
        let folder = TemporaryDirectory()
        try await app(try await chat(store: folder.path("r.sqlite"))).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok")
            }
        }
    }

    @Test func refusesMissingOrWrongTokensMalformedBodiesUnknownUsersAndBigBodies() async throws {
        let folder = TemporaryDirectory()
        try await app(try await chat(store: folder.path("r.sqlite"))).test(.router) { client in
            let wrong = try await say(client, "help", token: "nope")
            #expect(wrong.status == .unauthorized)
            #expect(!wrong.body.contains(Self.token))
            try await client.execute(uri: "/v1/chat", method: .post, headers: [.authorization: "Bearer \(Self.token)"], body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("the body must be JSON"))
            }
            let stranger = try await say(client, "help", user: "U999")
            #expect(stranger.status == .forbidden)
            #expect(stranger.body.contains("does not know you yet"))
            let huge = try JSONEncoder().encode(["user": "U1", "text": String(repeating: "x", count: 200_000)])
            try await client.execute(uri: "/v1/chat", method: .post, headers: [.authorization: "Bearer \(Self.token)"], body: ByteBuffer(bytes: huge)) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func aWholePrepOverChatIsStoredAndSurvivesARestart() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        try await app(try await chat(store: path)).test(.router) { client in
            let start = try await say(client, "prep Anna Berg")
            #expect(start.status == .ok)
            #expect(start.reply?.replies.first?.hasPrefix("When do you meet Anna Berg?") == true)
            let coffee = try await say(client, "tomorrow 14:00")
            #expect(coffee.reply?.replies.first == "→ Tue 24 Nov 14:00")
            #expect(coffee.reply?.replies.dropFirst().first?.hasPrefix("What do you actually want from this meeting with Anna?") == true)
        }
        // A new process on the same store: the conversation goes on where it was.
        try await app(try await chat(store: path)).test(.router) { client in
            let goal = try await say(client, "coffee")
            #expect(goal.reply?.replies == ["Picture leaving 1,000 kr under the mat as you walk in. What would have to happen for you to pick it up again on the way out?"])
            var last: ChatService.Reply? = nil
            for answer in ["An introduction to their CFO", "no", "She chairs the CFO network in Karlstad", "yes", "A speaker for her network", "Who decides on the pilot budget?"] {
                last = try await say(client, answer).reply
            }
            #expect(last?.ended == true)
            #expect(last?.replies.last?.hasPrefix("Prep card: Anna Berg, Tue 24 Nov 14:00") == true)
        }
        let services = try await TestServices.open(store: path)
        #expect(try await services.meetings.meetings(limit: 10).map(\.goal) == ["An introduction to their CFO"])
        #expect(try await services.conversations.openConversations().isEmpty)
    }

    @Test func langStartsAConversationInThatLanguageWhichItKeeps() async throws {
        let folder = TemporaryDirectory()
        try await app(try await chat(store: folder.path("r.sqlite"))).test(.router) { client in
            func say(_ body: String) async throws -> (HTTPResponse.Status, ChatService.Reply?, String) {
                try await client.execute(uri: "/v1/chat", method: .post, headers: [.authorization: "Bearer \(Self.token)"], body: ByteBuffer(string: body)) { response in
                    let text = String(buffer: response.body)
                    return (response.status, try? JSONDecoder().decode(ChatService.Reply.self, from: Data(text.utf8)), text)
                }
            }
            let help = try await say(#"{"user":"U1","text":"help","lang":"pl"}"#)
            #expect(help.1?.replies.first?.hasPrefix("Zacznij od „prep NAZWISKO”") == true, "\(help.2)")
            let start = try await say(#"{"user":"U1","text":"prep Anna Berg","lang":"sv"}"#)
            #expect(start.1?.replies.first?.hasPrefix("När träffar du Anna Berg?") == true, "\(start.2)")
            // Later messages without lang go on in the conversation's language.
            let next = try await say(#"{"user":"U1","text":"i morgon kl 14"}"#)
            #expect(next.0 == .ok)
            #expect(next.1?.replies.first == "→ tis 24 nov 14:00", "\(next.2)")
            #expect(next.1?.replies.dropFirst().first?.contains("Anna") == true)
            #expect(next.1?.replies.dropFirst().first?.contains("What") == false, "\(next.2)")
            // Inside the conversation, help is the conversation's own, in its language.
            let inside = try await say(#"{"user":"U1","text":"hjälp","lang":"pl"}"#)
            #expect(inside.1?.replies.first?.hasPrefix("Vid varje fråga") == true, "\(inside.2)")
            let unknown = try await say(#"{"user":"U1","text":"help","lang":"xx"}"#)
            #expect(unknown.0 == .badRequest)
            #expect(unknown.2.contains(#"\"lang\" must be one of en, da, pl, sv"#), "\(unknown.2)")
        }
    }

    @Test func helpAndStatusAreChatCommands() async throws {
        let folder = TemporaryDirectory()
        try await app(try await chat(store: folder.path("r.sqlite"))).test(.router) { client in
            let help = try await say(client, "help")
            #expect(help.reply?.replies.first?.hasPrefix("Start with “prep NAME”") == true)
            #expect(try await say(client, "status").reply?.replies == ["Nothing is due."])
            let nothingOpen = try await say(client, "hello there")
            #expect(nothingOpen.reply?.ended == true)
        }
    }

    @Test func anyoneMayTalkWhenAllowedEachUnderTheirOwnKey() async throws {
        let folder = TemporaryDirectory()
        let policy = ChatServerPolicy(token: Self.token, users: [:], allowAnyone: true)
        try await app(try await chat(store: folder.path("r.sqlite")), policy: policy).test(.router) { client in
            _ = try await say(client, "prep Anna Berg", user: "U2")
            let other = try await say(client, "tomorrow 14:00", user: "U3")
            #expect(other.reply?.ended == true, "U3 has no conversation of U2's")
        }
        #expect(policy.userKey(platform: .web, workspace: nil, user: "U2") == UserKey(platform: .web, user: "U2"))
    }

    @Test func aStandardWebhooksSignatureAuthorizesAndARetriedIdIsAppliedOnce() async throws {
        let folder = TemporaryDirectory()
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let now = Date(timeIntervalSince1970: 1614265330)
        let policy = ChatServerPolicy(token: nil, users: ["web:U1": "local"], signingSecret: secret, clock: { now })
        let signer = try #require(StandardWebhooks(secret: secret))
        try await app(try await chat(store: folder.path("r.sqlite")), policy: policy).test(.router) { client in
            func signed(_ text: String, id: String, timestamp: Int = 1614265330, tamper: Bool = false) async throws -> (HTTPResponse.Status, String) {
                let body = Array(try JSONEncoder().encode(["user": "U1", "text": text]))
                let signature = try signer.signature(id: id, timestamp: timestamp, body: body)
                let sent = tamper ? body + Array(" ".utf8) : body
                let headers: HTTPFields = [.contentType: "application/json", .init("webhook-id")!: id, .init("webhook-timestamp")!: "\(timestamp)", .init("webhook-signature")!: signature]
                return try await client.execute(uri: "/v1/chat", method: .post, headers: headers, body: ByteBuffer(bytes: sent)) { ($0.status, String(buffer: $0.body)) }
            }
            let start = try await signed("prep Anna Berg", id: "msg_1")
            #expect(start.0 == .ok)
            #expect(start.1.contains("When do you meet Anna Berg?"))
            let when = try await signed("tomorrow 14:00", id: "msg_2")
            let retried = try await signed("tomorrow 14:00", id: "msg_2")
            #expect(retried.1 == when.1, "the retry is answered with the first reply")
            let goal = try await signed("coffee", id: "msg_3")
            #expect(goal.1.contains("Picture leaving 1,000 kr under the mat"), "had msg_2 been applied twice, this would be a later step")
            let tampered = try await signed("help", id: "msg_4", tamper: true)
            let stale = try await signed("help", id: "msg_5", timestamp: 1614265330 - 301)
            #expect(tampered.0 == .unauthorized)
            #expect(stale.0 == .unauthorized)
            let bearerWithoutToken = try await say(client, "help")
            #expect(bearerWithoutToken.status == .unauthorized, "no token is configured, so only signatures get in")
        }
    }

    @Test func theBearerSchemeIsCaseInsensitiveAndSpacesBeforeTheTokenAreTolerated() async throws {
        let folder = TemporaryDirectory()
        try await app(try chat(store: folder.path("r.sqlite"))).test(.router) { client in
            func status(_ authorization: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/v1/chat", method: .post, headers: [.authorization: authorization],
                                         body: ByteBuffer(string: #"{"user":"U1","text":"help"}"#)) { $0.status }
            }
            // RFC 9110 11.1: the scheme is case-insensitive; 11.4: one or more spaces before the token68.
            for accepted in ["Bearer \(Self.token)", "bearer \(Self.token)", "BEARER \(Self.token)", "bEaReR \(Self.token)",
                             "Bearer   \(Self.token)", "bearer \t\(Self.token)", "Bearer \(Self.token)  "] {
                let answered = try await status(accepted)
                #expect(answered == .ok, "\(accepted)")
            }
            for refused in ["Bearer", "Bearer ", "Bearer\(Self.token)", "Basic \(Self.token)", "Bearer \(Self.token) extra",
                            "Bearer \(Self.token)x", "Bearer x\(Self.token)", "Bearer \(Self.token.uppercased())", "Bear \(Self.token)",
                            "Bearer \(Self.token),", "\(Self.token)"] {
                let answered = try await status(refused)
                #expect(answered == .unauthorized, "\(refused)")
            }
        }
    }

    @Test func aRetriedWebhookIDWithABearerTokenIsAnsweredOnceAndNotTakenAsTheNextAnswer() async throws {
        let folder = TemporaryDirectory()
        try await app(try chat(store: folder.path("r.sqlite"))).test(.router) { client in
            func say(_ text: String, id: String?) async throws -> String {
                var headers: HTTPFields = [.authorization: "Bearer \(Self.token)", .contentType: "application/json"]
                if let id { headers[.init("webhook-id")!] = id }
                let body = try JSONEncoder().encode(["user": "U1", "text": text])
                return try await client.execute(uri: "/v1/chat", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
            }
            let start = try await say("prep Anna Berg", id: "b1")
            #expect(start.contains("When do you meet Anna Berg?"), "\(start)")
            let when = try await say("tomorrow 14:00", id: "b2")
            let retried = try await say("tomorrow 14:00", id: "b2")
            #expect(when.contains("What do you actually want from this meeting with Anna?"), "\(when)")
            #expect(retried == when, "the retry is answered with the first reply")
            let goal = try await say("coffee", id: "b3")
            #expect(goal.contains("Picture leaving 1,000 kr under the mat"), "had b2 been applied twice, this would be a later step: \(goal)")
        }
    }
}
