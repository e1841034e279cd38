import ArgumentParser
import RapportApp
import RapportCore
import RapportStore

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Record that you were in touch with someone, without a whole conversation.",
        discussion: "Example: rapport log anna \"called about the pilot\". The keep-in-touch clock starts again."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The person's name, or a unique start of it.", valueName: "name"))
    var name: String

    @Argument(help: ArgumentHelp("What happened, in a few words.", valueName: "note"))
    var note: String

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        let store = session.service.store
        let query = InputSanitizer.clean(name)
        let text = InputSanitizer.clean(note)
        guard !query.isEmpty, !text.isEmpty else { throw ValidationError("Give a name and a note, e.g. rapport log anna \"called about the pilot\".") }
        let matches = try reportingErrors { try wrap { () throws(StoreError) in try store.contacts(matching: query) } }
        if matches.count > 1 {
            session.console.error("several contacts match '\(query)': \(matches.map(\.name).joined(separator: ", ")); type more of the name")
            throw ExitCode.failure
        }
        let lexicon = try reportingErrors { try session.service.lexicon() }
        var contactName = matches.first?.name
        if contactName == nil {
            guard case .success(.name(let parsed)) = AnswerParser(lexicon: lexicon, now: settings.now(), timeZone: settings.timeZone).parse(query, as: .name) else {
                session.console.error("'\(query)' does not look like a name")
                throw ExitCode.failure
            }
            contactName = parsed
        }
        let contact = try reportingErrors { try wrap { () throws(StoreError) in try store.logInteraction(contactName: contactName!, note: text, now: settings.now()) } }
        let added = matches.isEmpty ? " (a new contact)" : ""
        session.console.line("Logged for \(contact.name)\(added): \(text)")
    }
}
