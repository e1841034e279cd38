import Foundation
import GRDB
import RapportTestSupport
import Testing

/// `rapport nudge` killed at random moments while delivering 500 due nudges, then run again to
/// completion: every nudge arrives at least once, and a repeat always carries the same key.
@Suite(.serialized)
struct NudgeCrashTests {
    @Test func killedMidDeliveryEveryNudgeStillArrivesAndRepeatsKeepTheirKey() throws {
        let server = try LoopbackHTTPServer()
        var rapport = RapportBinary()
        rapport.now = "2026-11-27T10:00:00+01:00"
        let config = rapport.folder.path("config.yaml")
        try """
            destinations:
              team: { kind: generic, url: "\(server.url)/hook" }
            nudges:
              routes: { followup: team }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["RAPPORT_CONFIG": config]
        #expect(try rapport.run(["meetings"], extraEnvironment: environment).status == 0)  // creates the store

        // 500 follow-ups due yesterday, written straight into the store.
        let queue = try DatabaseQueue(path: rapport.storePath)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO contacts (owner, name, name_key, created_at, updated_at) VALUES ('local', 'Anna Berg', 'anna berg', '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')")
            for index in 1...500 {
                try db.execute(sql: "INSERT INTO followups (contact_id, kind, text, due_at, has_time, created_at) VALUES (1, 'action', ?, '2026-11-25 23:00:00.000', 0, '2026-11-20 10:00:00.000')", arguments: ["task \(index)"])
            }
            // Written behind the store's back: forget the plan, so the next run plans everything once.
            try db.execute(sql: "DELETE FROM meta WHERE key = 'plan_fingerprint'")
        }
        try queue.close()

        var generator = SplitMix64(seed: 42)
        var kills = 0
        var killedMidway = 0  // kills that landed with some but not all nudges delivered
        for _ in 0..<5 {
            let process = try rapport.start(["nudge"], extraEnvironment: environment)
            // Kill a random number of deliveries into the run, whatever the machine's speed.
            let target = server.requests.count + Int.random(in: 1...60, using: &generator)
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning, server.requests.count < target, Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
                process.waitUntilExit()
                if (1..<500).contains(Set(server.requests.compactMap { $0.headers["webhook-id"] }).count) { killedMidway += 1 }
            }
            process.waitUntilExit()
        }
        // The next cron run comes after the killed runs' leases (five minutes) have run out.
        var later = environment
        later["RAPPORT_NOW"] = "2026-11-27T10:10:00+01:00"
        let final = try rapport.run(["nudge"], extraEnvironment: later)
        #expect(final.status == 0, "\(final.stderr)")

        let keys = server.requests.compactMap { $0.headers["webhook-id"] }
        let expected = Set((1...500).map { "followup-\($0)-20261126" })
        #expect(Set(keys) == expected, "every nudge arrived")
        #expect(keys.count >= 500)
        #expect(keys.count - 500 <= kills, "at most the one message in flight is repeated per kill (\(kills) kills, \(keys.count - 500) repeats)")
        let listing = try rapport.run(["outbox"], extraEnvironment: later)
        #expect(listing.stdout == "The outbox is empty.\n", "nothing left waiting")
        #expect(killedMidway >= 1, "the test must actually interrupt a delivery (\(kills) kills)")
    }
}
