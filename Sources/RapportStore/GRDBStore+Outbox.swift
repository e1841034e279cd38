import Foundation
import GRDB
import RapportCore

extension GRDBStore: OutboxQueue {
    public func claimDue(now: Date, lease: Duration, limit: Int, claimant: String, excluding: Set<String>) async throws -> [OutboxEntry] {
        let until = now.addingTimeInterval(RetrySchedule.seconds(lease))
        let excluded = excluding.sorted()
        return try await write { db in
            // One write transaction: no other deliverer can lease the same rows in between.
            let marks = excluded.isEmpty ? "" : "AND destination NOT IN (" + Array(repeating: "?", count: excluded.count).joined(separator: ", ") + ")"
            var arguments: StatementArguments = [until, claimant, now, now, now]
            arguments += StatementArguments(excluded)
            arguments += [limit]
            let rows = try Row.fetchAll(db, sql: """
                UPDATE outbox SET lease_until = ?, claimant = ?
                WHERE id IN (
                    SELECT id FROM outbox INDEXED BY outbox_pending
                    WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                        AND destination NOT IN (SELECT destination FROM destination_holds WHERE until > ?) \(marks)
                    ORDER BY next_attempt_at, id LIMIT ?)
                RETURNING *
                """, arguments: arguments)
            return rows.map(StoreRows.outboxEntry).sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
        }
    }

    public func settle(_ id: Int64, claimant: String, as settlement: OutboxSettlement, now: Date) async throws {
        try await write { db in
            switch settlement {
            case .sent:
                try db.execute(sql: """
                    UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, lease_until = NULL, claimant = NULL
                    WHERE id = ? AND claimant = ?
                    """, arguments: [now, id, claimant])
            case .retry(let next, let error, let counts):
                try db.execute(sql: """
                    UPDATE outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ?, lease_until = NULL, claimant = NULL
                    WHERE id = ? AND claimant = ?
                    """, arguments: [counts ? 1 : 0, error, next, id, claimant])
            case .dead(let error):
                try db.execute(sql: """
                    UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?, lease_until = NULL, claimant = NULL
                    WHERE id = ? AND claimant = ?
                    """, arguments: [error, id, claimant])
            }
        }
    }

    public func release(_ ids: [Int64], claimant: String) async throws {
        guard !ids.isEmpty else { return }
        try await write { db in
            for id in ids {
                try db.execute(sql: "UPDATE outbox SET lease_until = NULL, claimant = NULL WHERE id = ? AND claimant = ?", arguments: [id, claimant])
            }
        }
    }

    public func hold(destination: String, until: Date, reason: String) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO destination_holds (destination, until, reason) VALUES (?, ?, ?)
                ON CONFLICT (destination) DO UPDATE SET until = MAX(until, excluded.until), reason = excluded.reason
                """, arguments: [destination, until, reason])
        }
    }

    public func holds(now: Date) async throws -> [DestinationHold] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM destination_holds WHERE until > ? ORDER BY destination", arguments: [now]).map { row in
                DestinationHold(destination: row["destination"], until: row["until"], reason: row["reason"])
            }
        }
    }

    public func due(now: Date, limit: Int) async throws -> [OutboxEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM outbox INDEXED BY outbox_pending
                WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                ORDER BY next_attempt_at, id LIMIT ?
                """, arguments: [now, now, limit]).map(StoreRows.outboxEntry)
        }
    }

    public func entries(statuses: Set<OutboxEntry.Status>, limit: Int) async throws -> [OutboxEntry] {
        try await read { db in
            let marks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
            var arguments = StatementArguments(statuses.map(\.rawValue).sorted())
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE status IN (\(marks)) ORDER BY id DESC LIMIT ?", arguments: arguments)
                .map(StoreRows.outboxEntry)
        }
    }

    public func retry(id: Int64, now: Date) async throws -> OutboxEntry? {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]) else { return nil }
            let entry = StoreRows.outboxEntry(row)
            guard entry.status != .sent else { return entry }
            try db.execute(sql: """
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL, claimant = NULL WHERE id = ?
                """, arguments: [now, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(StoreRows.outboxEntry)
        }
    }
}
