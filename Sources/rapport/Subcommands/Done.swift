import ArgumentParser
import RapportApp
import RapportStore

struct Done: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark a follow-up done; it also counts as being in touch with that person."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The follow-up's number, as `rapport followups` shows it (#3 or 3).", valueName: "id"))
    var id: String

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        guard let number = Int64(reference: id) else {
            throw ValidationError("'\(id)' is not a follow-up number; `rapport followups` lists them as #3.")
        }
        let store = session.service.store
        guard let followUp = try reportingErrors({ try wrap { () throws(StoreError) in try store.markDone(followUpID: number, now: settings.now()) } }) else {
            session.console.error("there is no follow-up #\(number); rapport followups lists them")
            throw ExitCode.failure
        }
        session.console.line("Done: \(followUp.text) (\(followUp.contactName)). The keep-in-touch clock for \(followUp.contactName) starts again.")
    }
}
