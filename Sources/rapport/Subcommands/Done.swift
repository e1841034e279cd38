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
        let session = try await options.session()
        guard let number = Int64(reference: id) else { throw session.fail(session.message("not_a_followup_number", ["id": id])) }
        guard let done = try await reportingErrors({ try await session.services.followUps.markDone(number, now: session.settings.now()) }) else {
            throw session.fail(session.message("no_such_followup", ["id": String(number)]))
        }
        let values = ["id": String(number), "text": done.followUp.text, "name": done.followUp.contactName]
        guard done.wasOpen else {
            session.console.say(session.message("done_already", values))
            return
        }
        session.console.say(session.message("done_marked", values))
    }
}
