import Foundation
import GRDB
import RapportCore

extension RapportDatabase {
    /// Every meeting with its contact's name, by start time (meetings without a time last).
    public func meetings(contactID: Int64? = nil) throws(StoreError) -> [Meeting] {
        try read { db in
            var request = MeetingRecord.all()
            if let contactID { request = request.filter(MeetingRecord.Columns.contactID == contactID) }
            let records = try request.order(MeetingRecord.Columns.startsAt.ascNullsLast, Column("id")).fetchAll(db)
            let names = try Self.contactNames(db)
            return records.map { $0.meeting(contactName: names[$0.contactID] ?? "?") }
        }
    }

    /// The meetings written by one user's conversations (a prep, or a reflection without one).
    public func meetingIDs(writtenBy userKey: String) throws(StoreError) -> Set<Int64> {
        try read { db in
            Set(try Int64.fetchAll(
                db, sql: "SELECT m.id FROM meetings m JOIN conversations c ON c.id = m.conversation_id WHERE c.user_key = ?", arguments: [userKey]))
        }
    }

    /// Meetings starting at or after `date`, soonest first.
    public func meetings(startingFrom date: Date, limit: Int? = nil) throws(StoreError) -> [Meeting] {
        try read { db in
            let records = try MeetingRecord.filter(MeetingRecord.Columns.startsAt >= date)
                .order(MeetingRecord.Columns.startsAt, Column("id")).limit(limit ?? Int.max).fetchAll(db)
            let names = try Self.contactNames(db)
            return records.map { $0.meeting(contactName: names[$0.contactID] ?? "?") }
        }
    }

    /// Every contact, by name.
    public func contacts() throws(StoreError) -> [Contact] {
        try read { db in try Self.allContacts(db) }
    }

    static func allContacts(_ db: Database) throws -> [Contact] {
        try ContactRecord.order(Column("name_key")).fetchAll(db).map(\.contact)
    }

    static func allMeetings(_ db: Database) throws -> [Meeting] {
        let names = try contactNames(db)
        return try MeetingRecord.order(MeetingRecord.Columns.startsAt.ascNullsLast, Column("id")).fetchAll(db).map { $0.meeting(contactName: names[$0.contactID] ?? "?") }
    }

    /// Contacts a typed name finds: the exact name (ignoring case and accents) if there is one,
    /// otherwise every contact whose name words start with the typed words.
    public func contacts(matching query: String) throws(StoreError) -> [Contact] {
        let all = try contacts()
        let key = ContactName.key(query)
        if let exact = all.first(where: { ContactName.key($0.name) == key }) { return [exact] }
        return all.filter { ContactName.matches(query: query, name: $0.name) }
    }

    static func contactNames(_ db: Database) throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try ContactRecord.fetchAll(db).compactMap { record in record.id.map { ($0, record.name) } })
    }
}
