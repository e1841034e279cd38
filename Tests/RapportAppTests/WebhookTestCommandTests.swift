import Foundation
import RapportDelivery
import RapportTestSupport
import Testing

/// `rapport webhook test` through the real binary against a loopback server.
@Suite(.serialized)
struct WebhookTestCommandTests {
    private func configure(_ rapport: RapportBinary, _ yaml: String) throws -> String {
        let path = rapport.folder.path("config.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func postsASignedTestMessageAndPrintsTheAnswerWithoutTheSecretURL() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 200, body: "accepted"))
        let rapport = RapportBinary()
        let config = try configure(rapport, """
            destinations:
              team:
                kind: generic
                url: env:TEAM_HOOK
                secret: env:TEAM_SECRET
            """)
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let result = try rapport.run(["webhook", "test"], extraEnvironment: [
            "RAPPORT_CONFIG": config, "TEAM_HOOK": server.url + "/hooks/T0-secret-path", "TEAM_SECRET": secret,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "team (generic, \(server.url)/…): delivered; the server answered 200 accepted\n")
        #expect(!result.stdout.contains("secret-path"))
        let request = try #require(server.requests.first)
        #expect(request.path == "/hooks/T0-secret-path")
        #expect(request.json?["type"] as? String == "test")
        let verifier = try #require(StandardWebhooks(secret: secret))
        let timestamp = try #require(request.headers["webhook-timestamp"].flatMap(Double.init))
        #expect(verifier.verify(id: request.headers["webhook-id"], timestamp: request.headers["webhook-timestamp"], signatures: request.headers["webhook-signature"], body: request.body, now: Date(timeIntervalSince1970: timestamp)))
    }

    @Test func aRefusedPostIsReportedWithThePlatformsReasonAndFails() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 404, body: "channel_not_found"))
        let rapport = RapportBinary()
        let config = try configure(rapport, "destinations:\n  team:\n    kind: slack\n    url: \(server.url)/services/T/B/XYZ\n")
        let result = try rapport.run(["webhook", "test", "team"], extraEnvironment: ["RAPPORT_CONFIG": config])
        #expect(result.status == 1)
        #expect(result.stdout == "team (slack, \(server.url)/…): not delivered, refused with 404: channel_not_found\n")
    }

    @Test func unknownDestinationsAndMissingSecretsAreOneSentence() throws {
        let rapport = RapportBinary()
        let config = try configure(rapport, "destinations:\n  team:\n    kind: slack\n    url: env:NOT_SET_ANYWHERE\n")
        let unknown = try rapport.run(["webhook", "test", "nope"], extraEnvironment: ["RAPPORT_CONFIG": config])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "rapport: there is no destination named 'nope'; configured: team\n")
        let missing = try rapport.run(["webhook", "test"], extraEnvironment: ["RAPPORT_CONFIG": config])
        #expect(missing.stderr == "rapport: destination 'team' takes its URL or secret from $NOT_SET_ANYWHERE, which is not set\n")
        let badKind = try configure(rapport, "destinations:\n  team:\n    kind: pager\n    url: https://example.com/x\n")
        let kind = try rapport.run(["webhook", "test"], extraEnvironment: ["RAPPORT_CONFIG": badKind])
        #expect(kind.stderr == "rapport: destination 'team': kind 'pager' is not one of slack, mattermost, discord, teams, googlechat, generic\n")
    }
}
