import Foundation
import PostgresNIO
import RapportCore

extension PostgresStore {
    public func markDone(followUpID: Int64, owner: UserKey, now: Date) async throws -> FollowUp? {
        let logger = self.logger
        return try await transaction { connection in
            // FOR UPDATE: two people marking it done at once record one interaction.
            guard try await connection.row("SELECT id FROM followups WHERE id = \(followUpID) AND owner = \(owner.stored) FOR UPDATE", logger) != nil,
                  let before = try await Self.followUp(followUpID, owner: owner, connection, logger)
            else { return nil }
            guard before.doneAt == nil else { return before }
            try await connection.run("UPDATE followups SET done_at = \(now) WHERE id = \(followUpID)", logger)
            try await self.recordInteraction(contactID: before.contactID, owner: owner, kind: .followUpDone, note: before.text, at: now, connection)
            try await self.replan(followUp: followUpID, now: now, connection)
            try await self.replan(contact: before.contactID, now: now, connection)
            return before
        }
    }

    public func snooze(followUpID: Int64, owner: UserKey, until due: WhenValue, now: Date) async throws -> FollowUp? {
        let logger = self.logger
        return try await transaction { connection in
            guard try await connection.run("""
                UPDATE followups SET due_at = \(due.date), has_time = \(due.hasTime) WHERE id = \(followUpID) AND owner = \(owner.stored) RETURNING 1
                """, logger) == 1 else { return nil }
            try await self.replan(followUp: followUpID, now: now, connection)
            return try await Self.followUp(followUpID, owner: owner, connection, logger)
        }
    }

    public func logInteraction(contactName: String, note: String, owner: UserKey, now: Date) async throws -> Contact {
        let logger = self.logger
        return try await transaction { connection in
            let contactID = try await Self.upsertContact(named: contactName, owner: owner.stored, now: now, connection, logger).id
            try await self.recordInteraction(contactID: contactID, owner: owner, kind: .note, note: note, at: now, connection)
            try await self.replan(contact: contactID, now: now, connection)
            return try PostgresRows.contact(try await connection.row("SELECT \(unescaped: PostgresRows.contactColumns) FROM contacts WHERE id = \(contactID)", logger)!)
        }
    }

    // MARK: - A finished conversation's records

    /// What `FinishWithMeeting` wrote of a finished prep, in the statement that committed its turn.
    struct WrittenWithTurn {
        var contact: UpsertedContact
        /// The new meeting as `MeetingByID` reads it.
        var meeting: PostgresRandomAccessRow
    }

    /// As the SQLite store: profile, contact, meeting, reflection, follow-ups (merged by
    /// `FollowUpMerge`) and keep-in-touch, then the nudges of what was touched. `written`: the
    /// contact and meeting the turn's own statement wrote already.
    func write(
        _ outcome: ConversationOutcome, owner: UserKey, conversationID: Int64, now: Date, written: WrittenWithTurn? = nil, _ connection: PostgresConnection
    ) async throws -> Int64? {
        let logger = self.logger
        for (key, value) in outcome.profile {
            try await connection.run("""
                INSERT INTO profile (owner, key, value, updated_at) VALUES (\(owner.stored), \(key), \(value), \(now))
                ON CONFLICT (owner, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
                """, logger)
        }
        guard let name = outcome.contactName else { return nil }
        let contact = if let written { written.contact } else {
            try await Self.upsertContact(named: name, owner: owner.stored, knowsWhatIDo: outcome.contactFacts["knows_what_i_do"], now: now, connection, logger)
        }
        let contactID = contact.id
        // The contact as its keep-in-touch nudge is planned, kept from the statements that
        // change it so that it need not be read again.
        var contactToPlan: PostgresRows.ContactToPlan? = contact.toPlan
        switch outcome.keepInTouch {
        case .set(let cadence)?:
            contactToPlan = try await connection.row("""
                UPDATE contacts SET keep_in_touch_amount = \(Int32(cadence.amount)), keep_in_touch_unit = \(cadence.unit.rawValue), keep_in_touch_since = \(now)
                WHERE id = \(contactID) RETURNING \(unescaped: PostgresStatements.ContactToPlan.columns)
                """, logger).map { try PostgresRows.ContactToPlan($0) }
        case .clear?:
            contactToPlan = try await connection.row("""
                UPDATE contacts SET keep_in_touch_amount = NULL, keep_in_touch_unit = NULL, keep_in_touch_since = NULL
                WHERE id = \(contactID) RETURNING \(unescaped: PostgresStatements.ContactToPlan.columns)
                """, logger).map { try PostgresRows.ContactToPlan($0) }
        case nil:
            break
        }
        var meetingID = outcome.meetingID
        var newMeeting: PostgresRandomAccessRow?
        if let written {
            meetingID = try written.meeting.value("id", as: Int64.self)
            newMeeting = written.meeting
        } else if let given = meetingID {
            guard try await connection.row("SELECT id FROM meetings WHERE id = \(given) AND owner = \(owner.stored)", logger) != nil else {
                throw StoreContractError("there is no meeting #\(given)")
            }
            // The prep of a booked (or calendar) meeting done again: the meeting takes the new answers.
            if let update = outcome.meetingUpdate { try await Self.fill(meeting: given, with: update, conversationID: conversationID, connection, logger) }
        } else if let draft = outcome.meeting {
            let row = try await connection.rows(Prepared<PostgresStatements.InsertMeeting> {
                $0.append(contactID)
                $0.append(conversationID)
                $0.append(owner.stored)
                try Self.appendMeeting(draft, status: Self.newMeetingStatus(outcome), to: &$0)
                $0.append(now)
            }, logger).first
            meetingID = try row!.value("id", as: Int64.self)
            newMeeting = row
        }
        guard let meetingID else {
            try await replan(contact: contactID, isNew: contact.isNew, as: contactToPlan, now: now, connection)
            return nil
        }
        if let draft = outcome.reflection {
            try await connection.run("""
                INSERT INTO reflections (meeting_id, conversation_id, goal_reached, outcome, gave, got, worth_it, card, created_at, updated_at)
                VALUES (\(meetingID), \(conversationID), \(draft.goalReached), \(draft.outcome), \(draft.gave), \(draft.got), \(draft.worthIt), \(draft.card), \(now), \(now))
                ON CONFLICT (meeting_id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, goal_reached = EXCLUDED.goal_reached,
                    outcome = EXCLUDED.outcome, gave = EXCLUDED.gave, got = EXCLUDED.got, worth_it = EXCLUDED.worth_it, card = EXCLUDED.card,
                    updated_at = EXCLUDED.updated_at
                """, logger)
            try await connection.run("UPDATE meetings SET status = 'reflected' WHERE id = \(meetingID)", logger)
            try await recordInteraction(contactID: contactID, owner: owner, kind: .reflection, note: nil, at: now, connection)
            contactToPlan = nil  // its last interaction moved: read again
        }
        // A meeting written just now has no follow-ups yet, nor nudges: nothing to read back.
        let existing = newMeeting != nil ? [] : try await connection.rows("""
            SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.meeting_id = \(meetingID)
            """, logger).map(PostgresRows.followUp)
        let merge = FollowUpMerge(existing: existing, listed: outcome.followUps, replacingOpen: outcome.reflection != nil)
        for (id, due) in merge.moved {
            try await connection.run("UPDATE followups SET due_at = \(due.date), has_time = \(due.hasTime) WHERE id = \(id)", logger)
        }
        for id in merge.removed {
            try await connection.run("DELETE FROM followups WHERE id = \(id)", logger)
        }
        let touched = merge.touched
        var added: [Int64] = []
        for draft in merge.added {
            let row = try await connection.row("""
                INSERT INTO followups (contact_id, meeting_id, owner, kind, text, due_at, has_time, created_at)
                VALUES (\(contactID), \(meetingID), \(owner.stored), \(draft.kind.rawValue), \(draft.text), \(draft.due.date), \(draft.due.hasTime), \(now))
                RETURNING id
                """, logger)
            added.append(try row!.value("id", as: Int64.self))
        }
        try await replan(meeting: meetingID, isNew: newMeeting != nil, as: newMeeting, now: now, connection)
        for id in touched { try await replan(followUp: id, now: now, connection) }
        for id in added { try await replan(followUp: id, isNew: true, now: now, connection) }
        try await replan(contact: contactID, isNew: contact.isNew, as: contactToPlan, now: now, connection)
        return meetingID
    }

    /// A new meeting's own values, in `PostgresStatements.meetingColumns`' order.
    static func appendMeeting(_ draft: MeetingDraft, status: String, to bindings: inout PostgresBindings) throws {
        bindings.append(draft.startsAt?.date)
        bindings.append(draft.startsAt?.hasTime ?? false)
        bindings.append(draft.goal)
        bindings.append(draft.goalWeak)
        bindings.append(draft.whyThem)
        bindings.append(draft.give)
        bindings.append(draft.question)
        bindings.append(draft.pitch)
        bindings.append(draft.knowsWhatIDo)
        bindings.append(draft.existingContactsCould)
        bindings.append(try draft.extra.isEmpty ? nil : PostgresRows.encode(draft.extra))
        bindings.append(draft.card)
        bindings.append(status)
    }

    /// A meeting written with its reflection (a reflection on a meeting not prepared) is reflected already.
    static func newMeetingStatus(_ outcome: ConversationOutcome) -> String {
        outcome.reflection != nil ? "reflected" : "planned"
    }

    /// What a conversation answered about a stored meeting (a prep of a calendar meeting),
    /// written into it; what it did not answer stays as it was.
    /// As the SQLite store's: what was answered is written, the rest stays; a meeting called off
    /// by hand is booked again, one its calendar cancelled is not.
    static func fill(meeting id: Int64, with draft: MeetingDraft, conversationID: Int64, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let extra = try draft.extra.isEmpty ? nil : PostgresRows.encode(draft.extra)
        try await connection.run("""
            UPDATE meetings SET starts_at = COALESCE(\(draft.startsAt?.date), starts_at), has_time = COALESCE(\(draft.startsAt?.hasTime), has_time),
                goal = COALESCE(\(draft.goal), goal), goal_weak = CASE WHEN \(draft.goal == nil) THEN goal_weak ELSE \(draft.goalWeak) END,
                why_them = COALESCE(\(draft.whyThem), why_them), give = COALESCE(\(draft.give), give), question = COALESCE(\(draft.question), question),
                pitch = COALESCE(\(draft.pitch), pitch), knows_what_i_do = COALESCE(\(draft.knowsWhatIDo), knows_what_i_do),
                existing_contacts_could = COALESCE(\(draft.existingContactsCould), existing_contacts_could), extra = COALESCE(\(extra), extra),
                card = COALESCE(\(draft.card), card), conversation_id = \(conversationID),
                status = CASE WHEN status = 'cancelled' AND calendar_event_id IS NULL THEN 'planned' ELSE status END
            WHERE id = \(id)
            """, logger)
    }

    /// A contact as `upsertContact` found or added it.
    struct UpsertedContact {
        var id: Int64
        /// Added by this write: nothing else names it yet.
        var isNew: Bool
        /// As `ContactToPlan` reads it, as the upsert left it.
        var toPlan: PostgresRows.ContactToPlan
    }

    /// The owner's contact of that name (ignoring case and accents), added with its words when
    /// new, and, when the conversation asked, whether they know what you do; two replicas adding
    /// the same person at once make one.
    static func upsertContact(
        named name: String, owner: String, knowsWhatIDo: String? = nil, now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> UpsertedContact {
        let key = ContactName.key(name)
        let rows = try await connection.rows(Prepared<PostgresStatements.UpsertContact> {
            $0.append(owner)
            $0.append(name)
            $0.append(key)
            $0.append(now)
            $0.append(knowsWhatIDo)
            $0.append(Self.words(of: key))
        }, logger)
        guard let row = rows.first else { throw StoreContractError("the contact \(name) was neither found nor added") }
        return UpsertedContact(id: try row.value("id"), isNew: try row.value("inserted"), toPlan: try PostgresRows.ContactToPlan(row))
    }

    func recordInteraction(contactID: Int64, owner: UserKey, kind: Interaction.Kind, note: String?, at now: Date, _ connection: PostgresConnection) async throws {
        try await connection.run("INSERT INTO interactions (contact_id, owner, kind, note, at) VALUES (\(contactID), \(owner.stored), \(kind.rawValue), \(note), \(now))", logger)
        try await connection.run("UPDATE contacts SET last_interaction_at = GREATEST(COALESCE(last_interaction_at, \(now)), \(now)) WHERE id = \(contactID)", logger)
    }
}
