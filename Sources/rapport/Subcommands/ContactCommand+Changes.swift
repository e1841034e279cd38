import ArgumentParser
import RapportApp
import RapportCore

/// Splits the words after `rename` or `merge` into two names: two arguments as given (quoted
/// names), else the most leading words that find a contact, and the rest.
private func twoNames(_ words: [String], _ session: TerminalSession, usage: String) async throws -> (String, String) {
    if words.count == 2 { return (words[0], words[1]) }
    guard let split = try await reportingErrors({ try await session.services.contacts.splitName(words) }), !split.rest.isEmpty else {
        throw session.fail(usage)
    }
    return (split.name, split.rest.joined(separator: " "))
}

extension ContactCommand {
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rename",
            abstract: "Give a contact another name: `rapport contact rename \"Anna Berg\" \"Anna Lindqvist\"`.",
            discussion: "Without quotes, the first words that find a contact are the old name and the rest the new one."
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The contact's name, then the new name.", valueName: "old new"))
        var names: [String]

        func run() async throws {
            let session = try await options.session()
            let (old, new) = try await twoNames(names, session, usage: session.message("rename_usage"))
            let contact = try await session.existingContact(old)
            let cleaned = InputSanitizer.clean(new)
            guard !cleaned.isEmpty else { throw session.fail(session.message("rename_usage")) }
            switch try await reportingErrors({ try await session.services.contacts.rename(contact, to: cleaned, now: session.settings.now()) }) {
            case .renamed(let renamed):
                session.console.say(session.message("renamed", ["old": contact.name, "new": renamed.name]))
            case .taken(let other):
                throw session.fail(session.message("rename_taken", ["name": contact.name, "other": other.name]))
            case .noSuchContact:
                throw session.fail(session.message("no_contact_matches", ["query": old]))
            }
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Make two contacts one: `rapport contact merge \"Anna B\" \"Anna Berg\"` moves Anna B's meetings, follow-ups and notes to Anna Berg.",
            discussion: "Asks first; --yes for scripts. Without quotes, the first words that find a contact are the first name."
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The contact to merge away, then the one to keep.", valueName: "from into"))
        var names: [String]

        @Flag(help: "Do not ask first.")
        var yes = false

        func run() async throws {
            let session = try await options.session()
            let (first, second) = try await twoNames(names, session, usage: session.message("merge_usage"))
            let from = try await session.existingContact(first)
            let into = try await session.existingContact(second)
            guard from.id != into.id else { throw session.fail(session.message("merge_same", ["name": from.name])) }
            let extent = try await reportingErrors { try await session.services.contacts.extent(of: from) }
            let values = ["from": from.name, "into": into.name, "extent": session.describe(extent)]
            guard try session.confirm(session.message("merge_question", values), yes: yes) else { return }
            guard try await reportingErrors({ try await session.services.contacts.merge(from, into: into, now: session.settings.now()) }) != nil else {
                throw session.fail(session.message("no_contact_matches", ["query": first]))
            }
            session.console.say(session.message("merged", values))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Remove a contact and everything about them: meetings, reflections, follow-ups, notes and their nudges.",
            discussion: "Asks first; --yes for scripts. This cannot be undone."
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var person: DeletedPerson

        func run() async throws {
            try await Self.delete(person.name.joined(separator: " "), yes: person.yes, session: try await options.session())
        }

        /// Shared with `rapport forget NAME`.
        static func delete(_ name: String, yes: Bool, session: TerminalSession) async throws {
            let contact = try await session.existingContact(name)
            let extent = try await reportingErrors { try await session.services.contacts.extent(of: contact) }
            let values = ["name": contact.name, "extent": session.describe(extent)]
            guard try session.confirm(session.message("delete_question", values), yes: yes) else { return }
            guard try await reportingErrors({ try await session.services.contacts.delete(contact, now: session.settings.now()) }) else {
                throw session.fail(session.message("no_contact_matches", ["query": contact.name]))
            }
            session.console.say(session.message("deleted", values))
        }
    }
}

/// Whom `contact delete` and `forget` remove, and whether to ask first.
struct DeletedPerson: ParsableArguments {
    @Argument(help: ArgumentHelp("The person's name, or the start of it.", valueName: "name"))
    var name: [String]

    @Flag(help: "Do not ask first.")
    var yes = false
}
