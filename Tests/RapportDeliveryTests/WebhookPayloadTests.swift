import Foundation
import RapportCore
import RapportDelivery
import RapportTestSupport
import Testing

/// Each platform's payload, checked field by field as the platform receives it over loopback.
struct WebhookPayloadTests {
    let message = ChatMessage(
        idempotencyKey: "followup-42-2026-11-27", kind: "followup", title: "Follow up with Anna Berg",
        lines: ["send the deck <https://evil.example|click> & @channel [x](https://evil.example) <!here> @everyone <users/all>"])

    /// Posts the payload to a loopback server and returns what it received.
    private func received(_ kind: WebhookKind, signer: StandardWebhooks? = nil) throws -> LoopbackHTTPServer.Request {
        let server = try LoopbackHTTPServer()
        let payload = try WebhookPayload(kind: kind, url: server.url + "/hook", message: message, signer: signer, timestamp: 1614265330)
        let response = try CurlHTTPClient().post(url: payload.url, headers: payload.headers, body: payload.body)
        #expect(response.status == 200)
        return try #require(server.requests.first)
    }

    @Test func slackGetsMrkdwnTextWithItsControlCharactersEscaped() throws {
        let request = try received(.slack)
        #expect(request.path == "/hook")
        #expect(request.headers["content-type"] == "application/json")
        let json = try #require(request.json)
        #expect(json["text"] as? String == "*Follow up with Anna Berg*\nsend the deck &lt;https://evil.example|click&gt; &amp; @channel [x](https://evil.example) &lt;!here&gt; @everyone &lt;users/all&gt;")
        #expect(json["unfurl_links"] as? Bool == false)
    }

    @Test func mattermostGetsMarkdownWithMentionsAndLinksDefused() throws {
        let text = try #require(try received(.mattermost).json?["text"] as? String)
        #expect(text.hasPrefix("**Follow up with Anna Berg**\n"))
        #expect(!text.contains("@channel"))
        #expect(!text.contains("@everyone"))
        #expect(text.contains("@\u{2060}channel"))
        #expect(text.contains("\\[x\\](https://evil.example)"))
        #expect(text.contains("\\<!here\\>"))
    }

    @Test func discordWaitsForTheSaveAndAllowsNoMentions() throws {
        let request = try received(.discord)
        #expect(request.path == "/hook?wait=true")
        let json = try #require(request.json)
        #expect((json["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        let content = try #require(json["content"] as? String)
        #expect(content.hasPrefix("**Follow up with Anna Berg**\n"))
        #expect(!content.contains("@everyone"))
    }

    @Test func teamsGetsAnAdaptiveCardInAMessageEnvelope() throws {
        let json = try #require(try received(.teams).json)
        #expect(json["type"] as? String == "message")
        let attachment = try #require((json["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        #expect(attachment["contentUrl"] is NSNull)
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["version"] as? String == "1.4")
        #expect(card["$schema"] as? String == "http://adaptivecards.io/schemas/adaptive-card.json")
        let body = try #require(card["body"] as? [[String: Any]])
        #expect(body.count == 2)
        #expect(body[0]["text"] as? String == "Follow up with Anna Berg")
        #expect(body[0]["weight"] as? String == "Bolder")
        #expect(body.allSatisfy { $0["type"] as? String == "TextBlock" && $0["wrap"] as? Bool == true })
        #expect((body[1]["text"] as? String)?.contains("@channel") == false)
    }

    @Test func googleChatCarriesAStableMessageIdAndDefusesAngleBrackets() throws {
        let request = try received(.googlechat)
        #expect(request.path == "/hook?messageId=client-followup-42-2026-11-27")
        let text = try #require(request.json?["text"] as? String)
        #expect(text.hasPrefix("*Follow up with Anna Berg*\n"))
        #expect(!text.contains("<users/all>"))
        #expect(!text.contains("<https://"))
    }

    @Test func genericIsPlainJSONWithTheKeyAndStandardWebhooksSignature() throws {
        let signer = try #require(StandardWebhooks(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let request = try received(.generic, signer: signer)
        let json = try #require(request.json)
        #expect(json["id"] as? String == "followup-42-2026-11-27")
        #expect(json["type"] as? String == "followup")
        #expect(json["title"] as? String == "Follow up with Anna Berg")
        #expect(json["lines"] as? [String] == message.lines)
        #expect(request.headers["webhook-id"] == "followup-42-2026-11-27")
        #expect(request.headers["webhook-timestamp"] == "1614265330")
        // The receiver can check the signature over exactly the bytes it got.
        #expect(signer.verify(
            id: request.headers["webhook-id"], timestamp: request.headers["webhook-timestamp"], signatures: request.headers["webhook-signature"],
            body: request.body, now: Date(timeIntervalSince1970: 1614265330)))
    }

    @Test func genericWithoutASecretStillSendsTheIdempotencyKey() throws {
        let request = try received(.generic)
        #expect(request.headers["webhook-id"] == "followup-42-2026-11-27")
        #expect(request.headers["webhook-signature"] == nil)
    }
}

struct DestinationTests {
    @Test func redactsEverythingButSchemeAndHost() {
        #expect(Destination.redact("https://hooks.slack.com/services/T000/B000/XXXX") == "https://hooks.slack.com/…")
        #expect(Destination.redact("https://user:pass@example.com/hook?token=1") == "https://example.com/…")
        #expect(Destination.redact("https://example.com") == "https://example.com")
        #expect(Destination.redact("not a url") == "…")
    }

    @Test func readsValuesFromTheEnvironmentAndRefusesWhatCannotWork() throws {
        let environment = ["HOOK": "https://chat.example/hook/1", "SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
        let generic = try Destination(name: "a", kind: "generic", url: "env:HOOK", secret: "env:SECRET", environment: environment)
        #expect(generic.url == "https://chat.example/hook/1")
        #expect(generic.signer != nil)
        #expect(throws: DeliveryError.invalidURL(destination: "b")) { try Destination(name: "b", kind: "slack", url: "ftp://x/y", secret: nil, environment: [:]) }
        #expect(throws: DeliveryError.missingSecret(destination: "c", variable: "NOPE")) { try Destination(name: "c", kind: "slack", url: "env:NOPE", secret: nil, environment: [:]) }
        #expect(throws: DeliveryError.invalidDestination(destination: "d", reason: "only generic destinations are signed; remove 'secret'")) {
            try Destination(name: "d", kind: "slack", url: "https://x/y", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", environment: [:])
        }
    }
}
