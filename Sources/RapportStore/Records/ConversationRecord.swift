import Foundation
import GRDB
import RapportCore

/// A row of `conversations`: the engine state as JSON plus the columns listings need.
struct ConversationRecord: Equatable {
    var id: Int64?
    var flow: String
    var channel: String
    var userKey: String
    var status: String
    var currentStep: String?
    var contactName: String?
    var state: String
    var createdAt: Date
    var updatedAt: Date
}

extension ConversationRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "conversations"

    enum CodingKeys: String, CodingKey {
        case id, flow, channel, status, state
        case userKey = "user_key"
        case currentStep = "current_step"
        case contactName = "contact_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let flow = Column(CodingKeys.flow)
        static let status = Column(CodingKeys.status)
        static let channel = Column(CodingKeys.channel)
        static let userKey = Column(CodingKeys.userKey)
        static let updatedAt = Column(CodingKeys.updatedAt)
    }

    // Written out rather than derived from Codable: a chat server reads and writes a
    // conversation on every turn, and the Codable path costs several times as much.
    init(row: Row) throws {
        id = row["id"]
        flow = row["flow"]
        channel = row["channel"]
        userKey = row["user_key"]
        status = row["status"]
        currentStep = row["current_step"]
        contactName = row["contact_name"]
        state = row["state"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["flow"] = flow
        container["channel"] = channel
        container["user_key"] = userKey
        container["status"] = status
        container["current_step"] = currentStep
        container["contact_name"] = contactName
        container["state"] = state
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var summary: ConversationSummary {
        ConversationSummary(
            id: id ?? 0, flowID: flow, status: ConversationState.Status(rawValue: status) ?? .paused,
            currentStep: currentStep, contactName: contactName, updatedAt: updatedAt)
    }
}

/// A row of `answers`, the append-only log of every accepted answer.
struct AnswerRecord: Equatable, Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "answers"

    var conversationID: Int64
    var step: String
    var slot: String?
    var raw: String
    var value: String?
    var weak: Bool
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case step, slot, raw, value, weak
        case conversationID = "conversation_id"
        case createdAt = "created_at"
    }
}

/// A row of `profile`: the user's own settings and texts (their pitch).
struct ProfileEntry: Equatable, Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "profile"

    var key: String
    var value: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case key, value
        case updatedAt = "updated_at"
    }
}
