import Foundation
import GRDB
import RapportCore

/// A row of `contacts`.
struct ContactRecord: Equatable {
    var id: Int64?
    var name: String
    var nameKey: String
    var knowsWhatIDo: String?
    var createdAt: Date
    var updatedAt: Date
}

extension ContactRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "contacts"

    enum CodingKeys: String, CodingKey {
        case id, name
        case nameKey = "name_key"
        case knowsWhatIDo = "knows_what_i_do"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let nameKey = Column(CodingKeys.nameKey)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var contact: Contact {
        Contact(id: id ?? 0, name: name, knowsWhatIDo: knowsWhatIDo, createdAt: createdAt)
    }
}
