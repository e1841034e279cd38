import Foundation
import PostgresNIO
import RapportCore

extension PostgresStore: OutboxQueue {
    public func claimDue(now: Date, lease: Duration, limit: Int, claimant: String, excluding: Set<String>) async throws -> [OutboxEntry] {
        let until = now.addingTimeInterval(RetrySchedule.seconds(lease))
        let excluded = excluding.sorted()
        let logger = self.logger
        return try await transaction { connection in
            // SKIP LOCKED: replicas delivering at once each take rows the others are not taking.
            try await connection.rows("""
                UPDATE outbox SET lease_until = \(until), claimant = \(claimant)
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE status = 'pending' AND next_attempt_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                        AND destination NOT IN (SELECT destination FROM destination_holds WHERE until > \(now)) AND NOT (destination = ANY(\(excluded)))
                    ORDER BY next_attempt_at, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """, logger).map(PostgresRows.outboxEntry).sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
        }
    }

    public func settle(_ id: Int64, claimant: String, as settlement: OutboxSettlement, now: Date) async throws {
        let logger = self.logger
        try await read { connection in
            switch settlement {
            case .sent:
                try await connection.run("""
                    UPDATE outbox SET status = 'sent', sent_at = \(now), attempts = attempts + 1, last_error = NULL, lease_until = NULL, claimant = NULL
                    WHERE id = \(id) AND claimant = \(claimant)
                    """, logger)
            case .retry(let next, let error, let counts):
                try await connection.run("""
                    UPDATE outbox SET attempts = attempts + \(Int32(counts ? 1 : 0)), last_error = \(error), next_attempt_at = \(next), lease_until = NULL, claimant = NULL
                    WHERE id = \(id) AND claimant = \(claimant)
                    """, logger)
            case .dead(let error):
                try await connection.run("""
                    UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = \(error), lease_until = NULL, claimant = NULL
                    WHERE id = \(id) AND claimant = \(claimant)
                    """, logger)
            }
        }
    }

    public func release(_ ids: [Int64], claimant: String) async throws {
        guard !ids.isEmpty else { return }
        let logger = self.logger
        try await read { connection in
            try await connection.run("UPDATE outbox SET lease_until = NULL, claimant = NULL WHERE id = ANY(\(ids)) AND claimant = \(claimant)", logger)
        }
    }

    public func hold(destination: String, until: Date, reason: String) async throws {
        let logger = self.logger
        try await read { connection in
            try await connection.run("""
                INSERT INTO destination_holds (destination, until, reason) VALUES (\(destination), \(until), \(reason))
                ON CONFLICT (destination) DO UPDATE SET until = GREATEST(destination_holds.until, EXCLUDED.until), reason = EXCLUDED.reason
                """, logger)
        }
    }

    public func holds(now: Date) async throws -> [DestinationHold] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("SELECT * FROM destination_holds WHERE until > \(now) ORDER BY destination", logger).map { row in
                DestinationHold(destination: try row.value("destination"), until: try row.value("until"), reason: try row.value("reason"))
            }
        }
    }

    public func due(now: Date, limit: Int) async throws -> [OutboxEntry] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("""
                SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                ORDER BY next_attempt_at, id LIMIT \(limit)
                """, logger).map(PostgresRows.outboxEntry)
        }
    }

    public func entries(statuses: Set<OutboxEntry.Status>, limit: Int) async throws -> [OutboxEntry] {
        let logger = self.logger
        let wanted = statuses.map(\.rawValue).sorted()
        return try await read { connection in
            try await connection.rows("SELECT * FROM outbox WHERE status = ANY(\(wanted)) ORDER BY id DESC LIMIT \(limit)", logger).map(PostgresRows.outboxEntry)
        }
    }

    public func retry(id: Int64, now: Date) async throws -> OutboxEntry? {
        let logger = self.logger
        return try await transaction { connection in
            guard let row = try await connection.row("SELECT * FROM outbox WHERE id = \(id) FOR UPDATE", logger) else { return nil }
            let entry = try PostgresRows.outboxEntry(row)
            guard entry.status != .sent else { return entry }
            return try await connection.row("""
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(now), lease_until = NULL, claimant = NULL WHERE id = \(id) RETURNING *
                """, logger).map(PostgresRows.outboxEntry)
        }
    }
}
