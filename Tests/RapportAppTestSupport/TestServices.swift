import Foundation
import RapportApp
import RapportCore
import RapportTestSupport

/// The use-cases as the programs build them, over a real SQLite file, with the repository's flows.
public enum TestServices {
    /// Settings as `rapport` resolves them, in a throw-away home, Stockholm's time zone and the
    /// given config text (none by default).
    public static func settings(store path: String, config: String? = nil, now: Date? = nil, language: String = "en") throws -> RapportSettings {
        let home = (path as NSString).deletingLastPathComponent
        var environment = [
            "HOME": home, "RAPPORT_TIME_ZONE": "Europe/Stockholm", "RAPPORT_PROMPTS": Fixtures.prompts.path, "RAPPORT_STORE": path,
            "RAPPORT_LANG": language, "RAPPORT_CONFIG": home + "/no-config.yaml",
        ]
        if let config {
            let file = home + "/config-\(UUID().uuidString.prefix(8)).yaml"
            try config.write(toFile: file, atomically: true, encoding: .utf8)
            environment["RAPPORT_CONFIG"] = file
        }
        if let now { environment["RAPPORT_NOW"] = ISO8601DateFormatter().string(from: now) }
        return try RapportSettings.resolve(RapportSettings.Overrides(), environment: environment, executable: Fixtures.root.path + "/.build/debug/rapport")
    }

    /// The use-cases over the store at `path` (created when new).
    public static func open(store path: String, config: String? = nil, now: Date? = nil, concurrentReads: Bool = true) async throws -> RapportServices {
        try await RapportServices.open(try settings(store: path, config: config, now: now), concurrentReads: concurrentReads)
    }
}
