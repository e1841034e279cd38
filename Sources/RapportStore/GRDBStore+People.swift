import Foundation
import GRDB
import RapportCore

extension GRDBStore: PeopleStore {
    public func people(limit: Int) async throws -> [UserKey] {
        try await read { db in
            // A skip-scan of each owner index: one seek per person, however many records each has.
            func owners(_ sql: String) throws -> [String] {
                var found: [String] = []
                var last = ""
                while found.count < limit, let next = try String.fetchOne(db.cachedStatement(sql: sql), arguments: [last]) {
                    found.append(next)
                    last = next
                }
                return found
            }
            let keys = Set(try owners("SELECT MIN(owner) FROM contacts WHERE owner > ?")
                + owners("SELECT MIN(user_key) FROM conversations WHERE user_key > ?"))
            return keys.sorted().prefix(limit).compactMap(UserKey.init(stored:))
        }
    }

    public func forget(owner: UserKey) async throws -> ForgottenRecords {
        let key = owner.stored
        let forgotten = try await write { db in
            // Deleted text is overwritten, not left in free pages for a file search to find.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            var forgotten = ForgottenRecords()
            let contacts = try Int64.fetchAll(db, sql: "SELECT id FROM contacts WHERE owner = ?", arguments: [key])
            let meetings = try Int64.fetchAll(db, sql: "SELECT id FROM meetings WHERE owner = ?", arguments: [key])
            // The two partial indexes together hold every follow-up.
            let followUps = try Int64.fetchAll(db, sql: "SELECT id FROM followups WHERE owner = ? AND done_at IS NULL", arguments: [key])
                + Int64.fetchAll(db, sql: "SELECT id FROM followups WHERE owner = ? AND done_at IS NOT NULL", arguments: [key])
            let subjects = meetings.map { NudgeSubject.meeting($0) } + followUps.map { NudgeSubject.followUp($0) } + contacts.map { NudgeSubject.contact($0) }
            for subject in subjects {
                try db.cachedStatement(sql: "DELETE FROM outbox WHERE subject = ?").execute(arguments: [subject.stored])
                forgotten.outboxMessages += db.changesCount
            }
            // The calendars' copies of events (titles, descriptions, attendees) go with their feeds.
            for feed in try Int64.fetchAll(db, sql: "SELECT id FROM calendar_feeds WHERE owner = ?", arguments: [key]) {
                try db.cachedStatement(sql: "DELETE FROM calendar_events WHERE feed_id = ?").execute(arguments: [feed])
                try db.cachedStatement(sql: "DELETE FROM calendar_feeds WHERE id = ?").execute(arguments: [feed])
            }
            for id in followUps {
                try db.cachedStatement(sql: "DELETE FROM followups WHERE id = ?").execute(arguments: [id])
            }
            for id in meetings {
                try db.cachedStatement(sql: "DELETE FROM reflections WHERE meeting_id = ?").execute(arguments: [id])
                try db.cachedStatement(sql: "DELETE FROM meetings WHERE id = ?").execute(arguments: [id])
            }
            for id in contacts {
                // Notes, follow-ups and name words go with the contact (ON DELETE CASCADE).
                try db.cachedStatement(sql: "DELETE FROM contacts WHERE id = ?").execute(arguments: [id])
            }
            try db.execute(sql: "DELETE FROM conversations WHERE user_key = ?", arguments: [key])
            forgotten.conversations = db.changesCount
            // The replies remembered for their retried messages, keyed "owner/platform:id".
            try db.execute(sql: "DELETE FROM processed_messages WHERE id >= ? AND id < ?", arguments: [key + "/", key + "0"])
            try db.execute(sql: "DELETE FROM profile WHERE owner = ?", arguments: [key])
            forgotten.contacts = contacts.count
            forgotten.meetings = meetings.count
            forgotten.followUps = followUps.count
            return forgotten
        }
        try await checkpoint()
        return forgotten
    }

    /// Moves the write-ahead log into the file and empties it, so no copy of a page from before a
    /// forgetting stays in the `-wal` file. Best effort: a reader holding an old snapshot keeps it.
    func checkpoint() async throws {
        do {
            try await writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch {
            throw failure(error)
        }
    }
}
