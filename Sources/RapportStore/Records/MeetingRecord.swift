import Foundation
import GRDB
import RapportCore

/// A row of `meetings`.
struct MeetingRecord: Equatable {
    var id: Int64?
    var contactID: Int64
    var conversationID: Int64?
    var startsAt: Date?
    var hasTime: Bool
    var goal: String?
    var goalWeak: Bool
    var whyThem: String?
    var give: String?
    var question: String?
    var pitch: String?
    var knowsWhatIDo: String?
    var existingContactsCould: String?
    var extra: String?
    var card: String?
    var status: String
    var createdAt: Date
}

extension MeetingRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "meetings"

    enum CodingKeys: String, CodingKey {
        case id, goal, give, question, pitch, extra, card, status
        case contactID = "contact_id"
        case conversationID = "conversation_id"
        case startsAt = "starts_at"
        case hasTime = "has_time"
        case goalWeak = "goal_weak"
        case whyThem = "why_them"
        case knowsWhatIDo = "knows_what_i_do"
        case existingContactsCould = "existing_contacts_could"
        case createdAt = "created_at"
    }

    enum Columns {
        static let contactID = Column(CodingKeys.contactID)
        static let startsAt = Column(CodingKeys.startsAt)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    func meeting(contactName: String) -> Meeting {
        Meeting(
            id: id ?? 0, contactID: contactID, contactName: contactName, startsAt: startsAt, hasTime: hasTime, goal: goal,
            goalWeak: goalWeak, whyThem: whyThem, give: give, question: question, pitch: pitch,
            knowsWhatIDo: knowsWhatIDo, existingContactsCould: existingContactsCould, card: card, reflected: status == "reflected", createdAt: createdAt)
    }
}
