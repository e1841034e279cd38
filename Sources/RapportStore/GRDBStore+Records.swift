import Foundation
import GRDB
import RapportCore

extension GRDBStore: RecordStore {
    public func profile(owner: UserKey) async throws -> [String: String] {
        try await read { db in
            var profile: [String: String] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT key, value FROM profile WHERE owner = ?"), arguments: [owner.stored]) {
                profile[row["key"]] = row["value"]
            }
            return profile
        }
    }

    public func contacts(matching query: String, owner: UserKey, limit: Int) async throws -> [Contact] {
        try await read { db in try Self.contacts(matching: query, owner: owner.stored, limit: limit, db) }
    }

    /// The exact name through the unique (owner, name) index; otherwise the first contacts, in
    /// the word index's order, having a name word that starts with the first typed word, checked
    /// against every typed word and sorted by name. A short prefix that many names share reads a
    /// bounded number of them, not all.
    static func contacts(matching query: String, owner: String, limit: Int, _ db: Database) throws -> [Contact] {
        let key = ContactName.key(query)
        guard let first = key.split(separator: " ").first.map(String.init) else { return [] }
        let columns = StoreRows.contactColumns
        if let exact = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM contacts WHERE owner = ? AND name_key = ?"), arguments: [owner, key]) {
            return [StoreRows.contact(exact)]
        }
        // Every word that starts with `first` sorts between `first` and `first` + the highest character.
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT c.* FROM contact_words w JOIN contacts c ON c.id = w.contact_id
            WHERE w.owner = ? AND w.word >= ? AND w.word < ? LIMIT ?
            """), arguments: [owner, first, first + "\u{10FFFF}", max(limit, 1) * 8])
        var seen: Set<Int64> = []
        let found = rows.map(StoreRows.contact).filter { seen.insert($0.id).inserted && ContactName.matches(query: query, name: $0.name) }
        return Array(found.sorted { ContactName.key($0.name) < ContactName.key($1.name) }.prefix(limit))
    }

    public func meeting(id: Int64, owner: UserKey) async throws -> Meeting? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT \(StoreRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id WHERE m.id = ? AND m.owner = ?
                """), arguments: [id, owner.stored]).map(StoreRows.meeting)
        }
    }

    public func meetings(contactID: Int64, owner: UserKey) async throws -> [Meeting] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(StoreRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
                WHERE m.contact_id = ? AND m.owner = ? AND (m.status != 'cancelled' OR m.calendar_event_id IS NULL) ORDER BY m.starts_at IS NULL, m.starts_at, m.id
                """), arguments: [contactID, owner.stored]).map(StoreRows.meeting)
        }
    }

    public func meetings(owner: UserKey, startingFrom start: Date?, limit: Int) async throws -> [Meeting] {
        try await read { db in
            // Dated meetings in the index's order, then (for the whole listing) the undated ones:
            // one ORDER BY putting NULLs last would sort every meeting of the owner's.
            let dated = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(StoreRows.meetingColumns) FROM meetings m INDEXED BY meetings_by_owner JOIN contacts c ON c.id = m.contact_id
                WHERE m.owner = ? AND m.starts_at >= ? AND (m.status != 'cancelled' OR m.calendar_event_id IS NULL) ORDER BY m.starts_at, m.id LIMIT ?
                """), arguments: [owner.stored, start ?? Date.distantPast, limit]).map(StoreRows.meeting)
            guard start == nil, dated.count < limit else { return dated }
            let undated = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(StoreRows.meetingColumns) FROM meetings m INDEXED BY meetings_by_owner JOIN contacts c ON c.id = m.contact_id
                WHERE m.owner = ? AND m.starts_at IS NULL AND (m.status != 'cancelled' OR m.calendar_event_id IS NULL) ORDER BY m.id LIMIT ?
                """), arguments: [owner.stored, limit - dated.count]).map(StoreRows.meeting)
            return dated + undated
        }
    }

    public func awaitingReflection(owner: UserKey, now: Date, limit: Int) async throws -> [Meeting] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(StoreRows.meetingColumns) FROM meetings m INDEXED BY meetings_awaiting_reflection JOIN contacts c ON c.id = m.contact_id
                WHERE m.owner = ? AND m.status = 'planned' AND m.starts_at <= ? ORDER BY m.starts_at DESC, m.id DESC LIMIT ?
                """), arguments: [owner.stored, now, limit]).map(StoreRows.meeting)
        }
    }

    public func reflection(meetingID: Int64, owner: UserKey) async throws -> Reflection? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT r.* FROM reflections r JOIN meetings m ON m.id = r.meeting_id WHERE r.meeting_id = ? AND m.owner = ?
                """), arguments: [meetingID, owner.stored]).map(StoreRows.reflection)
        }
    }

    public func openFollowUps(owner: UserKey, dueBefore: Date?, limit: Int) async throws -> [FollowUp] {
        try await read { db in
            let before = dueBefore.map { _ in "AND f.due_at < ?" } ?? ""
            var arguments: StatementArguments = [owner.stored]
            if let dueBefore { arguments += [dueBefore] }
            arguments += [limit]
            return try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(StoreRows.followUpColumns) FROM followups f INDEXED BY followups_open JOIN contacts c ON c.id = f.contact_id
                WHERE f.owner = ? AND f.done_at IS NULL \(before) ORDER BY f.due_at, f.id LIMIT ?
                """), arguments: arguments).map(StoreRows.followUp)
        }
    }

    public func followUp(id: Int64, owner: UserKey) async throws -> FollowUp? {
        try await read { db in try Self.followUp(id, owner: owner, db) }
    }

    public func doneFollowUps(owner: UserKey, limit: Int) async throws -> [FollowUp] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(StoreRows.followUpColumns) FROM followups f INDEXED BY followups_done JOIN contacts c ON c.id = f.contact_id
                WHERE f.owner = ? AND f.done_at IS NOT NULL ORDER BY f.done_at DESC, f.id DESC LIMIT ?
                """), arguments: [owner.stored, limit]).map(StoreRows.followUp)
        }
    }

    public func followUps(contactID: Int64, meetingID: Int64?, owner: UserKey, includeDone: Bool) async throws -> [FollowUp] {
        try await read { db in
            var sql = "SELECT \(StoreRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.contact_id = ? AND f.owner = ?"
            var arguments: StatementArguments = [contactID, owner.stored]
            if let meetingID {
                sql += " AND f.meeting_id = ?"
                arguments += [meetingID]
            }
            if !includeDone { sql += " AND f.done_at IS NULL" }
            return try Row.fetchAll(db.cachedStatement(sql: sql + " ORDER BY f.due_at, f.id"), arguments: arguments).map(StoreRows.followUp)
        }
    }

    public func keepInTouch(owner: UserKey, now: Date, dueBefore: Date?, limit: Int) async throws -> [KeepInTouch] {
        try await read { db in
            let before = dueBefore.map { _ in "AND next_contact_due < ?" } ?? ""
            var arguments: StatementArguments = [owner.stored]
            if let dueBefore { arguments += [dueBefore] }
            arguments += [limit]
            return try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(StoreRows.contactColumns), next_contact_due, last_interaction_at FROM contacts INDEXED BY contacts_keep_in_touch
                WHERE owner = ? AND next_contact_due IS NOT NULL \(before) ORDER BY next_contact_due, id LIMIT ?
                """), arguments: arguments).compactMap { row -> KeepInTouch? in
                    let contact = StoreRows.contact(row)
                    guard let cadence = contact.keepInTouch else { return nil }
                    let met = try Date.fetchOne(
                        db.cachedStatement(sql: "SELECT MAX(starts_at) FROM meetings WHERE contact_id = ? AND starts_at <= ? AND status != 'cancelled'"), arguments: [contact.id, now])
                    let last = [row["last_interaction_at"] as Date?, met].compactMap { $0 }.max()
                    return KeepInTouch(contact: contact, cadence: cadence, due: row["next_contact_due"], lastInteraction: last)
                }
        }
    }

    public func interactions(contactID: Int64, owner: UserKey) async throws -> [Interaction] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM interactions WHERE contact_id = ? AND owner = ? ORDER BY at, id"),
                             arguments: [contactID, owner.stored]).map(StoreRows.interaction)
        }
    }
}
