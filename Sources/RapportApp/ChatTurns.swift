import Foundation
import RapportCore
import RapportStore

/// One chat message's turn: a chat command (`help`, `status`, `prep NAME`, `reflect NAME`,
/// `followups`) or an answer to the user's open conversation, through the same conversation
/// use-cases as the terminal. Not thread-safe: `ChatService` calls it from one queue, inside the
/// transaction it commits for a batch of turns.
final class ChatTurns {
    /// How long a conversation may wait for its next answer before the next message resumes it
    /// (and asks the question again) rather than answering it.
    static let idleAfter: TimeInterval = 3600

    private let service: ConversationService

    init(service: ConversationService) {
        self.service = service
    }

    /// Handles one chat message from a user (already mapped to a profile key). Chat commands
    /// (`help`, `status`, `prep NAME`, `reflect NAME`, `followups`) start or show things in
    /// `language` (the configured one when nil); any other text answers the user's open
    /// conversation, which goes on in the language it started in.
    func handle(text raw: String, userKey: String, language: String?, now: Date) throws(RapportError) -> ChatService.Reply {
        let text = InputSanitizer.clean(raw)
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        let command = words.first?.lowercased() ?? ""
        let argument = words.count > 1 ? words[1] : nil
        let open = try service.openConversations(userKey: userKey)
        switch command {
        case "prep", "reflect":
            if let current = open.first {
                // A new conversation pauses the open one rather than answering it with a command.
                _ = try service.handle(.endOfInput, conversationID: current.id, now: now)
            }
            var prefill = try service.prefill(contactName: argument, userKey: userKey)
            if command == "reflect", let name = argument,
                let meeting = try service.awaitingReflection(now: now, userKey: userKey).first(where: { ContactName.matches(query: name, name: $0.contactName) })
            {
                prefill = prefill.merging(try service.reflectionPrefill(for: meeting, userKey: userKey)) { _, new in new }
            }
            let turn = try service.start(flowID: command, prefill: prefill, channel: "chat", userKey: userKey, language: language, now: now)
            return ChatService.Reply(replies: render(turn.outputs, language: turn.state.language), ended: !turn.state.isOpen)
        case "help" where argument == nil:
            return ChatService.Reply(replies: [try help(hasOpen: !open.isEmpty, language: language)], ended: false)
        case "status" where argument == nil, "followups" where argument == nil:
            return ChatService.Reply(replies: [try status(now: now, userKey: userKey, language: language)], ended: false)
        default:
            guard let current = open.first else {
                return ChatService.Reply(replies: [try help(hasOpen: false, language: language)], ended: true)
            }
            if current.status == .paused || now.timeIntervalSince(current.updatedAt) > Self.idleAfter {
                // "Send any message to carry on": the first message after a pause, or after an
                // hour's silence (chat has no "pause" people remember to type, and a slash
                // command's ephemeral question is gone from view by then) picks the conversation
                // up and asks the question again; it is not taken as the answer (it is a "hi"
                // days later as often as not).
                let resumed = try service.handle(.resume, conversationID: current.id, now: now)
                return ChatService.Reply(replies: render(resumed.outputs, language: resumed.state.language), ended: false)
            }
            let turn = try service.handle(.answer(text), conversationID: current.id, now: now)
            return ChatService.Reply(replies: render(turn.outputs, language: turn.state.language), ended: !turn.state.isOpen)
        }
    }

    private func help(hasOpen: Bool, language: String?) throws(RapportError) -> String {
        let lexicon = try service.lexicon(language: language)
        return lexicon.message("chat_help") + (hasOpen ? " " + lexicon.message("chat_help_open") : "")
    }

    private func status(now: Date, userKey: String, language: String?) throws(RapportError) -> String {
        let lexicon = try service.lexicon(language: language)
        let formatter = ValueFormatter(lexicon: lexicon, now: now, timeZone: service.timeZone)
        let due = try service.dueItems(now: now, userKey: userKey).filter(\.isDue)
        let waiting = try service.awaitingReflection(now: now, userKey: userKey)
        var lines: [String] = []
        for meeting in waiting.prefix(5) {
            lines.append(lexicon.message("nudge_reflect", ["name": meeting.contactName]))
        }
        for item in due.prefix(10) {
            let when = formatter.format(WhenValue(date: item.due, hasTime: item.hasTime))
            switch item.kind {
            case .keepInTouch: lines.append(lexicon.message("nudge_keep_in_touch", ["name": item.contactName]))
            case .referralFeedback: lines.append(lexicon.message("nudge_referral", ["name": item.contactName]) + ": " + item.text)
            case .action: lines.append(lexicon.message("nudge_followup_line", ["text": item.text, "when": when]) + " (\(item.contactName))")
            }
        }
        return lines.isEmpty ? lexicon.message("chat_nothing_due") : lines.map { "• " + $0 }.joined(separator: "\n")
    }

    /// Engine outputs as chat text: each question with its hint, coaching, problems, the card.
    private func render(_ outputs: [EngineOutput], language: String) -> [String] {
        var replies: [String] = []
        for output in outputs {
            switch output {
            case .ask(let question):
                var text = question.text
                if let hint = question.hint { text += "\n_" + hint + "_" }
                if let previous = question.previous { text += "\n(" + previous + ")" }
                replies.append(text)
            case .say(.coach(let text)), .say(.note(let text)), .say(.problem(let text)): replies.append(text)
            case .say(.why(let text)): replies.append(text)
            case .say(.review(let items)): replies.append(items.map { "\($0.label): \($0.value)" }.joined(separator: "\n"))
            case .finished(let card?): replies.append(card.plainText.trimmingCharacters(in: .whitespacesAndNewlines))
            case .paused:
                let lexicon = try? service.lexicon(language: language)
                replies.append(lexicon?.message("chat_paused") ?? "Paused.")
            case .finished(nil), .recorded, .cancelled: break
            }
        }
        return replies
    }
}
