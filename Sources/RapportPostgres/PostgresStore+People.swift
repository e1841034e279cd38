import Foundation
import PostgresNIO
import RapportCore

extension PostgresStore: PeopleStore {
    public func people(limit: Int) async throws -> [UserKey] {
        let logger = self.logger
        return try await read { connection in
            // A skip-scan of each owner index: one seek per person, however many records each has.
            var keys: Set<String> = []
            for table in ["contacts", "conversations"] {
                let column = table == "contacts" ? "owner" : "user_key"
                var last = ""
                var found = 0
                while found < limit,
                      let row = try await connection.row(PostgresQuery(unsafeSQL: "SELECT MIN(\(column)) AS next FROM \(table) WHERE \(column) > $1", binds: Self.binds([last])), logger),
                      let next = try row.value("next", as: String?.self) {
                    keys.insert(next)
                    last = next
                    found += 1
                }
            }
            return keys.sorted().prefix(limit).compactMap(UserKey.init(stored:))
        }
    }

    public func forget(owner: UserKey) async throws -> ForgottenRecords {
        let logger = self.logger
        let key = owner.stored
        return try await transaction { connection in
            var forgotten = ForgottenRecords()
            let contacts = try await connection.rows("SELECT id FROM contacts WHERE owner = \(key)", logger).map { try $0.value("id", as: Int64.self) }
            let meetings = try await connection.rows("SELECT id FROM meetings WHERE owner = \(key)", logger).map { try $0.value("id", as: Int64.self) }
            let followUps = try await connection.rows("SELECT id FROM followups WHERE owner = \(key) AND done_at IS NULL", logger).map { try $0.value("id", as: Int64.self) }
                + connection.rows("SELECT id FROM followups WHERE owner = \(key) AND done_at IS NOT NULL", logger).map { try $0.value("id", as: Int64.self) }
            let subjects = meetings.map { NudgeSubject.meeting($0).stored } + followUps.map { NudgeSubject.followUp($0).stored } + contacts.map { NudgeSubject.contact($0).stored }
            if !subjects.isEmpty {
                forgotten.outboxMessages = try await connection.run("DELETE FROM outbox WHERE subject = ANY(\(subjects)) RETURNING id", logger)
            }
            // The calendars' copies of events (titles, descriptions, attendees) go with their feeds (ON DELETE CASCADE).
            try await connection.run("DELETE FROM calendar_feeds WHERE owner = \(key)", logger)
            try await connection.run("DELETE FROM followups WHERE id = ANY(\(followUps))", logger)
            try await connection.run("DELETE FROM reflections WHERE meeting_id = ANY(\(meetings))", logger)
            try await connection.run("DELETE FROM meetings WHERE id = ANY(\(meetings))", logger)
            // Notes and name words go with the contact (ON DELETE CASCADE).
            try await connection.run("DELETE FROM contacts WHERE id = ANY(\(contacts))", logger)
            forgotten.conversations = try await connection.run("DELETE FROM conversations WHERE user_key = \(key) RETURNING id", logger)
            // The replies remembered for their retried messages, keyed "owner/platform:id".
            // starts_with, not a range: under the database's collation "/" need not sort as in bytes.
            // The table holds only the last few days' messages, so the scan is bounded.
            try await connection.run("DELETE FROM processed_messages WHERE starts_with(id, \(key + "/"))", logger)
            try await connection.run("DELETE FROM profile WHERE owner = \(key)", logger)
            forgotten.contacts = contacts.count
            forgotten.meetings = meetings.count
            forgotten.followUps = followUps.count
            return forgotten
        }
    }

    private static func binds(_ values: [String]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}
