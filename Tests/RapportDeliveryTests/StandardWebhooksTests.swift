import Foundation
import RapportDelivery
import Testing

/// The public vectors of the Standard Webhooks libraries (python and javascript test suites).
struct StandardWebhooksTests {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    let timestamp = 1614265330
    let body = Array(#"{"test": 2432232314}"#.utf8)
    let valid = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    var now: Date { Date(timeIntervalSince1970: TimeInterval(timestamp)) }

    @Test func signsThePublishedVector() throws {
        let signer = try #require(StandardWebhooks(secret: secret))
        #expect(try signer.signature(id: id, timestamp: timestamp, body: body) == valid)
        let headers = try signer.headers(id: id, timestamp: timestamp, body: body)
        #expect(headers.map(\.0) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.1) == [id, "1614265330", valid])
    }

    @Test func acceptsTheSecretWithOrWithoutItsPrefix() throws {
        let bare = try #require(StandardWebhooks(secret: String(secret.dropFirst(6))))
        #expect(try bare.signature(id: id, timestamp: timestamp, body: body) == valid)
        #expect(StandardWebhooks(secret: "whsec_") == nil)
        #expect(StandardWebhooks(secret: "not base64 !!!") == nil)
    }

    @Test func verifiesTheVectorAndAMultiSignatureHeader() throws {
        let verifier = try #require(StandardWebhooks(secret: secret))
        #expect(verifier.verify(id: id, timestamp: "1614265330", signatures: valid, body: body, now: now))
        let many = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= \(valid) v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
        #expect(verifier.verify(id: id, timestamp: "1614265330", signatures: many, body: body, now: now))
    }

    @Test(arguments: [
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
        "v1,dawfeoifkpqwoekfpqoekf",
        "v1,g0hM9SsE",
        "v1,",
        "",
    ])
    func rejectsTamperedSignatures(signature: String) throws {
        let verifier = try #require(StandardWebhooks(secret: secret))
        #expect(!verifier.verify(id: id, timestamp: "1614265330", signatures: signature, body: body, now: now))
    }

    @Test func rejectsMissingHeadersBadAndStaleTimestampsAndAChangedBody() throws {
        let verifier = try #require(StandardWebhooks(secret: secret))
        #expect(!verifier.verify(id: nil, timestamp: "1614265330", signatures: valid, body: body, now: now))
        #expect(!verifier.verify(id: id, timestamp: nil, signatures: valid, body: body, now: now))
        #expect(!verifier.verify(id: id, timestamp: "1614265330", signatures: nil, body: body, now: now))
        #expect(!verifier.verify(id: id, timestamp: "hello", signatures: valid, body: body, now: now))
        #expect(!verifier.verify(id: id, timestamp: "1614265330", signatures: valid, body: body, now: now.addingTimeInterval(301)))
        #expect(!verifier.verify(id: id, timestamp: "1614265330", signatures: valid, body: body, now: now.addingTimeInterval(-301)))
        #expect(!verifier.verify(id: id, timestamp: "1614265330", signatures: valid, body: body + [0x20], now: now))
    }

    @Test func everyRoundTripVerifiesAndEveryFlippedByteFails() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let key = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let signer = try #require(StandardWebhooks(secret: "whsec_" + Data(key).base64EncodedString()))
            var message = (0..<Int.random(in: 1...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let signature = try signer.signature(id: "msg_1", timestamp: timestamp, body: message)
            #expect(signer.verify(id: "msg_1", timestamp: String(timestamp), signatures: signature, body: message, now: now))
            let index = Int.random(in: 0..<message.count, using: &generator)
            message[index] ^= 1 << UInt8.random(in: 0...7, using: &generator)
            #expect(!signer.verify(id: "msg_1", timestamp: String(timestamp), signatures: signature, body: message, now: now))
        }
    }
}
