import Foundation
import RapportApp
import RapportCore
import RapportTestSupport
import Testing

struct RapportSettingsTests {
    private let executable = Fixtures.root.appendingPathComponent(".build/debug/rapport").path

    private func resolve(_ overrides: RapportSettings.Overrides, _ environment: [String: String]) throws -> RapportSettings {
        try RapportSettings.resolve(overrides, environment: environment, executable: executable)
    }

    private func resolve(_ environment: [String: String]) throws -> RapportSettings {
        try resolve(.init(), environment)
    }

    @Test func theStoreDefaultsToTheXDGDataFolder() throws {
        #expect(try resolve(["HOME": "/home/ada"]).storePath == "/home/ada/.local/share/rapport/rapport.sqlite")
        #expect(try resolve(["HOME": "/home/ada", "XDG_DATA_HOME": "/data"]).storePath == "/data/rapport/rapport.sqlite")
    }

    @Test func aFlagBeatsTheEnvironmentWhichBeatsTheConfigFile() throws {
        let folder = TemporaryDirectory()
        let config = folder.path("config.yaml")
        try "store: ~/from-config.sqlite\nlanguage: pl\ntime_zone: Europe/Warsaw\n".write(toFile: config, atomically: true, encoding: .utf8)
        let base = ["HOME": "/home/ada", "RAPPORT_CONFIG": config]
        let fromConfig = try resolve(base)
        #expect(fromConfig.storePath == "/home/ada/from-config.sqlite")
        #expect(fromConfig.language == "pl")
        #expect(fromConfig.timeZone.identifier == "Europe/Warsaw")
        #expect(try resolve(base.merging(["RAPPORT_STORE": "/env.sqlite"]) { $1 }).storePath == "/env.sqlite")
        #expect(try resolve(.init(store: "/flag.sqlite"), base.merging(["RAPPORT_STORE": "/env.sqlite"]) { $1 }).storePath == "/flag.sqlite")
    }

    @Test func theLanguageFollowsTheLocaleUnlessSaidOtherwise() throws {
        #expect(try resolve(["HOME": "/h", "LANG": "sv_SE.UTF-8"]).language == "sv")
        #expect(try resolve(["HOME": "/h", "LANG": "C.UTF-8"]).language == "en")
        #expect(try resolve(.init(language: "da"), ["HOME": "/h", "LANG": "sv_SE.UTF-8"]).language == "da")
    }

    @Test func coloursRespectNoColorTheFlagTheConfigAndDumbTerminals() throws {
        #expect(try resolve(["HOME": "/h"]).colorAllowed)
        #expect(try !resolve(["HOME": "/h", "NO_COLOR": "1"]).colorAllowed)
        #expect(try resolve(["HOME": "/h", "NO_COLOR": ""]).colorAllowed)
        #expect(try !resolve(.init(noColor: true), ["HOME": "/h"]).colorAllowed)
        #expect(try !resolve(["HOME": "/h", "TERM": "dumb"]).colorAllowed)
    }

    @Test func theDocumentedDefaultConfigIsValidAndMeansTheDefaults() throws {
        let config = try RapportConfig.load(path: Fixtures.root.appendingPathComponent("config/rapport.yaml").path)
        var expected = RapportConfig(store: "~/.local/share/rapport/rapport.sqlite", color: true)
        expected.nudges = RapportConfig.NudgeConfig(leadMinutes: 60, reflectAfterMinutes: 120, quietHours: "20-8", morningHour: 9, shareGoals: false)
        expected.nudges?.prepBefore = "morning"
        expected.nudges?.shareCalendar = false
        expected.server = RapportConfig.ServerConfig.builtIn
        expected.calendar = RapportConfig.CalendarConfig(horizonDays: 14, refreshMinutes: 30, maxMegabytes: 10, timeoutSeconds: 30)
        #expect(config == expected, "the documented server values are the built-in ones")
        let settings = try resolve(["HOME": "/home/ada", "RAPPORT_CONFIG": Fixtures.root.appendingPathComponent("config/rapport.yaml").path])
        #expect(settings.storePath == "/home/ada/.local/share/rapport/rapport.sqlite")
        #expect(settings.colorAllowed)
        #expect(settings.nudges == NudgeSettings(), "the documented values are the built-in defaults")
        let calendar = RapportSettings.CalendarSettings()
        #expect(settings.calendar.horizon == calendar.horizon && settings.calendar.refresh == calendar.refresh)
        #expect(settings.calendar.maxBytes == calendar.maxBytes && settings.calendar.timeout == calendar.timeout && settings.calendar.own.isEmpty)
    }

    @Test func aBrokenConfigFileIsNamed() throws {
        let folder = TemporaryDirectory()
        let config = folder.path("config.yaml")
        try "color: [not, a, bool]\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect {
            try resolve(["HOME": "/h", "RAPPORT_CONFIG": config])
        } throws: { error in
            "\(error)".hasPrefix("the config file \(config) is not valid")
        }
    }

    @Test func theBuiltInFlowsAreFoundFromABinaryInTheBuildFolder() throws {
        let settings = try resolve(["HOME": "/h"])
        #expect(settings.promptDirectories.last == Fixtures.prompts.path)
    }

    @Test func aFixedClockComesFromRapportNow() throws {
        #expect(try resolve(["HOME": "/h", "RAPPORT_NOW": "2026-11-23T10:00:00+01:00"]).now() == Fixtures.monday)
    }
}

struct NudgeSettingsTests {
    private func settings(_ yaml: String) throws -> RapportSettings {
        let folder = TemporaryDirectory()
        let path = folder.path("config.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try RapportSettings.resolve(.init(), environment: ["HOME": "/h", "RAPPORT_CONFIG": path], executable: Fixtures.root.appendingPathComponent(".build/debug/rapport").path)
    }

    @Test func aDestinationForAllWithPerKindRoutes() throws {
        let resolved = try settings("""
            destinations: { team: { kind: slack, url: env:X }, ops: { kind: generic, url: env:Y } }
            nudges: { destination: team, routes: { digest: ops, referral: none }, quiet_hours: "off", lead_minutes: 30 }
            """)
        #expect(resolved.nudges.routes[.followup] == "team")
        #expect(resolved.nudges.routes[.digest] == "ops")
        #expect(resolved.nudges.routes[.referral] == nil)
        #expect(resolved.nudges.quietHours == nil)
        #expect(resolved.nudges.leadTime == .seconds(1800))
    }

    @Test func routesToUnknownDestinationsOrKindsAreRefused() throws {
        #expect(throws: RapportError.self) { try settings("nudges: { destination: nowhere }") }
        #expect(throws: RapportError.self) { try settings("destinations: { team: { kind: slack, url: env:X } }\nnudges: { routes: { gossip: team } }") }
        #expect(throws: RapportError.self) { try settings("nudges: { quiet_hours: late }") }
    }
}
