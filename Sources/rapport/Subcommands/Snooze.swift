import ArgumentParser
import RapportCore

struct Snooze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: "Move a follow-up to a later date, e.g. `rapport snooze 3 next monday`."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The follow-up's number (#3 or 3).", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("When it is due now: “friday”, “in 2 weeks”, “2026-12-01”.", valueName: "when"))
    var when: [String]

    func run() async throws {
        guard let number = Int64(reference: id) else {
            throw ValidationError("'\(id)' is not a follow-up number; `rapport followups` lists them as #3.")
        }
        let session = try await options.session()
        let text = when.joined(separator: " ")
        switch try await reportingErrors({ try await session.services.followUps.snooze(number, until: text, now: session.settings.now()) }) {
        case .moved(let followUp):
            let formatted = try reportingErrors { try session.formatter() }.format(WhenValue(date: followUp.due, hasTime: followUp.hasTime))
            session.console.line("Moved to \(formatted): \(followUp.text) (\(followUp.contactName)).")
        case .noSuchFollowUp:
            session.console.error("there is no follow-up #\(number); rapport followups lists them")
            throw ExitCode.failure
        case .unreadableDate:
            session.console.error("cannot read '\(text)' as a date to come; try “friday”, “in 2 weeks” or “2026-12-01”")
            throw ExitCode.failure
        }
    }
}
