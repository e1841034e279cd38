import Foundation
import PostgresNIO
import RapportCore

/// Planning every record again (the plan's settings changed): the same rules as one record's
/// `sync`, a batch of records per round trip, so a team store of 100,000 contacts is planned in
/// seconds rather than one query per record and nudge.
extension PostgresStore {
    /// Records read, and their nudges brought in step, per round trip.
    static let planBatch = 1_000

    func planEverything(now: Date, _ connection: PostgresConnection) async throws -> PlanRefresh {
        var refresh = PlanRefresh(replannedAll: true)
        var after: Int64 = 0
        while true {
            let rows = try await connection.rows("""
                SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
                WHERE m.id > \(after) ORDER BY m.id LIMIT \(Self.planBatch)
                """, logger)
            guard let last = rows.last else { break }
            after = try last.value("id")
            let plans = try rows.map { row -> (NudgeSubject, [OutboxDraft]) in
                let meeting = try PostgresRows.meeting(row)
                return (.meeting(meeting.id), planner.nudges(for: meeting, owner: try PostgresRows.owner(row), now: now))
            }
            refresh.add(try await syncBatch(plans, now: now, connection))
        }
        after = 0
        while true {
            let rows = try await connection.rows("""
                SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id
                WHERE f.id > \(after) ORDER BY f.id LIMIT \(Self.planBatch)
                """, logger)
            guard let last = rows.last else { break }
            after = try last.value("id")
            let plans = try rows.map { row -> (NudgeSubject, [OutboxDraft]) in
                let followUp = try PostgresRows.followUp(row)
                return (.followUp(followUp.id), planner.nudges(for: followUp, owner: try PostgresRows.owner(row), now: now))
            }
            refresh.add(try await syncBatch(plans, now: now, connection))
        }
        after = 0
        while true {
            let rows = try await connection.rows("""
                SELECT \(unescaped: PostgresRows.contactColumns), last_interaction_at, owner FROM contacts WHERE id > \(after) ORDER BY id LIMIT \(Self.planBatch)
                """, logger)
            guard let last = rows.last else { break }
            after = try last.value("id")
            let contacts = try rows.map { (contact: try PostgresRows.contact($0), owner: try PostgresRows.owner($0), last: try $0.value("last_interaction_at", as: Date?.self)) }
            let kept = contacts.filter { $0.contact.keepInTouch != nil }.map(\.contact.id)
            var starts: [Int64: [Date]] = [:]
            if !kept.isEmpty {
                for row in try await connection.rows("SELECT contact_id, starts_at FROM meetings WHERE contact_id = ANY(\(kept)) AND starts_at IS NOT NULL", logger) {
                    starts[try row.value("contact_id"), default: []].append(try row.value("starts_at"))
                }
            }
            var plans: [(NudgeSubject, [OutboxDraft])] = []
            var dueIDs: [Int64] = []
            var dues: [Date] = []
            var undated: [Int64] = []
            for entry in contacts {
                let planned = entry.contact.keepInTouch == nil ? nil
                    : planner.keepInTouch(entry.contact, owner: entry.owner, lastInteraction: entry.last, meetingStarts: starts[entry.contact.id] ?? [], now: now)
                if let planned {
                    dueIDs.append(entry.contact.id)
                    dues.append(planned.due)
                } else {
                    undated.append(entry.contact.id)
                }
                plans.append((.contact(entry.contact.id), planned?.nudges ?? []))
            }
            if !dueIDs.isEmpty {
                try await connection.run("""
                    UPDATE contacts c SET next_contact_due = u.due FROM unnest(\(dueIDs)::bigint[], \(dues)::timestamptz[]) AS u(id, due) WHERE c.id = u.id
                    """, logger)
            }
            if !undated.isEmpty {
                try await connection.run("UPDATE contacts SET next_contact_due = NULL WHERE id = ANY(\(undated))", logger)
            }
            refresh.add(try await syncBatch(plans, now: now, connection))
        }
        return refresh
    }

    /// `sync` for many subjects at once: their waiting and cancelled messages read in one query,
    /// and the cancels, changes and new messages written in one statement each.
    func syncBatch(_ plans: [(NudgeSubject, [OutboxDraft])], now: Date, _ connection: PostgresConnection) async throws -> PlanRefresh {
        let subjects = plans.map { $0.0.stored }
        var planned: [String: OutboxDraft] = [:]
        for (_, drafts) in plans {
            for draft in drafts where planned[draft.key] == nil { planned[draft.key] = draft }
        }
        var known: Set<String> = []
        var cancels: [Int64] = []
        var changed: (ids: [Int64], destinations: [String], payloads: [String], dues: [Date], tried: [Bool]) = ([], [], [], [], [])
        for row in try await connection.rows("""
            SELECT id, key, status, destination, payload, due_at, attempts FROM outbox WHERE subject = ANY(\(subjects)) AND status IN ('pending', 'cancelled')
            """, logger) {
            let key: String = try row.value("key")
            let id: Int64 = try row.value("id")
            let status: String = try row.value("status")
            known.insert(key)
            guard let draft = planned[key] else {
                if status == "pending" { cancels.append(id) }
                continue
            }
            let untouched = try row.value("destination", as: String.self) == draft.destination && row.value("payload", as: String.self) == draft.payload
                && abs(try row.value("due_at", as: Date.self).timeIntervalSince(draft.dueAt)) < 0.001
            if status == "pending" && untouched { continue }
            changed.ids.append(id)
            changed.destinations.append(draft.destination)
            changed.payloads.append(draft.payload)
            changed.dues.append(draft.dueAt)
            let attempts = try row.value("attempts", as: Int32.self)
            changed.tried.append(status == "pending" && attempts > 0)
        }
        var refresh = PlanRefresh()
        if !cancels.isEmpty {
            refresh.cancelled = try await connection.run("""
                UPDATE outbox SET status = 'cancelled', lease_until = NULL, claimant = NULL WHERE id = ANY(\(cancels)) RETURNING 1
                """, logger)
        }
        if !changed.ids.isEmpty {
            try await connection.run("""
                UPDATE outbox o SET status = 'pending', destination = u.destination, payload = u.payload, due_at = u.due,
                    next_attempt_at = CASE WHEN u.tried THEN o.next_attempt_at ELSE u.due END,
                    attempts = CASE WHEN u.tried THEN o.attempts ELSE 0 END
                FROM unnest(\(changed.ids)::bigint[], \(changed.destinations)::text[], \(changed.payloads)::text[], \(changed.dues)::timestamptz[], \(changed.tried)::boolean[])
                    AS u(id, destination, payload, due, tried)
                WHERE o.id = u.id
                """, logger)
        }
        var fresh = planned.values.filter { !known.contains($0.key) }.sorted { $0.key < $1.key }
        if !fresh.isEmpty {
            // Keys another subject's message (or another replica) holds already are left as they are,
            // looked up first so the ids people type are not used up.
            let taken = Set(try await connection.rows("SELECT key FROM outbox WHERE key = ANY(\(fresh.map(\.key)))", logger).map { try $0.value("key", as: String.self) })
            fresh.removeAll { taken.contains($0.key) }
        }
        if !fresh.isEmpty {
            refresh.added = try await connection.run("""
                INSERT INTO outbox (key, destination, kind, payload, due_at, attempts, next_attempt_at, status, created_at, subject)
                SELECT u.key, u.destination, u.kind, u.payload, u.due, 0, u.due, 'pending', \(now), NULLIF(u.subject, '')
                FROM unnest(\(fresh.map(\.key))::text[], \(fresh.map(\.destination))::text[], \(fresh.map(\.kind))::text[], \(fresh.map(\.payload))::text[],
                    \(fresh.map(\.dueAt))::timestamptz[], \(fresh.map { $0.subject?.stored ?? "" })::text[]) AS u(key, destination, kind, payload, due, subject)
                ORDER BY u.due, u.key
                ON CONFLICT (key) DO NOTHING RETURNING 1
                """, logger)
        }
        return refresh
    }
}

extension PlanRefresh {
    mutating func add(_ other: PlanRefresh) {
        added += other.added
        cancelled += other.cancelled
    }
}
