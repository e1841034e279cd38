import Foundation
import Hummingbird
import HummingbirdTesting
import RapportApp
import RapportAppTestSupport
import RapportCore
import RapportDelivery
import RapportServer
import RapportTestSupport
import Testing

/// What a person typed comes back escaped for the platform it is shown on: a reply echoing a
/// name, a review or a card in a Mattermost channel pings no one and links nowhere; in Slack,
/// `<!channel>` and `<url|text>` stay text.
struct ChatEscapingRouteTests {
    static let slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let mattermostToken = "mm-token-123"
    static let now = Date(timeIntervalSince1970: 1531420618)

    private func app(store path: String) async throws -> some ApplicationProtocol {
        let chat = ChatService(services: try await TestServices.open(store: path), clock: { Fixtures.monday })
        let policy = ChatServerPolicy(token: "t0ken", users: ["slack:U2CERLKJA": "local", "mattermost:mm-user": "local", "web:ada": "local"],
                                      slackSigningSecret: Self.slackSecret, mattermostTokens: [Self.mattermostToken], clock: { Self.now })
        return Application(router: buildRouter(chat: chat, policy: policy))
    }

    private func mattermost(_ client: some TestClientProtocol, _ text: String, post: String) async throws -> String {
        let body = "token=\(Self.mattermostToken)&user_id=mm-user&trigger_word=rapport&text=" + form("rapport " + text) + "&post_id=\(post)"
        return try await client.execute(uri: "/v1/mattermost", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)) { response in
            (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body)))?["text"] ?? ""
        }
    }

    @Test func aMattermostChannelSeesTheNameTheGoalAndTheCardWithNoMentionOrLink() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let question = try await mattermost(client, "prep Anna @channel", post: "p1")
            #expect(question.contains("Anna @\u{2060}channel"), "\(question)")
            #expect(!question.contains("@channel"))
            var replies: [String] = [question]
            let answers = [
                "tomorrow 14:00", "Get @all of [her budget](https://evil.example) <!here> signed off for the pilot", "no",
                "She chairs the CFO network", "partly", "I help builders cut heating costs", "A speaker for her network", "Who decides?",
            ]
            for (index, answer) in answers.enumerated() { replies.append(try await mattermost(client, answer, post: "p\(index + 2)")) }
            let card = try #require(replies.last)
            #expect(card.contains("her budget"), "the card quotes the goal: \(card)")
            for reply in replies {
                #expect(!reply.contains("@all") && !reply.contains("@channel"), "\(reply)")
                #expect(!reply.contains("[her budget](https://evil.example)"), "no live link: \(reply)")
                #expect(!reply.contains("<!here>"), "\(reply)")
            }
            #expect(card.contains("\\[her budget\\](https://evil.example)"))
        }
    }

    @Test func aSlashCommandsReplyShowsSlacksControlCharactersAsText() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let body = Array(("user_id=U2CERLKJA&command=%2Frapport&text=" + form("prep Anna <!channel> & <https://evil.example|Bob>") + "&trigger_id=t1").utf8)
            let signature = try SlackSignature(secret: Self.slackSecret)!.signature(timestamp: "1531420618", body: body)
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .init("X-Slack-Request-Timestamp")!: "1531420618", .init("X-Slack-Signature")!: signature]
            let text = try await client.execute(uri: "/v1/slack", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
                (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body)))?["text"] ?? ""
            }
            #expect(text.contains("&lt;!channel&gt; &amp; &lt;https://evil.example|Bob&gt;"), "\(text)")
            #expect(!text.contains("<!channel>"))
        }
    }

    @Test func theGenericJSONChatGetsThePlainTextItsClientShows() async throws {
        let folder = TemporaryDirectory()
        try await app(store: folder.path("r.sqlite")).test(.router) { client in
            let body = ByteBuffer(string: #"{"user":"ada","text":"prep Anna <b>&"}"#)
            try await client.execute(uri: "/v1/chat", method: .post, headers: [.authorization: "Bearer t0ken", .contentType: "application/json"], body: body) { response in
                let reply = try JSONDecoder().decode(ChatService.Reply.self, from: Data(buffer: response.body))
                #expect(reply.replies.first?.contains("Anna <b>&") == true, "\(reply)")
            }
        }
    }
}

/// A form field's value, percent-encoded as Slack and Mattermost send it.
private func form(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
}
