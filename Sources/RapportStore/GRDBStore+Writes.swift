import Foundation
import GRDB
import RapportCore

extension GRDBStore {
    public func markDone(followUpID: Int64, owner: UserKey, now: Date) async throws -> FollowUp? {
        try await write { db in
            guard let before = try Self.followUp(followUpID, owner: owner, db) else { return nil }
            guard before.doneAt == nil else { return before }
            try db.execute(sql: "UPDATE followups SET done_at = ? WHERE id = ?", arguments: [now, followUpID])
            try self.recordInteraction(contactID: before.contactID, owner: owner, kind: .followUpDone, note: before.text, at: now, db)
            try self.replan(followUp: followUpID, now: now, db)
            try self.replan(contact: before.contactID, now: now, db)
            return before
        }
    }

    public func snooze(followUpID: Int64, owner: UserKey, until due: WhenValue, now: Date) async throws -> FollowUp? {
        try await write { db in
            guard try Self.followUp(followUpID, owner: owner, db) != nil else { return nil }
            try db.execute(sql: "UPDATE followups SET due_at = ?, has_time = ? WHERE id = ?", arguments: [due.date, due.hasTime, followUpID])
            try self.replan(followUp: followUpID, now: now, db)
            return try Self.followUp(followUpID, owner: owner, db)
        }
    }

    public func logInteraction(contactName: String, note: String, owner: UserKey, now: Date) async throws -> Contact {
        try await write { db in
            let contactID = try Self.upsertContact(named: contactName, owner: owner.stored, now: now, db)
            try self.recordInteraction(contactID: contactID, owner: owner, kind: .note, note: note, at: now, db)
            try self.replan(contact: contactID, now: now, db)
            return try Self.contact(contactID, db)
        }
    }

    // MARK: - A finished conversation's records

    /// Writes what a finished conversation produced: profile, contact, meeting, reflection,
    /// follow-ups and keep-in-touch, and re-plans the nudges of what it touched. Returns the
    /// meeting's id. Runs inside the turn's savepoint.
    func write(_ outcome: ConversationOutcome, owner: UserKey, conversationID: Int64, now: Date, _ db: Database) throws -> Int64? {
        for (key, value) in outcome.profile {
            try db.execute(sql: """
                INSERT INTO profile (owner, key, value, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (owner, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """, arguments: [owner.stored, key, value, now])
        }
        guard let name = outcome.contactName else { return nil }
        let contactID = try Self.upsertContact(named: name, owner: owner.stored, now: now, db)
        if let knows = outcome.contactFacts["knows_what_i_do"] {
            try db.execute(sql: "UPDATE contacts SET knows_what_i_do = ?, knows_what_i_do_at = ? WHERE id = ?", arguments: [knows, now, contactID])
        }
        switch outcome.keepInTouch {
        case .set(let cadence)?:
            try db.execute(sql: "UPDATE contacts SET keep_in_touch_amount = ?, keep_in_touch_unit = ?, keep_in_touch_since = ? WHERE id = ?",
                           arguments: [cadence.amount, cadence.unit.rawValue, now, contactID])
        case .clear?:
            try db.execute(sql: "UPDATE contacts SET keep_in_touch_amount = NULL, keep_in_touch_unit = NULL, keep_in_touch_since = NULL WHERE id = ?",
                           arguments: [contactID])
        case nil:
            break
        }

        var meetingID = outcome.meetingID
        if let given = meetingID {
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = ? AND owner = ?)", arguments: [given, owner.stored]) == true else {
                throw StoreError.failed(path: path, reason: "there is no meeting #\(given)")
            }
            // The prep of a booked (or calendar) meeting done again: the meeting takes the new answers.
            if let update = outcome.meetingUpdate { try Self.fill(meeting: given, with: update, conversationID: conversationID, db) }
        } else if let draft = outcome.meeting {
            meetingID = try Self.insertMeeting(draft, contactID: contactID, owner: owner.stored, conversationID: conversationID, reflected: outcome.reflection != nil, now: now, db)
        }
        guard let meetingID else {
            try replan(contact: contactID, now: now, db)
            return nil
        }
        var touched: [Int64] = []
        if let draft = outcome.reflection {
            try Self.saveReflection(draft, meetingID: meetingID, conversationID: conversationID, now: now, db)
            try recordInteraction(contactID: contactID, owner: owner, kind: .reflection, note: nil, at: now, db)
        }
        touched = try Self.mergeFollowUps(
            outcome.followUps, replacingOpen: outcome.reflection != nil, meetingID: meetingID, contactID: contactID, owner: owner.stored, now: now, db)
        try replan(meeting: meetingID, now: now, db)
        for id in touched { try replan(followUp: id, now: now, db) }
        try replan(contact: contactID, now: now, db)
        return meetingID
    }

    /// The meeting's follow-ups made to match what the conversation listed (see `FollowUpMerge`).
    /// Returns the ids whose nudges change.
    private static func mergeFollowUps(
        _ drafts: [FollowUpDraft], replacingOpen: Bool, meetingID: Int64, contactID: Int64, owner: String, now: Date, _ db: Database
    ) throws -> [Int64] {
        let existing = try Row.fetchAll(db, sql: """
            SELECT \(StoreRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.meeting_id = ?
            """, arguments: [meetingID]).map(StoreRows.followUp)
        let merge = FollowUpMerge(existing: existing, listed: drafts, replacingOpen: replacingOpen)
        for (id, due) in merge.moved {
            try db.execute(sql: "UPDATE followups SET due_at = ?, has_time = ? WHERE id = ?", arguments: [due.date, due.hasTime, id])
        }
        for id in merge.removed {
            try db.execute(sql: "DELETE FROM followups WHERE id = ?", arguments: [id])
        }
        var touched = merge.touched
        for draft in merge.added {
            try db.execute(sql: """
                INSERT INTO followups (contact_id, meeting_id, owner, kind, text, due_at, has_time, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [contactID, meetingID, owner, draft.kind.rawValue, draft.text, draft.due.date, draft.due.hasTime, now])
            touched.append(db.lastInsertedRowID)
        }
        return touched
    }

    /// What a conversation answered about a stored meeting (a prep of a calendar meeting, or a
    /// booked meeting's prep done again), written into it; what it did not answer stays as it
    /// was. A meeting called off by hand is booked again; one its calendar cancelled is not.
    private static func fill(meeting id: Int64, with draft: MeetingDraft, conversationID: Int64, _ db: Database) throws {
        let extra = try draft.extra.isEmpty ? nil : String(decoding: JSONEncoder.sorted.encode(draft.extra), as: UTF8.self)
        try db.execute(sql: """
            UPDATE meetings SET starts_at = COALESCE(?, starts_at), has_time = COALESCE(?, has_time), goal = COALESCE(?, goal),
                goal_weak = CASE WHEN ? IS NULL THEN goal_weak ELSE ? END, why_them = COALESCE(?, why_them), give = COALESCE(?, give),
                question = COALESCE(?, question), pitch = COALESCE(?, pitch), knows_what_i_do = COALESCE(?, knows_what_i_do),
                existing_contacts_could = COALESCE(?, existing_contacts_could), extra = COALESCE(?, extra), card = COALESCE(?, card),
                conversation_id = ?, status = CASE WHEN status = 'cancelled' AND calendar_event_id IS NULL THEN 'planned' ELSE status END
            WHERE id = ?
            """, arguments: [
                draft.startsAt?.date, draft.startsAt?.hasTime, draft.goal, draft.goal, draft.goalWeak, draft.whyThem, draft.give, draft.question,
                draft.pitch, draft.knowsWhatIDo, draft.existingContactsCould, extra, draft.card, conversationID, id,
            ])
    }

    private static func insertMeeting(
        _ draft: MeetingDraft, contactID: Int64, owner: String, conversationID: Int64, reflected: Bool, now: Date, _ db: Database
    ) throws -> Int64 {
        let extra = try draft.extra.isEmpty ? nil : String(decoding: JSONEncoder.sorted.encode(draft.extra), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO meetings (contact_id, conversation_id, owner, starts_at, has_time, goal, goal_weak, why_them, give, question, pitch,
                knows_what_i_do, existing_contacts_could, extra, card, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                contactID, conversationID, owner, draft.startsAt?.date, draft.startsAt?.hasTime ?? false, draft.goal, draft.goalWeak, draft.whyThem,
                draft.give, draft.question, draft.pitch, draft.knowsWhatIDo, draft.existingContactsCould, extra, draft.card,
                reflected ? "reflected" : "planned", now,
            ])
        return db.lastInsertedRowID
    }

    /// One reflection per meeting: a second one (an edit) replaces the first's answers.
    private static func saveReflection(_ draft: ReflectionDraft, meetingID: Int64, conversationID: Int64, now: Date, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO reflections (meeting_id, conversation_id, goal_reached, outcome, gave, got, worth_it, card, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (meeting_id) DO UPDATE SET conversation_id = excluded.conversation_id, goal_reached = excluded.goal_reached,
                outcome = excluded.outcome, gave = excluded.gave, got = excluded.got, worth_it = excluded.worth_it, card = excluded.card,
                updated_at = excluded.updated_at
            """, arguments: [meetingID, conversationID, draft.goalReached, draft.outcome, draft.gave, draft.got, draft.worthIt, draft.card, now, now])
        try db.execute(sql: "UPDATE meetings SET status = 'reflected' WHERE id = ?", arguments: [meetingID])
    }

    /// The owner's contact of that name (ignoring case and accents), added when new. Returns its id.
    static func upsertContact(named name: String, owner: String, now: Date, _ db: Database) throws -> Int64 {
        let key = ContactName.key(name)
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM contacts WHERE owner = ? AND name_key = ?"), arguments: [owner, key]) {
            try db.execute(sql: "UPDATE contacts SET updated_at = ? WHERE id = ?", arguments: [now, id])
            return id
        }
        try db.execute(sql: "INSERT INTO contacts (owner, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [owner, name, key, now, now])
        let id = db.lastInsertedRowID
        try insertWords(of: id, owner: owner, nameKey: key, db)
        return id
    }

    /// Notes, reflections and follow-ups done each restart the keep-in-touch clock.
    func recordInteraction(contactID: Int64, owner: UserKey, kind: Interaction.Kind, note: String?, at now: Date, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO interactions (contact_id, owner, kind, note, at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [contactID, owner.stored, kind.rawValue, note, now])
        try db.execute(sql: "UPDATE contacts SET last_interaction_at = MAX(COALESCE(last_interaction_at, ?), ?) WHERE id = ?", arguments: [now, now, contactID])
    }

    static func followUp(_ id: Int64, owner: UserKey, _ db: Database) throws -> FollowUp? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(StoreRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.id = ? AND f.owner = ?
            """), arguments: [id, owner.stored]).map(StoreRows.followUp)
    }

    static func contact(_ id: Int64, _ db: Database) throws -> Contact {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StoreRows.contactColumns) FROM contacts WHERE id = ?"), arguments: [id]) else {
            throw DatabaseError(resultCode: .SQLITE_NOTFOUND, message: "contact \(id) does not exist")
        }
        return StoreRows.contact(row)
    }
}
