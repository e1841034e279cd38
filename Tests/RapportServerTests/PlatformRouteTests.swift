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

/// Slack slash commands and Mattermost outgoing webhooks, without sockets, over a real SQLite file.
struct PlatformRouteTests {
    static let slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let mattermostToken = "mm-token-123"
    static let now = Date(timeIntervalSince1970: 1531420618)
    /// Slack's published request (python-slack-sdk's signature test), signed at `now`.
    static let vectorBody = Array("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c".utf8)
    static let vectorSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

    private func app(store path: String) async throws -> some ApplicationProtocol {
        let chat = ChatService(services: try await TestServices.open(store: path), clock: { Fixtures.monday })
        let policy = ChatServerPolicy(token: nil, users: ["slack:U2CERLKJA": "local", "mattermost:mm-user": "local"], slackSigningSecret: Self.slackSecret,
                                      mattermostTokens: [Self.mattermostToken], clock: { Self.now })
        return Application(router: buildRouter(chat: chat, policy: policy))
    }

    private func slack(_ client: some TestClientProtocol, body: [UInt8], timestamp: String = "1531420618", signature: String? = nil) async throws -> (status: HTTPResponse.Status, json: [String: String]) {
        let signed = try signature ?? SlackSignature(secret: Self.slackSecret)!.signature(timestamp: timestamp, body: body)
        let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .init("X-Slack-Request-Timestamp")!: timestamp, .init("X-Slack-Signature")!: signed]
        return try await client.execute(uri: "/v1/slack", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))) ?? [:])
        }
    }

    private func mattermost(_ client: some TestClientProtocol, _ form: String, json: Bool = false) async throws -> (status: HTTPResponse.Status, text: String?) {
        let contentType = json ? "application/json" : "application/x-www-form-urlencoded"
        return try await client.execute(uri: "/v1/mattermost", method: .post, headers: [.contentType: contentType], body: ByteBuffer(string: form)) { response in
            (response.status, (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body)))?["text"])
        }
    }

    @Test func slacksVectorRequestIsAnsweredEphemerallyAndEveryBadSignatureIsRefused() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let body = Self.vectorBody
            let ok = try await slack(client, body: body, signature: Self.vectorSignature)
            #expect(ok.status == .ok)
            #expect(ok.json["response_type"] == "ephemeral")
            #expect(ok.json["text"]?.hasPrefix("Start with “prep NAME”") == true, "an empty /rapport is help")
            let refused: [(String, [UInt8], String?)] = [
                ("tampered", body + Array("------".utf8), Self.vectorSignature),
                ("301 s old", body, nil), ("v1", body, "v1=" + Self.vectorSignature.dropFirst(3)),
            ]
            for (why, bytes, signature) in refused {
                let timestamp = why == "301 s old" ? "1531420317" : "1531420618"
                #expect(try await slack(client, body: bytes, timestamp: timestamp, signature: signature).status == .unauthorized, "\(why)")
            }
            try await client.execute(uri: "/v1/slack", method: .post, body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .unauthorized, "no signature headers")
            }
        }
    }

    @Test func aSlashCommandPrepGoesOnWithEachNextAnswer() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        try await app(store: path).test(.router) { client in
            let start = try await slack(client, body: Array("user_id=U2CERLKJA&command=%2Frapport&text=prep+Anna+Berg&trigger_id=t1".utf8))
            #expect(start.json["text"]?.hasPrefix("When do you meet Anna Berg?") == true)
            let next = try await slack(client, body: Array("user_id=U2CERLKJA&command=%2Frapport&text=tomorrow+14%3A00&trigger_id=t2".utf8))
            #expect(next.json["text"]?.hasPrefix("→ Tue 24 Nov 14:00\n\nWhat do you actually want from this meeting with Anna?") == true)
            let stranger = try await slack(client, body: Array("user_id=UNOBODY&text=prep+Anna&trigger_id=t3".utf8))
            #expect(stranger.status == .ok)
            #expect(stranger.json["text"]?.contains("does not know you yet") == true)
        }
        #expect(try await TestServices.open(store: path).conversations.openConversations().count == 1)
    }

    @Test func mattermostFormAndJSONShareTheConversationAndARetriedPostIsNotAppliedTwice() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let token = Self.mattermostToken
            let start = try await mattermost(client, "token=\(token)&user_id=mm-user&trigger_word=rapport&text=rapport+prep+Anna+Berg&post_id=p1")
            #expect(start.status == .ok)
            #expect(start.text?.hasPrefix("When do you meet Anna Berg?") == true)
            let when = "token=\(token)&user_id=mm-user&trigger_word=rapport&text=rapport+tomorrow+14%3A00&post_id=p2"
            let first = try await mattermost(client, when)
            let retried = try await mattermost(client, when)
            #expect(first.text?.hasPrefix("→ Tue 24 Nov 14:00\n\nWhat do you actually want from this meeting with Anna?") == true)
            #expect(retried.text == first.text, "the retry gets the same answer")
            // Had the retry been applied, "tomorrow 14:00" would have been taken as the goal and this would be a later step.
            let goal = try await mattermost(client, #"{"token":"\#(token)","user_id":"mm-user","text":"coffee","post_id":"p3","timestamp":1531420618}"#, json: true)
            #expect(goal.text?.hasPrefix("Picture leaving 1,000 kr under the mat") == true)
        }
    }

    @Test func aMattermostSlashCommandIsAnsweredToItsUserAlone() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let form = "token=\(Self.mattermostToken)&user_id=mm-user&command=%2Frapport&text=prep+Anna+Berg&trigger_id=tr1&response_url=https%3A%2F%2Fmm.example%2Fhooks%2Fcommands%2Fx"
            let (status, json) = try await client.execute(uri: "/v1/mattermost", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)) { response in
                (response.status, (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))) ?? [:])
            }
            #expect(status == .ok)
            #expect(json["response_type"] == "ephemeral")
            #expect(json["text"]?.hasPrefix("When do you meet Anna Berg?") == true, "\(json)")
            // The outgoing webhook's reply stays a plain post.
            let webhook = "token=\(Self.mattermostToken)&user_id=mm-user&trigger_word=rapport&text=rapport+help&post_id=p9"
            try await client.execute(uri: "/v1/mattermost", method: .post, body: ByteBuffer(string: webhook)) { response in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("response_type"))
            }
        }
    }

    @Test func slacksSSLCheckIsAnsweredWithAnEmptyOK() async throws {
        // Slack checks a request URL's certificate with a signed POST of ssl_check=1 and a token,
        // no user_id; anything but a 200 and it refuses the URL.
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        try await app(store: path).test(.router) { client in
            let body = Array("token=xyzz0WbapA4vBCDEFasx0q6G&ssl_check=1".utf8)
            let signature = try SlackSignature(secret: Self.slackSecret)!.signature(timestamp: "1531420618", body: body)
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .init("X-Slack-Request-Timestamp")!: "1531420618", .init("X-Slack-Signature")!: signature]
            try await client.execute(uri: "/v1/slack", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/v1/slack", method: .post, body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .unauthorized, "unsigned, it is still refused")
            }
            #expect(try await slack(client, body: Array("token=x&ssl_check=0".utf8)).status == .badRequest, "only ssl_check=1 is the check")
        }
        #expect(try await TestServices.open(store: path).conversations.openConversations().isEmpty)
    }

    @Test func mattermostRefusesAWrongTokenAndMalformedJSON() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let wrongToken = try await mattermost(client, "token=wrong&user_id=mm-user&text=help")
            let noToken = try await mattermost(client, "user_id=mm-user&text=help")
            let broken = try await mattermost(client, "{broken", json: true)
            let noUser = try await mattermost(client, "token=\(Self.mattermostToken)&text=help")
            #expect(wrongToken.status == .unauthorized)
            #expect(noToken.status == .unauthorized)
            #expect(broken.status == .badRequest)
            #expect(noUser.status == .badRequest)
        }
    }
}

/// What `rapport-server` makes of `server:` in the config: secrets from the environment, and a
/// warning naming the variable (never a value) for each way in that would refuse everyone.
struct ChatServerPolicySettingsTests {
    private func settings(_ config: String, environment: [String: String]) throws -> RapportSettings {
        let folder = TemporaryDirectory()
        let path = folder.path("rapport.yaml")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return try RapportSettings.resolve(.init(config: path, prompts: Fixtures.prompts.path), environment: environment.merging(["HOME": folder.path("home")]) { a, _ in a }, executable: "/usr/bin/rapport")
    }

    @Test func secretsComeFromTheEnvironmentAndAMissingOneIsNamed() throws {
        let config = """
            server:
              token: env:CHAT_TOKEN
              slack_signing_secret: env:SLACK_SECRET
              mattermost_token: plain-token
              signing_secret: not-base64!
            """
        let (policy, warnings) = try ChatServerPolicy.configured(by: settings(config, environment: ["CHAT_TOKEN": "t0ken"]), clock: { Date() })
        #expect(policy.token == "t0ken")
        #expect(policy.mattermostTokens == ["plain-token"])
        #expect(policy.slack == nil)
        #expect(policy.standardWebhooks == nil)
        #expect(warnings == [
            "server.slack_signing_secret names SLACK_SECRET, which is not set: POST /v1/slack refuses every request",
            "server.signing_secret is not a whsec_… base64 secret: POST /v1/chat with a signature refuses every request",
        ])
        #expect(!warnings.joined().contains("t0ken"))
    }

    @Test func mattermostTakesAListOfTokensOnePerSlashCommandOrWebhook() async throws {
        let config = """
            server:
              mattermost_token: [env:MM_COMMAND_TOKEN, webhook-token-2]
              users: { "mattermost:mm-user": local }
            """
        let (policy, warnings) = try ChatServerPolicy.configured(by: settings(config, environment: ["MM_COMMAND_TOKEN": "command-token-1"]), clock: { Date() })
        #expect(warnings.isEmpty, "\(warnings)")
        let folder = TemporaryDirectory()
        let chat = ChatService(services: try await TestServices.open(store: folder.path("r.sqlite")), clock: { Fixtures.monday })
        let app = Application(router: buildRouter(chat: chat, policy: policy))
        try await app.test(.router) { client in
            func status(_ token: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/v1/mattermost", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "token=\(token)&user_id=mm-user&command=%2Frapport&text=help")) { $0.status }
            }
            for accepted in ["command-token-1", "webhook-token-2"] {
                let answered = try await status(accepted)
                #expect(answered == .ok, "\(accepted)")
            }
            for refused in ["env:MM_COMMAND_TOKEN", "command-token-1webhook-token-2", "webhook-token-", "", "other"] {
                let answered = try await status(refused)
                #expect(answered == .unauthorized, "\(refused)")
            }
        }
    }

    @Test func aMattermostTokenListWithAnUnsetVariableWarnsAndKeepsTheOthers() throws {
        let some = try ChatServerPolicy.configured(by: settings("server:\n  mattermost_token: [env:MM_GONE, kept-token]\n", environment: [:]), clock: { Date() })
        #expect(some.warnings == ["server.mattermost_token names MM_GONE, which is not set: POST /v1/mattermost refuses the requests with that token"])
        let none = try ChatServerPolicy.configured(by: settings("server:\n  mattermost_token: [env:MM_GONE]\n", environment: [:]), clock: { Date() })
        #expect(none.warnings == [
            "server.mattermost_token names MM_GONE, which is not set: POST /v1/mattermost refuses every request",
            "no token or signing secret is configured under server: in the config; every chat request is refused",
        ])
    }

    @Test func withNoWayInTheServerSaysSo() throws {
        let (_, warnings) = try ChatServerPolicy.configured(by: settings("server:\n  port: 9000\n", environment: [:]), clock: { Date() })
        #expect(warnings == ["no token or signing secret is configured under server: in the config; every chat request is refused"])
    }
}

/// Chat users are people of one platform (and team): the same id on another way in is someone else.
struct ChatIdentityTests {
    static let slackSecret = PlatformRouteTests.slackSecret
    static let mattermostToken = PlatformRouteTests.mattermostToken

    @Test func aMattermostUserWithASlackUsersIdReadsNothingOfTheirs() async throws {
        let folder = TemporaryDirectory()
        let chat = ChatService(services: try await TestServices.open(store: folder.path("r.sqlite")), clock: { Fixtures.monday })
        let policy = ChatServerPolicy(
            token: nil, allowAnyone: true, slackSigningSecret: Self.slackSecret, mattermostTokens: [Self.mattermostToken], clock: { PlatformRouteTests.now })
        try await Application(router: buildRouter(chat: chat, policy: policy)).test(.router) { client in
            func slack(_ form: String) async throws -> String {
                let body = Array(form.utf8)
                let timestamp = "1531420618"
                let headers: HTTPFields = [
                    .contentType: "application/x-www-form-urlencoded", .init("X-Slack-Request-Timestamp")!: timestamp,
                    .init("X-Slack-Signature")!: try SlackSignature(secret: Self.slackSecret)!.signature(timestamp: timestamp, body: body),
                ]
                return try await client.execute(uri: "/v1/slack", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
                    (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body)))?["text"] ?? ""
                }
            }
            _ = try await slack("team_id=T1&user_id=U0ALICE&command=%2Frapport&text=prep+Anna+Berg&trigger_id=a1")
            _ = try await slack("team_id=T1&user_id=U0ALICE&command=%2Frapport&text=tomorrow+14%3A00&trigger_id=a2")
            _ = try await slack("team_id=T1&user_id=U0ALICE&command=%2Frapport&text=A+secret+merger+with+Berg+AB&trigger_id=a3")
            let review = try await slack("team_id=T1&user_id=U0ALICE&command=%2Frapport&text=review&trigger_id=a4")
            #expect(review.contains("A secret merger with Berg AB"), "Alice herself sees her goal: \(review)")

            let form = "token=\(Self.mattermostToken)&team_id=T1&user_id=U0ALICE&command=%2Frapport&text=review&trigger_id=m1"
            let stranger = try await client.execute(uri: "/v1/mattermost", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)) { response in
                (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body)))?["text"] ?? ""
            }
            #expect(!stranger.contains("merger"), "\(stranger)")
            #expect(stranger.hasPrefix("Start with “prep NAME”"), "Mattermost's U0ALICE has no conversation: \(stranger)")

            // The same id in another Slack team is someone else as well.
            let otherTeam = try await slack("team_id=T2&user_id=U0ALICE&command=%2Frapport&text=review&trigger_id=b1")
            #expect(!otherTeam.contains("merger"), "\(otherTeam)")
        }
    }

    @Test func aBareUserIdInTheConfigIsRefusedWithHowToWriteIt() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("rapport.yaml")
        try "server:\n  token: t0ken\n  users: { U0ALICE: local }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let settings = try RapportSettings.resolve(.init(config: path, prompts: Fixtures.prompts.path), environment: ["HOME": folder.path("home")], executable: "/usr/bin/rapport")
        #expect {
            _ = try ChatServerPolicy.configured(by: settings, clock: { Date() })
        } throws: { error in
            "\(error)".contains("server.users") && "\(error)".hasSuffix("'U0ALICE' names no platform; write slack:U0ALICE, mattermost:U0ALICE or web:U0ALICE (a bare id would let every way in act as that user)")
        }
        let qualified = ChatServerPolicy(token: "t", users: ["slack:T1:U0ALICE": "local", "mattermost:U0ALICE": "bob"])
        #expect(qualified.userKey(platform: .slack, workspace: "T1", user: "U0ALICE") == .local)
        #expect(qualified.userKey(platform: .slack, workspace: "T2", user: "U0ALICE") == nil)
        #expect(qualified.userKey(platform: .mattermost, workspace: "any", user: "U0ALICE") == .profile("bob"))
        #expect(qualified.userKey(platform: .web, workspace: nil, user: "U0ALICE") == nil)
    }
}
