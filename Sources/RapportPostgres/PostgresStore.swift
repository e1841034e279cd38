import Foundation
import Logging
import NIOSSL
import PostgresNIO
import RapportCore
import Synchronization

/// The team store: PostgreSQL through PostgresNIO, the adapter of all three store ports for a
/// deployment with several `rapport serve` replicas on one database. One writer wins by
/// versioned updates, a chat message is claimed by a unique insert, due nudges are leased with
/// `FOR UPDATE SKIP LOCKED`, and migrations run under an advisory lock, so replicas starting
/// together migrate once. Only `rapport-server` links it: `rapport` never links SwiftNIO.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    public let location: PostgresLocation
    let planner: any NudgePlanning
    let logger: Logger
    /// Plain answers from many people at once, committed together.
    let answerBatches = AnswerBatches()
    private let running: Task<Void, Never>
    /// Set just before `client.run()`, which marks the pool running before it first suspends.
    private let started = StartedFlag()

    private init(client: PostgresClient, location: PostgresLocation, planner: any NudgePlanning, logger: Logger) {
        self.client = client
        self.location = location
        self.planner = planner
        self.logger = logger
        let started = self.started
        running = Task {
            started.value.store(true, ordering: .releasing)
            await client.run()
        }
    }

    /// Waits (a bounded number of yields) for the pool's run task, so the first query does not
    /// find the pool not yet running and log a warning about it.
    private func poolStarted() async {
        for _ in 0..<10_000 where !started.value.load(ordering: .acquiring) {
            await Task.yield()
        }
    }

    deinit {
        running.cancel()
    }

    /// Connects (a pool of up to `connections`), migrates and returns the store. Refuses, without
    /// writing anything, a database a newer rapport migrated.
    public static func open(
        _ location: PostgresLocation, planner: any NudgePlanning, connections: Int = 20, logger: Logger = Logger(label: "rapport.postgres")
    ) async throws -> PostgresStore {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database,
            tls: try tls(location.tls))
        configuration.options.maximumConnections = connections
        configuration.options.connectTimeout = .seconds(10)
        if let schema = location.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        try await probe(location, logger: logger)
        let store = PostgresStore(client: PostgresClient(configuration: configuration, backgroundLogger: logger), location: location, planner: planner, logger: logger)
        await store.poolStarted()
        do {
            try await store.migrate()
        } catch {
            throw store.failure(error, connecting: true)
        }
        return store
    }

    /// One connection first, alone: a server that is not there, that refuses TLS or the password
    /// is said at once in its own words, rather than after the pool has retried for a minute.
    private static func probe(_ location: PostgresLocation, logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database,
            tls: try connectionTLS(location.tls))
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw PostgresStoreError.unreachable(location: location.redacted, reason: reason(connecting: error))
        }
    }

    /// Why a connection could not be made, in words (never the password).
    static func reason(connecting error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            switch error.code {
            case .sslUnsupported: return "the server does not offer TLS, which sslmode asks for"
            case .connectionError:
                // NIO's wording ("SingleConnectionFailure(target: …, error: connection reset
                // (error set): Connection refused) (errno: 111))") said as a person would.
                let detail = error.underlying.map { "\($0)" } ?? ""
                if detail.contains("Connection refused") { return "nothing answers there (connection refused)" }
                if detail.lowercased().contains("timeout") || detail.contains("timed out") { return "no answer within 10 seconds" }
                if detail.contains("resolve") || detail.contains("NXDOMAIN") || detail.contains("No address") { return "the host name does not resolve" }
                return detail.isEmpty ? "the connection failed" : detail
            default: return "\(error.code)"
            }
        }
        return "\(error)"
    }

    private static func connectionTLS(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            return mode == .prefer ? .prefer(try NIOSSLContext(configuration: configuration)) : .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration()))
        }
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer, .require:
            // As libpq's `prefer` and `require`: encrypted, whoever's certificate it is.
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            return mode == .prefer ? .prefer(configuration) : .require(configuration)
        case .verifyFull:
            return .require(TLSConfiguration.makeClientConfiguration())
        }
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Reads and writes

    /// Work on one pooled connection, outside a transaction (a write that needs none, too).
    @discardableResult
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw failure(error)
        }
    }

    /// Work in one transaction, committed when `body` returns and rolled back when it throws;
    /// the error thrown is `body`'s own.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return value
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            throw failure(error)
        }
    }

    /// A database error said as the store's, with the server's own message (never a value).
    func failure(_ error: any Error, connecting: Bool = false) -> any Error {
        if error is PostgresStoreError || error is StoreContractError || error is any RollingBack || error is CancellationError { return error }
        if connecting || Self.isPoolError(error) {
            return PostgresStoreError.unreachable(location: location.redacted, reason: Self.reason(connecting: error))
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return PostgresStoreError.failed(location: location.redacted, reason: message)
            }
            return PostgresStoreError.unreachable(location: location.redacted, reason: "\(error.code)")
        }
        return connecting
            ? PostgresStoreError.unreachable(location: location.redacted, reason: "\(error)")
            : PostgresStoreError.failed(location: location.redacted, reason: "\(error)")
    }

    /// The pool giving up on connecting (its circuit breaker): the server is gone. Known by its
    /// type's name, as the type lives in PostgresNIO's underscored `_ConnectionPoolModule`.
    static func isPoolError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasSuffix(".ConnectionPoolError")
    }

    /// Whether an error is the server refusing a second row with the same key.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

/// Thrown inside a transaction to roll it back and tell the caller why (a stale version, a
/// message already claimed): not a failure, so it passes through as it is.
protocol RollingBack: Error {}

/// A refusal of the store's own (not the database's), in one sentence.
public struct StoreContractError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension PostgresConnection {
    /// Every row of a query, by column name.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    /// A prepared statement's rows (it is prepared on the connection's first use of it).
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement, _ logger: Logger) async throws -> [PostgresRandomAccessRow]
    where Statement.Row == PostgresRow {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.execute(statement, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    func row(_ query: PostgresQuery, _ logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger).first
    }

    /// Runs a statement; how many rows it changed is the count of what its `RETURNING` gives.
    @discardableResult
    func run(_ query: PostgresQuery, _ logger: Logger) async throws -> Int {
        var count = 0
        for try await _ in try await self.query(query, logger: logger) { count += 1 }
        return count
    }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

/// A flag shared with the pool's run task.
private final class StartedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
