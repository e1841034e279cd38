import Foundation
import GRDB
import RapportCore

/// Commits the conversation turns that arrive together in one transaction, one savepoint each.
/// A chat server gets many turns at once, and one fsync per turn would cap it at the disk's
/// commit rate; turns that arrive while a group is being written wait, and the next group takes
/// them all. Each turn's result is given only after the commit that made it durable; a turn that
/// fails is undone alone, and when the commit itself fails every turn of the group fails.
final class GroupCommitter: @unchecked Sendable {
    // @unchecked: `waiting`, `writing` and `lastPruned` are only touched under `lock`.
    typealias Work = @Sendable (Database) throws -> CommitResult

    private struct Waiting {
        var work: Work
        var now: Date
        var continuation: CheckedContinuation<Result<CommitResult, any Error>, Never>
    }

    /// The most turns committed together; more would only make the first of them wait longer.
    static let largestGroup = 256
    /// How long a chat message's id is remembered for its retries: Standard Webhooks' example
    /// schedule retries for about 76 hours, Svix's for about 28.
    static let rememberMessagesFor: TimeInterval = 4 * 24 * 3600

    private let writer: any DatabaseWriter
    private let lock = NSLock()
    private var waiting: [Waiting] = []
    private var writing = false
    private var lastPruned = Date.distantPast

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Runs `work` inside the next group's transaction and returns once that transaction is committed.
    func commit(now: Date, _ work: @escaping Work) async throws -> CommitResult {
        let result = await withCheckedContinuation { continuation in
            let start = lock.withLock {
                waiting.append(Waiting(work: work, now: now, continuation: continuation))
                guard !writing else { return false }
                writing = true
                return true
            }
            if start { Task.detached { await self.writeGroups() } }
        }
        return try result.get()
    }

    private func nextGroup() -> [Waiting]? {
        lock.withLock {
            guard !waiting.isEmpty else {
                writing = false
                return nil
            }
            let group = Array(waiting.prefix(Self.largestGroup))
            waiting.removeFirst(group.count)
            return group
        }
    }

    private func writeGroups() async {
        while let group = nextGroup() {
            let now = group.map(\.now).max() ?? Date()
            let prune = lock.withLock { () -> Bool in
                guard now.timeIntervalSince(lastPruned) > 3600 else { return false }
                lastPruned = now
                return true
            }
            let works = group.map(\.work)
            let outcome = await Result(awaiting: { () async throws -> [Result<CommitResult, any Error>] in
                try await writer.write { db in
                    if prune {
                        try db.execute(sql: "DELETE FROM processed_messages WHERE created_at < ?", arguments: [now.addingTimeInterval(-Self.rememberMessagesFor)])
                    }
                    return works.map { work in Self.inSavepoint(db, work) }
                }
            })
            switch outcome {
            case .success(let results):
                for (entry, result) in zip(group, results) { entry.continuation.resume(returning: result) }
            case .failure(let error):
                for entry in group { entry.continuation.resume(returning: .failure(error)) }
            }
        }
    }

    /// One turn in a savepoint of its own: kept when it succeeds, undone when it throws.
    private static func inSavepoint(_ db: Database, _ work: Work) -> Result<CommitResult, any Error> {
        var result: Result<CommitResult, any Error> = .failure(CancellationError())
        do {
            try db.inSavepoint {
                result = Result { try work(db) }
                if case .success = result { return .commit } else { return .rollback }
            }
        } catch {
            result = .failure(error)
        }
        return result
    }
}

extension Result where Failure == any Error {
    init(awaiting body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
