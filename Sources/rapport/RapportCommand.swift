import ArgumentParser
import Foundation
import RapportCore

@main
struct RapportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "A networking coach: prepare for a meeting, then keep what you learn.",
        discussion: """
            Run `rapport` alone for what is coming up, or `rapport prep "Anna Berg"` to prepare for a meeting.
            During a conversation, type back, review, why (or ?), skip, pause or cancel at any question.
            """,
        version: "0.1.0",
        subcommands: [Home.self, Prep.self, Reflect.self, Followups.self, Done.self, Snooze.self, Log.self, Meetings.self, MeetingCommand.self, Card.self, Contacts.self, ContactCommand.self, Chat.self, Webhook.self, Nudge.self, Outbox.self, Flows.self, Speed.self, Serve.self],
        defaultSubcommand: Home.self
    )

    /// Reads the command line in the order people type it (see `CommandLineOrder`).
    static func main() async {
        switch CommandLineOrder.order(Array(CommandLine.arguments.dropFirst()), root: self) {
        case .arguments(let arguments):
            await main(arguments)
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
