import ArgumentParser
import Foundation
import RapportCore

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Record that you were in touch with someone, without a whole conversation.",
        discussion: """
            Example: rapport log anna called about the pilot. The first words that find a contact are the name and the rest the \
            note; a new person's name is its capitalised words (or quote it). The keep-in-touch clock starts again.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The person's name (or a unique start of it), then what happened, in a few words.", valueName: "name note"))
    var words: [String] = []

    func run() async throws {
        let session = try await options.session()
        let words = self.words.map { InputSanitizer.clean($0) }.filter { !$0.isEmpty }
        guard words.count >= 2 else { throw session.fail(session.message("log_usage")) }
        let (typed, note) = try await split(words, session)
        let name: String
        switch try await session.resolve(typed, whom: session.message("log_whom")) {
        case .contact(let contact)?: name = contact.name
        case .new(let new)?: name = new
        case nil:
            session.console.say(session.message("log_nothing"))
            throw ExitCode.failure
        }
        switch try await reportingErrors({ try await session.services.followUps.log(note, about: name, now: session.settings.now()) }) {
        case .logged(let contact, let isNew):
            let values = ["name": contact.name, "note": note]
            session.console.say(isNew ? session.message("logged_new_contact", values) : session.message("logged", values))
        case .several(let matches):
            throw session.fail(session.message("several_contacts_match", ["query": name, "names": matches.map(\.name).joined(separator: ", ")]))
        case .notAName:
            throw session.fail(session.message("log_not_a_name", ["name": name]))
        }
    }

    /// The name and the note: a quoted name as given; else the most leading words that find a
    /// contact; else a new person's capitalised words ("Jan Kowalski coffee"), or the first word.
    private func split(_ words: [String], _ session: TerminalSession) async throws -> (String, String) {
        if words[0].contains(" ") { return (words[0], words.dropFirst().joined(separator: " ")) }
        if let found = try await reportingErrors({ try await session.services.contacts.splitName(words) }) {
            return (found.name, found.rest.joined(separator: " "))
        }
        let capitalised = words.dropLast().prefix(3).prefix { $0.first?.isUppercase == true }.count
        let count = max(capitalised, 1)
        return (words.prefix(count).joined(separator: " "), words.dropFirst(count).joined(separator: " "))
    }
}
