import Foundation
import GRDB
import RapportCore

/// A row of `followups`.
struct FollowUpRecord: Equatable {
    var id: Int64?
    var contactID: Int64
    var meetingID: Int64?
    var kind: String
    var text: String
    var dueAt: Date
    var hasTime: Bool
    var doneAt: Date?
    var createdAt: Date
}

extension FollowUpRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "followups"

    enum CodingKeys: String, CodingKey {
        case id, kind, text
        case contactID = "contact_id"
        case meetingID = "meeting_id"
        case dueAt = "due_at"
        case hasTime = "has_time"
        case doneAt = "done_at"
        case createdAt = "created_at"
    }

    enum Columns {
        static let meetingID = Column(CodingKeys.meetingID)
        static let contactID = Column(CodingKeys.contactID)
        static let dueAt = Column(CodingKeys.dueAt)
        static let doneAt = Column(CodingKeys.doneAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    func followUp(contactName: String) -> FollowUp {
        FollowUp(
            id: id ?? 0, contactID: contactID, contactName: contactName, meetingID: meetingID,
            kind: FollowUp.Kind(rawValue: kind) ?? .action, text: text, due: dueAt, hasTime: hasTime, doneAt: doneAt,
            createdAt: createdAt)
    }
}

/// A row of `interactions`.
struct InteractionRecord: Equatable, Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "interactions"

    var contactID: Int64
    var kind: String
    var note: String?
    var at: Date

    enum CodingKeys: String, CodingKey {
        case kind, note, at
        case contactID = "contact_id"
    }

    var interaction: Interaction {
        Interaction(contactID: contactID, kind: Interaction.Kind(rawValue: kind) ?? .note, note: note, at: at)
    }
}

/// A row of `reflections`.
struct ReflectionRecord: Equatable {
    var id: Int64?
    var meetingID: Int64
    var conversationID: Int64?
    var goalReached: String?
    var outcome: String?
    var gave: String?
    var got: String?
    var worthIt: String?
    var card: String?
    var createdAt: Date
    var updatedAt: Date
}

extension ReflectionRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "reflections"

    enum CodingKeys: String, CodingKey {
        case id, outcome, gave, got, card
        case meetingID = "meeting_id"
        case conversationID = "conversation_id"
        case goalReached = "goal_reached"
        case worthIt = "worth_it"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let meetingID = Column(CodingKeys.meetingID)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var reflection: Reflection {
        Reflection(
            id: id ?? 0, meetingID: meetingID, conversationID: conversationID, goalReached: goalReached, outcome: outcome,
            gave: gave, got: got, worthIt: worthIt, card: card, createdAt: createdAt, updatedAt: updatedAt)
    }
}
