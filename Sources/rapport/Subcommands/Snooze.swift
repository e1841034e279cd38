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
        let session = try await options.session()
        guard let number = Int64(reference: id) else { throw session.fail(session.message("not_a_followup_number", ["id": id])) }
        let text = when.joined(separator: " ")
        switch try await reportingErrors({ try await session.services.followUps.snooze(number, until: text, now: session.settings.now()) }) {
        case .moved(let followUp):
            let formatted = try reportingErrors { try session.formatter() }.format(WhenValue(date: followUp.due, hasTime: followUp.hasTime))
            session.console.say(session.message("snoozed", ["when": formatted, "text": followUp.text, "name": followUp.contactName]))
        case .noSuchFollowUp:
            throw session.fail(session.message("no_such_followup", ["id": String(number)]))
        case .unreadableDate:
            throw session.fail(session.message("not_a_date_ahead", ["text": text]))
        }
    }
}
