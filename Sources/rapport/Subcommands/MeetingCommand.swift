import ArgumentParser
import RapportApp
import RapportCore

struct MeetingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meeting",
        abstract: "Move a meeting to another time, or call it off: `rapport meeting 3 move friday 14:00`, `rapport meeting 3 cancel`.",
        discussion: "Its reminder and \"how did it go?\" move with it; a meeting called off keeps its prep card and is sent nothing more. Alone, it shows the meeting's cards."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The meeting's number, as `rapport meetings` shows it (#3 or 3).", valueName: "meeting"))
    var meeting: String

    @Argument(help: ArgumentHelp("move WHEN, or cancel; nothing shows its cards.", valueName: "change"))
    var change: [String] = []

    func run() async throws {
        let session = try await options.session()
        guard let number = Int64(reference: meeting) else { throw session.fail(session.message("not_a_meeting_number", ["id": meeting])) }
        let now = session.settings.now()
        let formatter = try reportingErrors { try session.formatter() }
        switch change.first?.lowercased() {
        case nil:
            try await session.showCards(of: number)
        case "move":
            let text = change.dropFirst().joined(separator: " ")
            guard !text.isEmpty else { throw session.fail(session.message("meeting_move_usage")) }
            let lexicon = try reportingErrors { try session.conversations.lexicon() }
            switch try await reportingErrors({
                try await session.services.meetings.move(number, to: text, lexicon: lexicon, timeZone: session.settings.timeZone, now: now)
            }) {
            case .moved(let moved):
                session.console.say(session.message("meeting_moved", ["id": String(number), "name": moved.contactName, "when": session.when(moved, formatter)]))
            case .noSuchMeeting:
                throw session.fail(session.message("no_such_meeting", ["id": String(number)]))
            case .unreadableDate:
                throw session.fail(session.message("not_a_date_ahead", ["text": text]))
            }
        case "cancel":
            guard let cancelled = try await reportingErrors({ try await session.services.meetings.cancel(number, now: now) }) else {
                throw session.fail(session.message("no_such_meeting", ["id": String(number)]))
            }
            session.console.say(session.message("meeting_called_off", ["id": String(number), "name": cancelled.contactName, "when": session.when(cancelled, formatter)]))
        case let word?:
            throw session.fail(session.message("meeting_unknown_change", ["change": word]))
        }
    }
}
