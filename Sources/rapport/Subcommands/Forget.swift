import ArgumentParser

/// `rapport forget NAME`: the words a person looks for when someone asks to be forgotten; the
/// same as `rapport contact delete NAME`.
struct Forget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Forget a contact: them and everything about them (meetings, reflections, follow-ups, notes, conversations, nudges).",
        discussion: "The same as `rapport contact delete NAME`. Asks first; --yes for scripts. This cannot be undone."
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var person: DeletedPerson

    func run() async throws {
        try await ContactCommand.Delete.delete(person.name.joined(separator: " "), yes: person.yes, session: try await options.session())
    }
}
