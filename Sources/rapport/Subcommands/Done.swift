import ArgumentParser

struct Done: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark a follow-up done; it also counts as being in touch with that person."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The follow-up's number, as `rapport followups` shows it (#3 or 3).", valueName: "id"))
    var id: String

    func run() async throws {
        guard let number = Int64(reference: id) else {
            throw ValidationError("'\(id)' is not a follow-up number; `rapport followups` lists them as #3.")
        }
        let session = try await options.session()
        guard let done = try await reportingErrors({ try await session.services.followUps.markDone(number, now: session.settings.now()) }) else {
            session.console.error("there is no follow-up #\(number); rapport followups lists them")
            throw ExitCode.failure
        }
        let followUp = done.followUp
        guard done.wasOpen else {
            session.console.line("#\(number) was already done: \(followUp.text) (\(followUp.contactName)).")
            return
        }
        session.console.line("Done: \(followUp.text) (\(followUp.contactName)). The keep-in-touch clock for \(followUp.contactName) starts again.")
    }
}
