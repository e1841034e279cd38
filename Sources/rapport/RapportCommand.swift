import ArgumentParser
import Foundation
import RapportCore

/// `rapport`: the terminal front end. Run by the `rapport` executable on a SQLite store, and by
/// `rapport-server terminal …` on a team store.
public struct RapportCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "A networking coach: prepare for a meeting, then keep what you learn.",
        discussion: """
            Run `rapport` alone for what is coming up, or `rapport prep "Anna Berg"` to prepare for a meeting.
            During a conversation, type back, review, why (or ?), skip, pause or cancel at any question.
            """,
        version: "0.1.0",
        subcommands: [
            Home.self, Prep.self, Reflect.self, Followups.self, Done.self, Snooze.self, Log.self, Meetings.self, MeetingCommand.self, Card.self,
            Contacts.self, ContactCommand.self, Forget.self, CalendarCommand.self, Chat.self, Webhook.self, Nudge.self, Outbox.self, Flows.self, Speed.self,
            People.self, Serve.self,
        ],
        defaultSubcommand: Home.self
    )

    /// Parses `arguments` (nil: the command line), read in the order people type them (see
    /// `CommandLineOrder`), and runs the chosen subcommand. Spelled out because, called from
    /// another module, `main()` resolves to ParsableCommand's synchronous entry point, which
    /// refuses an async root command.
    public static func start(_ arguments: [String]? = nil) async {
        switch CommandLineOrder.order(arguments ?? Array(CommandLine.arguments.dropFirst()), root: self) {
        case .arguments(let ordered):
            do {
                var command = try parseAsRoot(ordered)
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch {
                exit(withError: error)
            }
        case .unknownCommand(let word, let suggestions, let options):
            let lexicon = (try? GlobalOptions.parse(options))?.quietLexicon() ?? nil
            let values = ["command": word, "suggestion": suggestions.first ?? ""]
            let said = suggestions.isEmpty ? lexicon?.message("unknown_command", values) : lexicon?.message("unknown_command_suggestion", values)
            let text = said ?? "'\(word)' is not a command"
            Console(colorAllowed: false).error(text)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
    }
}
