import Foundation
import GRDB
import RapportCore

extension RapportDatabase {
    // MARK: - Reads

    /// Follow-ups, soonest due first; done ones only when asked for.
    public func followUps(includeDone: Bool = false, contactID: Int64? = nil) throws(StoreError) -> [FollowUp] {
        try read { db in
            var request = FollowUpRecord.all()
            if !includeDone { request = request.filter(FollowUpRecord.Columns.doneAt == nil) }
            if let contactID { request = request.filter(FollowUpRecord.Columns.contactID == contactID) }
            let names = try Self.contactNames(db)
            return try request.order(FollowUpRecord.Columns.dueAt, Column("id")).fetchAll(db).map {
                $0.followUp(contactName: names[$0.contactID] ?? "?")
            }
        }
    }

    static func allFollowUps(_ db: Database) throws -> [FollowUp] {
        let names = try contactNames(db)
        return try FollowUpRecord.filter(FollowUpRecord.Columns.doneAt == nil).order(FollowUpRecord.Columns.dueAt, Column("id")).fetchAll(db)
            .map { $0.followUp(contactName: names[$0.contactID] ?? "?") }
    }

    static func allInteractions(_ db: Database) throws -> [Interaction] {
        try InteractionRecord.order(Column("at"), Column("id")).fetchAll(db).map(\.interaction)
    }

    /// Every recorded interaction (notes, reflections, follow-ups done), oldest first.
    public func interactions(contactID: Int64? = nil) throws(StoreError) -> [Interaction] {
        try read { db in
            var request = InteractionRecord.all()
            if let contactID { request = request.filter(Column("contact_id") == contactID) }
            return try request.order(Column("at"), Column("id")).fetchAll(db).map(\.interaction)
        }
    }

    /// The reflection on a meeting, if one was written.
    public func reflection(meetingID: Int64) throws(StoreError) -> Reflection? {
        try read { db in try ReflectionRecord.filter(ReflectionRecord.Columns.meetingID == meetingID).fetchOne(db)?.reflection }
    }

    /// One meeting by id, with its contact's name.
    public func meeting(id: Int64) throws(StoreError) -> Meeting? {
        try read { db in
            guard let record = try MeetingRecord.fetchOne(db, key: id) else { return nil }
            let name = try String.fetchOne(db, sql: "SELECT name FROM contacts WHERE id = ?", arguments: [record.contactID])
            return record.meeting(contactName: name ?? "?")
        }
    }

    // MARK: - Writes

    /// Marks a follow-up done, which also counts as being in touch with its contact. Returns the
    /// follow-up as it was, or nil when there is no such follow-up.
    public func markDone(followUpID: Int64, now: Date) throws(StoreError) -> FollowUp? {
        try write { db in
            guard var record = try FollowUpRecord.fetchOne(db, key: followUpID) else { return nil }
            let name = try String.fetchOne(db, sql: "SELECT name FROM contacts WHERE id = ?", arguments: [record.contactID]) ?? "?"
            guard record.doneAt == nil else { return record.followUp(contactName: name) }
            record.doneAt = now
            try record.update(db)
            try InteractionRecord(contactID: record.contactID, kind: Interaction.Kind.followUpDone.rawValue, note: record.text, at: now).insert(db)
            try syncNudges(db, now: now)
            return record.followUp(contactName: name)
        }
    }

    /// Moves a follow-up's due date. Returns it as changed, or nil when there is no such follow-up.
    public func snooze(followUpID: Int64, until due: WhenValue, now: Date) throws(StoreError) -> FollowUp? {
        try write { db in
            guard var record = try FollowUpRecord.fetchOne(db, key: followUpID) else { return nil }
            record.dueAt = due.date
            record.hasTime = due.hasTime
            try record.update(db)
            try syncNudges(db, now: now)
            let name = try String.fetchOne(db, sql: "SELECT name FROM contacts WHERE id = ?", arguments: [record.contactID]) ?? "?"
            return record.followUp(contactName: name)
        }
    }

    /// Records an interaction with a contact by name, adding the contact when it is new.
    @discardableResult
    public func logInteraction(contactName: String, note: String, now: Date) throws(StoreError) -> Contact {
        try write { db in
            let key = ContactName.key(contactName)
            var record = try ContactRecord.filter(ContactRecord.Columns.nameKey == key).fetchOne(db)
                ?? ContactRecord(
                    id: nil, name: contactName, nameKey: key, knowsWhatIDo: nil, keepInTouchAmount: nil, keepInTouchUnit: nil,
                    keepInTouchSince: nil, createdAt: now, updatedAt: now)
            record.updatedAt = now
            try record.save(db)
            try InteractionRecord(contactID: record.id!, kind: Interaction.Kind.note.rawValue, note: note, at: now).insert(db)
            try syncNudges(db, now: now)
            return record.contact
        }
    }
}
