import Foundation
import Hummingbird
import HummingbirdTesting
import RapportApp
import RapportAppTestSupport
import RapportCore
import RapportServer
import RapportTestSupport
import Testing

/// `POST /v1/slack/interactivity`, without sockets, over a real SQLite file: button presses as
/// Slack's interactivity posts them (form-encoded `payload=`, signed v0), the payloads written
/// from the docs' block_actions example by hand, not by our encoder.
struct SlackButtonPressTests {
    static let now = Date(timeIntervalSince1970: 1531420618)
    static let timestamp = 1531420618
    static let person = "U2147483697"
    static let dm = "D024BE91L"
    let slack: FakeSlack
    let folder = TemporaryDirectory()
    var path: String { folder.path("r.sqlite") }

    init() throws {
        slack = try FakeSlack()
    }

    private func app() async throws -> some ApplicationProtocol {
        let chat = ChatService(services: try await TestServices.open(store: path), clock: { Fixtures.monday })
        let policy = ChatServerPolicy(token: nil, allowAnyone: true, slackSigningSecret: slack.signingSecret,
                                      slackBotDestination: RapportSettings.slackBotDestination, clock: { Self.now })
        return Application(router: buildRouter(chat: chat, policy: policy))
    }

    /// The docs' block_actions example, in a DM: user, team, container, channel, message, actions.
    static func documented(value: String, user: String = person, messageTS: String = "1548261231.000200", actionTS: String = "1548426417.840180") -> String {
        #"""
        {
          "type": "block_actions",
          "user": {"id": "\#(user)", "username": "spengler", "name": "spengler", "team_id": "T123ABC456"},
          "api_app_id": "A123ABC456",
          "token": "9s8d9as89d8as9d8as989",
          "container": {"type": "message", "message_ts": "\#(messageTS)", "channel_id": "\#(dm)", "is_ephemeral": false},
          "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
          "team": {"id": "T123ABC456", "domain": "coverbands"},
          "enterprise": null,
          "is_enterprise_install": false,
          "channel": {"id": "\#(dm)", "name": "directmessage"},
          "message": {"bot_id": "B123ABC456", "type": "message", "text": "Could you get this through the contacts you already have?", "user": "U0BOTUSER1", "ts": "\#(messageTS)"},
          "state": {"values": {}},
          "response_url": "https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209",
          "actions": [
            {"action_id": "WaXA", "block_id": "=qXel", "text": {"type": "plain_text", "text": "No", "emoji": true}, "value": "\#(value)", "type": "button", "action_ts": "\#(actionTS)"}
          ]
        }
        """#
    }

    /// Sends a press; the status it got (a request that failed to go is a 599, which no check expects).
    private func press(_ client: some TestClientProtocol, _ body: [UInt8], timestamp: Int = timestamp, signed: Bool = true) async -> HTTPResponse.Status {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if signed { for (name, value) in slack.signatureHeaders(body, timestamp: timestamp) { headers[.init(name)!] = value } }
        let status = try? await client.execute(uri: "/v1/slack/interactivity", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { $0.status }
        return status ?? HTTPResponse.Status(code: 599)
    }

    private func say(_ client: some TestClientProtocol, _ text: String, id: String, from user: String = person) async throws {
        var headers: HTTPFields = [.contentType: "application/json"]
        let body = slack.directMessage(text, from: user, channel: Self.dm, eventID: id)
        for (name, value) in slack.signatureHeaders(body, timestamp: Self.timestamp) { headers[.init(name)!] = value }
        let status = try await client.execute(uri: "/v1/slack/events", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { $0.status }
        #expect(status == .ok)
    }

    /// The replies waiting in the outbox, oldest first.
    private func replies() async throws -> [ChatMessage] {
        let entries = try await TestServices.open(store: path).store.outbox.entries(statuses: [.pending], limit: 100)
        return try entries.reversed().map { try JSONDecoder().decode(ChatMessage.self, from: Data($0.payload.utf8)) }
    }

    private func conversation(_ id: Int64) async throws -> StoredConversation? {
        try await TestServices.open(store: path).store.conversations.conversation(id: id)
    }

    /// A prep up to its first question with buttons (could current contacts do it?).
    private func prepUntilButtons(_ client: some TestClientProtocol) async throws -> ChatButtons {
        for (index, text) in ["prep Anna Berg", "tomorrow 14:00", "An introduction to the CFO of her firm"].enumerated() {
            try await say(client, text, id: "Ev\(index)")
        }
        let asked = try #require(try await replies().last)
        #expect(asked.lines.first?.hasPrefix("Could you get this through the contacts you already have?") == true, "\(asked.lines)")
        return try #require(asked.buttons)
    }

    @Test func aPressAnswersTheQuestionOnceAndAPressOnItAgainIsToldSoAndChangesNothing() async throws {
        let asked = try await app().test(.router) { client in try await prepUntilButtons(client) }
        #expect(asked.stepID == "already")
        #expect(asked.choices == [QuestionChoice(label: "Yes", answer: "1"), QuestionChoice(label: "No", answer: "2"), QuestionChoice(label: "Not sure", answer: "3")])
        let before = try #require(try await conversation(asked.conversationID))
        #expect(before.version == asked.version, "the buttons carry the version the question was committed at")

        let no = FakeSlack.form(payload: Self.documented(value: "c\(asked.conversationID)|v\(asked.version)|already|2"))
        try await app().test(.router) { client in
            #expect(await press(client, no) == .ok)
            // Slack retries the same press (the same message and action_ts): it changes nothing.
            #expect(await press(client, no) == .ok)
        }
        let afterPress = try await replies()
        #expect(afterPress.count == 4, "one reply for the press, none for its retry")
        #expect(afterPress.last?.lines.first?.hasPrefix("Why Anna?") == true, "\(afterPress.last?.lines ?? [])")
        #expect(afterPress.last?.buttons == nil, "a typed question has no buttons")
        let answered = try #require(try await conversation(asked.conversationID))
        #expect(answered.state.answers["already"]?.value == .choice("no"))
        #expect(answered.state.currentStep == "why_them")
        #expect(answered.version == asked.version + 1)

        // The same button pressed again, later: a new action_ts, the question long answered.
        let again = FakeSlack.form(payload: Self.documented(value: "c\(asked.conversationID)|v\(asked.version)|already|1", actionTS: "1548426499.000001"))
        try await app().test(.router) { client in
            #expect(await press(client, again) == .ok)
        }
        let told = try await replies()
        #expect(told.count == 5)
        let polite = try #require(told.last?.lines.first)
        #expect(polite.hasPrefix("That question was already answered; the question now is:"), "\(polite)")
        #expect(polite.contains("Why Anna?"))
        let unchanged = try #require(try await conversation(asked.conversationID))
        #expect(unchanged.version == answered.version && unchanged.state == answered.state, "nothing changed")
        #expect(unchanged.state.answers["already"]?.value == .choice("no"))
    }

    @Test func aPressOnAnOlderVersionOfTheSameQuestionIsNotTaken() async throws {
        let asked = try await app().test(.router) { client in
            let buttons = try await prepUntilButtons(client)
            // “review” asks the same question again, with buttons for the version it commits.
            try await say(client, "review", id: "EvReview")
            return buttons
        }
        let again = try #require(try await replies().last?.buttons)
        #expect(again.stepID == asked.stepID && again.version == asked.version + 1)
        let old = FakeSlack.form(payload: Self.documented(value: "c\(asked.conversationID)|v\(asked.version)|already|1"))
        try await app().test(.router) { client in
            #expect(await press(client, old) == .ok)
        }
        let polite = try #require(try await replies().last)
        #expect(polite.lines.first?.hasPrefix("That question was already answered; the question now is:") == true)
        #expect(polite.buttons == ChatButtons(conversationID: asked.conversationID, version: again.version, stepID: "already", choices: asked.choices),
                "the question now, with buttons that are current")
        let stored = try #require(try await conversation(asked.conversationID))
        #expect(stored.version == again.version && stored.state.answers["already"] == nil)
        let current = FakeSlack.form(payload: Self.documented(value: "c\(asked.conversationID)|v\(again.version)|already|1", actionTS: "1548426500.000002"))
        try await app().test(.router) { client in
            #expect(await press(client, current) == .ok)
        }
        #expect(try await conversation(asked.conversationID)?.state.answers["already"]?.value == .choice("yes"))
    }

    @Test func someoneElsesConversationIsNotTheirsToAnswer() async throws {
        let asked = try await app().test(.router) { client in try await prepUntilButtons(client) }
        let other = FakeSlack.form(payload: Self.documented(value: "c\(asked.conversationID)|v\(asked.version)|already|1", user: "U0INTRUDER"))
        try await app().test(.router) { client in
            #expect(await press(client, other) == .ok)
        }
        let told = try #require(try await replies().last)
        #expect(told.lines.first?.hasPrefix("That button belongs to a conversation that is no longer here") == true, "\(told.lines)")
        let stored = try #require(try await conversation(asked.conversationID))
        #expect(stored.version == asked.version && stored.state.answers["already"] == nil)
    }

    @Test func theDocsOwnExampleIsNoPressOfOursAndChangesNothing() async throws {
        let example = FakeSlack.form(payload: Self.documented(value: "click_me_123"))
        try await app().test(.router) { client in
            #expect(await press(client, example) == .ok)
            let shortcut = FakeSlack.form(payload: #"{"type": "shortcut", "callback_id": "prep", "trigger_id": "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638"}"#)
            #expect(await press(client, shortcut) == .ok)
        }
        #expect(try await replies().isEmpty)
        #expect(try await TestServices.open(store: path).store.outbox.entries(statuses: [.pending, .sent, .dead], limit: 10).isEmpty)
    }

    @Test func anUnsignedStaleOrMalformedPressIsRefused() async throws {
        let press = FakeSlack.form(payload: Self.documented(value: "c1|v1|already|1"))
        try await app().test(.router) { client in
            #expect(await self.press(client, press, signed: false) == .unauthorized)
            #expect(await self.press(client, press, timestamp: Self.timestamp - 301) == .unauthorized, "older than five minutes")
            #expect(await self.press(client, Array("text=prep".utf8)) == .badRequest, "no payload")
            #expect(await self.press(client, FakeSlack.form(payload: "[1, 2]")) == .badRequest)
            #expect(await self.press(client, FakeSlack.form(payload: "{\"type\": ")) == .badRequest)
            let huge = Self.documented(value: "c1|v1|already|1").replacingOccurrences(of: "spengler", with: String(repeating: "s", count: 30_000))
            #expect(await self.press(client, FakeSlack.form(payload: huge)) != .ok)
            for hostile in [
                Self.documented(value: "c1|v1|already|1", user: "<!channel>"),
                Self.documented(value: "c1|v1|already|1", messageTS: String(repeating: "1", count: 100)),
                Self.documented(value: "c1|v1|already|1").replacingOccurrences(of: #""action_ts": "1548426417.840180""#, with: #""action_ts": 7"#),
            ] {
                #expect(await self.press(client, FakeSlack.form(payload: hostile)) == .badRequest, "\(hostile.prefix(120))")
            }
        }
        #expect(try await replies().isEmpty)
    }
}
