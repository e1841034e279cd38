import Foundation
import GRDB
import RapportCore

/// A row of `contacts`.
struct ContactRecord: Equatable {
    var id: Int64?
    var name: String
    var nameKey: String
    var knowsWhatIDo: String?
    var keepInTouchAmount: Int?
    var keepInTouchUnit: String?
    var keepInTouchSince: Date?
    var createdAt: Date
    var updatedAt: Date
}

extension ContactRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "contacts"

    enum CodingKeys: String, CodingKey {
        case id, name
        case nameKey = "name_key"
        case knowsWhatIDo = "knows_what_i_do"
        case keepInTouchAmount = "keep_in_touch_amount"
        case keepInTouchUnit = "keep_in_touch_unit"
        case keepInTouchSince = "keep_in_touch_since"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let nameKey = Column(CodingKeys.nameKey)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var keepInTouch: DurationValue? {
        get {
            guard let amount = keepInTouchAmount, let unit = keepInTouchUnit.flatMap(DurationValue.Unit.init) else { return nil }
            return DurationValue(amount: amount, unit: unit)
        }
        set {
            keepInTouchAmount = newValue?.amount
            keepInTouchUnit = newValue?.unit.rawValue
        }
    }

    var contact: Contact {
        Contact(id: id ?? 0, name: name, knowsWhatIDo: knowsWhatIDo, keepInTouch: keepInTouch, keepInTouchSince: keepInTouchSince, createdAt: createdAt)
    }
}
