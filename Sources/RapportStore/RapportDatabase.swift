import Foundation
import GRDB
import RapportCore

/// The store: one SQLite file through GRDB, migrated when opened. WAL with synchronous=FULL, so
/// an answer that was acknowledged survives a crash; the file is readable by its owner only.
public struct RapportDatabase: Sendable {
    /// The user key of the person at the terminal, who owns the store; chat users mapped to it
    /// (`server.users`) are the same person.
    public static let localProfile = "local"
    let writer: any DatabaseWriter
    /// The file path, or ":memory:" for tests; used in error messages.
    public let path: String
    /// The nudges the records call for. When set, every change to meetings, follow-ups, contacts
    /// or interactions brings the outbox in step in the same transaction, so a nudge is written
    /// with whatever caused it.
    public var nudgePlan: NudgePlan?
    /// Whether reads and writes join the transaction `inOneTransaction` has open, as savepoints,
    /// instead of each running a transaction of its own. See `joiningOpenTransactions()`.
    private var joinsOpenTransaction = false

    /// Wraps an open database and brings its schema up to date.
    init(_ writer: any DatabaseWriter, path: String) throws {
        self.writer = writer
        self.path = path
        try Self.migrator.migrate(writer)
    }

    /// An empty in-memory store with the full schema, for tests.
    public static func inMemory() throws -> RapportDatabase {
        try RapportDatabase(DatabaseQueue(configuration: configuration), path: ":memory:")
    }

    /// Opens (creating when missing) the store file at `path`. Refuses, without writing anything,
    /// a file that is not an SQLite database or that cannot be written.
    ///
    /// - Parameter concurrentReads: a pool of reader connections beside the writer, for a server;
    ///   a command-line run uses one connection, which opens faster.
    public static func open(path: String, concurrentReads: Bool = false) throws(StoreError) -> RapportDatabase {
        let fileManager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !fileManager.fileExists(atPath: directory) {
            do {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .cannotCreateDirectory(path: path, reason: Self.reason(error))
            }
        }
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw .cannotOpen(path: path, reason: "it is a folder, not a file") }
            guard fileManager.isWritableFile(atPath: path) else { throw .notWritable(path: path) }
            guard Self.looksLikeSQLite(path) else { throw .notADatabase(path: path) }
        } else {
            // Create it owner-only first: SQLite gives its -wal and -shm files the same mode.
            let descriptor = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                if errno == EACCES || errno == EROFS { throw .notWritable(path: path) }
                throw .cannotOpen(path: path, reason: reason)
            }
            close(descriptor)
        }
        do {
            let writer: any DatabaseWriter = concurrentReads
                ? try DatabasePool(path: path, configuration: configuration)
                : try DatabaseQueue(path: path, configuration: singleConnectionConfiguration)
            return try RapportDatabase(writer, path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw .notADatabase(path: path)
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // FULL: in WAL mode, NORMAL may lose the last commits on power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// One connection in WAL mode. WAL is set here rather than through GRDB's `journalMode`,
    /// which would lower synchronous to NORMAL after `prepareDatabase` has raised it.
    static var singleConnectionConfiguration: Configuration {
        var configuration = configuration
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// An empty file is fine (SQLite initialises it); anything else must carry SQLite's header.
    private static func looksLikeSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header.isEmpty || header == Data("SQLite format 3\0".utf8)
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return (error as NSError).localizedDescription
    }

    /// The records a nudge plan reads.
    public struct NudgeRecords: Sendable {
        public var meetings: [Meeting]
        public var followUps: [FollowUp]
        public var contacts: [Contact]
        public var interactions: [Interaction]
    }

    /// Plans the outbox rows for the records at a moment.
    public typealias NudgePlan = @Sendable (NudgeRecords, Date) throws -> [OutboxDraft]

    /// Inside a write: re-plans the nudges and syncs the outbox with them.
    func syncNudges(_ db: Database, now: Date) throws {
        guard let nudgePlan else { return }
        let records = NudgeRecords(
            meetings: try Self.allMeetings(db), followUps: try Self.allFollowUps(db), contacts: try Self.allContacts(db),
            interactions: try Self.allInteractions(db))
        _ = try Self.syncOutbox(try nudgePlan(records, now), now: now, db)
    }

    /// Runs a write transaction (a savepoint when joining an open one), turning database
    /// errors into `StoreError`.
    func write<T>(_ updates: (Database) throws -> T) throws(StoreError) -> T {
        do {
            guard joinsOpenTransaction else { return try writer.write(updates) }
            return try writer.unsafeReentrantWrite { db in
                var result: T?
                try db.inSavepoint {
                    result = try updates(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw .failed(path: path, reason: Self.reason(error))
        }
    }

    /// Runs a read, turning database errors into `StoreError`. Joining an open transaction, it
    /// reads on the writer's connection, so it sees what that transaction has written so far.
    func read<T>(_ value: (Database) throws -> T) throws(StoreError) -> T {
        do {
            guard joinsOpenTransaction else { return try writer.read(value) }
            return try writer.unsafeReentrantWrite(value)
        } catch {
            throw .failed(path: path, reason: Self.reason(error))
        }
    }

    // MARK: - Group commit

    /// The same store, whose reads and writes join the transaction that `inOneTransaction` has
    /// open (each write a savepoint inside it). Outside such a transaction they work as usual.
    public func joiningOpenTransactions() -> RapportDatabase {
        var joined = self
        joined.joinsOpenTransaction = true
        return joined
    }

    /// Runs `body` inside one write transaction, committed (one fsync) when it returns. The store
    /// calls `body` makes through a `joiningOpenTransactions()` store become part of it: this is
    /// how a server commits many users' turns at once. Nothing is durable until this returns.
    public func inOneTransaction<T>(_ body: () -> T) throws(StoreError) -> T {
        try write { _ in body() }
    }

    /// Inside `inOneTransaction`: keeps what `body` wrote when it succeeds and undoes it when it
    /// fails, leaving the rest of the transaction alone.
    public func savepoint<T, Failure: Error>(_ body: () -> Result<T, Failure>) throws(StoreError) -> Result<T, Failure> {
        do {
            return try writer.unsafeReentrantWrite { db in
                var outcome: Result<T, Failure>?
                try db.inSavepoint {
                    let result = body()
                    outcome = result
                    if case .success = result { return .commit } else { return .rollback }
                }
                return outcome!
            }
        } catch {
            throw .failed(path: path, reason: Self.reason(error))
        }
    }

    /// The pragmas in force, for tests and `rapport doctor`-style checks: journal mode and synchronous level.
    public func durabilitySettings() throws(StoreError) -> (journalMode: String, synchronous: Int) {
        try read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }
}
