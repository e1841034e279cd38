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
        let session = try await options.session()
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, !note.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw session.fail(session.message("log_usage"))
        }
        switch try await reportingErrors({ try await session.services.followUps.log(note, about: name, now: session.settings.now()) }) {
        case .logged(let contact, let isNew):
            let values = ["name": contact.name, "note": InputSanitizer.clean(note)]
            session.console.say(isNew ? session.message("logged_new_contact", values) : session.message("logged", values))
        case .several(let matches):
            throw session.fail(session.message("several_contacts_match", ["query": name, "names": matches.map(\.name).joined(separator: ", ")]))
        case .notAName:
            throw session.fail(session.message("log_not_a_name", ["name": name]))
        }
    }
}
