import Foundation
import RapportTestSupport
import Testing

/// `rapport nudge` run as cron would run it, against a webhook receiver on 127.0.0.1.
@Suite(.serialized)
struct NudgeEndToEndTests {
    private func configured(_ server: LoopbackHTTPServer, kind: String = "generic") throws -> (RapportBinary, [String: String]) {
        let rapport = RapportBinary()
        let path = rapport.folder.path("config.yaml")
        try """
            destinations:
              team: { kind: \(kind), url: "\(server.url)/hook" }
            nudges:
              destination: team
              routes: { digest: none }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return (rapport, ["RAPPORT_CONFIG": path])
    }

    private func run(_ rapport: RapportBinary, _ config: [String: String], at now: String, _ arguments: [String], lines: [String] = []) throws -> RapportBinary.Result {
        var moment = rapport
        moment.now = now
        return try moment.run(arguments, input: Data(lines.map { $0 + "\n" }.joined().utf8), extraEnvironment: config)
    }

    /// `rapport serve` is a whole deployment: it delivers what is due, and SIGTERM ends it with 0.
    @Test func theServerDeliversDueNudgesAndStopsCleanly() throws {
        let server = try LoopbackHTTPServer()
        let (rapport, config) = try configured(server)
        _ = try run(rapport, config, at: "2026-11-23T10:00:00+01:00", ["prep"], lines: EndToEndTests.prepAnswers)
        var later = rapport
        later.now = "2026-11-24T13:05:00+01:00"
        let port = RawConnection.freePort()
        let serve = try later.start(["serve", "--port", "\(port)", "--nudge-every", "1"], extraEnvironment: config)
        let deadline = Date().addingTimeInterval(20)
        while server.requests.isEmpty, serve.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 1.5) // a second round, which must not send it again
        serve.terminate()
        serve.waitUntilExit()
        let log = String(decoding: (serve.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(serve.terminationStatus == 0, "\(log)")
        #expect(server.requests.map { $0.headers["webhook-id"] } == ["reminder-m1-20261124"])
        #expect(log.contains("nudges delivered"))
        let outbox = try run(rapport, config, at: "2026-11-24T13:10:00+01:00", ["outbox", "--all"]).stdout.split(separator: "\n")
        #expect(outbox.contains { $0.contains(" sent ") && $0.contains("Tue 24 Nov 13:05") && $0.contains("Meeting with Anna Berg") }, "\(outbox)")
    }

    @Test func eachNudgeGoesOutOnceAtItsTime() throws {
        let server = try LoopbackHTTPServer()
        let (rapport, config) = try configured(server)
        _ = try run(rapport, config, at: "2026-11-23T10:00:00+01:00", ["prep"], lines: EndToEndTests.prepAnswers)

        // The prep itself wrote its nudges to the outbox, in its last transaction.
        let waiting = try run(rapport, config, at: "2026-11-23T10:01:00+01:00", ["outbox"])
        #expect(waiting.stdout.contains("waiting  Tue 24 Nov 13:00  team  Meeting with Anna Berg, Tue 24 Nov 14:00"))
        #expect(waiting.stdout.contains("waiting  Tue 24 Nov 16:00  team  How did it go with Anna Berg?"))

        #expect(try run(rapport, config, at: "2026-11-23T10:05:00+01:00", ["nudge"]).stdout == "Sent 0.\n")
        let dry = try run(rapport, config, at: "2026-11-24T13:05:00+01:00", ["nudge", "--dry-run"])
        #expect(dry.stdout == "→ team (reminder): Meeting with Anna Berg, Tue 24 Nov 14:00\n")
        #expect(server.requests.isEmpty)

        #expect(try run(rapport, config, at: "2026-11-24T13:05:00+01:00", ["nudge"]).stdout == "Sent 1.\n")
        #expect(try run(rapport, config, at: "2026-11-24T13:10:00+01:00", ["nudge"]).stdout == "Sent 0.\n")
        #expect(server.requests.map { $0.headers["webhook-id"] } == ["reminder-m1-20261124"])
        #expect(server.requests.first?.json?["lines"] as? [String] == [], "the goal stays private by default")

        #expect(try run(rapport, config, at: "2026-11-24T16:05:00+01:00", ["nudge"]).stdout == "Sent 1.\n")
        #expect(server.requests.last?.json?["title"] as? String == "How did it go with Anna Berg?")

        _ = try run(rapport, config, at: "2026-11-24T17:00:00+01:00", ["reflect", "anna"], lines: ReflectEndToEndTests.reflectAnswers)
        #expect(try run(rapport, config, at: "2026-11-26T12:00:00+01:00", ["nudge"]).stdout == "Sent 0.\n")
        #expect(try run(rapport, config, at: "2026-11-27T09:01:00+01:00", ["nudge"]).stdout == "Sent 1.\n")
        #expect(server.requests.last?.json?["lines"] as? [String] == ["send the deck (due Fri 27 Nov)"])

        // Done before its day: the waiting nudge for "call Eva" is cancelled, not sent.
        _ = try run(rapport, config, at: "2026-11-27T10:00:00+01:00", ["done", "2"])
        _ = try run(rapport, config, at: "2026-12-08T09:30:00+01:00", ["nudge"])
        let keys = server.requests.compactMap { $0.headers["webhook-id"] }
        #expect(!keys.contains { $0.hasPrefix("followup-2-") })
        #expect(keys.contains("referral-3-20261208"))
        #expect(Set(keys).count == keys.count, "nothing was sent twice")
        let outbox = try run(rapport, config, at: "2026-12-08T09:30:00+01:00", ["outbox", "--all"])
        #expect(outbox.stdout.contains("cancelled"))
    }

    @Test func aRefusingWebhookIsGivenUpOnShownAndRetriedByHand() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 404, body: "channel_not_found"))
        let (rapport, config) = try configured(server, kind: "slack")
        _ = try run(rapport, config, at: "2026-11-23T10:00:00+01:00", ["prep"], lines: EndToEndTests.prepAnswers)
        let failed = try run(rapport, config, at: "2026-11-24T13:05:00+01:00", ["nudge"])
        #expect(failed.stdout == "Sent 0, 1 given up.\n")
        #expect(failed.stderr == "rapport: #1 to team: refused with 404: channel_not_found; see rapport outbox\n")
        let listing = try run(rapport, config, at: "2026-11-24T13:06:00+01:00", ["outbox"])
        #expect(listing.stdout.contains("#1  given up"))
        #expect(listing.stdout.contains("Meeting with Anna Berg, Tue 24 Nov 14:00 — refused with 404: channel_not_found"))
        #expect(try run(rapport, config, at: "2026-11-24T13:07:00+01:00", ["outbox", "retry", "1"]).stdout == "#1 will be sent at the next rapport nudge.\n")
        #expect(try run(rapport, config, at: "2026-11-24T13:08:00+01:00", ["nudge"]).stdout == "Sent 1.\n")
    }

    @Test func aDestinationMissingItsSecretHoldsItsMessagesWhileTheOthersGoOut() throws {
        let server = try LoopbackHTTPServer()
        let rapport = RapportBinary()
        let path = rapport.folder.path("config.yaml")
        try """
            destinations:
              team: { kind: generic, url: "\(server.url)/hook" }
              ops: { kind: slack, url: env:OPS_WEBHOOK_NOT_SET }
            nudges:
              routes: { reminder: team, reflect: ops }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = ["RAPPORT_CONFIG": path]
        _ = try run(rapport, config, at: "2026-11-23T10:00:00+01:00", ["prep"], lines: EndToEndTests.prepAnswers)
        #expect(try run(rapport, config, at: "2026-11-24T13:05:00+01:00", ["nudge"]).stdout == "Sent 1.\n")
        let result = try run(rapport, config, at: "2026-11-24T16:05:00+01:00", ["nudge"])
        #expect(result.status == 0)
        #expect(result.stdout == "Sent 0, 1 held back.\n")
        #expect(result.stderr == "rapport: destination 'ops' takes its URL or secret from $OPS_WEBHOOK_NOT_SET, which is not set; its messages wait\n")
        #expect(server.requests.map { $0.headers["webhook-id"] } == ["reminder-m1-20261124"])
        #expect(try run(rapport, config, at: "2026-11-24T16:06:00+01:00", ["outbox"]).stdout.contains("waiting"))
    }

    @Test func withoutRoutesNudgeSaysSoAndChangesNothing() throws {
        let result = try RapportBinary().run(["nudge"])
        #expect(result.status == 0)
        #expect(result.stdout == "No nudges are routed to team chat (see nudges: in config/rapport.yaml); what is due shows on the home screen.\n")
    }
}
