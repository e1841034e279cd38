import Foundation
import RapportCore
import RapportDelivery
import Testing

/// The Mattermost bot's posts as `POST /api/v4/posts` takes them (Mattermost's API reference and
/// its message-attachments and interactive-messages guides), their signed buttons, and how the
/// REST API's answers are read.
struct MattermostPostTests {
    static let link = MattermostActionLink(url: "https://rapport.example.com/v1/mattermost/actions", secret: "s3cret")!

    static func payload(_ message: ChatMessage, link: MattermostActionLink? = MattermostPostTests.link) throws -> [String: Any] {
        let destination = Destination.mattermostBot(name: "mattermost-bot", token: "9xuqwrwgstrb3mzrxb83nb357a", serverURL: "https://chat.example.com/", buttonActions: link)
        let payload = try WebhookPayload(
            kind: destination.kind, url: destination.url, message: message, bearerToken: destination.bearerToken, buttonActions: destination.buttonActions, timestamp: 0)
        #expect(payload.url == "https://chat.example.com/api/v4/posts")
        #expect(payload.headers.contains { $0 == ("Authorization", "Bearer 9xuqwrwgstrb3mzrxb83nb357a") })
        return try #require(try JSONSerialization.jsonObject(with: Data(payload.body)) as? [String: Any])
    }

    static let question = ChatMessage(
        idempotencyKey: "reply-1", kind: "reply", title: "", lines: ["Could you get this through the contacts you already have?"],
        channel: "qmd5oqtwoibz8cuzxzg5ekshgr", thread: nil,
        buttons: ChatButtons(conversationID: 7, version: 3, stepID: "already", choices: [QuestionChoice(label: "Yes", answer: "yes"), QuestionChoice(label: "No", answer: "no")]))

    @Test func aQuestionIsAPostInItsChannelWithOneSignedButtonPerAnswer() throws {
        let post = try Self.payload(Self.question)
        #expect(post["channel_id"] as? String == "qmd5oqtwoibz8cuzxzg5ekshgr")
        #expect(post["message"] as? String == "Could you get this through the contacts you already have?")
        #expect(post["root_id"] == nil)
        let attachments = try #require((post["props"] as? [String: Any])?["attachments"] as? [[String: Any]])
        let actions = try #require(attachments.first?["actions"] as? [[String: Any]])
        #expect(actions.map { $0["name"] as? String } == ["Yes", "No"])
        #expect(actions.allSatisfy { ($0["id"] as? String)?.allSatisfy { $0.isLetter || $0.isNumber } == true }, "Mattermost keeps only alphanumeric ids")
        let integration = try #require(actions[1]["integration"] as? [String: Any])
        #expect(integration["url"] as? String == "https://rapport.example.com/v1/mattermost/actions")
        let context = try #require(integration["context"] as? [String: Any])
        // The press reads back as the answer it stands for, and only with our signature.
        let value = try #require(Self.link.value(of: context))
        #expect(SlackButtonValue(parsing: value) == SlackButtonValue(conversationID: 7, version: 3, stepID: "already", answer: "no"))
        var tampered = context
        tampered["value"] = "c7|v3|already|yes"
        #expect(Self.link.value(of: tampered) == nil)
        #expect(MattermostActionLink(url: Self.link.url, secret: "another")!.value(of: context) == nil)
        #expect(Self.link.value(of: ["value": value]) == nil, "no signature")
        #expect(MattermostActionLink(url: Self.link.url, secret: "") == nil, "an empty secret signs nothing")
    }

    @Test func withoutAnActionLinkTheQuestionIsAskedInWordsAlone() throws {
        let post = try Self.payload(Self.question, link: nil)
        #expect(post["props"] == nil)
        #expect((post["message"] as? String)?.hasPrefix("Could you get this") == true)
    }

    @Test func aCardIsAnAttachmentWithAFieldPerLineAndWhatWasTypedCannotPingOrLink() throws {
        let card = SummaryCard(
            title: "Prep: Anna Berg", lines: [.init(label: "Goal", text: "@channel see [this](http://evil.example)"), .init(label: "Pitch", text: "I help builders")],
            footer: "Reflect after: rapport reflect anna")
        let message = ChatMessage(idempotencyKey: "reply-9", kind: "reply", title: "", lines: ["Here is your card."], channel: "qmd5oqtwoibz8cuzxzg5ekshgr", thread: "root26charsxxxxxxxxxxxxxxx", card: card)
        let post = try Self.payload(message)
        #expect(post["root_id"] as? String == "root26charsxxxxxxxxxxxxxxx", "a mention in a channel is answered in its thread")
        let attachment = try #require(((post["props"] as? [String: Any])?["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["title"] as? String == "Prep: Anna Berg")
        let fields = try #require(attachment["fields"] as? [[String: Any]])
        #expect(fields.map { $0["title"] as? String } == ["Goal", "Pitch"])
        let goal = try #require(fields.first?["value"] as? String)
        #expect(!goal.contains("@channel") && !goal.contains("[this]("), "\(goal)")
        #expect(attachment["footer"] as? String == "Reflect after: rapport reflect anna")
        #expect(attachment["actions"] == nil)
    }

    @Test func aNudgesActionsAreSignedButtonsToo() throws {
        let nudge = ChatMessage(
            idempotencyKey: "n-1-dm", kind: "reminder", title: "You meet Anna Berg at 14:00", lines: [], channel: "qmd5oqtwoibz8cuzxzg5ekshgr",
            actions: [NudgeAction(kind: .prep, subjectID: 12, owner: "k5thx4o6ctbf7g5c8tqqhawf1o", label: "Prep now")])
        let post = try Self.payload(nudge)
        #expect(post["message"] as? String == "**You meet Anna Berg at 14:00**")
        let action = try #require((((post["props"] as? [String: Any])?["attachments"] as? [[String: Any]])?.first?["actions"] as? [[String: Any]])?.first)
        let context = try #require((action["integration"] as? [String: Any])?["context"] as? [String: Any])
        #expect(Self.link.value(of: context).flatMap(SlackNudgeValue.init(parsing:)) == SlackNudgeValue(action: .prep, subjectID: 12, owner: "k5thx4o6ctbf7g5c8tqqhawf1o"))
    }

    @Test func anOverlongMessageIsCutToWhatMattermostKeeps() throws {
        let message = ChatMessage(idempotencyKey: "r", kind: "reply", title: "", lines: [String(repeating: "a", count: 20_000)], channel: "c")
        let text = try #require(try Self.payload(message)["message"] as? String)
        #expect(text.count == MattermostPost.messageLimit)
    }

    @Test func theRESTAPIsAnswersAreReadAsMattermostMeansThem() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func verdict(_ status: Int, _ body: String, headers: [String: String] = [:]) -> DeliveryVerdict {
            DeliveryVerdict(kind: .mattermostBot, response: HTTPResponse(status: status, headers: headers, body: Array(body.utf8)), now: now)
        }
        #expect(verdict(201, #"{"id":"hs3qz1p4","channel_id":"qmd5"}"#) == .delivered)
        #expect(verdict(403, #"{"id":"api.context.permissions.app_error","message":"You do not have the appropriate permissions.","status_code":403}"#)
            == .permanent(reason: "Mattermost refused it (403): api.context.permissions.app_error"))
        #expect(verdict(401, "") == .permanent(reason: "Mattermost refused it (401): no reason given"))
        #expect(verdict(429, "limit exceeded", headers: ["retry-after": "3"]) == .retry(after: .seconds(3), reason: "throttled (429)"))
        if case .retry = verdict(503, "") {} else { Issue.record("a 503 is retried") }
    }
}
