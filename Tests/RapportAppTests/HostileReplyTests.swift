import Foundation
import GRDB
import RapportTestSupport
import Testing

/// What a webhook answers reaches the terminal through `rapport webhook test`, `rapport nudge`
/// and `rapport outbox` (the stored last error): through the real binary against a loopback
/// server whose replies try to retitle the window, clear the screen and reorder text.
@Suite(.serialized)
struct HostileReplyTests {
    static let hostile = "\u{1B}]0;owned\u{07}channel\u{1B}[2J_not\u{9B}31m_found\u{9D}8;;http://x.example\u{9C}\u{1B}P+q\u{1B}\\ \u{202E}gnp.exe\u{2066}"

    /// The control and reordering characters in a text: what a terminal would act on.
    static func controls(in text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }.map { String(format: "U+%04X", $0.value) }
    }

    static func lines(_ lines: [String]) -> Data { Data(lines.map { $0 + "\n" }.joined().utf8) }

    private func configured(_ server: LoopbackHTTPServer, kind: String) throws -> (RapportBinary, [String: String]) {
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

    @Test func webhookTestPrintsTheAnswerWithoutItsTerminalControls() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 200, body: Self.hostile), .respond(status: 404, body: Self.hostile))
        let (rapport, config) = try configured(server, kind: "slack")
        let delivered = try rapport.run(["webhook", "test"], extraEnvironment: config)
        #expect(delivered.status == 0, "\(delivered.stderr)")
        #expect(Self.controls(in: delivered.stdout + delivered.stderr) == [])
        #expect(delivered.stdout == "team (slack, \(server.url)/…): delivered; the server answered 200 channel_not_found gnp.exe\n")
        let refused = try rapport.run(["webhook", "test"], extraEnvironment: config)
        #expect(refused.status == 1)
        #expect(Self.controls(in: refused.stdout + refused.stderr) == [])
        #expect(refused.stdout == "team (slack, \(server.url)/…): not delivered, refused with 404: channel_not_found gnp.exe\n")
    }

    @Test func nudgeAndOutboxShowTheReasonWithoutItsTerminalControls() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 404, body: Self.hostile))
        let (rapport, config) = try configured(server, kind: "slack")
        var at = rapport
        _ = try at.run(["prep"], input: Self.lines(EndToEndTests.prepAnswers), extraEnvironment: config)
        at.now = "2026-11-24T13:05:00+01:00"
        let nudge = try at.run(["nudge"], extraEnvironment: config)
        #expect(nudge.stdout == "Sent 0, 1 given up.\n")
        #expect(Self.controls(in: nudge.stdout + nudge.stderr) == [])
        #expect(nudge.stderr == "rapport: #1 to team: refused with 404: channel_not_found gnp.exe; see rapport outbox\n")
        let outbox = try at.run(["outbox"], extraEnvironment: config)
        #expect(Self.controls(in: outbox.stdout) == [])
        #expect(outbox.stdout.contains("Meeting with Anna Berg, Tue 24 Nov 14:00 — refused with 404: channel_not_found gnp.exe"), "\(outbox.stdout)")
    }

    /// A store written before replies were cleaned may hold them raw: the listing cleans too.
    @Test func outboxCleansALastErrorStoredRaw() throws {
        let server = try LoopbackHTTPServer()
        let (rapport, config) = try configured(server, kind: "slack")
        _ = try rapport.run(["prep"], input: Self.lines(EndToEndTests.prepAnswers), extraEnvironment: config)
        let queue = try DatabaseQueue(path: rapport.storePath)
        try queue.write { db in
            try db.execute(sql: "UPDATE outbox SET status = 'dead', attempts = 1, last_error = ? WHERE id = 1", arguments: ["refused with 404: " + Self.hostile])
        }
        try queue.close()
        let outbox = try rapport.run(["outbox"], extraEnvironment: config)
        #expect(Self.controls(in: outbox.stdout) == [])
        #expect(outbox.stdout.contains("— refused with 404: channel_not_found gnp.exe"), "\(outbox.stdout)")
    }
}
