import Foundation
import GRDB

extension RapportDatabase {
    /// The reply given to a chat message already processed, by the message's id.
    public func processedReply(messageID: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(try db.cachedStatement(sql: "SELECT reply FROM processed_messages WHERE id = ?"), arguments: [messageID])
        }
    }

    /// Records that a chat message was processed and what it was answered; written in the same
    /// transaction as the turn, so a message is either applied and recorded or neither.
    public func recordProcessed(messageID: String, reply: String, now: Date) throws(StoreError) {
        try write { db in
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO processed_messages (id, reply, created_at) VALUES (?, ?, ?)")
                .execute(arguments: [messageID, reply, now])
        }
    }

    /// Forgets messages processed before `cutoff` (platforms stop retrying within a day or so).
    @discardableResult
    public func forgetProcessed(before cutoff: Date) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM processed_messages WHERE created_at < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
