import Foundation
import RapportDelivery
import RapportTestSupport
import Synchronization
import Testing

/// A team deployment: `rapport serve` replicas on one PostgreSQL (the throw-away cluster
/// `make test` starts), each answering anyone; a replica killed mid-conversation; both
/// delivering nudges; the terminal on the same store.
@Suite(.serialized)
struct TeamDeploymentTests {
    /// The test cluster with a schema of this test's own.
    static func teamStore() throws -> (url: String, schema: String) {
        guard let base = ProcessInfo.processInfo.environment["RAPPORT_TEST_POSTGRES_URL"], !base.isEmpty else {
            throw TeamTestFailure("RAPPORT_TEST_POSTGRES_URL is not set: run the tests with make test, which starts a throw-away PostgreSQL")
        }
        let schema = "team_" + UUID().uuidString.prefix(8).lowercased()
        return (base + "?sslmode=disable&schema=" + schema, schema)
    }

    /// Runs SQL in the test's schema with psql, returning what it prints (one value per line).
    static func psql(_ sql: String, url: String, schema: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", String(url.split(separator: "?")[0]), "-c", sql]
        process.environment = ["PGOPTIONS": "-c search_path=\(schema)", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TeamTestFailure("psql failed: \(problem)") }
        return text.split(separator: "\n").map(String.init)
    }

    static func start(_ rapport: RapportBinary, port: Int, environment: [String: String], nudgeEvery: Int = 0) throws -> Process {
        try rapport.startLogged(["serve", "--port", "\(port)", "--nudge-every", "\(nudgeEvery)"], extraEnvironment: environment, log: "serve-\(port).log")
    }

    @Test func twoReplicasKeepEveryAnsweredTurnOnceThroughAKill() throws {
        let (url, schema) = try Self.teamStore()
        var rapport = RapportBinary()
        rapport.now = "2026-11-23T10:00:00+01:00"
        let timestamp = Int(ISO8601DateFormatter().date(from: rapport.now)!.timeIntervalSince1970)
        let config = rapport.folder.path("config.yaml")
        try "server:\n  signing_secret: env:RAPPORT_TEST_SIGNING_SECRET\n  allow_anyone: true\n".write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["RAPPORT_CONFIG": config, "RAPPORT_TEST_SIGNING_SECRET": ChatCrashTests.secret, "RAPPORT_STORE": url]

        var generator = SplitMix64(seed: 12)
        let ports = [RawConnection.freePort(), RawConnection.freePort()]
        let replicas = Mutex<[Process]>(try ports.map { try Self.start(rapport, port: $0, environment: environment) })
        for port in ports { try ChatCrashTests.waitUntilServing(port: port, timestamp: timestamp, log: { rapport.log("serve-\(port).log") }) }

        let users = (1...ChatCrashTests.users).map(ChatCrashTests.User.init)
        let killAfter = Int.random(in: 30...70, using: &generator)
        let victim = Int.random(in: 0...1, using: &generator)
        let acknowledged = ChatCrashTests.Counter()
        // Requests alternate between the replicas; one that gets no answer goes to the other, with
        // the same message id, as a load balancer retries.
        let talk: @Sendable (ChatCrashTests.User) -> Void = { user in
            guard let client = try? CurlHTTPClient(timeouts: .init(connect: .seconds(1), total: .seconds(10))) else { return }
            let deadline = Date().addingTimeInterval(90)
            while user.acknowledged < user.messages.count, Date() < deadline {
                let message = user.acknowledged
                var answer: (Int, String)?
                for attempt in 0..<2 {
                    let port = ports[(user.index + message + attempt) % 2]
                    answer = ChatCrashTests.post(client, port: port, user: user.index, text: user.messages[message], id: user.id(message), timestamp: timestamp)
                    if answer?.0 == 200 { break }
                }
                guard let (status, body) = answer, status == 200 else {
                    Thread.sleep(forTimeInterval: 0.05)
                    continue
                }
                user.replies.append(body)
                user.acknowledged += 1
                acknowledged.value.add(1, ordering: .relaxed)
            }
        }
        let done = DispatchGroup()
        for user in users {
            done.enter()
            Thread { talk(user); done.leave() }.start()
        }
        let deadline = Date().addingTimeInterval(60)
        while acknowledged.value.load(ordering: .relaxed) < killAfter, Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        let killed = replicas.withLock { $0[victim] }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        // Restarted a moment later, as systemd's Restart=on-failure does.
        Thread.sleep(forTimeInterval: 0.3)
        let restarted = try Self.start(rapport, port: ports[victim], environment: environment)
        replicas.withLock { $0[victim] = restarted }
        done.wait()
        for process in replicas.withLock({ $0 }) {
            process.terminate()
            process.waitUntilExit()
        }

        for user in users {
            #expect(user.acknowledged == user.messages.count, "user \(user.index) finished: \(user.acknowledged) of \(user.messages.count)")
            #expect(user.replies.last?.contains("Prep card: Person \(user.index), Tue 24 Nov 14:00") == true, "\(user.replies.last ?? "")")
        }
        // Every answered message was committed with its reply, once.
        let processed = Set(try Self.psql("SELECT id FROM processed_messages", url: url, schema: schema))
        for user in users {
            for message in 0..<user.acknowledged {
                #expect(processed.contains("web::U\(user.index)/web:\(user.id(message))"), "answered but not stored: \(user.id(message))")
            }
        }
        let meetings = try Self.psql("SELECT c.user_key FROM meetings m JOIN conversations c ON c.id = m.conversation_id", url: url, schema: schema)
        #expect(meetings.count == ChatCrashTests.users, "one meeting per user, none twice: \(meetings)")
        #expect(Set(meetings).count == ChatCrashTests.users)
        let steps = try Self.psql("SELECT count(*) || ' ' || count(DISTINCT step) FROM answers GROUP BY conversation_id", url: url, schema: schema)
        #expect(steps.count == ChatCrashTests.users)
        let expected = "\(ChatServiceTests.prepAnswers(0).count - 1) \(ChatServiceTests.prepAnswers(0).count - 1)"
        #expect(steps.allSatisfy { $0 == expected }, "each step answered once: \(steps)")
    }

    @Test func twoReplicasDeliverEachDueNudgeOnce() throws {
        let (url, schema) = try Self.teamStore()
        let sink = try LoopbackHTTPServer()
        sink.enqueue(contentsOf: Array(repeating: .slow(seconds: 0.01), count: 50))
        var rapport = RapportBinary()
        rapport.now = "2026-11-27T10:00:00+01:00"
        let config = rapport.folder.path("config.yaml")
        try """
            destinations:
              team: { kind: generic, url: "\(sink.url)/hook" }
            nudges:
              routes: { followup: team }
            server:
              token: t0ken
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["RAPPORT_CONFIG": config, "RAPPORT_STORE": url]
        // The terminal on the team store creates it (rapport hands over to rapport-server).
        let created = try rapport.run(["meetings"], extraEnvironment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        _ = try Self.psql("""
            INSERT INTO contacts (owner, name, name_key, created_at, updated_at) VALUES ('local', 'Anna Berg', 'anna berg', now(), now());
            INSERT INTO followups (contact_id, owner, kind, text, due_at, has_time, created_at)
                SELECT (SELECT id FROM contacts LIMIT 1), 'local', 'action', 'task ' || n, '2026-11-25 23:00:00+00', false, now() FROM generate_series(1, 50) n;
            DELETE FROM meta WHERE key = 'plan_fingerprint';
            """, url: url, schema: schema)

        let ports = [RawConnection.freePort(), RawConnection.freePort()]
        let replicas = try ports.map { try Self.start(rapport, port: $0, environment: environment, nudgeEvery: 1) }
        let deadline = Date().addingTimeInterval(60)
        while Set(sink.requests.compactMap { $0.headers["webhook-id"] }).count < 50, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 2.5)  // more rounds of both, which must post nothing again
        for replica in replicas {
            replica.terminate()
            replica.waitUntilExit()
            #expect(replica.terminationStatus == 0)
        }
        let keys = sink.requests.compactMap { $0.headers["webhook-id"] }
        #expect(Set(keys) == Set((1...50).map { "followup-\($0)-20261126" }))
        #expect(keys.count == 50, "each due nudge posted exactly once, not \(keys.count) posts")
        #expect(Set(keys).count == 50)
        #expect(try Self.psql("SELECT count(*) FROM outbox WHERE status = 'sent'", url: url, schema: schema) == ["50"])
    }

    /// A team store that is not there: the terminal says so in one sentence, at once.
    @Test func theTerminalOnATeamStoreThatIsNotThereSaysSoAtOnce() throws {
        let rapport = RapportBinary()
        let port = RawConnection.freePort()
        let started = Date()
        let result = try rapport.run(["followups", "--store", "postgres://rapport@127.0.0.1:\(port)/rapport?sslmode=disable"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "the driver's log stays off the output: \(result.stdout)")
        #expect(result.stderr == "rapport: cannot reach the store at postgres://rapport@127.0.0.1:\(port)/rapport: nothing answers there (connection refused); check the URL, that the server runs, and the password (store_password, PGPASSWORD or ~/.pgpass)\n")
        #expect(Date().timeIntervalSince(started) < 10, "not after the pool's retries")
    }

    @Test func theTerminalOnATeamStoreFinishesAPrepBegunInChat() throws {
        let (url, _) = try Self.teamStore()
        var rapport = RapportBinary()
        rapport.now = "2026-11-23T10:00:00+01:00"
        let config = rapport.folder.path("config.yaml")
        try "server:\n  token: t0ken\n  users: { \"web:ada\": local }\n".write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["RAPPORT_CONFIG": config, "RAPPORT_STORE": url]
        let port = RawConnection.freePort()
        let server = try Self.start(rapport, port: port, environment: environment)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let client = try CurlHTTPClient(timeouts: .init(connect: .seconds(1), total: .seconds(10)))
        func say(_ text: String) throws -> String {
            let body = Array(#"{"user":"ada","text":"\#(text)"}"#.utf8)
            return try client.post(url: "http://127.0.0.1:\(port)/v1/chat", headers: [("Authorization", "Bearer t0ken"), ("Content-Type", "application/json")], body: body).text
        }
        let deadline = Date().addingTimeInterval(30)
        while (try? say("help")) == nil, Date() < deadline, server.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        guard (try? say("help")) != nil else {
            let status = server.isRunning ? "still running" : "exited with \(server.terminationStatus)"
            Issue.record("rapport serve on port \(port) did not answer (\(status)): \(rapport.log("serve-\(port).log").suffix(2_000))")
            return
        }
        _ = try say("prep Anna Berg")
        #expect(try say("tomorrow 14:00").contains("What do you actually want"))

        let rest = ["An introduction to their CFO", "no", "She chairs the CFO network in Karlstad", "partly",
                    "I help mid-size builders cut heating costs with better windows", "A speaker for her network", "Who decides on the pilot budget?"]
        let finished = try rapport.run(["prep", "--resume"], input: Data(rest.map { $0 + "\n" }.joined().utf8), extraEnvironment: environment)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stdout.contains("What do you actually want from this meeting with Anna?"), "the terminal goes on where chat stopped: \(finished.stdout)")
        #expect(finished.stdout.contains("Saved as meeting #1"), "\(finished.stdout)")
        let listing = try rapport.run(["meetings"], extraEnvironment: environment)
        #expect(listing.stdout.contains("Anna Berg  An introduction to their CFO"), "\(listing.stdout)")
        let outbox = try rapport.run(["outbox"], extraEnvironment: environment)
        #expect(outbox.status == 0, "an admin sees the team's outbox: \(outbox.stderr)")
    }
}

struct TeamTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
