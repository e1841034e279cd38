import Foundation
import GRDB
import RapportCore

extension RapportDatabase {
    // MARK: - Writes

    /// Stores a new conversation and the answers its first turn produced; returns its id.
    public func createConversation(
        state: ConversationState, channel: String, userKey: String, answers: [RecordedAnswer] = [], now: Date
    ) throws(StoreError) -> Int64 {
        try write { db in
            var record = ConversationRecord(
                id: nil, flow: state.flowID, channel: channel, userKey: userKey, status: state.status.rawValue,
                currentStep: state.currentStep, contactName: Self.contactName(state), state: try Self.encode(state),
                createdAt: now, updatedAt: now)
            try record.insert(db)
            let id = record.id!
            try Self.append(answers, conversationID: id, now: now, db)
            return id
        }
    }

    /// Saves one turn: the new engine state and the answers it accepted, in one transaction.
    public func saveTurn(conversationID: Int64, state: ConversationState, answers: [RecordedAnswer], now: Date) throws(StoreError) {
        try write { db in
            try Self.update(conversationID, state: state, now: now, db)
            try Self.append(answers, conversationID: conversationID, now: now, db)
        }
    }

    /// Saves the last turn of a finished conversation together with the records it produced:
    /// contact, meeting and profile, all or nothing. Returns the new meeting's id, if any.
    @discardableResult
    public func finishConversation(
        conversationID: Int64, state: ConversationState, answers: [RecordedAnswer], outcome: ConversationOutcome, now: Date
    ) throws(StoreError) -> Int64? {
        try write { db in
            try Self.update(conversationID, state: state, now: now, db)
            try Self.append(answers, conversationID: conversationID, now: now, db)
            let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT user_key FROM conversations WHERE id = ?"), arguments: [conversationID]) ?? Self.localProfile
            for (key, value) in outcome.profile {
                try ProfileEntry(key: Self.profileKey(key, userKey: owner), value: value, updatedAt: now).upsert(db)
            }
            guard let name = outcome.contactName else { return nil }
            var contact = try Self.upsertContact(named: name, facts: outcome.contactFacts, now: now, db)
            guard let contactID = contact.id else { return nil }
            switch outcome.keepInTouch {
            case .set(let cadence)?:
                contact.keepInTouch = cadence
                contact.keepInTouchSince = now
            case .clear?:
                contact.keepInTouch = nil
                contact.keepInTouchSince = nil
            case nil:
                break
            }
            contact.updatedAt = now
            try contact.update(db)

            var meetingID = outcome.meetingID
            if meetingID == nil, let draft = outcome.meeting {
                meetingID = try Self.insertMeeting(draft, contactID: contactID, conversationID: conversationID, reflected: outcome.reflection != nil, now: now, db)
            }
            guard let meetingID else { return nil }
            if let draft = outcome.reflection {
                try Self.saveReflection(draft, meetingID: meetingID, conversationID: conversationID, now: now, db)
                try InteractionRecord(contactID: contactID, kind: Interaction.Kind.reflection.rawValue, note: nil, at: now).insert(db)
            }
            for followUp in outcome.followUps {
                var record = FollowUpRecord(
                    id: nil, contactID: contactID, meetingID: meetingID, kind: followUp.kind.rawValue, text: followUp.text,
                    dueAt: followUp.due.date, hasTime: followUp.due.hasTime, doneAt: nil, createdAt: now)
                try record.insert(db)
            }
            try syncNudges(db, now: now)
            return meetingID
        }
    }

    private static func insertMeeting(
        _ draft: MeetingDraft, contactID: Int64, conversationID: Int64, reflected: Bool, now: Date, _ db: Database
    ) throws -> Int64? {
        var extra: String? = nil
        if !draft.extra.isEmpty {
            extra = String(decoding: try JSONEncoder.sorted.encode(draft.extra), as: UTF8.self)
        }
        var meeting = MeetingRecord(
            id: nil, contactID: contactID, conversationID: conversationID, startsAt: draft.startsAt?.date,
            hasTime: draft.startsAt?.hasTime ?? false, goal: draft.goal, goalWeak: draft.goalWeak,
            whyThem: draft.whyThem, give: draft.give, question: draft.question, pitch: draft.pitch,
            knowsWhatIDo: draft.knowsWhatIDo, existingContactsCould: draft.existingContactsCould, extra: extra,
            card: draft.card, status: reflected ? "reflected" : "planned", createdAt: now)
        try meeting.insert(db)
        return meeting.id
    }

    /// One reflection per meeting: a second one replaces the first, and the first one's open
    /// follow-ups (offered back while editing) make way for the answers given now.
    private static func saveReflection(_ draft: ReflectionDraft, meetingID: Int64, conversationID: Int64, now: Date, _ db: Database) throws {
        var record = try ReflectionRecord.filter(ReflectionRecord.Columns.meetingID == meetingID).fetchOne(db)
            ?? ReflectionRecord(id: nil, meetingID: meetingID, conversationID: nil, goalReached: nil, outcome: nil, gave: nil, got: nil, worthIt: nil, card: nil, createdAt: now, updatedAt: now)
        if record.id != nil {
            try FollowUpRecord.filter(FollowUpRecord.Columns.meetingID == meetingID && FollowUpRecord.Columns.doneAt == nil).deleteAll(db)
        }
        record.conversationID = conversationID
        record.goalReached = draft.goalReached
        record.outcome = draft.outcome
        record.gave = draft.gave
        record.got = draft.got
        record.worthIt = draft.worthIt
        record.card = draft.card
        record.updatedAt = now
        try record.save(db)
        try db.execute(sql: "UPDATE meetings SET status = 'reflected' WHERE id = ?", arguments: [meetingID])
    }

    private static func update(_ id: Int64, state: ConversationState, now: Date, _ db: Database) throws {
        // One cached statement: this runs on every turn of every conversation.
        try db.cachedStatement(sql: "UPDATE conversations SET status = ?, current_step = ?, contact_name = ?, state = ?, updated_at = ? WHERE id = ?")
            .execute(arguments: [state.status.rawValue, state.currentStep, contactName(state), try encode(state), now, id])
        guard db.changesCount == 1 else {
            throw DatabaseError(resultCode: .SQLITE_NOTFOUND, message: "conversation \(id) does not exist")
        }
    }

    private static func append(_ answers: [RecordedAnswer], conversationID: Int64, now: Date, _ db: Database) throws {
        for answer in answers {
            let value = try answer.value.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) }
            try AnswerRecord(
                conversationID: conversationID, step: answer.stepID, slot: answer.slot, raw: answer.raw, value: value,
                weak: answer.weak, createdAt: now
            ).insert(db)
        }
    }

    private static func upsertContact(named name: String, facts: [String: String], now: Date, _ db: Database) throws -> ContactRecord {
        let key = ContactName.key(name)
        var record = try ContactRecord.filter(ContactRecord.Columns.nameKey == key).fetchOne(db)
            ?? ContactRecord(
                id: nil, name: name, nameKey: key, knowsWhatIDo: nil, keepInTouchAmount: nil, keepInTouchUnit: nil,
                keepInTouchSince: nil, createdAt: now, updatedAt: now)
        if let knows = facts["knows_what_i_do"] { record.knowsWhatIDo = knows }
        record.updatedAt = now
        try record.save(db)
        return record
    }

    private static func contactName(_ state: ConversationState) -> String? {
        state.slots["contact.name"]?.text
    }

    static func encode(_ state: ConversationState) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(state), as: UTF8.self)
    }

    // MARK: - Reads

    /// A stored conversation's listing and engine state.
    public func conversation(id: Int64) throws(StoreError) -> (summary: ConversationSummary, state: ConversationState)? {
        // Cached statements: a chat server runs these two queries on every turn.
        let record = try read { db in
            try ConversationRecord.fetchOne(try db.cachedStatement(sql: "SELECT * FROM conversations WHERE id = ?"), arguments: [id])
        }
        guard let record else { return nil }
        do {
            let state = try JSONDecoder().decode(ConversationState.self, from: Data(record.state.utf8))
            return (record.summary, state)
        } catch {
            throw .failed(path: path, reason: "conversation \(id) has a state this version cannot read (\(error))")
        }
    }

    /// Unfinished (active or paused) conversations of one user, newest first, whichever channel
    /// they started in.
    public func openConversations(flow: String? = nil, userKey: String = RapportDatabase.localProfile) throws(StoreError) -> [ConversationSummary] {
        try read { db in
            let open = "status IN ('\(ConversationState.Status.active.rawValue)', '\(ConversationState.Status.paused.rawValue)') AND user_key = ?"
            let order = " ORDER BY updated_at DESC, id DESC"
            let records = if let flow {
                try ConversationRecord.fetchAll(try db.cachedStatement(sql: "SELECT * FROM conversations WHERE " + open + " AND flow = ?" + order), arguments: [userKey, flow])
            } else {
                try ConversationRecord.fetchAll(try db.cachedStatement(sql: "SELECT * FROM conversations WHERE " + open + order), arguments: [userKey])
            }
            return records.map(\.summary)
        }
    }

    /// The answer log of a conversation, oldest first.
    public func answers(conversationID: Int64) throws(StoreError) -> [RecordedAnswer] {
        try read { db in
            try AnswerRecord.filter(Column("conversation_id") == conversationID).order(Column("id")).fetchAll(db).map { record in
                RecordedAnswer(
                    stepID: record.step, slot: record.slot, raw: record.raw,
                    value: try record.value.map { try JSONDecoder().decode(SlotValue.self, from: Data($0.utf8)) },
                    weak: record.weak)
            }
        }
    }

    /// A profile's `me.*` answers (the pitch, …). The terminal's profile is `local`; a chat user
    /// with a profile of their own (`allow_anyone`) keeps theirs under their key, so nobody is
    /// offered, or overwrites, another person's pitch.
    public func profile(userKey: String = RapportDatabase.localProfile) throws(StoreError) -> [String: String] {
        try read { db in
            var profile: [String: String] = [:]
            let prefix = userKey + "/"
            for entry in try ProfileEntry.fetchAll(db) {
                if userKey == Self.localProfile, !entry.key.contains("/") {
                    profile[entry.key] = entry.value
                } else if userKey != Self.localProfile, entry.key.hasPrefix(prefix) {
                    profile[String(entry.key.dropFirst(prefix.count))] = entry.value
                }
            }
            return profile
        }
    }

    /// The profile key a `me.*` answer of `userKey`'s is stored under.
    static func profileKey(_ key: String, userKey: String) -> String {
        userKey == localProfile ? key : userKey + "/" + key
    }
}

extension JSONEncoder {
    /// Stable output: the same state always encodes to the same text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
