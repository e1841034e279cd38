import Foundation
import PostgresNIO
import RapportCore

extension PostgresStore: RecordStore {
    public func profile(owner: UserKey) async throws -> [String: String] {
        let logger = self.logger
        return try await read { connection in
            var profile: [String: String] = [:]
            for row in try await connection.rows(Prepared<PostgresStatements.Profile> { $0.append(owner.stored) }, logger) {
                profile[try row.value("key")] = try row.value("value")
            }
            return profile
        }
    }

    public func contacts(matching query: String, owner: UserKey, limit: Int) async throws -> [Contact] {
        let logger = self.logger
        return try await read { connection in try await Self.contacts(matching: query, owner: owner.stored, limit: limit, connection, logger) }
    }

    /// As the SQLite store: the exact name by the unique index, else a bounded range of the word
    /// index for the first typed word, checked against every typed word.
    static func contacts(matching query: String, owner: String, limit: Int, _ connection: PostgresConnection, _ logger: Logger) async throws -> [Contact] {
        guard let search = ContactSearch(query, limit: limit) else { return [] }
        return try search.found(in: try await connection.rows(Prepared<PostgresStatements.ContactsMatching> { search.bind(owner: owner, to: &$0) }, logger))
    }

    public func profile(owner: UserKey, contactsMatching query: String?, limit: Int) async throws -> ProfileAndContacts {
        let logger = self.logger
        let search = query.flatMap { ContactSearch($0, limit: limit) }
        let rows = try await read { connection in
            try await connection.rows(Prepared<PostgresStatements.ProfileAndContactsMatching> {
                if let search { search.bind(owner: owner.stored, to: &$0) } else { ContactSearch.bindNone(owner: owner.stored, to: &$0) }
            }, logger)
        }
        var profile: [String: String] = [:]
        if let text = try rows.first?.value("profile", as: String?.self) {
            profile = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        }
        let found = try search?.found(in: rows.filter { try $0.value("id", as: Int64?.self) != nil }) ?? []
        return ProfileAndContacts(profile: profile, contacts: found)
    }

    /// A typed name as `ContactsMatching` looks it up, and what it keeps of the rows.
    private struct ContactSearch {
        let query: String
        let key: String
        let first: String
        let limit: Int

        init?(_ query: String, limit: Int) {
            let key = ContactName.key(query)
            guard let first = key.split(separator: " ").first.map(String.init) else { return nil }
            (self.query, self.key, self.first, self.limit) = (query, key, first, limit)
        }

        func bind(owner: String, to bindings: inout PostgresBindings) {
            bindings.append(owner)
            bindings.append(key)
            bindings.append(first)
            bindings.append(first + "\u{10FFFF}")
            bindings.append(Int64(max(limit, 1) * 8))
        }

        /// No name: the lookups find nothing.
        static func bindNone(owner: String, to bindings: inout PostgresBindings) {
            bindings.append(owner)
            bindings.append(String?.none)
            bindings.append(String?.none)
            bindings.append(String?.none)
            bindings.append(Int64(0))
        }

        func found(in rows: [PostgresRandomAccessRow]) throws -> [Contact] {
            if let exact = rows.first, try exact.value("exact", as: Bool.self) {
                return [try PostgresRows.contact(exact)]
            }
            var seen: Set<Int64> = []
            let found = try rows.map(PostgresRows.contact).filter { seen.insert($0.id).inserted && ContactName.matches(query: query, name: $0.name) }
            return Array(found.sorted { ContactName.key($0.name) < ContactName.key($1.name) }.prefix(limit))
        }
    }

    public func meeting(id: Int64, owner: UserKey) async throws -> Meeting? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row("""
                SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id WHERE m.id = \(id) AND m.owner = \(owner.stored)
                """, logger).map(PostgresRows.meeting)
        }
    }

    public func meetings(contactID: Int64, owner: UserKey) async throws -> [Meeting] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(Prepared<PostgresStatements.MeetingsOfContact> {
                $0.append(contactID)
                $0.append(owner.stored)
            }, logger).map(PostgresRows.meeting)
        }
    }

    public func meetings(owner: UserKey, startingFrom start: Date?, limit: Int) async throws -> [Meeting] {
        let logger = self.logger
        return try await read { connection in
            // No bound when there is none: a bound far outside the column's statistics makes the
            // planner read the index's end for the real extreme, which on a store that grew since
            // its last ANALYZE cost milliseconds of planning per command.
            let dated = try await connection.rows(start.map { start in """
                SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
                WHERE m.owner = \(owner.stored) AND m.starts_at >= \(start) AND (m.status != 'cancelled' OR m.calendar_event_id IS NULL) ORDER BY m.starts_at, m.id LIMIT \(limit)
                """ } ?? """
                SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
                WHERE m.owner = \(owner.stored) AND m.starts_at IS NOT NULL AND (m.status != 'cancelled' OR m.calendar_event_id IS NULL) ORDER BY m.starts_at, m.id LIMIT \(limit)
                """, logger).map(PostgresRows.meeting)
            guard start == nil, dated.count < limit else { return dated }
            return dated + (try await connection.rows("""
                SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
                WHERE m.owner = \(owner.stored) AND m.starts_at IS NULL AND (m.status != 'cancelled' OR m.calendar_event_id IS NULL) ORDER BY m.id LIMIT \(limit - dated.count)
                """, logger).map(PostgresRows.meeting))
        }
    }

    public func awaitingReflection(owner: UserKey, now: Date, limit: Int) async throws -> [Meeting] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("""
                SELECT \(unescaped: PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
                WHERE m.owner = \(owner.stored) AND m.status = 'planned' AND m.starts_at <= \(now) ORDER BY m.starts_at DESC, m.id DESC LIMIT \(limit)
                """, logger).map(PostgresRows.meeting)
        }
    }

    public func reflection(meetingID: Int64, owner: UserKey) async throws -> Reflection? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row("""
                SELECT r.* FROM reflections r JOIN meetings m ON m.id = r.meeting_id WHERE r.meeting_id = \(meetingID) AND m.owner = \(owner.stored)
                """, logger).map(PostgresRows.reflection)
        }
    }

    public func openFollowUps(owner: UserKey, dueBefore: Date?, limit: Int) async throws -> [FollowUp] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(dueBefore.map { dueBefore in """
                SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id
                WHERE f.owner = \(owner.stored) AND f.done_at IS NULL AND f.due_at < \(dueBefore) ORDER BY f.due_at, f.id LIMIT \(limit)
                """ } ?? """
                SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id
                WHERE f.owner = \(owner.stored) AND f.done_at IS NULL ORDER BY f.due_at, f.id LIMIT \(limit)
                """, logger).map(PostgresRows.followUp)
        }
    }

    public func followUp(id: Int64, owner: UserKey) async throws -> FollowUp? {
        let logger = self.logger
        return try await read { connection in try await Self.followUp(id, owner: owner, connection, logger) }
    }

    public func doneFollowUps(owner: UserKey, limit: Int) async throws -> [FollowUp] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("""
                SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id
                WHERE f.owner = \(owner.stored) AND f.done_at IS NOT NULL ORDER BY f.done_at DESC, f.id DESC LIMIT \(limit)
                """, logger).map(PostgresRows.followUp)
        }
    }

    public func followUps(contactID: Int64, meetingID: Int64?, owner: UserKey, includeDone: Bool) async throws -> [FollowUp] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("""
                SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id
                WHERE f.contact_id = \(contactID) AND f.owner = \(owner.stored) AND (\(meetingID)::BIGINT IS NULL OR f.meeting_id = \(meetingID))
                    AND (\(includeDone) OR f.done_at IS NULL)
                ORDER BY f.due_at, f.id
                """, logger).map(PostgresRows.followUp)
        }
    }

    public func keepInTouch(owner: UserKey, now: Date, dueBefore: Date?, limit: Int) async throws -> [KeepInTouch] {
        let logger = self.logger
        return try await read { connection in
            var warm: [KeepInTouch] = []
            for row in try await connection.rows("""
                SELECT \(unescaped: PostgresRows.contactColumns), next_contact_due, last_interaction_at,
                    (SELECT MAX(starts_at) FROM meetings WHERE contact_id = contacts.id AND starts_at <= \(now) AND status != 'cancelled') AS last_met
                FROM contacts WHERE owner = \(owner.stored) AND next_contact_due IS NOT NULL AND next_contact_due < \(dueBefore ?? Date.distantFuture)
                ORDER BY next_contact_due, id LIMIT \(limit)
                """, logger) {
                let contact = try PostgresRows.contact(row)
                guard let cadence = contact.keepInTouch else { continue }
                let last = [try row.value("last_interaction_at", as: Date?.self), try row.value("last_met", as: Date?.self)].compactMap { $0 }.max()
                warm.append(KeepInTouch(contact: contact, cadence: cadence, due: try row.value("next_contact_due"), lastInteraction: last))
            }
            return warm
        }
    }

    public func interactions(contactID: Int64, owner: UserKey) async throws -> [Interaction] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("SELECT * FROM interactions WHERE contact_id = \(contactID) AND owner = \(owner.stored) ORDER BY at, id", logger)
                .map(PostgresRows.interaction)
        }
    }

    static func followUp(_ id: Int64, owner: UserKey, _ connection: PostgresConnection, _ logger: Logger) async throws -> FollowUp? {
        try await connection.row("""
            SELECT \(unescaped: PostgresRows.followUpColumns) FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.id = \(id) AND f.owner = \(owner.stored)
            """, logger).map(PostgresRows.followUp)
    }
}
