import ArgumentParser
import Foundation
import RapportApp

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite store to use (default: ~/.local/share/rapport/rapport.sqlite; env RAPPORT_STORE).", valueName: "path"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("The config file (default: ~/.config/rapport/config.yaml; env RAPPORT_CONFIG).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("A folder of flows to use before the built-in ones (env RAPPORT_PROMPTS).", valueName: "dir"))
    var prompts: String?

    @Option(name: .long, help: ArgumentHelp("The language of questions and messages, e.g. en (env RAPPORT_LANG); untranslated texts fall back to English.", valueName: "code"))
    var lang: String?

    @Flag(name: .long, help: "Plain output without colours (also NO_COLOR=1).")
    var noColor = false

    /// The settings for this run, or a clear error.
    func settings() throws -> RapportSettings {
        try reportingErrors {
            try RapportSettings.resolve(
                RapportSettings.Overrides(store: store, config: config, prompts: prompts, language: lang, noColor: noColor),
                executable: Bundle.main.executablePath ?? CommandLine.arguments[0])
        }
    }
}

/// Runs `body`; a `RapportError` is printed as one sentence and becomes exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as RapportError {
        Console(colorAllowed: false).error(error.description)
        throw ExitCode.failure
    }
}
