import ArgumentParser
import Foundation
import RapportCore

struct Log: AsyncParsableCommand {
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

    func run() async throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, !note.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("Give a name and a note, e.g. rapport log anna \"called about the pilot\".")
        }
        let session = try await options.session()
        switch try await reportingErrors({ try await session.services.followUps.log(note, about: name, now: session.settings.now()) }) {
        case .logged(let contact, let isNew):
            session.console.line("Logged for \(contact.name)\(isNew ? " (a new contact)" : ""): \(InputSanitizer.clean(note))")
        case .several(let matches):
            session.console.error("several contacts match '\(name)': \(matches.map(\.name).joined(separator: ", ")); type more of the name")
            throw ExitCode.failure
        case .notAName:
            session.console.error("'\(name)' does not look like a name")
            throw ExitCode.failure
        }
    }
}
