import RapportApp
import RapportCore

/// The terminal loop of one conversation: show what the engine said, read a line, hand it to
/// the service (which commits it), until the conversation ends, pauses or the input runs out.
/// It remembers which question it showed, so an answer typed while another front end moved the
/// conversation on is not stored against the wrong question.
struct ConversationRunner {
    let session: TerminalSession
    /// The command that resumes this conversation, for the pause message.
    let resumeCommand: String
    private var console: Console { session.console }

    enum Ending: Equatable {
        case finished(meetingID: Int64?)
        case paused
        case cancelled
    }

    func run(from turn: ConversationService.Turn) async throws -> Ending {
        let printer = ConversationPrinter(console: console, lexicon: try session.conversations.lexicon(language: turn.state.language))
        var turn = turn
        let pausedMessage = session.message("paused_resume", ["command": resumeCommand])
        InterruptHandler.prepare(message: pausedMessage)
        while true {
            printer.show(turn.outputs)
            switch turn.state.status {
            case .finished:
                if let id = turn.meetingID {
                    let values = ["id": String(id)]
                    let saved = turn.state.flowID == "reflect" ? session.message("saved_reflection", values) : session.message("saved_meeting", values)
                    console.say(console.style.dim(saved))
                }
                return .finished(meetingID: turn.meetingID)
            case .cancelled:
                return .cancelled
            case .paused:
                console.line()
                console.say(pausedMessage)
                return .paused
            case .active:
                break
            }
            let event: ConversationEvent
            switch session.reader.readAnswer(console) {
            case .line(let text): event = .answer(text)
            case .unreadable: event = .unreadableInput
            case .end: event = .endOfInput
            }
            turn = try await session.conversations.handle(event, conversationID: turn.conversationID, seen: turn.seen, now: session.settings.now())
        }
    }
}
