import Foundation
import PostgresNIO
import RapportCore

/// As the SQLite store's: contacts listed and found close to a typo, renamed, merged, deleted
/// with everything about them, a meeting moved or cancelled; each write re-plans the nudges of
/// what it touched, in the same transaction.
extension PostgresStore {
    public func contacts(owner: UserKey, limit: Int) async throws -> [Contact] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("""
                SELECT \(unescaped: PostgresRows.contactColumns) FROM contacts WHERE owner = \(owner.stored) ORDER BY name_key LIMIT \(limit)
                """, logger).map(PostgresRows.contact)
        }
    }

    /// At most this many names are read for each first-letters range of a misspelt name.
    static let closeNamesRead = 200

    public func contacts(closeTo query: String, owner: UserKey, limit: Int) async throws -> [Contact] {
        let logger = self.logger
        return try await read { connection in
            var seen: Set<Int64> = []
            var found: [(contact: Contact, distance: Int)] = []
            for prefix in ContactName.closenessPrefixes(of: query) {
                let rows = try await connection.rows("""
                    SELECT c.* FROM contact_words w JOIN contacts c ON c.id = w.contact_id
                    WHERE w.owner = \(owner.stored) AND w.word >= \(prefix) AND w.word < \(prefix + "\u{10FFFF}") LIMIT \(Self.closeNamesRead)
                    """, logger)
                for contact in try rows.map(PostgresRows.contact) where seen.insert(contact.id).inserted {
                    if let distance = ContactName.closeness(query: query, name: contact.name) { found.append((contact, distance)) }
                }
            }
            let ranked = found.sorted { ($0.distance, ContactName.key($0.contact.name)) < ($1.distance, ContactName.key($1.contact.name)) }
            return Array(ranked.prefix(limit).map(\.contact))
        }
    }

    public func renameContact(id: Int64, to name: String, owner: UserKey, now: Date) async throws -> ContactRename {
        let logger = self.logger
        return try await transaction { connection in
            guard try await Self.ownContact(id, owner: owner, forUpdate: true, connection, logger) != nil else { return .noSuchContact }
            let key = ContactName.key(name)
            if let other = try await connection.row("""
                SELECT \(unescaped: PostgresRows.contactColumns) FROM contacts WHERE owner = \(owner.stored) AND name_key = \(key) AND id != \(id)
                """, logger) {
                return .taken(try PostgresRows.contact(other))
            }
            try await connection.run("UPDATE contacts SET name = \(name), name_key = \(key), updated_at = \(now) WHERE id = \(id)", logger)
            try await connection.run("DELETE FROM contact_words WHERE contact_id = \(id)", logger)
            try await Self.insertWords(of: id, owner: owner.stored, nameKey: key, connection, logger)
            try await self.replanEverything(ofContact: id, now: now, connection)
            return .renamed(try await Self.ownContact(id, owner: owner, connection, logger)!)
        }
    }

    public func mergeContact(id: Int64, into target: Int64, owner: UserKey, now: Date) async throws -> Contact? {
        let logger = self.logger
        return try await transaction { connection in
            guard id != target, let from = try await Self.ownContact(id, owner: owner, forUpdate: true, connection, logger),
                  let into = try await Self.ownContact(target, owner: owner, forUpdate: true, connection, logger)
            else { return nil }
            try await connection.run("UPDATE meetings SET contact_id = \(target) WHERE contact_id = \(id)", logger)
            try await connection.run("UPDATE followups SET contact_id = \(target) WHERE contact_id = \(id)", logger)
            try await connection.run("UPDATE interactions SET contact_id = \(target) WHERE contact_id = \(id)", logger)
            // What the kept contact lacks, the merged one may know.
            if into.knowsWhatIDo == nil, from.knowsWhatIDo != nil {
                try await connection.run("""
                    UPDATE contacts SET knows_what_i_do = \(from.knowsWhatIDo), knows_what_i_do_at = \(from.knowsWhatIDoAt) WHERE id = \(target)
                    """, logger)
            }
            if into.keepInTouch == nil, let cadence = from.keepInTouch {
                try await connection.run("""
                    UPDATE contacts SET keep_in_touch_amount = \(Int32(cadence.amount)), keep_in_touch_unit = \(cadence.unit.rawValue),
                        keep_in_touch_since = \(from.keepInTouchSince) WHERE id = \(target)
                    """, logger)
            }
            try await connection.run("""
                UPDATE contacts SET last_interaction_at = (SELECT MAX(at) FROM interactions WHERE contact_id = \(target)), updated_at = \(now) WHERE id = \(target)
                """, logger)
            try await connection.run("DELETE FROM contacts WHERE id = \(id)", logger)
            _ = try await self.sync(.contact(id), [], now: now, connection)
            try await self.replanEverything(ofContact: target, now: now, connection)
            return try await Self.ownContact(target, owner: owner, connection, logger)
        }
    }

    public func deleteContact(id: Int64, owner: UserKey, now: Date) async throws -> Bool {
        let logger = self.logger
        return try await transaction { connection in
            guard let contact = try await Self.ownContact(id, owner: owner, forUpdate: true, connection, logger) else { return false }
            let meetings = try await connection.rows("SELECT id FROM meetings WHERE contact_id = \(id)", logger).map { try $0.value("id", as: Int64.self) }
            let followUps = try await connection.rows("SELECT id FROM followups WHERE contact_id = \(id)", logger).map { try $0.value("id", as: Int64.self) }
            let conversations = try await connection.rows("""
                SELECT conversation_id FROM meetings WHERE contact_id = \(id) AND conversation_id IS NOT NULL
                UNION SELECT r.conversation_id FROM reflections r JOIN meetings m ON m.id = r.meeting_id
                    WHERE m.contact_id = \(id) AND r.conversation_id IS NOT NULL
                """, logger).map { try $0.value("conversation_id", as: Int64.self) }
                // And the owner's conversations about them that wrote nothing (an unfinished prep).
                + connection.rows("SELECT id, contact_name FROM conversations WHERE user_key = \(owner.stored) AND contact_name IS NOT NULL", logger)
                    .filter { ContactName.key(try $0.value("contact_name", as: String.self)) == ContactName.key(contact.name) }
                    .map { try $0.value("id", as: Int64.self) }
            // Their messages go with them, sent or not: the outbox keeps nothing about a deleted person.
            let subjects = meetings.map { NudgeSubject.meeting($0).stored } + followUps.map { NudgeSubject.followUp($0).stored } + [NudgeSubject.contact(id).stored]
            try await connection.run("DELETE FROM outbox WHERE subject = ANY(\(subjects))", logger)
            // Their calendar events go, every occurrence of the series; the feed's next read skips them.
            for row in try await connection.rows("""
                SELECT DISTINCT e.feed_id, e.uid FROM calendar_events e JOIN meetings m ON m.id = e.meeting_id WHERE m.contact_id = \(id)
                """, logger) {
                let (feed, uid) = (try row.value("feed_id", as: Int64.self), try row.value("uid", as: String.self))
                try await connection.run("""
                    INSERT INTO forgotten_calendar_events (feed_id, uid_digest) VALUES (\(feed), \(ForgottenEvent.digest(uid: uid))) ON CONFLICT DO NOTHING
                    """, logger)
                try await connection.run("DELETE FROM calendar_events WHERE feed_id = \(feed) AND uid = \(uid)", logger)
            }
            try await connection.run("DELETE FROM followups WHERE contact_id = \(id)", logger)
            try await connection.run("DELETE FROM meetings WHERE contact_id = \(id)", logger)  // and their reflections
            try await connection.run("DELETE FROM contacts WHERE id = \(id)", logger)  // and their notes and name words
            try await connection.run("DELETE FROM conversations WHERE id = ANY(\(conversations))", logger)  // and their answers
            return true
        }
    }

    public func moveMeeting(id: Int64, to when: WhenValue, owner: UserKey, now: Date) async throws -> Meeting? {
        let logger = self.logger
        return try await transaction { connection in
            guard let meeting = try await Self.ownMeeting(id, owner: owner, connection, logger) else { return nil }
            try await connection.run("""
                UPDATE meetings SET starts_at = \(when.date), has_time = \(when.hasTime),
                    status = CASE WHEN status = 'cancelled' THEN 'planned' ELSE status END
                WHERE id = \(id)
                """, logger)
            try await self.replan(meeting: id, now: now, connection)
            try await self.replan(contact: meeting.contactID, now: now, connection)
            return try await Self.ownMeeting(id, owner: owner, connection, logger)
        }
    }

    public func cancelMeeting(id: Int64, owner: UserKey, now: Date) async throws -> Meeting? {
        let logger = self.logger
        return try await transaction { connection in
            guard let meeting = try await Self.ownMeeting(id, owner: owner, connection, logger) else { return nil }
            try await connection.run("UPDATE meetings SET status = 'cancelled' WHERE id = \(id)", logger)
            try await self.replan(meeting: id, now: now, connection)
            try await self.replan(contact: meeting.contactID, now: now, connection)
            return try await Self.ownMeeting(id, owner: owner, connection, logger)
        }
    }

    // MARK: - Helpers

    /// The owner's contact; `forUpdate` holds its row until the transaction ends, so two
    /// replicas changing one contact at once take turns.
    static func ownContact(_ id: Int64, owner: UserKey, forUpdate: Bool = false, _ connection: PostgresConnection, _ logger: Logger) async throws -> Contact? {
        let query: PostgresQuery = forUpdate
            ? "SELECT \(unescaped: PostgresRows.contactColumns) FROM contacts WHERE id = \(id) AND owner = \(owner.stored) FOR UPDATE"
            : "SELECT \(unescaped: PostgresRows.contactColumns) FROM contacts WHERE id = \(id) AND owner = \(owner.stored)"
        return try await connection.row(query, logger).map(PostgresRows.contact)
    }

    static func ownMeeting(_ id: Int64, owner: UserKey, _ connection: PostgresConnection, _ logger: Logger) async throws -> Meeting? {
        try await connection.row("""
            SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id WHERE m.id = \(id) AND m.owner = \(owner.stored)
            """, logger).map(PostgresRows.meeting)
    }

    /// A contact's words in the name index, one row each.
    static func insertWords(of contactID: Int64, owner: String, nameKey: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run("""
            INSERT INTO contact_words (contact_id, owner, word) SELECT \(contactID), \(owner), unnest(\(words(of: nameKey))::text[]) RETURNING 1
            """, logger)
    }

    /// The words of a contact's name key the word index holds, each once.
    static func words(of nameKey: String) -> [String] {
        Set(nameKey.split(separator: " ").map(String.init)).sorted()
    }

    /// A contact's meetings, follow-ups and keep-in-touch planned again (their nudges name them).
    func replanEverything(ofContact id: Int64, now: Date, _ connection: PostgresConnection) async throws {
        for row in try await connection.rows("SELECT id FROM meetings WHERE contact_id = \(id)", logger) {
            try await replan(meeting: try row.value("id"), now: now, connection)
        }
        for row in try await connection.rows("SELECT id FROM followups WHERE contact_id = \(id)", logger) {
            try await replan(followUp: try row.value("id"), now: now, connection)
        }
        try await replan(contact: id, now: now, connection)
    }
}
