import Foundation
import GRDB
import RapportCore

/// The changes people make to contacts and meetings after the fact: listing and close names,
/// rename, merge, delete, a meeting moved or cancelled. Each write re-plans the nudges of what
/// it touched, in the same transaction.
extension GRDBStore {
    public func contacts(owner: UserKey, limit: Int) async throws -> [Contact] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(StoreRows.contactColumns) FROM contacts WHERE owner = ? ORDER BY name_key LIMIT ?"),
                             arguments: [owner.stored, limit]).map(StoreRows.contact)
        }
    }

    /// At most this many names are read for each first-letters range of a misspelt name.
    static let closeNamesRead = 200

    public func contacts(closeTo query: String, owner: UserKey, limit: Int) async throws -> [Contact] {
        try await read { db in
            var seen: Set<Int64> = []
            var found: [(contact: Contact, distance: Int)] = []
            for prefix in ContactName.closenessPrefixes(of: query) {
                let rows = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT c.* FROM contact_words w JOIN contacts c ON c.id = w.contact_id
                    WHERE w.owner = ? AND w.word >= ? AND w.word < ? LIMIT ?
                    """), arguments: [owner.stored, prefix, prefix + "\u{10FFFF}", Self.closeNamesRead])
                for contact in rows.map(StoreRows.contact) where seen.insert(contact.id).inserted {
                    if let distance = ContactName.closeness(query: query, name: contact.name) { found.append((contact, distance)) }
                }
            }
            return Array(found.sorted { ($0.distance, ContactName.key($0.contact.name)) < ($1.distance, ContactName.key($1.contact.name)) }.prefix(limit).map(\.contact))
        }
    }

    public func renameContact(id: Int64, to name: String, owner: UserKey, now: Date) async throws -> ContactRename {
        try await write { db in
            guard try Self.ownContact(id, owner: owner, db) != nil else { return .noSuchContact }
            let key = ContactName.key(name)
            if let other = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StoreRows.contactColumns) FROM contacts WHERE owner = ? AND name_key = ? AND id != ?"),
                                            arguments: [owner.stored, key, id]) {
                return .taken(StoreRows.contact(other))
            }
            try db.execute(sql: "UPDATE contacts SET name = ?, name_key = ?, updated_at = ? WHERE id = ?", arguments: [name, key, now, id])
            try db.execute(sql: "DELETE FROM contact_words WHERE contact_id = ?", arguments: [id])
            try Self.insertWords(of: id, owner: owner.stored, nameKey: key, db)
            try self.replanEverything(ofContact: id, now: now, db)
            return .renamed(try Self.contact(id, db))
        }
    }

    public func mergeContact(id: Int64, into target: Int64, owner: UserKey, now: Date) async throws -> Contact? {
        try await write { db in
            guard id != target, let from = try Self.ownContact(id, owner: owner, db), let into = try Self.ownContact(target, owner: owner, db) else { return nil }
            for table in ["meetings", "followups", "interactions"] {
                try db.execute(sql: "UPDATE \(table) SET contact_id = ? WHERE contact_id = ?", arguments: [target, id])
            }
            // What the kept contact lacks, the merged one may know.
            if into.knowsWhatIDo == nil, from.knowsWhatIDo != nil {
                try db.execute(sql: "UPDATE contacts SET knows_what_i_do = ?, knows_what_i_do_at = ? WHERE id = ?", arguments: [from.knowsWhatIDo, from.knowsWhatIDoAt, target])
            }
            if into.keepInTouch == nil, let cadence = from.keepInTouch {
                try db.execute(sql: "UPDATE contacts SET keep_in_touch_amount = ?, keep_in_touch_unit = ?, keep_in_touch_since = ? WHERE id = ?",
                               arguments: [cadence.amount, cadence.unit.rawValue, from.keepInTouchSince, target])
            }
            try db.execute(sql: """
                UPDATE contacts SET last_interaction_at = (SELECT MAX(at) FROM interactions WHERE contact_id = ?), updated_at = ? WHERE id = ?
                """, arguments: [target, now, target])
            try db.execute(sql: "DELETE FROM contacts WHERE id = ?", arguments: [id])
            _ = try self.sync(.contact(id), [], now: now, db)
            try self.replanEverything(ofContact: target, now: now, db)
            return try Self.contact(target, db)
        }
    }

    public func deleteContact(id: Int64, owner: UserKey, now: Date) async throws -> Bool {
        let deleted = try await write { db in
            // Deleted text is overwritten, not left in free pages for a file search to find.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            guard let contact = try Self.ownContact(id, owner: owner, db) else { return false }
            let meetings = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM meetings WHERE contact_id = ?"), arguments: [id])
            let followUps = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM followups WHERE contact_id = ?"), arguments: [id])
            var conversations: Set<Int64> = []
            for meeting in meetings {
                conversations.formUnion(try Int64.fetchAll(db.cachedStatement(sql: """
                    SELECT conversation_id FROM meetings WHERE id = ? AND conversation_id IS NOT NULL
                    UNION SELECT conversation_id FROM reflections WHERE meeting_id = ? AND conversation_id IS NOT NULL
                    """), arguments: [meeting, meeting]))
            }
            // And the owner's conversations about them that wrote nothing (an unfinished prep):
            // their answers name them too. Read through the owner's index: the owner's, not the store's.
            let key = ContactName.key(contact.name)
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, contact_name FROM conversations WHERE user_key = ? AND contact_name IS NOT NULL"),
                                        arguments: [owner.stored]) where ContactName.key(row["contact_name"] as String) == key {
                conversations.insert(row["id"])
            }
            // Their messages go with them, sent or not: the outbox keeps nothing about a deleted person.
            let subjects = meetings.map { NudgeSubject.meeting($0) } + followUps.map { NudgeSubject.followUp($0) } + [.contact(id)]
            for subject in subjects {
                try db.execute(sql: "DELETE FROM outbox WHERE subject = ?", arguments: [subject.stored])
            }
            // Their calendar events (title, description, attendees) go, every occurrence of the
            // series; the feed's next read skips them instead of writing the person back.
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT e.feed_id, e.uid FROM calendar_events e JOIN meetings m ON m.id = e.meeting_id WHERE m.contact_id = ?
                """), arguments: [id]) {
                let (feed, uid): (Int64, String) = (row["feed_id"], row["uid"])
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO forgotten_calendar_events (feed_id, uid_digest) VALUES (?, ?)")
                    .execute(arguments: [feed, ForgottenEvent.digest(uid: uid)])
                try db.cachedStatement(sql: "DELETE FROM calendar_events WHERE feed_id = ? AND uid = ?").execute(arguments: [feed, uid])
            }
            try db.execute(sql: "DELETE FROM followups WHERE contact_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM meetings WHERE contact_id = ?", arguments: [id])  // and their reflections
            try db.execute(sql: "DELETE FROM contacts WHERE id = ?", arguments: [id])  // and their notes and name words
            for conversation in conversations {
                try db.execute(sql: "DELETE FROM conversations WHERE id = ?", arguments: [conversation])  // and its answers
            }
            return true
        }
        if deleted { try await checkpoint() }
        return deleted
    }

    public func moveMeeting(id: Int64, to when: WhenValue, owner: UserKey, now: Date) async throws -> Meeting? {
        try await write { db in
            guard let meeting = try Self.ownMeeting(id, owner: owner, db) else { return nil }
            try db.execute(sql: """
                UPDATE meetings SET starts_at = ?, has_time = ?, status = CASE WHEN status = 'cancelled' THEN 'planned' ELSE status END WHERE id = ?
                """, arguments: [when.date, when.hasTime, id])
            try self.replan(meeting: id, now: now, db)
            try self.replan(contact: meeting.contactID, now: now, db)
            return try Self.ownMeeting(id, owner: owner, db)
        }
    }

    public func cancelMeeting(id: Int64, owner: UserKey, now: Date) async throws -> Meeting? {
        try await write { db in
            guard let meeting = try Self.ownMeeting(id, owner: owner, db) else { return nil }
            try db.execute(sql: "UPDATE meetings SET status = 'cancelled' WHERE id = ?", arguments: [id])
            try self.replan(meeting: id, now: now, db)
            try self.replan(contact: meeting.contactID, now: now, db)
            return try Self.ownMeeting(id, owner: owner, db)
        }
    }

    // MARK: - Helpers

    static func ownContact(_ id: Int64, owner: UserKey, _ db: Database) throws -> Contact? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StoreRows.contactColumns) FROM contacts WHERE id = ? AND owner = ?"), arguments: [id, owner.stored])
            .map(StoreRows.contact)
    }

    static func ownMeeting(_ id: Int64, owner: UserKey, _ db: Database) throws -> Meeting? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(StoreRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id WHERE m.id = ? AND m.owner = ?
            """), arguments: [id, owner.stored]).map(StoreRows.meeting)
    }

    /// A contact's meetings, follow-ups and keep-in-touch planned again (their nudges name them).
    func replanEverything(ofContact id: Int64, now: Date, _ db: Database) throws {
        for meeting in try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM meetings WHERE contact_id = ?"), arguments: [id]) {
            try replan(meeting: meeting, now: now, db)
        }
        for followUp in try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM followups WHERE contact_id = ?"), arguments: [id]) {
            try replan(followUp: followUp, now: now, db)
        }
        try replan(contact: id, now: now, db)
    }
}
