import Foundation
import Hummingbird
import HummingbirdTesting
import RapportApp
import RapportAppTestSupport
import RapportCore
import RapportServer
import RapportTestSupport
import Testing

/// `POST /v1/slack/events`, without sockets, over a real SQLite file: events as the fake Slack
/// shapes and signs them, answered at once with their reply already in the outbox.
struct SlackEventsRouteTests {
    static let now = Date(timeIntervalSince1970: 1531420618)
    static let timestamp = 1531420618
    let slack: FakeSlack
    let folder = TemporaryDirectory()
    var path: String { folder.path("r.sqlite") }

    init() throws {
        slack = try FakeSlack()
    }

    private func app(allowAnyone: Bool = true) async throws -> some ApplicationProtocol {
        let chat = ChatService(services: try await TestServices.open(store: path), clock: { Fixtures.monday })
        let policy = ChatServerPolicy(token: nil, allowAnyone: allowAnyone, slackSigningSecret: slack.signingSecret,
                                      slackBotDestination: RapportSettings.slackBotDestination, clock: { Self.now })
        return Application(router: buildRouter(chat: chat, policy: policy))
    }

    private func send(_ client: some TestClientProtocol, _ body: [UInt8], retry: Int? = nil, signed: Bool = true) async throws -> (HTTPResponse.Status, String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if signed { for (name, value) in slack.signatureHeaders(body, timestamp: Self.timestamp) { headers[.init(name)!] = value } }
        if let retry { headers[.init("X-Slack-Retry-Num")!] = "\(retry)" }
        return try await client.execute(uri: "/v1/slack/events", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// The replies waiting in the outbox, oldest first.
    private func replies() async throws -> [ChatMessage] {
        let entries = try await TestServices.open(store: path).store.outbox.entries(statuses: [.pending], limit: 100)
        return try entries.reversed().map { entry in
            #expect(entry.destination == "slack-bot")
            return try JSONDecoder().decode(ChatMessage.self, from: Data(entry.payload.utf8))
        }
    }

    @Test func theURLVerificationIsAnsweredWithItsChallengeAndAnUnsignedOneIsRefused() async throws {
        try await app().test(.router) { client in
            let body = slack.urlVerification(challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
            let (status, answer) = try await send(client, body)
            #expect(status == .ok)
            #expect(answer == #"{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}"#)
            #expect(try await send(client, body, signed: false).0 == .unauthorized)
        }
    }

    @Test func aDirectMessageIsATurnWhoseReplyIsQueuedForTheDMAndARetryChangesNothing() async throws {
        try await app().test(.router) { client in
            let prep = slack.directMessage("prep Anna Berg", from: "U2147483697", channel: "D024BE91L", eventID: "Ev01")
            let (status, body) = try await send(client, prep)
            #expect(status == .ok)
            #expect(body.isEmpty, "Slack is answered with an empty 200; the reply is posted")
            let retried = try await send(client, prep, retry: 1)
            #expect(retried.0 == .ok)
            let when = slack.directMessage("tomorrow 14:00", from: "U2147483697", channel: "D024BE91L", eventID: "Ev02")
            _ = try await send(client, when)
            _ = try await send(client, when, retry: 2)
        }
        let queued = try await replies()
        #expect(queued.count == 2, "one reply per event, however often it came")
        #expect(queued.map(\.channel) == ["D024BE91L", "D024BE91L"])
        #expect(queued.first?.lines.first?.hasPrefix("When do you meet Anna Berg?") == true)
        #expect(queued.last?.lines.first?.hasPrefix("→ Tue 24 Nov 14:00") == true, "the retry was not taken as the goal")
        let person = UserKey(platform: .slack, workspace: slack.team, user: "U2147483697")
        let open = try await TestServices.open(store: path).conversations.openConversations(owner: person)
        #expect(open.count == 1)
    }

    @Test func aChoiceQuestionIsQueuedWithItsButtonsForTheVersionItWasAskedAt() async throws {
        try await app().test(.router) { client in
            for (index, text) in ["prep Anna Berg", "tomorrow 14:00", "An introduction to the CFO of her firm"].enumerated() {
                _ = try await send(client, slack.directMessage(text, from: "U2147483697", channel: "D024BE91L", eventID: "EvB\(index)"))
            }
        }
        let queued = try await replies()
        #expect(queued.count == 3)
        #expect(queued.prefix(2).allSatisfy { $0.buttons == nil }, "“when” and the goal are typed")
        let buttons = try #require(queued.last?.buttons)
        #expect(buttons.stepID == "already")
        #expect(buttons.choices.map(\.label) == ["Yes", "No", "Not sure"])
        let stored = try #require(try await TestServices.open(store: path).store.conversations.conversation(id: buttons.conversationID))
        #expect(stored.version == buttons.version && stored.state.currentStep == "already")
        #expect(queued.last?.lines.first?.contains("1) Yes") == true, "the text still says the options, for typing")
    }

    @Test func theBotsOwnMessagesEditsAndChannelChatterAreNotTurns() async throws {
        try await app().test(.router) { client in
            for body in [
                slack.botsOwnMessage("When do you meet Anna Berg?", channel: "D024BE91L", eventID: "Ev10"),
                slack.edit(to: "prep Anna", from: "U2147483697", channel: "D024BE91L", eventID: "Ev11"),
                // The bot's user id, without a bot_id: still the bot.
                slack.directMessage("prep Anna", from: slack.botUserID, channel: "D024BE91L", eventID: "Ev12"),
            ] {
                let (status, _) = try await send(client, body)
                #expect(status == .ok)
            }
        }
        #expect(try await replies().isEmpty)
        #expect(try await TestServices.open(store: path).store.outbox.entries(statuses: [.pending, .sent, .dead], limit: 10).isEmpty)
    }

    @Test func aMentionIsAnsweredInItsThreadWithoutTheMention() async throws {
        try await app().test(.router) { client in
            _ = try await send(client, slack.mention("prep Anna Berg", from: "U061F7AUR", channel: "C123ABC456", eventID: "Ev20", ts: "1515449522.000016"))
        }
        let reply = try #require(try await replies().first)
        #expect(reply.channel == "C123ABC456")
        #expect(reply.thread == "1515449522.000016")
        #expect(reply.lines.first?.hasPrefix("When do you meet Anna Berg?") == true)
    }

    @Test func aCommandAndAStrangerAreAnsweredOnceEach() async throws {
        try await app(allowAnyone: false).test(.router) { client in
            let hello = slack.directMessage("help", from: "UNOBODY", channel: "D0STRANGER", eventID: "Ev30")
            _ = try await send(client, hello)
            _ = try await send(client, hello, retry: 1)
        }
        let told = try await replies()
        #expect(told.count == 1)
        #expect(told.first?.lines.first?.contains("does not know you yet") == true)
        try await app().test(.router) { client in
            let help = slack.directMessage("help", from: "U2147483697", channel: "D024BE91L", eventID: "Ev31")
            _ = try await send(client, help)
            _ = try await send(client, help, retry: 1)
        }
        let all = try await replies()
        #expect(all.count == 2)
        #expect(all.last?.lines.first?.hasPrefix("Start with “prep NAME”") == true)
    }
}
