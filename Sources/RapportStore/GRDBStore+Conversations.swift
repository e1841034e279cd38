import Foundation
import GRDB
import RapportCore

extension GRDBStore: ConversationStore {
    public func conversation(id: Int64) async throws -> StoredConversation? {
        let path = self.path
        return try await read { db in
            // Cached statements: a chat server runs this on every turn.
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM conversations WHERE id = ?"), arguments: [id]) else { return nil }
            return try StoreRows.conversation(row, path: path)
        }
    }

    public func openConversations(owner: UserKey, flowID: String?, limit: Int) async throws -> [ConversationSummary] {
        let path = self.path
        return try await read { db in
            var sql = "SELECT * FROM conversations WHERE user_key = ? AND status IN ('active', 'paused')"
            var arguments: StatementArguments = [owner.stored]
            if let flowID {
                sql += " AND flow = ?"
                arguments += [flowID]
            }
            sql += " ORDER BY updated_at DESC, id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { try StoreRows.conversation($0, path: path).summary }
        }
    }

    public func start(_ start: ConversationStart) async throws -> CommitResult {
        do {
            return try await turns.commit(now: start.now) { db in try self.apply(start, db) }
        } catch {
            throw failure(error)
        }
    }

    public func commit(_ turn: TurnCommit) async throws -> CommitResult {
        do {
            return try await turns.commit(now: turn.now) { db in try self.apply(turn, db) }
        } catch {
            throw failure(error)
        }
    }

    public func answers(conversationID: Int64) async throws -> [RecordedAnswer] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM answers WHERE conversation_id = ? ORDER BY id", arguments: [conversationID]).map { row in
                let value: String? = row["value"]
                return RecordedAnswer(
                    stepID: row["step"], slot: row["slot"], raw: row["raw"],
                    value: try value.map { try JSONDecoder().decode(SlotValue.self, from: Data($0.utf8)) }, weak: row["weak"])
            }
        }
    }

    public func processedReply(_ id: MessageID, sender: UserKey) async throws -> String? {
        try await read { db in try Self.processedReply(id.stored(sender: sender), db) }
    }

    public func claim(_ message: ProcessedMessage, sender: UserKey, now: Date) async throws -> String? {
        try await write { db in
            if let reply = try Self.processedReply(message.id.stored(sender: sender), db) { return reply }
            try Self.recordProcessed(message, sender: sender, now: now, db)
            return nil
        }
    }

    // MARK: - Inside the group's transaction

    func apply(_ start: ConversationStart, _ db: Database) throws -> CommitResult {
        if let message = start.message, let reply = try Self.processedReply(message.id.stored(sender: start.owner), db) {
            return .alreadyProcessed(reply: reply)
        }
        let state = start.state
        try db.cachedStatement(sql: """
            INSERT INTO conversations (flow, channel, user_key, status, current_step, contact_name, state, created_at, updated_at, version, last_channel)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
            """).execute(arguments: [
                state.flowID, start.channel.stored, start.owner.stored, state.status.rawValue, state.currentStep, state.contactName,
                state.json, start.now, start.now, start.channel.stored,
            ])
        let id = db.lastInsertedRowID
        try Self.append(start.answers, conversationID: id, now: start.now, db)
        if let message = start.message { try Self.recordProcessed(message, sender: start.owner, now: start.now, db) }
        return .committed(
            StoredConversation(id: id, owner: start.owner, state: state, version: 1, lastChannel: start.channel, createdAt: start.now, updatedAt: start.now),
            meetingID: nil)
    }

    /// That the row being updated is its owner's newest open conversation, as `openConversations`
    /// orders them (an open one, and none open updated later or, at the same moment, with a
    /// higher id).
    static let newestOpen = """
        status IN ('active', 'paused') AND NOT EXISTS (
            SELECT 1 FROM conversations newer WHERE newer.user_key = conversations.user_key AND newer.status IN ('active', 'paused')
                AND (newer.updated_at > conversations.updated_at OR (newer.updated_at = conversations.updated_at AND newer.id > conversations.id)))
        """

    func apply(_ turn: TurnCommit, _ db: Database) throws -> CommitResult {
        if let message = turn.message, let reply = try Self.processedReply(message.id.stored(sender: turn.owner), db) {
            return .alreadyProcessed(reply: reply)
        }
        let state = turn.state
        try db.cachedStatement(sql: """
            UPDATE conversations SET status = ?, current_step = ?, contact_name = ?, state = ?, updated_at = ?, last_channel = ?,
                version = version + 1
            WHERE id = ? AND version = ? AND user_key = ? AND (? = 0 OR \(Self.newestOpen))
            """).execute(arguments: [
                state.status.rawValue, state.currentStep, state.contactName, state.json, turn.now, turn.channel.stored,
                turn.conversationID, turn.readVersion, turn.owner.stored, turn.onlyIfNewest,
            ])
        guard db.changesCount == 1 else {
            if turn.onlyIfNewest { return .stale }
            let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT user_key FROM conversations WHERE id = ?"), arguments: [turn.conversationID])
            guard owner == turn.owner.stored else { throw StoreError.failed(path: path, reason: "there is no conversation #\(turn.conversationID)") }
            return .stale
        }
        try Self.append(turn.answers, conversationID: turn.conversationID, now: turn.now, db)
        var meetingID: Int64?
        if let outcome = turn.outcome {
            meetingID = try write(outcome, owner: turn.owner, conversationID: turn.conversationID, now: turn.now, db)
        }
        if let message = turn.message { try Self.recordProcessed(message, sender: turn.owner, now: turn.now, db) }
        let createdAt = try Date.fetchOne(db.cachedStatement(sql: "SELECT created_at FROM conversations WHERE id = ?"), arguments: [turn.conversationID]) ?? turn.now
        let stored = StoredConversation(
            id: turn.conversationID, owner: turn.owner, state: state, version: turn.readVersion + 1, lastChannel: turn.channel,
            createdAt: createdAt, updatedAt: turn.now)
        return .committed(stored, meetingID: meetingID)
    }

    private static func append(_ answers: [RecordedAnswer], conversationID: Int64, now: Date, _ db: Database) throws {
        for answer in answers {
            let value = answer.value?.json
            try db.cachedStatement(sql: "INSERT INTO answers (conversation_id, step, slot, raw, value, weak, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [conversationID, answer.stepID, answer.slot, answer.raw, value, answer.weak, now])
        }
    }

    private static func processedReply(_ id: String, _ db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT reply FROM processed_messages WHERE id = ?"), arguments: [id])
    }

    private static func recordProcessed(_ message: ProcessedMessage, sender: UserKey, now: Date, _ db: Database) throws {
        // A plain INSERT: the id is the claim, and a second claim of it must fail, not replace the first.
        try db.cachedStatement(sql: "INSERT INTO processed_messages (id, reply, created_at) VALUES (?, ?, ?)")
            .execute(arguments: [message.id.stored(sender: sender), message.reply, now])
        // The reply to post later goes out with the claim, or not at all.
        _ = try enqueue(message.deliveries, now: now, db)
    }
}
