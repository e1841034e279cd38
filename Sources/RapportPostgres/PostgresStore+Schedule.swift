import Foundation
import PostgresNIO
import RapportCore

/// Nudge planning inside the store's writes, as the SQLite store does it: a write re-plans only
/// what it touched; everything is planned once more, by one replica, when the settings change.
extension PostgresStore {
    // `isNew`: the record was added by this write, so no nudge names it yet and none is read back.

    /// `row`: the meeting as `MeetingByID` reads it, when the caller has it from its own write.
    func replan(meeting id: Int64, isNew: Bool = false, as row: PostgresRandomAccessRow? = nil, now: Date, _ connection: PostgresConnection) async throws {
        var row = row
        if row == nil { row = try await connection.rows(Prepared<PostgresStatements.MeetingByID> { $0.append(id) }, logger).first }
        let drafts = try row.map { planner.nudges(for: try PostgresRows.meeting($0), owner: try PostgresRows.owner($0), now: now) } ?? []
        _ = try await sync(.meeting(id), drafts, isNew: isNew, now: now, connection)
    }

    func replan(followUp id: Int64, isNew: Bool = false, now: Date, _ connection: PostgresConnection) async throws {
        let row = try await connection.row("""
            SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.id = \(id)
            """, logger)
        let drafts = try row.map { planner.nudges(for: try PostgresRows.followUp($0), owner: try PostgresRows.owner($0), now: now) } ?? []
        _ = try await sync(.followUp(id), drafts, isNew: isNew, now: now, connection)
    }

    /// `known`: the contact as `ContactToPlan` reads it, when the caller has it from its own write.
    func replan(contact id: Int64, isNew: Bool = false, as known: PostgresRows.ContactToPlan? = nil, now: Date, _ connection: PostgresConnection) async throws {
        var known = known
        if known == nil {
            known = try await connection.rows(Prepared<PostgresStatements.ContactToPlan> { $0.append(id) }, logger).first.map { try PostgresRows.ContactToPlan($0) }
        }
        guard let known else {
            _ = try await sync(.contact(id), [], now: now, connection)
            return
        }
        var planned: (due: Date, nudges: [OutboxDraft])?
        if known.contact.keepInTouch != nil {
            let starts = try await connection.rows("SELECT starts_at FROM meetings WHERE contact_id = \(id) AND starts_at IS NOT NULL AND status != 'cancelled'", logger)
                .map { try $0.value("starts_at", as: Date.self) }
            planned = planner.keepInTouch(known.contact, owner: known.owner, lastInteraction: known.lastInteraction, meetingStarts: starts, now: now)
        }
        if known.nextContactDue != planned?.due {
            try await connection.run("UPDATE contacts SET next_contact_due = \(planned?.due) WHERE id = \(id)", logger)
        }
        _ = try await sync(.contact(id), planned?.nudges ?? [], isNew: isNew, now: now, connection)
    }

    /// As the SQLite store's: new keys added, changed waiting ones brought in step, cancelled
    /// ones called for again waiting again, the rest of the waiting ones cancelled.
    func sync(
        _ subject: NudgeSubject, _ drafts: [OutboxDraft], isNew: Bool = false, now: Date, _ connection: PostgresConnection
    ) async throws -> (added: Int, cancelled: Int) {
        if isNew { return (try await enqueue(drafts, now: now, connection), 0) }
        let planned = Dictionary(drafts.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var cancelled = 0
        var known: Set<String> = []
        for row in try await connection.rows(Prepared<PostgresStatements.NudgesOfSubject> { $0.append(subject.stored) }, logger) {
            let key: String = try row.value("key")
            let id: Int64 = try row.value("id")
            let status: String = try row.value("status")
            known.insert(key)
            guard let draft = planned[key] else {
                if status == "pending" {
                    try await connection.run("UPDATE outbox SET status = 'cancelled', lease_until = NULL, claimant = NULL WHERE id = \(id)", logger)
                    cancelled += 1
                }
                continue
            }
            let untouched = try row.value("destination", as: String.self) == draft.destination && row.value("payload", as: String.self) == draft.payload
                && abs(try row.value("due_at", as: Date.self).timeIntervalSince(draft.dueAt)) < 0.001
            if status == "pending" && untouched { continue }
            let attempts = try row.value("attempts", as: Int32.self)
            let tried = status == "pending" && attempts > 0
            try await connection.run("""
                UPDATE outbox SET status = 'pending', destination = \(draft.destination), payload = \(draft.payload), due_at = \(draft.dueAt),
                    next_attempt_at = CASE WHEN \(tried) THEN next_attempt_at ELSE \(draft.dueAt) END,
                    attempts = CASE WHEN \(tried) THEN attempts ELSE 0 END
                WHERE id = \(id)
                """, logger)
        }
        return (try await enqueue(drafts.filter { !known.contains($0.key) }, now: now, connection), cancelled)
    }

    /// Puts messages in the outbox directly (tests, tools); a key already there is left as it is.
    @discardableResult
    public func enqueue(_ drafts: [OutboxDraft], now: Date) async throws -> Int {
        try await transaction { connection in try await self.enqueue(drafts, now: now, connection) }
    }

    /// A key already there (planned by this replica or another) is left as it is.
    func enqueue(_ drafts: [OutboxDraft], now: Date, _ connection: PostgresConnection) async throws -> Int {
        var added = 0
        for draft in drafts {
            added += try await connection.rows(Prepared<PostgresStatements.Enqueue> {
                $0.append(draft.key)
                $0.append(draft.destination)
                $0.append(draft.kind)
                $0.append(draft.payload)
                $0.append(draft.dueAt)
                $0.append(now)
                $0.append(draft.subject?.stored)
            }, logger).count
        }
        return added
    }

    // MARK: - Planning everything, once per team

    public func refreshPlan(now: Date) async throws -> PlanRefresh {
        let fingerprint = planner.fingerprint
        let logger = self.logger
        let stored = try await read { connection in
            try await connection.row("SELECT value FROM meta WHERE key = 'plan_fingerprint'", logger)?.value("value", as: String.self)
        }
        guard stored != fingerprint else { return PlanRefresh() }
        return try await transaction { connection in
            // One replica plans; the others wait here and then find it done.
            try await connection.run("SELECT pg_advisory_xact_lock(\(Self.planLock), \(self.schemaLockKey))", logger)
            let current = try await connection.row("SELECT value FROM meta WHERE key = 'plan_fingerprint'", logger)?.value("value", as: String.self)
            guard current != fingerprint else { return PlanRefresh() }
            var refresh = try await self.planEverything(now: now, connection)
            refresh.cancelled += try await connection.run("UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND subject IS NULL RETURNING 1", logger)
            try await connection.run("""
                INSERT INTO meta (key, value) VALUES ('plan_fingerprint', \(fingerprint)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                """, logger)
            return refresh
        }
    }

    static let planLock: Int32 = 0x7261_706C  // "rapl"

    // MARK: - What time alone calls for

    public func plannedByTime(now: Date) async throws -> [OutboxDraft] {
        try await read { connection in try await self.digest(now: now, connection).map { [$0] } ?? [] }
    }

    /// This week's digest, once per team: its key is unique.
    public func planTimeDriven(now: Date) async throws -> Int {
        try await transaction { connection in
            guard let draft = try await self.digest(now: now, connection) else { return 0 }
            return try await self.enqueue([draft], now: now, connection)
        }
    }

    private func digest(now: Date, _ connection: PostgresConnection) async throws -> OutboxDraft? {
        guard let week = planner.digestWeek(now: now), try await connection.row("SELECT 1 FROM outbox WHERE key = \(week.key)", logger) == nil else { return nil }
        let owner = UserKey.local.stored
        let lines = NudgePlanner.digestLines + 1
        let meetings = try await connection.rows("""
            SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
            WHERE m.owner = \(owner) AND m.starts_at >= \(week.interval.start) AND m.starts_at < \(week.interval.end)
                AND m.status != 'cancelled' ORDER BY m.starts_at LIMIT \(lines)
            """, logger).map(PostgresRows.meeting)
        let followUps = try await connection.rows("""
            SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id
            WHERE f.owner = \(owner) AND f.done_at IS NULL AND f.due_at < \(week.interval.end) ORDER BY f.due_at LIMIT \(lines)
            """, logger).map(PostgresRows.followUp)
        return planner.digest(week, meetings: meetings, followUps: followUps, now: now)
    }
}
