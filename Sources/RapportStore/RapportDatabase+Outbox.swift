import Foundation
import GRDB
import RapportCore

extension RapportDatabase {
    /// Puts messages in the outbox; a key already there is left as it is, so enqueuing the same
    /// nudge twice (a rerun, a crash between enqueue and send) never makes a second message.
    /// Returns how many were new.
    @discardableResult
    public func enqueue(_ drafts: [OutboxDraft], now: Date) throws(StoreError) -> Int {
        try write { db in try Self.enqueue(drafts, now: now, db) }
    }

    static func enqueue(_ drafts: [OutboxDraft], now: Date, _ db: Database) throws -> Int {
        var added = 0
        for draft in drafts {
            // Looked up first: INSERT OR IGNORE would still use up an id, and ids are what users type.
            if try OutboxRecord.filter(OutboxRecord.Columns.key == draft.key).fetchCount(db) > 0 { continue }
            var record = OutboxRecord(
                id: nil, key: draft.key, destination: draft.destination, kind: draft.kind, payload: draft.payload, dueAt: draft.dueAt,
                attempts: 0, nextAttemptAt: draft.dueAt, status: OutboxEntry.Status.pending.rawValue, lastError: nil, sentAt: nil,
                createdAt: now)
            try record.insert(db)
            added += 1
        }
        return added
    }

    /// Makes the outbox match a fresh plan in one transaction: new keys are added, and pending
    /// messages the plan no longer calls for are cancelled. Sent and dead ones stay as they are.
    public func syncOutbox(_ drafts: [OutboxDraft], now: Date) throws(StoreError) -> (added: Int, cancelled: Int) {
        try write { db in try Self.syncOutbox(drafts, now: now, db) }
    }

    static func syncOutbox(_ drafts: [OutboxDraft], now: Date, _ db: Database) throws -> (added: Int, cancelled: Int) {
        let added = try Self.enqueue(drafts, now: now, db)
        let keys = Set(drafts.map(\.key))
        let stale = try OutboxRecord.filter(OutboxRecord.Columns.status == OutboxEntry.Status.pending.rawValue).fetchAll(db)
            .filter { !keys.contains($0.key) }
        for var record in stale {
            record.status = OutboxEntry.Status.cancelled.rawValue
            try record.update(db)
        }
        return (added, stale.count)
    }

    /// Pending messages whose next attempt has come, oldest first.
    public func dueOutbox(now: Date, limit: Int = 1000) throws(StoreError) -> [OutboxEntry] {
        try read { db in
            try OutboxRecord.filter(OutboxRecord.Columns.status == OutboxEntry.Status.pending.rawValue && OutboxRecord.Columns.nextAttemptAt <= now)
                .order(OutboxRecord.Columns.nextAttemptAt, Column("id")).limit(limit).fetchAll(db).map(\.entry)
        }
    }

    /// The outbox, newest first; by default what is not yet sent.
    public func outbox(statuses: Set<OutboxEntry.Status> = [.pending, .dead]) throws(StoreError) -> [OutboxEntry] {
        try read { db in
            try OutboxRecord.filter(statuses.map(\.rawValue).contains(OutboxRecord.Columns.status))
                .order(Column("id").desc).fetchAll(db).map(\.entry)
        }
    }

    /// Records a successful delivery.
    public func markSent(outboxID: Int64, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?", arguments: [now, outboxID])
        }
    }

    /// Records a failed attempt and when to try again.
    public func markFailed(outboxID: Int64, error: String, nextAttempt: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?", arguments: [error, nextAttempt, outboxID])
        }
    }

    /// Gives up on a message: refused for good, or out of attempts.
    public func markDead(outboxID: Int64, error: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?", arguments: [error, outboxID])
        }
    }

    /// Puts a dead (or waiting) message back to be sent at the next delivery, with fresh attempts.
    /// Returns nil when there is no such message; a sent one is left alone.
    public func retryOutbox(id: Int64, now: Date) throws(StoreError) -> OutboxEntry? {
        try write { db in
            guard var record = try OutboxRecord.fetchOne(db, key: id) else { return nil }
            guard record.status != OutboxEntry.Status.sent.rawValue else { return record.entry }
            record.status = OutboxEntry.Status.pending.rawValue
            record.attempts = 0
            record.nextAttemptAt = now
            try record.update(db)
            return record.entry
        }
    }
}
