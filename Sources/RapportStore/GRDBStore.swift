import Foundation
import GRDB
import RapportCore

/// The embedded store: one SQLite file through GRDB, and the adapter of all three store ports.
/// WAL with synchronous=FULL, so an acknowledged answer survives a crash; the file is readable by
/// its owner only. Opening migrates under a lock shared by every process, and refuses a store a
/// newer rapport wrote.
public struct GRDBStore: Sendable {
    let writer: any DatabaseWriter
    /// The file path, or ":memory:" for tests; used in error messages.
    public let path: String
    /// Plans the nudges (and keep-in-touch dates) of every record the store writes.
    let planner: any NudgePlanning
    /// Commits the conversation turns that arrive together in one transaction.
    let turns: GroupCommitter

    init(_ writer: any DatabaseWriter, path: String, planner: any NudgePlanning) throws {
        self.writer = writer
        self.path = path
        self.planner = planner
        self.turns = GroupCommitter(writer: writer)
        try Self.migrate(writer, path: path)
    }

    /// An empty in-memory store with the full schema, for tests.
    public static func inMemory(planner: any NudgePlanning) throws -> GRDBStore {
        try GRDBStore(DatabaseQueue(configuration: configuration), path: ":memory:", planner: planner)
    }

    /// Opens (creating when missing) the store file at `path`. Refuses, without writing anything,
    /// a file that is not an SQLite database, that cannot be written, or that a newer rapport wrote.
    ///
    /// - Parameter concurrentReads: a pool of reader connections beside the writer, for a server;
    ///   a command-line run uses one connection, which opens faster.
    public static func open(path: String, planner: any NudgePlanning, concurrentReads: Bool = false) throws -> GRDBStore {
        let fileManager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !fileManager.fileExists(atPath: directory) {
            do {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotCreateDirectory(path: path, reason: Self.reason(error))
            }
        }
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw StoreError.cannotOpen(path: path, reason: "it is a folder, not a file") }
            guard fileManager.isWritableFile(atPath: path) else { throw StoreError.notWritable(path: path) }
            guard Self.looksLikeSQLite(path) else { throw StoreError.notADatabase(path: path) }
        } else {
            // Create it owner-only first: SQLite gives its -wal and -shm files the same mode.
            // Another process creating it at the same moment is fine (EEXIST).
            let descriptor = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            if descriptor >= 0 {
                close(descriptor)
            } else if errno != EEXIST {
                if errno == EACCES || errno == EROFS { throw StoreError.notWritable(path: path) }
                throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
        }
        do {
            // Opening takes turns with other processes (a lock file beside the store): switching a
            // new file to WAL needs it alone, and so does migrating. It is held only while opening.
            return try FileLock.holding(path + ".lock") {
                let writer: any DatabaseWriter = concurrentReads
                    ? try DatabasePool(path: path, configuration: configuration)
                    : try DatabaseQueue(path: path, configuration: singleConnectionConfiguration)
                return try GRDBStore(writer, path: path, planner: planner)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.reason(error))
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

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
            // The extended code says which I/O call failed (a read, an fsync, a lock), where
            // the message says only "disk I/O error".
            guard error.extendedResultCode != error.resultCode else { return message }
            return "\(message) (SQLite extended code \(error.extendedResultCode.rawValue))"
        }
        if let error = error as? StoreError { return error.description }
        return (error as NSError).localizedDescription
    }

    // MARK: - Migrations

    /// Brings the schema up to date, refusing a store with a migration this build does not know
    /// before anything is written. GRDB's migrator reads which migrations are applied and then runs
    /// each in its own transaction, so two processes opening a new store at once could both run
    /// the first one: `open` holds a lock file while it does this.
    static func migrate(_ writer: any DatabaseWriter, path: String) throws {
        let known = Set(migrator.migrations)
        let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        guard applied.isSubset(of: known) else { throw StoreError.newerStore(path: path) }
        if applied != known { try migrator.migrate(writer) }
    }

    // MARK: - Reads and writes

    /// A read, with database errors said as the store's.
    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(value)
        } catch {
            throw failure(error)
        }
    }

    /// A write transaction, with database errors said as the store's.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch {
            throw failure(error)
        }
    }

    func failure(_ error: any Error) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        return StoreError.failed(path: path, reason: Self.reason(error))
    }

    /// The pragmas in force, for tests: journal mode and synchronous level.
    public func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }
}
