import Foundation
import GRDB
import RapportCore

/// A row of `outbox`.
struct OutboxRecord: Equatable {
    var id: Int64?
    var key: String
    var destination: String
    var kind: String
    var payload: String
    var dueAt: Date
    var attempts: Int
    var nextAttemptAt: Date
    var status: String
    var lastError: String?
    var sentAt: Date?
    var createdAt: Date
}

extension OutboxRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outbox"

    enum CodingKeys: String, CodingKey {
        case id, key, destination, kind, payload, attempts, status
        case dueAt = "due_at"
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case sentAt = "sent_at"
        case createdAt = "created_at"
    }

    enum Columns {
        static let status = Column(CodingKeys.status)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        static let key = Column(CodingKeys.key)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var entry: OutboxEntry {
        OutboxEntry(
            id: id ?? 0, key: key, destination: destination, kind: kind, payload: payload, dueAt: dueAt, attempts: attempts,
            nextAttemptAt: nextAttemptAt, status: OutboxEntry.Status(rawValue: status) ?? .pending, lastError: lastError,
            sentAt: sentAt, createdAt: createdAt)
    }
}
