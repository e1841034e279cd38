import Foundation
import RapportCore

/// A button pressed on a nudge in its owner's DM: a turn like a typed command, through the same
/// use-cases ([Prep now] is `prep NAME`, [Reflect] is `reflect #ID`).
extension ChatTurns {
    /// How long [Later] puts off "how did it go?": a day, at the same time of day (out of quiet hours).
    static let reflectLater: TimeInterval = 24 * 3600
    /// How far [Snooze a week] moves a follow-up: a week from the press.
    static let snoozeWeek: TimeInterval = 7 * 24 * 3600

    func press(_ press: NudgePress, user: UserKey, platform: UserKey.Platform, messageID: MessageID?, replyChannel: ReplyChannel?, now: Date) async throws -> ChatService.Reply {
        if let messageID, let earlier = try await services.store.conversations.processedReply(messageID, sender: user) {
            return Self.decode(earlier)
        }
        let lexicon = try services.conversations.lexicon()
        let format = ValueFormatter(lexicon: lexicon, now: now, timeZone: services.conversations.timeZone)
        func told(_ text: String, also: [OutboxDraft] = []) async throws -> ChatService.Reply {
            try await claim(ChatService.Reply(replies: [text], ended: true), user: user, messageID: messageID, replyChannel: replyChannel, also: also, now: now)
        }
        // The owner check: the records are scoped to the presser too, but a stranger is told why.
        guard press.owner == user.user, user.platform == .slack || user.platform == .mattermost else { return try await told(lexicon.message("press_not_yours")) }
        let records = services.store.records
        switch press.action {
        case .prep, .reflect, .later:
            guard let meeting = try await records.meeting(id: press.subjectID, owner: user) else { return try await told(lexicon.message("press_nudge_gone")) }
            if press.action == .later {
                return try await later(meeting, user: user, format: format, told: told, now: now)
            }
            // A conversation under way is not left for a new one (a double press starts one prep).
            if let open = try await underWay(user: user, platform: platform, messageID: messageID, replyChannel: replyChannel, now: now) { return open }
            let render = render(user: user, messageID: messageID, replyChannel: replyChannel, now: now)
            if press.action == .prep {
                // The chat `prep NAME` path: a calendar meeting with this person is the one prepared, its time known.
                return reply(try await services.conversations.startPrep(
                    contactName: meeting.contactName, owner: user, channel: .chat(platform), message: messageID, render: render, now: now))
            }
            switch try await reflect("#\(meeting.id)", user: user, channel: .chat(platform), language: nil, messageID: messageID, render: render, now: now) {
            case .turn(let reply): return reply
            case .command(let reply): return try await claim(reply, user: user, messageID: messageID, replyChannel: replyChannel, now: now)
            }
        case .done:
            guard let followUp = try await services.followUps.markDone(press.subjectID, owner: user, now: now)?.followUp else {
                return try await told(lexicon.message("press_nudge_gone"))
            }
            return try await told(lexicon.message("press_followup_done", ["text": followUp.text, "name": followUp.contactName]))
        case .snooze:
            guard let current = try await records.followUp(id: press.subjectID, owner: user), current.doneAt == nil else {
                return try await told(lexicon.message("press_nudge_gone"))
            }
            // From the press, not the due date: a retried press lands on the same week.
            let due = WhenValue(date: now.addingTimeInterval(Self.snoozeWeek), hasTime: current.hasTime)
            guard let moved = try await services.followUps.snooze(current.id, to: due, owner: user, now: now) else { return try await told(lexicon.message("press_nudge_gone")) }
            let when = format.format(WhenValue(date: moved.due, hasTime: moved.hasTime))
            return try await told(lexicon.message("press_followup_snoozed", ["text": moved.text, "name": moved.contactName, "when": when]))
        }
    }

    /// [Later]: "how did it go?" in the DM again a day on, put in the outbox with the reply (its
    /// key names the day, so a double press is one message); the meeting's next re-plan, such as
    /// its reflection, cancels it.
    private func later(
        _ meeting: Meeting, user: UserKey, format: ValueFormatter, told: (String, [OutboxDraft]) async throws -> ChatService.Reply, now: Date
    ) async throws -> ChatService.Reply {
        let lexicon = format.lexicon
        guard !meeting.reflected else { return try await told(lexicon.message("press_nudge_gone"), []) }
        let settings = services.settings
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = settings.timeZone
        let moment = now.addingTimeInterval(Self.reflectLater)
        let due = settings.nudges.quietHours?.moving(moment, calendar: calendar) ?? moment
        let planner = RapportServices.nudgePlanner(settings, library: services.library)
        let key = "reflect-m\(meeting.id)-dm"
        var again: [OutboxDraft] = []
        if var draft = planner.nudges(for: meeting, owner: user, now: now).first(where: { $0.key == key }),
           var message = try? JSONDecoder().decode(ChatMessage.self, from: Data(draft.payload.utf8)) {
            let day = calendar.dateComponents([.year, .month, .day], from: due)
            draft.key = key + String(format: "-later-%04d%02d%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
            draft.dueAt = due
            message.idempotencyKey = draft.key
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            draft.payload = String(decoding: (try? encoder.encode(message)) ?? Data(), as: UTF8.self)
            again = [draft]
        }
        return try await told(lexicon.message("press_reflect_later", ["name": meeting.contactName, "when": format.format(WhenValue(date: due, hasTime: true))]), again)
    }

    /// The reply to a press that would start a conversation while one is under way: that one's
    /// question asked again, with the note that the next message answers it; nil when none is.
    private func underWay(user: UserKey, platform: UserKey.Platform, messageID: MessageID?, replyChannel: ReplyChannel?, now: Date) async throws -> ChatService.Reply? {
        guard let current = try await services.conversations.newestOpenConversation(owner: user), current.state.status == .active,
              now.timeIntervalSince(current.updatedAt) <= Self.idleAfter
        else { return nil }
        let engine = try services.conversations.engine(flowID: current.state.flowID, language: current.state.language)
        var asking = current.state
        let question = engine.handle(.resume, state: &asking, context: TurnContext(now: now, timeZone: services.conversations.timeZone)).filter {
            if case .ask = $0 { return true } else { return false }
        }
        let answer = reply(
            [.say(.note(engine.lexicon.message("chat_help_open")))] + question, state: current.state,
            committing: ConversationService.Committing(conversationID: current.id, version: current.version))
        return try await claim(answer, user: user, messageID: messageID, replyChannel: replyChannel, now: now)
    }
}
