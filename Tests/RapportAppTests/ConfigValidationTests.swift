import Foundation
import RapportApp
import RapportCore
import RapportTestSupport
import Testing

/// What the config file may say: empty `RAPPORT_*` variables mean the default.
@Suite(.serialized)
struct ConfigValidationTests {
    private static let executable = Fixtures.root.appendingPathComponent(".build/debug/rapport").path

    /// The settings from a config file holding `yaml`, and that file's path.
    private func resolve(_ yaml: String, environment: [String: String] = [:]) throws -> RapportSettings {
        let folder = TemporaryDirectory()
        let path = folder.path("config.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try RapportSettings.resolve(.init(), environment: ["HOME": "/h", "RAPPORT_CONFIG": path].merging(environment) { $1 }, executable: Self.executable)
    }

    /// The one sentence a config is refused with, after "the config file PATH is not valid: ".
    private func problem(_ yaml: String) -> String? {
        do {
            _ = try resolve(yaml)
            Issue.record("expected the config to be refused: \(yaml)")
            return nil
        } catch {
            let text = "\(error)"
            guard let range = text.range(of: "config.yaml is not valid: ") else { return text }
            return String(text[range.upperBound...])
        }
    }

    /// An empty variable is as if it were not set, the way shells and `env -u` are used.
    @Test func emptyVariablesMeanTheDefault() throws {
        let folder = TemporaryDirectory()
        let configFolder = folder.path("config/rapport")
        try FileManager.default.createDirectory(atPath: configFolder, withIntermediateDirectories: true)
        try "language: pl\n".write(toFile: configFolder + "/config.yaml", atomically: true, encoding: .utf8)
        let environment = [
            "HOME": "/home/ada", "XDG_CONFIG_HOME": folder.path("config"), "LANG": "sv_SE.UTF-8",
            "RAPPORT_STORE": "", "RAPPORT_CONFIG": "", "RAPPORT_PROMPTS": "", "RAPPORT_TIME_ZONE": "",
        ]
        let settings = try RapportSettings.resolve(.init(), environment: environment, executable: Self.executable)
        #expect(settings.storePath == "/home/ada/.local/share/rapport/rapport.sqlite")
        #expect(settings.language == "pl", "the default config file was read")
        #expect(settings.promptDirectories == [Fixtures.prompts.path])
        #expect(settings.timeZone == TimeZone.current)

        var noLanguage = environment
        noLanguage["RAPPORT_LANG"] = ""
        noLanguage["XDG_CONFIG_HOME"] = folder.path("nowhere")
        #expect(try RapportSettings.resolve(.init(), environment: noLanguage, executable: Self.executable).language == "sv")
        noLanguage["LC_ALL"] = ""
        #expect(try RapportSettings.resolve(.init(), environment: noLanguage, executable: Self.executable).language == "sv", "an empty LC_ALL leaves LANG in charge")
    }
}
