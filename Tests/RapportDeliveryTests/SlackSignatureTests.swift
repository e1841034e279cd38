import Foundation
import RapportDelivery
import Testing

/// Slack's published vector (python-slack-sdk tests/slack_sdk/signature/test_signature_verifier.py).
struct SlackSignatureTests {
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let timestamp = "1531420618"
    static let body = Array("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c".utf8)
    static let signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    static let then = Date(timeIntervalSince1970: 1531420618)

    @Test func signsAndVerifiesSlacksVector() throws {
        let slack = try #require(SlackSignature(secret: Self.secret))
        #expect(try slack.signature(timestamp: Self.timestamp, body: Self.body) == Self.signature)
        #expect(slack.verify(timestamp: Self.timestamp, signature: Self.signature, body: Self.body, now: Self.then))
    }

    @Test func refusesTamperedStaleMissingAndOtherVersions() throws {
        let slack = try #require(SlackSignature(secret: Self.secret))
        #expect(!slack.verify(timestamp: Self.timestamp, signature: Self.signature, body: Self.body + Array("------".utf8), now: Self.then))
        #expect(!slack.verify(timestamp: Self.timestamp, signature: Self.signature, body: Self.body, now: Date()))
        #expect(!slack.verify(timestamp: Self.timestamp, signature: Self.signature, body: Self.body, now: Self.then.addingTimeInterval(301)))
        #expect(!slack.verify(timestamp: Self.timestamp, signature: Self.signature, body: Self.body, now: Self.then.addingTimeInterval(-301)))
        #expect(slack.verify(timestamp: Self.timestamp, signature: Self.signature, body: Self.body, now: Self.then.addingTimeInterval(300)))
        #expect(!slack.verify(timestamp: nil, signature: Self.signature, body: Self.body, now: Self.then))
        #expect(!slack.verify(timestamp: Self.timestamp, signature: nil, body: Self.body, now: Self.then))
        #expect(!slack.verify(timestamp: Self.timestamp, signature: "v1=" + Self.signature.dropFirst(3), body: Self.body, now: Self.then))
        #expect(!slack.verify(timestamp: Self.timestamp, signature: "v0=a2", body: Self.body, now: Self.then), "a short signature is refused, not a crash")
    }

    @Test func aBlankSecretMakesNoVerifier() {
        #expect(SlackSignature(secret: "") == nil)
        #expect(SlackSignature(secret: "  ") == nil)
    }
}
