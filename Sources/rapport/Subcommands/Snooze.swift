import ArgumentParser
import RapportApp
import RapportCore
import RapportStore

struct Snooze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: "Move a follow-up to a later date, e.g. `rapport snooze 3 next monday`."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The follow-up's number (#3 or 3).", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("When it is due now: “friday”, “in 2 weeks”, “2026-12-01”.", valueName: "when"))
    var when: [String]

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        guard let number = Int64(reference: id) else {
            throw ValidationError("'\(id)' is not a follow-up number; `rapport followups` lists them as #3.")
        }
        let lexicon = try reportingErrors { try session.service.lexicon() }
        let parser = AnswerParser(lexicon: lexicon, now: settings.now(), timeZone: settings.timeZone)
        let store = session.service.store
        // The core keeps what the new date leaves out: a day alone keeps the time of day, a time alone the day.
        let current = try reportingErrors({ try wrap { () throws(StoreError) in try store.followUps(includeDone: true) } }).first { $0.id == number }
        let earlier = current.map { SlotValue.when(WhenValue(date: $0.due, hasTime: $0.hasTime)) }
        guard case .success(.when(let due)) = parser.parse(InputSanitizer.clean(when.joined(separator: " ")), as: .when(.future), changing: earlier) else {
            session.console.error("cannot read '\(when.joined(separator: " "))' as a date to come; try “friday”, “in 2 weeks” or “2026-12-01”")
            throw ExitCode.failure
        }
        guard let followUp = try reportingErrors({ try wrap { () throws(StoreError) in try store.snooze(followUpID: number, until: due, now: settings.now()) } }) else {
            session.console.error("there is no follow-up #\(number); rapport followups lists them")
            throw ExitCode.failure
        }
        let formatted = ValueFormatter(lexicon: lexicon, now: settings.now(), timeZone: settings.timeZone).format(due)
        session.console.line("Moved to \(formatted): \(followUp.text) (\(followUp.contactName)).")
    }
}
