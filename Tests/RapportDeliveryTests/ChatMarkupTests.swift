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

    @Test func aBotsMessageWithoutAChannelIsRefusedBeforeAnythingIsSent() {
        let message = ChatMessage(idempotencyKey: "reply/2", kind: "reply", title: "", lines: ["hi"])
        #expect(throws: DeliveryError.self) { try WebhookPayload(kind: .slackBot, url: "https://slack.com/api/chat.postMessage", message: message, timestamp: 0) }
    }
}
