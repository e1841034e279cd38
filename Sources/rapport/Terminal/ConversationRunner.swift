import RapportApp
import RapportCore

/// The terminal loop of one conversation: show what the engine said, read a line, hand it to
/// the service (which saves it), until the conversation ends, pauses or the input runs out.
struct ConversationRunner {
    let session: TerminalSession
    /// The command that resumes this conversation, for the pause message.
    let resumeCommand: String
    private var service: ConversationService { session.service }
    private var settings: RapportSettings { session.settings }
    private var console: Console { session.console }
    private var reader: any LineReader { session.reader }

    enum Ending: Equatable {
        case finished(meetingID: Int64?)
        case paused
        case cancelled
    }

    func run(from turn: ConversationService.Turn) throws -> Ending {
        let printer = ConversationPrinter(console: console)
        var turn = turn
        let pausedMessage = session.message("paused_resume", ["command": resumeCommand])
        InterruptHandler.prepare(message: pausedMessage)
        while true {
            printer.show(turn.outputs)
            switch turn.state.status {
            case .finished:
                if let id = turn.meetingID {
                    let saved = session.message(turn.state.flowID == "reflect" ? "saved_reflection" : "saved_meeting", ["id": String(id)])
                    console.line(console.style.dim(saved))
                }
                return .finished(meetingID: turn.meetingID)
            case .cancelled:
                return .cancelled
            case .paused:
                console.line()
                console.line(pausedMessage)
                return .paused
            case .active:
                break
            }
            let event: ConversationEvent
            switch reader.readAnswer(console) {
            case .line(let text): event = .answer(text)
            case .unreadable: event = .unreadableInput
            case .end: event = .endOfInput
            }
            turn = try service.handle(event, conversationID: turn.conversationID, now: settings.now())
        }
    }
}
