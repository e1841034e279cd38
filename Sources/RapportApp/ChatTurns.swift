import Foundation
import RapportCore

/// One chat message's turn: an answer to the conversation under way, or, when none is, a chat
/// command (`help`, `status`, `prep NAME`, `reflect NAME`, `followups`), through the same
/// use-cases as the terminal.
struct ChatTurns: Sendable {
    /// How long a conversation may wait for its next answer before the next message resumes it
    /// (and asks the question again) rather than answering it.
    static let idleAfter: TimeInterval = 3600

    let services: RapportServices
    private var conversations: ConversationService { services.conversations }
    /// The conversation each user's last turn here left open, so most answers need no read.
    let remembered = RememberedConversations()

    init(services: RapportServices) {
        self.services = services
    }

    func handle(
        text raw: String, user: UserKey, platform: UserKey.Platform, language: String?, messageID: MessageID?, replyChannel: ReplyChannel?, now: Date
    ) async throws -> ChatService.Reply {
        switch try await turn(text: raw, user: user, platform: platform, language: language, messageID: messageID, replyChannel: replyChannel, now: now) {
        case .turn(let reply):
            return reply
        case .command(let reply):
            // A command's reply commits no turn: when it is posted later, it is claimed (and queued) alone.
            guard replyChannel != nil else { return reply }
            return try await claim(reply, user: user, messageID: messageID, replyChannel: replyChannel, now: now)
        }
    }

    /// A reply that no turn committed, claimed with its message id and queued to its channel; a
    /// retry of the message gets the first reply, and nothing is queued twice.
    @discardableResult
    func claim(
        _ reply: ChatService.Reply, user: UserKey, messageID: MessageID?, replyChannel: ReplyChannel?, also: [OutboxDraft] = [], now: Date
    ) async throws -> ChatService.Reply {
        guard let messageID else { return reply }
        let message = ProcessedMessage(
            id: messageID, reply: Self.encode(reply), deliveries: Self.deliveries(reply, to: replyChannel, messageID: messageID, user: user, now: now) + also)
        guard let earlier = try await services.store.conversations.claim(message, sender: user, now: now) else { return reply }
        return Self.decode(earlier)
    }

    /// What one message made: a committed turn's reply, or a command's that committed nothing.
    enum Answer {
        case turn(ChatService.Reply)
        case command(ChatService.Reply)
    }

    private func turn(
        text raw: String, user: UserKey, platform: UserKey.Platform, language: String?, messageID: MessageID?, replyChannel: ReplyChannel?, now: Date
    ) async throws -> Answer {
        let text = InputSanitizer.clean(raw)
        let channel = ConversationChannel.chat(platform)
        let render = render(user: user, messageID: messageID, replyChannel: replyChannel, now: now)
        // The answer to the conversation this user's last turn here left under way, committed
        // only if nothing moved it on since; else read and decided afresh, as below.
        if let last = remembered.conversation(of: user), last.state.status == .active, now.timeIntervalSince(last.updatedAt) <= Self.idleAfter,
           let outcome = try await conversations.handle(.answer(text), remembered: last, channel: channel, message: messageID, render: render, now: now) {
            return .turn(reply(outcome))
        }
        remembered.forget(user)
        let current = try await conversations.newestOpenConversation(owner: user)
        if let current, current.state.status == .active, now.timeIntervalSince(current.updatedAt) <= Self.idleAfter {
            // A conversation is under way: the message is its answer, whatever its first word
            // ("Prep work for her board meeting" is a goal, not a command).
            let outcome = try await conversations.handle(
                .answer(text), conversationID: current.id, owner: user, channel: channel, message: messageID, render: render, read: current, now: now)
            return .turn(reply(outcome))
        }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        let command = words.first?.lowercased() ?? ""
        let argument = words.count > 1 ? words[1] : nil
        switch command {
        case "prep":
            return .turn(reply(try await conversations.startPrep(
                contactName: argument, owner: user, channel: channel, language: language, message: messageID, render: render, now: now)))
        case "reflect":
            return try await reflect(argument, user: user, channel: channel, language: language, messageID: messageID, render: render, now: now)
        case "help" where argument == nil:
            return .command(ChatService.Reply(replies: [try help(hasOpen: current != nil, language: language)], ended: false))
        case "status" where argument == nil, "followups" where argument == nil:
            return .command(ChatService.Reply(replies: [try await status(now: now, user: user, language: language)], ended: false))
        default:
            guard let current else {
                return .command(ChatService.Reply(replies: [try help(hasOpen: false, language: language)], ended: true))
            }
            // "Send any message to carry on": the first message after a pause, or after an hour's
            // silence, picks the conversation up and asks the question again; it is not taken as
            // the answer (it is a "hi" days later as often as not).
            return .turn(reply(try await conversations.handle(
                .resume, conversationID: current.id, owner: user, channel: channel, message: messageID, render: render, read: current, now: now)))
        }
    }

    /// A button pressed on a question: a turn only while that conversation still asks that step
    /// at that version (`exactly`, so a question asked again since does not take an old press);
    /// else a reply that says so and asks the question now, claimed with the press, and nothing
    /// else written.
    func press(_ press: ChatPress, user: UserKey, platform: UserKey.Platform, messageID: MessageID?, replyChannel: ReplyChannel?, now: Date) async throws -> ChatService.Reply {
        if let messageID, let earlier = try await services.store.conversations.processedReply(messageID, sender: user) {
            return Self.decode(earlier)
        }
        guard let stored = try await pressed(press, user: user), stored.owner == user else {
            let lexicon = try conversations.lexicon()
            return try await claim(
                ChatService.Reply(replies: [lexicon.message("press_unknown")], ended: true), user: user, messageID: messageID, replyChannel: replyChannel, now: now)
        }
        if stored.version == press.version, stored.state.isOpen, stored.state.currentStep == press.stepID {
            let outcome = try await conversations.handle(
                .answer(press.answer), conversationID: stored.id, owner: user, channel: .chat(platform),
                seen: ConversationService.Seen(version: press.version, step: press.stepID), exactly: true, message: messageID,
                render: render(user: user, messageID: messageID, replyChannel: replyChannel, now: now), now: now)
            return reply(outcome)
        }
        let engine = try conversations.engine(flowID: stored.state.flowID, language: stored.state.language)
        let values = ["flow": engine.flow.title]
        guard stored.state.isOpen else {
            return try await claim(
                ChatService.Reply(replies: [engine.lexicon.message("press_ended", values)], ended: true), user: user, messageID: messageID,
                replyChannel: replyChannel, now: now)
        }
        // The question as it is now, with buttons for the version that still stands.
        var asking = stored.state
        let question = engine.handle(.resume, state: &asking, context: TurnContext(now: now, timeZone: conversations.timeZone)).filter {
            if case .ask = $0 { return true } else { return false }
        }
        let answer = reply(
            [.say(.note(engine.lexicon.message("press_moved_on", values)))] + question, state: stored.state,
            committing: ConversationService.Committing(conversationID: stored.id, version: stored.version))
        return try await claim(answer, user: user, messageID: messageID, replyChannel: replyChannel, now: now)
    }

    /// The conversation a press is on: by its id, or, for the first question of one, as the
    /// presser's newest open conversation when it was started at the moment the button says.
    private func pressed(_ press: ChatPress, user: UserKey) async throws -> StoredConversation? {
        guard press.conversationID == 0 else { return try await services.store.conversations.conversation(id: press.conversationID) }
        guard let started = press.startedAt, let newest = try await conversations.newestOpenConversation(owner: user) else { return nil }
        return ChatButtons.isStarted(at: started, created: newest.createdAt) ? newest : nil
    }

    /// How a turn's outputs become the reply stored with it and the outbox message that posts it.
    func render(user: UserKey, messageID: MessageID?, replyChannel: ReplyChannel?, now: Date) -> ConversationService.Render {
        { outputs, state, committing in
            let answer = reply(outputs, state: state, committing: committing)
            return (Self.encode(answer), Self.deliveries(answer, to: replyChannel, messageID: messageID, user: user, now: now))
        }
    }

    /// `reflect [NAME | #ID | new NAME]`: the same choice of meeting as the terminal's, said in chat.
    func reflect(
        _ argument: String?, user: UserKey, channel: ConversationChannel, language: String?, messageID: MessageID?,
        render: @escaping ConversationService.Render, now: Date
    ) async throws -> Answer {
        let lexicon = try conversations.lexicon(language: language)
        let format = ValueFormatter(lexicon: lexicon, now: now, timeZone: conversations.timeZone)
        func describe(_ meeting: Meeting) -> String {
            let when = meeting.startsAt.map { format.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "—"
            return "“reflect #\(meeting.id)”: \(meeting.contactName), \(when)" + (meeting.goal.map { " (\($0))" } ?? "")
        }
        func start(_ meeting: Meeting?, editing earlier: Reflection? = nil, name: String? = nil) async throws -> Answer {
            .turn(reply(try await conversations.startReflection(
                on: meeting, editing: earlier, contactName: name, owner: user, channel: channel, language: language, message: messageID, render: render, now: now)))
        }
        var name = argument
        if let text = argument, text.lowercased().hasPrefix("new ") {
            return try await start(nil, name: String(text.dropFirst(4)))
        }
        let number = argument.flatMap { Int64($0.hasPrefix("#") ? String($0.dropFirst()) : $0) }
        if number != nil { name = nil }
        switch try await services.meetings.reflectionTarget(owner: user, meetingNumber: number, name: name, now: now) {
        case .meeting(let meeting, let earlier):
            return try await start(meeting, editing: earlier)
        case .adHoc(let contactName):
            return try await start(nil, name: contactName)
        case .chooseMeeting(let meetings, _):
            let lines = meetings.map { "• " + describe($0) }
            return .command(ChatService.Reply(replies: [lexicon.message("chat_which_meeting") + "\n" + lines.joined(separator: "\n")], ended: true))
        case .chooseContact(let contacts, _):
            return .command(ChatService.Reply(replies: [lexicon.message("chat_which_person", ["names": contacts.map(\.name).joined(separator: ", ")])], ended: true))
        case .allReflected(let latest, _, let contact):
            return .command(ChatService.Reply(
                replies: [lexicon.message("chat_all_reflected", ["name": contact.name]) + "\n• " + describe(latest) + "\n• “reflect new \(contact.name)”"],
                ended: true))
        case .notYet(let meeting):
            let when = meeting.startsAt.map { format.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? ""
            return .command(ChatService.Reply(replies: [lexicon.message("reflect_not_yet", ["name": meeting.contactName, "when": when])], ended: true))
        case .noSuchMeeting(let id):
            return .command(ChatService.Reply(replies: [lexicon.message("chat_no_such_meeting", ["id": String(id)])], ended: true))
        }
    }

    private func help(hasOpen: Bool, language: String?) throws -> String {
        let lexicon = try conversations.lexicon(language: language)
        return lexicon.message("chat_help") + (hasOpen ? " " + lexicon.message("chat_help_open") : "")
    }

    private func status(now: Date, user: UserKey, language: String?) async throws -> String {
        let lexicon = try conversations.lexicon(language: language)
        let formatter = ValueFormatter(lexicon: lexicon, now: now, timeZone: conversations.timeZone)
        let due = try await services.followUps.due(owner: user, now: now, limit: 10)
        let waiting = try await services.meetings.awaitingReflection(owner: user, now: now, limit: 5)
        var lines: [String] = []
        for meeting in waiting {
            lines.append(lexicon.message("nudge_reflect", ["name": meeting.contactName]))
        }
        for item in due {
            let when = formatter.format(WhenValue(date: item.due, hasTime: item.hasTime))
            switch item.kind {
            case .keepInTouch: lines.append(lexicon.message("nudge_keep_in_touch", ["name": item.contactName]))
            case .referralFeedback: lines.append(lexicon.message("nudge_referral", ["name": item.contactName]) + ": " + item.text)
            case .action: lines.append(lexicon.message("nudge_followup_line", ["text": item.text, "when": when]) + " (\(item.contactName))")
            }
        }
        return lines.isEmpty ? lexicon.message("chat_nothing_due") : lines.map { "• " + $0 }.joined(separator: "\n")
    }

    /// A turn's reply. Every turn chat makes passes here, so here its conversation is remembered
    /// for the user's next message.
    func reply(_ outcome: ConversationService.Outcome) -> ChatService.Reply {
        remembered.note(outcome)
        switch outcome {
        case .turn(let turn):
            return reply(turn.outputs, state: turn.state, committing: ConversationService.Committing(conversationID: turn.conversationID, version: turn.conversation.version))
        case .replay(let stored): return Self.decode(stored)
        }
    }

    /// Engine outputs as chat text: each question with its hint, coaching, problems, the card;
    /// and the question still being asked as buttons, when it has one-press answers and the
    /// version it is committed as is known.
    func reply(_ outputs: [EngineOutput], state: ConversationState, committing: ConversationService.Committing?) -> ChatService.Reply {
        var replies: [String] = []
        var buttons: ChatButtons?
        var card: SummaryCard?
        for output in outputs {
            switch output {
            case .ask(let question):
                var text = question.text
                if let hint = question.hint { text += "\n_" + hint + "_" }
                if let previous = question.previous { text += "\n(" + previous + ")" }
                replies.append(text)
                buttons = nil
                if let committing, state.isOpen, state.currentStep == question.stepID, !question.choices.isEmpty {
                    buttons = ChatButtons(
                        conversationID: committing.conversationID, version: committing.version, stepID: question.stepID, choices: question.choices,
                        startedAt: committing.startedAt)
                }
            case .say(.coach(let text)), .say(.note(let text)), .say(.problem(let text)), .say(.why(let text)): replies.append(text)
            case .say(.review(let items)): replies.append(items.map { "\($0.label): \($0.value)" }.joined(separator: "\n"))
            case .finished(let finished?):
                replies.append(finished.plainText.trimmingCharacters(in: .whitespacesAndNewlines))
                card = finished
            case .paused:
                let lexicon = try? conversations.lexicon(language: state.language)
                replies.append(lexicon?.message("chat_paused") ?? "Paused.")
            case .finished(nil), .recorded, .cancelled: break
            }
        }
        return ChatService.Reply(replies: replies, ended: !state.isOpen, buttons: state.isOpen ? buttons : nil, card: card)
    }

    /// The reply as the outbox message that posts it in its channel, keyed by the message it
    /// answers (a second queueing of the same reply is no second message); none without a channel.
    static func deliveries(_ reply: ChatService.Reply, to channel: ReplyChannel?, messageID: MessageID?, user: UserKey, now: Date) -> [OutboxDraft] {
        guard let channel, let messageID, !reply.replies.isEmpty else { return [] }
        let key = "reply/" + messageID.stored(sender: user)
        // The card goes as itself, laid out by the platform that can; its text is not said twice.
        var lines = reply.replies
        if let card = reply.card, let index = lines.lastIndex(of: card.plainText.trimmingCharacters(in: .whitespacesAndNewlines)) {
            lines.remove(at: index)
        }
        let message = ChatMessage(
            idempotencyKey: key, kind: "reply", title: "", lines: lines.isEmpty ? [] : [lines.joined(separator: "\n\n")], channel: channel.channel,
            thread: channel.thread, buttons: reply.buttons, card: lines.count == reply.replies.count ? nil : reply.card)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = String(decoding: (try? encoder.encode(message)) ?? Data(), as: UTF8.self)
        return [OutboxDraft(key: key, destination: channel.destination, kind: "reply", payload: payload, dueAt: now, subject: .reply)]
    }

    static func decode(_ stored: String) -> ChatService.Reply {
        (try? JSONDecoder().decode(ChatService.Reply.self, from: Data(stored.utf8))) ?? ChatService.Reply(replies: [], ended: false)
    }

    /// The reply as stored with the message it answers: the same bytes for every retry.
    private static func encode(_ reply: ChatService.Reply) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(reply)) ?? Data(), as: UTF8.self)
    }
}
