import ArgumentParser
import Foundation
import RapportApp
import RapportCore

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a SQLite file (default: ~/.local/share/rapport/rapport.sqlite) or a team store, postgres://user@host/db (env RAPPORT_STORE).", valueName: "path"))
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

    /// The person's lexicon without opening the store, or nil when the settings do not resolve
    /// (their error is said by the command that needs them).
    func quietLexicon() -> Lexicon? {
        let overrides = RapportSettings.Overrides(store: store, config: config, prompts: prompts, language: lang, noColor: noColor)
        guard let settings = try? RapportSettings.resolve(overrides, executable: Bundle.main.executablePath ?? CommandLine.arguments[0]) else { return nil }
        return try? FlowLibrary(directories: settings.promptDirectories, cacheDirectory: settings.paths.cacheDirectory).lexicon(language: settings.language)
    }

    /// A sentence in the person's language, for what is said before the store is opened
    /// (a flag's mistake); English when the settings do not resolve.
    func message(_ key: String, _ values: [String: String] = [:]) -> String {
        (quietLexicon() ?? fallbackLexicon)?.message(key, values) ?? key
    }

    private var fallbackLexicon: Lexicon? {
        guard let builtIn = RapportPaths.builtInPrompts(executable: Bundle.main.executablePath ?? CommandLine.arguments[0]) else { return nil }
        return try? FlowLibrary(directories: [builtIn]).lexicon(language: "en")
    }

    /// The settings and the use-cases over the store, opened; or a clear error. A team store is
    /// opened by rapport-server, which this process becomes, with the same arguments.
    func session() async throws -> TerminalSession {
        let settings = try settings()
        if settings.storeIsTeamStore, RapportServices.teamStore == nil {
            try ServerHandOver.exec(["terminal"] + CommandLine.arguments.dropFirst())
        }
        return try await reportingErrors { TerminalSession(try await RapportServices.open(settings)) }
    }
}

/// Runs `body`; an error of rapport's is printed as one sentence and becomes exit code 1.
/// ArgumentParser's own (a usage error, an exit code) pass through to it.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw reported(error)
    }
}

/// The same, for work that does not wait.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw reported(error)
    }
}

private func reported(_ error: any Error) -> any Error {
    if error is ExitCode || error is ValidationError { return error }
    Console(colorAllowed: false).error("\(error)")
    return ExitCode.failure
}
