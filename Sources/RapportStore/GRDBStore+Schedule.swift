import Foundation
import GRDB
import RapportCore

/// Nudge planning inside the store's writes: a write re-plans only the records it touched, and
/// everything is planned once more only when the plan's settings change.
extension GRDBStore {
    /// A meeting's nudges brought in step with the meeting (none when it is gone).
    func replan(meeting id: Int64, now: Date, _ db: Database) throws {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(StoreRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id WHERE m.id = ?
            """), arguments: [id])
        _ = try sync(.meeting(id), row.map { planner.nudges(for: StoreRows.meeting($0), owner: StoreRows.owner($0), now: now) } ?? [], now: now, db)
    }

    /// A follow-up's nudges brought in step with it (none when it is done or gone).
    func replan(followUp id: Int64, now: Date, _ db: Database) throws {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(StoreRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.id = ?
            """), arguments: [id])
        _ = try sync(.followUp(id), row.map { planner.nudges(for: StoreRows.followUp($0), owner: StoreRows.owner($0), now: now) } ?? [], now: now, db)
    }

    /// A contact's next keep-in-touch date, kept beside it for listings, and its nudge.
    func replan(contact id: Int64, now: Date, _ db: Database) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StoreRows.contactColumns), last_interaction_at, owner FROM contacts WHERE id = ?"), arguments: [id]) else {
            _ = try sync(.contact(id), [], now: now, db)
            return
        }
        let contact = StoreRows.contact(row)
        var planned: (due: Date, nudges: [OutboxDraft])?
        if contact.keepInTouch != nil {
            let starts = try Date.fetchAll(db.cachedStatement(sql: "SELECT starts_at FROM meetings WHERE contact_id = ? AND starts_at IS NOT NULL AND status != 'cancelled'"), arguments: [id])
            planned = planner.keepInTouch(contact, owner: StoreRows.owner(row), lastInteraction: row["last_interaction_at"], meetingStarts: starts, now: now)
        }
        try db.cachedStatement(sql: "UPDATE contacts SET next_contact_due = ? WHERE id = ?").execute(arguments: [planned?.due, id])
        _ = try sync(.contact(id), planned?.nudges ?? [], now: now, db)
    }

    /// Makes one subject's messages match its plan: new keys are added, a waiting message whose
    /// time, text or destination changed (a new lead time, a renamed contact) is brought in step,
    /// one cancelled earlier and called for again waits again, and waiting ones the plan no longer
    /// calls for are cancelled. Sent and dead ones stay as they are.
    func sync(_ subject: NudgeSubject, _ drafts: [OutboxDraft], now: Date, _ db: Database) throws -> (added: Int, cancelled: Int) {
        let planned = Dictionary(drafts.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var cancelled = 0
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, key, status, destination, payload, due_at, attempts FROM outbox WHERE subject = ? AND status IN ('pending', 'cancelled')"),
            arguments: [subject.stored])
        var known: Set<String> = []
        for row in rows {
            let key: String = row["key"]
            let id: Int64 = row["id"]
            known.insert(key)
            guard let draft = planned[key] else {
                if row["status"] == "pending" {
                    try db.cachedStatement(sql: "UPDATE outbox SET status = 'cancelled', lease_until = NULL, claimant = NULL WHERE id = ?").execute(arguments: [id])
                    cancelled += 1
                }
                continue
            }
            let waiting = row["status"] == "pending"
            let untouched = row["destination"] == draft.destination && row["payload"] == draft.payload && (row["due_at"] as Date) == draft.dueAt
            if waiting && untouched { continue }
            // A message already tried keeps its retry time; one not tried yet goes at its new time.
            let tried = waiting && (row["attempts"] as Int) > 0
            try db.cachedStatement(sql: """
                UPDATE outbox SET status = 'pending', destination = ?, payload = ?, due_at = ?,
                    next_attempt_at = CASE WHEN ? THEN next_attempt_at ELSE ? END, attempts = CASE WHEN ? THEN attempts ELSE 0 END
                WHERE id = ?
                """).execute(arguments: [draft.destination, draft.payload, draft.dueAt, tried, draft.dueAt, tried, id])
        }
        return (try Self.enqueue(drafts.filter { !known.contains($0.key) }, now: now, db), cancelled)
    }

    /// Puts messages in the outbox directly (tests, tools); a key already there is left as it is.
    @discardableResult
    public func enqueue(_ drafts: [OutboxDraft], now: Date) async throws -> Int {
        try await write { db in try Self.enqueue(drafts, now: now, db) }
    }

    /// Puts messages in the outbox; a key already there is left as it is, so planning the same
    /// nudge twice (a rerun, a crash between enqueue and send) never makes a second message.
    static func enqueue(_ drafts: [OutboxDraft], now: Date, _ db: Database) throws -> Int {
        var added = 0
        for draft in drafts {
            // Looked up first: INSERT OR IGNORE would still use up an id, and ids are what users type.
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE key = ?)"), arguments: [draft.key]) == false else { continue }
            try db.cachedStatement(sql: """
                INSERT INTO outbox (key, destination, kind, payload, due_at, attempts, next_attempt_at, status, created_at, subject)
                VALUES (?, ?, ?, ?, ?, 0, ?, 'pending', ?, ?)
                """).execute(arguments: [draft.key, draft.destination, draft.kind, draft.payload, draft.dueAt, draft.dueAt, now, draft.subject?.stored])
            added += 1
        }
        return added
    }

    // MARK: - Planning everything, once

    static let fingerprintKey = "plan_fingerprint"

    /// Plans every record again when the plan's settings changed since the last plan (or it was
    /// never made); otherwise one indexed read.
    public func refreshPlan(now: Date) async throws -> PlanRefresh {
        let fingerprint = planner.fingerprint
        let stored = try await read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.fingerprintKey]) }
        guard stored != fingerprint else { return PlanRefresh() }
        return try await write { db in
            // Another process may have planned it meanwhile.
            guard try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.fingerprintKey]) != fingerprint else { return PlanRefresh() }
            var refresh = PlanRefresh(replannedAll: true)
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM meetings ORDER BY id") {
                let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StoreRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id WHERE m.id = ?"), arguments: [id])
                refresh.add(try self.sync(.meeting(id), row.map { self.planner.nudges(for: StoreRows.meeting($0), owner: StoreRows.owner($0), now: now) } ?? [], now: now, db))
            }
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM followups ORDER BY id") {
                let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StoreRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.id = ?"), arguments: [id])
                refresh.add(try self.sync(.followUp(id), row.map { self.planner.nudges(for: StoreRows.followUp($0), owner: StoreRows.owner($0), now: now) } ?? [], now: now, db))
            }
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM contacts ORDER BY id") {
                try self.replan(contact: id, now: now, db)
            }
            // What no record calls for any more (messages planned before subjects were kept).
            try db.execute(sql: "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND subject IS NULL")
            refresh.cancelled += db.changesCount
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [Self.fingerprintKey, fingerprint])
            return refresh
        }
    }

    // MARK: - What time alone calls for

    public func plannedByTime(now: Date) async throws -> [OutboxDraft] {
        try await read { db in try self.digest(now: now, db).map { [$0] } ?? [] }
    }

    /// Adds this week's digest of the local profile when it is routed and not planned yet.
    public func planTimeDriven(now: Date) async throws -> Int {
        try await write { db in
            guard let draft = try self.digest(now: now, db) else { return 0 }
            return try Self.enqueue([draft], now: now, db)
        }
    }

    /// This week's digest, when routed and not in the outbox yet: the week's meetings and the
    /// follow-ups due by its end, through their indexes, at most the lines the digest shows.
    private func digest(now: Date, _ db: Database) throws -> OutboxDraft? {
        guard let week = planner.digestWeek(now: now),
              try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE key = ?)"), arguments: [week.key]) == false
        else { return nil }
        let owner = UserKey.local.stored
        let lines = NudgePlanner.digestLines + 1
        let meetings = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(StoreRows.meetingColumns) FROM meetings m INDEXED BY meetings_by_owner JOIN contacts c ON c.id = m.contact_id
            WHERE m.owner = ? AND m.starts_at >= ? AND m.starts_at < ? AND m.status != 'cancelled' ORDER BY m.starts_at LIMIT ?
            """), arguments: [owner, week.interval.start, week.interval.end, lines]).map(StoreRows.meeting)
        let followUps = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(StoreRows.followUpColumns) FROM followups f INDEXED BY followups_open JOIN contacts c ON c.id = f.contact_id
            WHERE f.owner = ? AND f.done_at IS NULL AND f.due_at < ? ORDER BY f.due_at LIMIT ?
            """), arguments: [owner, week.interval.end, lines]).map(StoreRows.followUp)
        return planner.digest(week, meetings: meetings, followUps: followUps, now: now)
    }
}

extension PlanRefresh {
    mutating func add(_ synced: (added: Int, cancelled: Int)) {
        added += synced.added
        cancelled += synced.cancelled
    }
}
