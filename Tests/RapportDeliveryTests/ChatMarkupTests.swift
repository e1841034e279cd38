import Foundation
import RapportCore
import RapportDelivery
import RapportTestSupport
import Testing

/// What a person typed, escaped for each platform's markup: shown as typed, never a ping or a link.
struct ChatMarkupTests {
    static let hostile = "@channel @here @all <!channel> <!here|here> <@U0BOSS> [click](https://evil.example) <https://evil.example|x> & \\"

    @Test func slackEscapesItsThreeControlCharactersAndNothingElse() {
        #expect(ChatMarkup.slack(Self.hostile)
            == "@channel @here @all &lt;!channel&gt; &lt;!here|here&gt; &lt;@U0BOSS&gt; [click](https://evil.example) &lt;https://evil.example|x&gt; &amp; \\")
        // Our own markup (the hint's italics, a card's bold) and the rest of the text stay as they are.
        #expect(ChatMarkup.slack("_Say it in one line_ *Goal:* → 14:00 (Anna)") == "_Say it in one line_ *Goal:* → 14:00 (Anna)")
        #expect(ChatMarkup.slack("&amp;") == "&amp;amp;", "an entity typed is shown as typed")
    }

    @Test func markdownBreaksEveryMentionAndEscapesLinksAndTags() {
        let escaped = ChatMarkup.markdown(Self.hostile)
        for mention in ["@channel", "@here", "@all", "@U0BOSS"] { #expect(!escaped.contains(mention), "\(mention)") }
        #expect(escaped.hasPrefix("@\u{2060}channel @\u{2060}here @\u{2060}all \\<!channel\\>"))
        #expect(escaped.contains("\\[click\\](https://evil.example)"))
        #expect(escaped.contains("\\<https://evil.example|x\\>"))
        #expect(escaped.hasSuffix("& \\\\"))
        #expect(ChatMarkup.markdown("_Say it in one line_ **Goal:**") == "_Say it in one line_ **Goal:**")
    }

    @Test func googleChatBreaksItsAngleBracketSyntax() {
        #expect(ChatMarkup.googleChat("<users/all> <https://evil.example|x>") == "<\u{2060}users/all> <\u{2060}https://evil.example|x>")
    }

    /// A reply posted as the bot: `chat.postMessage`'s JSON as Slack's docs show it, the token as a
    /// bearer credential, and the person's text escaped.
    @Test func aBotsReplyIsChatPostMessageJSONWithTheTokenAndEscapedText() throws {
        let server = try LoopbackHTTPServer()
        let message = ChatMessage(idempotencyKey: "reply/1", kind: "reply", title: "", lines: ["When do you meet <!channel> & co?"], channel: "D024BE91L", thread: "1355517523.000005")
        let destination = Destination.slackBot(name: "slack-bot", token: "xoxb-test-token", apiBase: server.url + "/api/")
        let payload = try WebhookPayload(
            kind: destination.kind, url: destination.url, message: message, bearerToken: destination.bearerToken, timestamp: 1614265330)
        _ = try CurlHTTPClient().post(url: payload.url, headers: payload.headers, body: payload.body)
        let request = try #require(server.requests.first)
        #expect(request.path == "/api/chat.postMessage")
        #expect(request.headers["authorization"] == "Bearer xoxb-test-token")
        #expect(request.headers["content-type"] == "application/json; charset=utf-8")
        let json = try #require(request.json)
        #expect(json["channel"] as? String == "D024BE91L")
        #expect(json["thread_ts"] as? String == "1355517523.000005")
        #expect(json["text"] as? String == "When do you meet &lt;!channel&gt; &amp; co?")
        #expect(json["unfurl_links"] as? Bool == false)
    }

    /// A question with buttons and a finished card go as Block Kit `blocks`, with the whole reply
    /// as `text`, the fallback Slack shows in notifications.
    @Test func aBotsQuestionAndCardAreBlocksWithThePlainTextAsTheFallback() throws {
        let buttons = ChatButtons(conversationID: 3, version: 5, stepID: "knows", choices: [QuestionChoice(label: "Yes", answer: "1"), QuestionChoice(label: "No", answer: "2")])
        let question = ChatMessage(
            idempotencyKey: "reply/3", kind: "reply", title: "", lines: ["Does <Anna> know what you do?"], channel: "D024BE91L", buttons: buttons)
        let asked = try #require(try JSONSerialization.jsonObject(with: Data(WebhookPayload(kind: .slackBot, url: "https://slack.com/api/chat.postMessage", message: question, timestamp: 0).body)) as? [String: Any])
        #expect(asked["text"] as? String == "Does &lt;Anna&gt; know what you do?")
        let blocks = try #require(asked["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["section", "actions"])
        let values = (blocks[1]["elements"] as? [[String: Any]])?.compactMap { $0["value"] as? String }
        #expect(values == ["c3|v5|knows|1", "c3|v5|knows|2"])

        let card = SummaryCard(title: "Prep card: Anna Berg", lines: [SummaryCard.Line(label: "Goal", text: "An intro & a pilot")], footer: nil)
        let finished = ChatMessage(idempotencyKey: "reply/4", kind: "reply", title: "", lines: ["Saved."], channel: "D024BE91L", card: card)
        let posted = try #require(try JSONSerialization.jsonObject(with: Data(WebhookPayload(kind: .slackBot, url: "https://slack.com/api/chat.postMessage", message: finished, timestamp: 0).body)) as? [String: Any])
        #expect(posted["text"] as? String == "Saved.\nPrep card: Anna Berg\n  Goal: An intro &amp; a pilot")
        #expect((posted["blocks"] as? [[String: Any]])?.map { $0["type"] as? String } == ["section", "header", "section"])

        let plain = ChatMessage(idempotencyKey: "reply/5", kind: "reply", title: "", lines: ["When?"], channel: "D024BE91L")
        let text = try #require(try JSONSerialization.jsonObject(with: Data(WebhookPayload(kind: .slackBot, url: "https://slack.com/api/chat.postMessage", message: plain, timestamp: 0).body)) as? [String: Any])
        #expect(text["blocks"] == nil, "a reply with nothing to press or lay out is text alone")
    }

    @Test func aBotsMessageWithoutAChannelIsRefusedBeforeAnythingIsSent() {
        let message = ChatMessage(idempotencyKey: "reply/2", kind: "reply", title: "", lines: ["hi"])
        #expect(throws: DeliveryError.self) { try WebhookPayload(kind: .slackBot, url: "https://slack.com/api/chat.postMessage", message: message, timestamp: 0) }
    }
}
