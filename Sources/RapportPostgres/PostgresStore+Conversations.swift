import Foundation
import PostgresNIO
import RapportCore

extension PostgresStore: ConversationStore {
    public func conversation(id: Int64) async throws -> StoredConversation? {
        let logger = self.logger, location = self.location.redacted
        return try await read { connection in
            try await connection.row("SELECT * FROM conversations WHERE id = \(id)", logger).map { try PostgresRows.conversation($0, location: location) }
        }
    }

    public func openConversations(owner: UserKey, flowID: String?, limit: Int) async throws -> [ConversationSummary] {
        let logger = self.logger, location = self.location.redacted
        return try await read { connection in
            let rows = if let flowID {
                try await connection.rows("""
                    SELECT * FROM conversations WHERE user_key = \(owner.stored) AND status IN ('active', 'paused') AND flow = \(flowID)
                    ORDER BY updated_at DESC, id DESC LIMIT \(limit)
                    """, logger)
            } else {
                try await connection.rows("""
                    SELECT * FROM conversations WHERE user_key = \(owner.stored) AND status IN ('active', 'paused')
                    ORDER BY updated_at DESC, id DESC LIMIT \(limit)
                    """, logger)
            }
            return try rows.map { try PostgresRows.conversation($0, location: location).summary }
        }
    }

    public func newestOpenConversation(owner: UserKey) async throws -> StoredConversation? {
        let logger = self.logger, location = self.location.redacted
        return try await read { connection in
            try await connection.rows(Prepared<PostgresStatements.NewestOpenConversation> { $0.append(owner.stored) }, logger).first.map {
                try PostgresRows.conversation($0, location: location)
            }
        }
    }

    public func start(_ start: ConversationStart) async throws -> CommitResult {
        if start.message == nil { return try await startAlone(start) }
        let logger = self.logger
        do {
            return try await transaction { connection in
                if let message = start.message, !(try await self.claim(message, sender: start.owner, now: start.now, connection, logger)) {
                    throw AlreadyClaimed()
                }
                let state = start.state
                let row = try await connection.rows(Self.startConversation(start), logger).first
                guard let id = try row?.value("id", as: Int64.self) else { throw StoreContractError("a new conversation was not given an id") }
                return CommitResult.committed(
                    StoredConversation(id: id, owner: start.owner, state: state, version: 1, lastChannel: start.channel, createdAt: start.now, updatedAt: start.now),
                    meetingID: nil)
            }
        } catch is AlreadyClaimed {
            return try await replay(start.message!, sender: start.owner)
        }
    }

    public func commit(_ turn: TurnCommit) async throws -> CommitResult {
        if turn.message == nil, turn.outcome == nil {
            return try await answerBatches.commit(turn) { turns in await self.commitAnswers(turns) }
        }
        let logger = self.logger
        do {
            return try await transaction { connection in
                if let message = turn.message, !(try await self.claim(message, sender: turn.owner, now: turn.now, connection, logger)) {
                    throw AlreadyClaimed()
                }
                // Under READ COMMITTED a concurrent update of the same row waits for the other
                // commit, then finds the version moved on: one writer wins.
                if let outcome = turn.outcome, outcome.meetingID == nil, let name = outcome.contactName, let draft = outcome.meeting {
                    // A prep that books a new meeting: the turn, its contact and its meeting in one statement.
                    let statement = try Self.finishWithMeeting(turn, outcome: outcome, contactName: name, meeting: draft)
                    guard let row = try await connection.rows(statement, logger).first else { try await self.notUpdated(turn, connection) }
                    let prefix = PostgresStatements.FinishWithMeeting.contactPrefix
                    let contact = UpsertedContact(
                        id: try row.value(prefix + "id"), isNew: try row.value(prefix + "inserted"), toPlan: try PostgresRows.ContactToPlan(row, prefix: prefix))
                    let meetingID = try await self.write(
                        outcome, owner: turn.owner, conversationID: turn.conversationID, now: turn.now, written: WrittenWithTurn(contact: contact, meeting: row),
                        connection)
                    return CommitResult.committed(Self.committed(turn, createdAt: try row.value("conversation_created_at")), meetingID: meetingID)
                }
                guard let updated = try await connection.rows(Self.commitAnswer(turn), logger).first else { try await self.notUpdated(turn, connection) }
                var meetingID: Int64?
                if let outcome = turn.outcome {
                    meetingID = try await self.write(outcome, owner: turn.owner, conversationID: turn.conversationID, now: turn.now, connection)
                }
                return CommitResult.committed(Self.committed(turn, createdAt: try updated.value("created_at")), meetingID: meetingID)
            }
        } catch is AlreadyClaimed {
            return try await replay(turn.message!, sender: turn.owner)
        } catch is Stale {
            return .stale
        }
    }

    /// Why a turn's versioned update in a transaction changed nothing: stale, or no such
    /// conversation of its owner.
    private func notUpdated(_ turn: TurnCommit, _ connection: PostgresConnection) async throws -> Never {
        if turn.onlyIfNewest { throw Stale() }
        let owner = try await connection.row("SELECT user_key FROM conversations WHERE id = \(turn.conversationID)", logger)
        guard try owner?.value("user_key", as: String.self) == turn.owner.stored else {
            throw StoreContractError("there is no conversation #\(turn.conversationID)")
        }
        throw Stale()
    }

    /// Plain answers (`AnswerBatches`): one alone as `CommitAnswer`, several as one statement.
    /// When PostgreSQL refuses a batch (a deadlock with another replica's, a value it will not
    /// take), each turn is tried alone, so it gets its own outcome; a lost connection fails them all.
    private func commitAnswers(_ turns: [TurnCommit]) async -> [AnswerBatches.Outcome] {
        guard turns.count > 1 else { return [await Self.outcome { try await self.commitAnswer(turns[0]) }] }
        let logger = self.logger
        let statement = Prepared<PostgresStatements.CommitAnswers> {
            $0.append(Self.turnsJSON(turns))
            $0.append(Self.answersJSON(turns))
        }
        let committed: [Int64: Date]
        do {
            committed = try await read { connection in
                var created: [Int64: Date] = [:]
                for row in try await connection.rows(statement, logger) { created[try row.value("turn")] = try row.value("created_at") }
                return created
            }
        } catch let error as PostgresStoreError {
            guard case .failed = error else { return turns.map { _ in .failure(error) } }
            var outcomes: [AnswerBatches.Outcome] = []
            for turn in turns { outcomes.append(await Self.outcome { try await self.commitAnswer(turn) }) }
            return outcomes
        } catch {
            return turns.map { _ in .failure(error) }
        }
        var outcomes: [AnswerBatches.Outcome] = []
        for (index, turn) in turns.enumerated() {
            if let createdAt = committed[Int64(index + 1)] {
                outcomes.append(.success(.committed(Self.committed(turn, createdAt: createdAt), meetingID: nil)))
            } else {
                outcomes.append(await Self.outcome { try await self.notCommitted(turn) })
            }
        }
        return outcomes
    }

    private static func outcome(_ body: () async throws -> CommitResult) async -> AnswerBatches.Outcome {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// The conversation as a turn left it.
    private static func committed(_ turn: TurnCommit, createdAt: Date) -> StoredConversation {
        StoredConversation(
            id: turn.conversationID, owner: turn.owner, state: turn.state, version: turn.readVersion + 1, lastChannel: turn.channel,
            createdAt: createdAt, updatedAt: turn.now)
    }

    /// Why a turn's versioned update changed nothing: stale, or no such conversation of its owner.
    private func notCommitted(_ turn: TurnCommit) async throws -> CommitResult {
        // A remembered conversation may be gone (forgotten): the caller reads again.
        if turn.onlyIfNewest { return .stale }
        guard try await conversation(id: turn.conversationID)?.owner == turn.owner else {
            throw StoreContractError("there is no conversation #\(turn.conversationID)")
        }
        return .stale
    }

    /// A plain answer alone as one statement, atomic on its own: one round trip instead of
    /// BEGIN, UPDATE, INSERT, COMMIT.
    private func commitAnswer(_ turn: TurnCommit) async throws -> CommitResult {
        let logger = self.logger
        let statement = Self.commitAnswer(turn)
        let updated = try await read { connection in
            try await connection.rows(statement, logger).first
        }
        guard let updated else { return try await notCommitted(turn) }
        return .committed(Self.committed(turn, createdAt: try updated.value("created_at")), meetingID: nil)
    }

    /// The versioned update of a turn's state with its answers, as one prepared statement.
    private static func commitAnswer(_ turn: TurnCommit) -> Prepared<PostgresStatements.CommitAnswer> {
        Prepared { appendTurn(turn, to: &$0) }
    }

    /// A finishing turn that books a new meeting, with its contact and that meeting.
    private static func finishWithMeeting(
        _ turn: TurnCommit, outcome: ConversationOutcome, contactName: String, meeting: MeetingDraft
    ) throws -> Prepared<PostgresStatements.FinishWithMeeting> {
        let key = ContactName.key(contactName)
        return try Prepared {
            appendTurn(turn, to: &$0)
            $0.append(contactName)
            $0.append(key)
            $0.append(outcome.contactFacts["knows_what_i_do"])
            $0.append(Self.words(of: key))
            try appendMeeting(meeting, status: newMeetingStatus(outcome), to: &$0)
        }
    }

    /// A turn's values as `CommitAnswer` binds them ($1–$11).
    private static func appendTurn(_ turn: TurnCommit, to bindings: inout PostgresBindings) {
        let state = turn.state
        bindings.append(state.status.rawValue)
        bindings.append(state.currentStep)
        bindings.append(state.contactName)
        bindings.append(state.json)
        bindings.append(turn.now)
        bindings.append(turn.channel.stored)
        bindings.append(turn.conversationID)
        bindings.append(Int32(turn.readVersion))
        bindings.append(turn.owner.stored)
        bindings.append(answersJSON(turn.answers))
        bindings.append(turn.onlyIfNewest)
    }

    /// A conversation started with no platform message to claim (the terminal's, a chat command
    /// without an id) as one prepared statement, its first answers inserted with it.
    private func startAlone(_ start: ConversationStart) async throws -> CommitResult {
        let logger = self.logger
        let state = start.state
        let statement = Self.startConversation(start)
        let row = try await read { connection in try await connection.rows(statement, logger).first }
        guard let id = try row?.value("id", as: Int64.self) else { throw StoreContractError("a new conversation was not given an id") }
        return .committed(
            StoredConversation(id: id, owner: start.owner, state: state, version: 1, lastChannel: start.channel, createdAt: start.now, updatedAt: start.now),
            meetingID: nil)
    }

    /// A new conversation with its first answers, as one prepared statement.
    private static func startConversation(_ start: ConversationStart) -> Prepared<PostgresStatements.StartConversation> {
        let state = start.state
        let encoded = state.json
        let answers = Self.answersJSON(start.answers)
        return Prepared {
            $0.append(state.flowID)
            $0.append(start.channel.stored)
            $0.append(start.owner.stored)
            $0.append(state.status.rawValue)
            $0.append(state.currentStep)
            $0.append(state.contactName)
            $0.append(encoded)
            $0.append(start.now)
            $0.append(answers)
        }
    }

    /// Turns as `CommitAnswers` reads them, numbered from 1 in their order.
    private static func turnsJSON(_ turns: [TurnCommit]) -> String {
        var out = JSONWriter()
        out.beginArray()
        for (index, turn) in turns.enumerated() {
            out.beginObject()
            out.key("turn")
            out.number(index + 1)
            out.key("conversation")
            out.number(Int(turn.conversationID))
            out.key("read_version")
            out.number(turn.readVersion)
            out.key("owner")
            out.string(turn.owner.stored)
            out.key("new_status")
            out.string(turn.state.status.rawValue)
            out.field("new_step", turn.state.currentStep)
            out.field("new_contact", turn.state.contactName)
            out.key("new_state")
            out.string(turn.state.json)
            out.key("at_micros")
            out.number(PostgresStatements.CommitAnswers.micros(turn.now))
            out.key("channel")
            out.string(turn.channel.stored)
            out.key("only_if_newest")
            out.bool(turn.onlyIfNewest)
            out.endObject()
        }
        out.endArray()
        return out.text
    }

    /// The answers of several turns as `CommitAnswers` reads them, each naming its turn's number.
    private static func answersJSON(_ turns: [TurnCommit]) -> String {
        var out = JSONWriter()
        out.beginArray()
        for (index, turn) in turns.enumerated() {
            for answer in turn.answers { write(answer, turn: index + 1, to: &out) }
        }
        out.endArray()
        return out.text
    }

    /// A turn's answers as the statements read them (`json_to_recordset`): step, slot, raw,
    /// weak, and the value as the text a stored value is.
    private static func answersJSON(_ answers: [RecordedAnswer]) -> String {
        var out = JSONWriter()
        out.beginArray()
        for answer in answers { write(answer, turn: nil, to: &out) }
        out.endArray()
        return out.text
    }

    private static func write(_ answer: RecordedAnswer, turn: Int?, to out: inout JSONWriter) {
        out.beginObject()
        if let turn {
            out.key("turn")
            out.number(turn)
        }
        out.key("raw")
        out.string(answer.raw)
        out.field("slot", answer.slot)
        out.key("step")
        out.string(answer.stepID)
        if let value = answer.value {
            out.key("value")
            out.string(value.json)
        }
        out.key("weak")
        out.bool(answer.weak)
        out.endObject()
    }

    public func answers(conversationID: Int64) async throws -> [RecordedAnswer] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("SELECT * FROM answers WHERE conversation_id = \(conversationID) ORDER BY id", logger).map { row in
                let value: String? = try row.value("value")
                return RecordedAnswer(
                    stepID: try row.value("step"), slot: try row.value("slot"), raw: try row.value("raw"),
                    value: try value.map { try JSONDecoder().decode(SlotValue.self, from: Data($0.utf8)) }, weak: try row.value("weak"))
            }
        }
    }

    public func processedReply(_ id: MessageID, sender: UserKey) async throws -> String? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row("SELECT reply FROM processed_messages WHERE id = \(id.stored(sender: sender))", logger)?.value("reply", as: String.self)
        }
    }

    public func claim(_ message: ProcessedMessage, sender: UserKey, now: Date) async throws -> String? {
        let logger = self.logger
        do {
            return try await transaction { connection in
                guard try await self.claim(message, sender: sender, now: now, connection, logger) else { throw AlreadyClaimed() }
                return nil
            }
        } catch is AlreadyClaimed {
            guard case .alreadyProcessed(let reply) = try await replay(message, sender: sender) else { return nil }
            return reply
        }
    }

    /// Forgets processed messages older than platforms retry (four days).
    public func forgetProcessed(before cutoff: Date) async throws {
        let logger = self.logger
        try await read { connection in try await connection.run("DELETE FROM processed_messages WHERE created_at < \(cutoff) RETURNING 1", logger) }
    }

    // MARK: - Inside a turn's transaction

    private struct AlreadyClaimed: RollingBack {}
    private struct Stale: RollingBack {}

    /// Claims a message with a unique insert; false when another turn (on any replica) has it.
    /// A claim made by a transaction still open elsewhere waits for that transaction to end.
    /// The reply to post later is queued with the claim, or not at all.
    private func claim(_ message: ProcessedMessage, sender: UserKey, now: Date, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        let claimed = try await connection.rows(Prepared<PostgresStatements.ClaimMessage> {
            $0.append(message.id.stored(sender: sender))
            $0.append(message.reply)
            $0.append(now)
        }, logger).count == 1
        if claimed { _ = try await enqueue(message.deliveries, now: now, connection) }
        return claimed
    }

    private func replay(_ message: ProcessedMessage, sender: UserKey) async throws -> CommitResult {
        guard let reply = try await processedReply(message.id, sender: sender) else {
            throw StoreContractError("message \(message.id) was claimed but its reply is not stored")
        }
        return .alreadyProcessed(reply: reply)
    }
}
