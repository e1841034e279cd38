import Foundation
import RapportCore
@testable import RapportPostgres
import RapportTestSupport
import Testing

/// What only the team store has: a URL and a password found where libpq finds them, replicas
/// that migrate a new database together, a database a newer rapport wrote, TLS when asked for.
struct PostgresStoreTests {
    // MARK: - The location

    @Test func aURLIsReadAsLibpqReadsIt() throws {
        let plain = try PostgresLocation(url: "postgres://team@db.example/rapport", environment: [:])
        #expect(plain.host == "db.example" && plain.port == 5432 && plain.user == "team" && plain.database == "rapport")
        #expect(plain.tls == .prefer, "libpq's default")
        #expect(plain.redacted == "postgres://team@db.example:5432/rapport")

        let defaults = try PostgresLocation(url: "postgresql://db.example:6543", environment: ["PGUSER": "ops"])
        #expect(defaults.user == "ops" && defaults.database == "ops" && defaults.port == 6543)

        for (mode, expected) in [("disable", PostgresLocation.TLSMode.disable), ("require", .require), ("verify-ca", .require), ("verify-full", .verifyFull)] {
            #expect(try PostgresLocation(url: "postgres://u@h/d?sslmode=\(mode)", environment: [:]).tls == expected)
        }
        #expect(try PostgresLocation(url: "postgres://u@h/d", environment: ["PGSSLMODE": "require"]).tls == .require)
        #expect(throws: PostgresStoreError.invalidLocation("sslmode 'sometimes' is not one of disable, prefer, require, verify-full")) {
            try PostgresLocation(url: "postgres://u@h/d?sslmode=sometimes", environment: [:])
        }
        #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: "mysql://u@h/d", environment: [:]) }
    }

    @Test func aPasswordInTheURLIsRefusedWithoutBeingRepeated() {
        do {
            _ = try PostgresLocation(url: "postgres://team:hunter2@db.example/rapport", environment: [:])
            Issue.record("a password in the URL was accepted")
        } catch {
            #expect("\(error)".contains("store_password"))
            #expect(!"\(error)".contains("hunter2"), "the refusal repeats the secret: \(error)")
        }
    }

    @Test func thePasswordComesFromTheConfigThenPGPASSWORDThenThePasswordFile() throws {
        let folder = TemporaryDirectory()
        let file = folder.path("pgpass")
        try """
            # host:port:database:user:password
            other.example:5432:rapport:team:wrong
            db.example:*:rapport:team:pa\\:ss\\\\word
            *:*:*:*:fallback
            """.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let url = "postgres://team@db.example:5433/rapport"
        #expect(try PostgresLocation(url: url, password: "configured", environment: ["PGPASSWORD": "env", "PGPASSFILE": file]).password == "configured")
        #expect(try PostgresLocation(url: url, environment: ["PGPASSWORD": "env", "PGPASSFILE": file]).password == "env")
        #expect(try PostgresLocation(url: url, environment: ["PGPASSFILE": file]).password == "pa:ss\\word", "the first matching line, escapes read")
        #expect(try PostgresLocation(url: "postgres://x@elsewhere/y", environment: ["PGPASSFILE": file]).password == "fallback")

        // As libpq: a password file others can read is ignored.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(try PostgresLocation(url: url, environment: ["PGPASSFILE": file]).password == nil)
    }

    // MARK: - Against the test cluster

    @Test func eightReplicasOpeningANewDatabaseTogetherMigrateItOnce() async throws {
        let location = try Adapter.postgresLocation()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<8 { group.addTask { try await PostgresStore.open(location, planner: Contract.planner(), connections: 2) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 8, "every replica opened the store")
        let applied = try await stores[0].read { connection in
            try await connection.rows("SELECT identifier FROM rapport_migrations", stores[0].logger).map { try $0.value("identifier", as: String.self) }
        }
        #expect(applied.sorted() == PostgresStore.migrations.map(\.identifier).sorted(), "each migration once")
    }

    @Test func aDatabaseANewerRapportMigratedIsRefusedUnchanged() async throws {
        let location = try Adapter.postgresLocation()
        let store = try await PostgresStore.open(location, planner: Contract.planner(), connections: 2)
        _ = try await store.transaction { connection in
            try await connection.run("INSERT INTO rapport_migrations (identifier) VALUES ('v99: from a later rapport')", store.logger)
        }
        await #expect(throws: PostgresStoreError.newerStore(location: location.redacted)) {
            _ = try await PostgresStore.open(location, planner: Contract.planner(), connections: 2)
        }
        let count = try await store.read { connection in
            try await connection.row("SELECT count(*) AS n FROM rapport_migrations", store.logger)?.value("n", as: Int64.self)
        }
        #expect(count == Int64(PostgresStore.migrations.count + 1), "nothing was migrated or removed")
    }

    @Test func tlsIsRequiredWhenTheURLAsksAndPreferredOtherwise() async throws {
        // The test cluster has no certificate: `require` must refuse it, `prefer` go on in plain text.
        var location = try Adapter.postgresLocation()
        location.tls = .require
        do {
            _ = try await PostgresStore.open(location, planner: Contract.planner(), connections: 1)
            Issue.record("sslmode=require connected to a server without TLS")
        } catch {
            #expect("\(error)".hasPrefix("cannot reach the store at \(location.redacted)"), "\(error)")
        }
        location.tls = .prefer
        _ = try await PostgresStore.open(location, planner: Contract.planner(), connections: 1)
    }

    // MARK: - Answers committed together

    /// Thirty people's answers at once, and one among them PostgreSQL cannot store (a NUL in
    /// text): they go as batches, the unstorable one fails alone, and every other is stored
    /// with its own time, to the microsecond, as a lone answer is.
    @Test func answersArrivingTogetherGoAsBatchesAndOneThatCannotBeStoredFailsAlone() async throws {
        let store = try await PostgresStore.open(try Adapter.postgresLocation(), planner: Contract.planner(), connections: 4)
        let now = Contract.now
        let people = (0..<30).map { UserKey(platform: .mattermost, user: "u\($0)") }
        var started: [StoredConversation] = []
        for person in people {
            guard case .committed(let conversation, _) = try await store.start(ConversationStart(owner: person, channel: .chat(.mattermost), state: Contract.openPrep(), answers: [], now: now)) else {
                throw ContractFailure("did not start")
            }
            started.append(conversation)
        }
        let unstorable = 17
        func turn(_ index: Int) -> TurnCommit {
            var state = started[index].state
            state.currentStep = "goal"
            let raw = index == unstorable ? "a NUL \u{0} here" : "answer \(index)"
            return TurnCommit(
                conversationID: started[index].id, owner: people[index], readVersion: 1, channel: .chat(.mattermost), state: state,
                answers: [RecordedAnswer(stepID: "when", slot: nil, raw: raw, value: nil, weak: false)], now: now.addingTimeInterval(Double(index) * 0.000_001 + 0.5))
        }
        let turns = people.indices.map(turn)
        let outcomes = await withTaskGroup(of: (Int, Result<CommitResult, any Error>).self) { group in
            for index in people.indices {
                group.addTask {
                    do { return (index, .success(try await store.commit(turns[index]))) } catch { return (index, .failure(error)) }
                }
            }
            return await group.reduce(into: [Int: Result<CommitResult, any Error>]()) { $0[$1.0] = $1.1 }
        }
        let sent = store.answerBatches.sent
        #expect(sent.largest > 1 && sent.batches < people.count, "some answers went together: \(sent)")
        for index in people.indices {
            let stored = try #require(try await store.conversation(id: started[index].id))
            if index == unstorable {
                guard case .failure(let error)? = outcomes[index] else {
                    Issue.record("the unstorable answer was not refused: \(String(describing: outcomes[index]))")
                    continue
                }
                #expect(error is PostgresStoreError, "said as the store's error: \(error)")
                let answers = try await store.answers(conversationID: stored.id)
                #expect(stored.version == 1 && answers.isEmpty, "nothing of it is written")
            } else {
                guard case .success(.committed)? = outcomes[index] else {
                    Issue.record("#\(index) did not commit: \(String(describing: outcomes[index]))")
                    continue
                }
                #expect(stored.version == 2 && stored.state.currentStep == "goal")
                #expect(stored.updatedAt == turns[index].now.roundedToPostgresMicroseconds, "#\(index)'s own time")
                #expect(try await store.answers(conversationID: stored.id).map(\.raw) == ["answer \(index)"])
            }
        }
    }

    @Test func aServerThatIsNotThereIsSaidInOneSentence() async throws {
        let port = RawConnection.freePort()
        let location = try PostgresLocation(url: "postgres://rapport@127.0.0.1:\(port)/rapport?sslmode=disable", environment: [:])
        do {
            _ = try await PostgresStore.open(location, planner: Contract.planner(), connections: 1)
            Issue.record("opened a store on a closed port")
        } catch {
            #expect("\(error)".hasPrefix("cannot reach the store at postgres://rapport@127.0.0.1:\(port)/rapport"), "\(error)")
            #expect(!"\(error)".contains("\n"), "one sentence: \(error)")
            #expect("\(error)".contains("nothing answers there (connection refused)"), "\(error)")
        }
        // How long it takes is measured on the binary (TeamDeploymentTests), where a busy test
        // pool cannot add its own waits.
    }
}

private extension Date {
    /// The instant PostgreSQL keeps of a date PostgresNIO binds: whole microseconds since 2000.
    var roundedToPostgresMicroseconds: Date {
        let start = Date(timeIntervalSince1970: 946_684_800)
        return start.addingTimeInterval(Double(Int64(timeIntervalSince(start) * 1_000_000)) / 1_000_000)
    }
}
