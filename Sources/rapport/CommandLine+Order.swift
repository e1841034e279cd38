import ArgumentParser
import RapportCore

/// The command line as people type it, put in the order ArgumentParser reads: the options every
/// command takes may come before the subcommand (`rapport --lang sv prep Anna`), and a first word
/// that is no command is said to be one (`rapport folowups`), not taken as home's argument.
enum CommandLineOrder {
    /// The options of `GlobalOptions`, and whether each takes a value.
    static let globalOptions: [String: Bool] = ["--store": true, "--config": true, "--prompts": true, "--lang": true, "--no-color": false]

    enum Outcome: Equatable {
        /// Arguments to parse.
        case arguments([String])
        /// The first word is not a command; the closest command names, when one is close.
        case unknownCommand(String, suggestions: [String], options: [String])
    }

    /// Moves global options written before the subcommand to just after it (and after its own
    /// subcommand, as in `outbox retry`).
    static func order(_ arguments: [String], root: any ParsableCommand.Type) -> Outcome {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard let takesValue = globalOptions[name] else { break }
            leading.append(argument)
            if takesValue, !argument.contains("="), index + 1 < arguments.count {
                leading.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        guard index < arguments.count else { return .arguments(arguments) }
        let word = arguments[index]
        if word.hasPrefix("-") { return .arguments(arguments) }  // --help, --version, or a mistake ArgumentParser names
        let commands = root.configuration.subcommands
        guard let command = commands.first(where: { name(of: $0) == word }) else {
            if word == "help" { return .arguments(arguments) }
            let names = commands.filter { $0.configuration.shouldDisplay }.map(name(of:))
            return .unknownCommand(word, suggestions: closest(to: word, among: names), options: leading)
        }
        var path = [word]
        var rest = Array(arguments[(index + 1)...])
        // A nested subcommand named right after its parent (`outbox retry 3`, `flows lint`).
        if let next = rest.first, command.configuration.subcommands.contains(where: { name(of: $0) == next }) {
            path.append(next)
            rest.removeFirst()
        }
        return .arguments(path + leading + rest)
    }

    static func name(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }

    private static func closest(to word: String, among names: [String]) -> [String] {
        EditDistance.closest(to: word.lowercased(), among: names)
    }
}
