import Foundation

/// Where rapport keeps things, following the XDG base directories. Built from an environment
/// dictionary so tests can point it anywhere.
public struct RapportPaths: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    private var home: String { environment["HOME"] ?? NSHomeDirectory() }

    private func xdg(_ variable: String, default relative: String) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        return home + "/" + relative
    }

    /// `$XDG_DATA_HOME/rapport/rapport.sqlite`, i.e. `~/.local/share/rapport/rapport.sqlite`.
    public var defaultStore: String { xdg("XDG_DATA_HOME", default: ".local/share") + "/rapport/rapport.sqlite" }

    /// `$XDG_CONFIG_HOME/rapport`.
    public var configDirectory: String { xdg("XDG_CONFIG_HOME", default: ".config") + "/rapport" }

    /// The user's config file.
    public var userConfig: String { configDirectory + "/config.yaml" }

    /// User flows that add to or override the built-in ones.
    public var userPrompts: String { configDirectory + "/Prompts" }

    /// `$XDG_CACHE_HOME/rapport`: what can be rebuilt from the flows (the lexicons, read once).
    public var cacheDirectory: String { xdg("XDG_CACHE_HOME", default: ".cache") + "/rapport" }

    /// `$XDG_STATE_HOME/rapport/history`: the terminal's line history.
    public var history: String { xdg("XDG_STATE_HOME", default: ".local/state") + "/rapport/history" }

    /// The built-in flows: beside an installed binary (`PREFIX/share/rapport/Prompts`), or the
    /// repository's `Prompts/` above a binary built in `.build/`.
    public static func builtInPrompts(executable: String) -> String? {
        let fileManager = FileManager.default
        var directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = directory.deletingLastPathComponent().appendingPathComponent("share/rapport/Prompts")
        if fileManager.fileExists(atPath: installed.appendingPathComponent("principles.yaml").path) { return installed.path }
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("Prompts")
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("principles.yaml").path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
