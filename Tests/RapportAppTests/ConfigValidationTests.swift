import Foundation
import RapportApp
import RapportCore
import RapportTestSupport
import Testing

/// What the config file may say: every number within a range it can mean, YAML mistakes located
/// without quoting the file (it holds tokens and webhook URLs), and empty `RAPPORT_*` variables
/// meaning the default.
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

    /// A YAML merge key (`<<: *shared`) still reads: the merge rule is only left out of texts without one.
    @Test func aMergeKeyReadsAndATextWithoutOneReadsItsValuesAsBefore() throws {
        let merged = try resolve("shared: &shared { lead_minutes: 45 }\nnudges:\n  <<: *shared\n")
        #expect(merged.nudges.leadTime == .seconds(45 * 60))
        let plain = try resolve("nudges: { lead_minutes: 45 }\n")
        #expect(plain.nudges.leadTime == .seconds(45 * 60))
    }

    @Test(arguments: [
        ("nudges:\n  lead_minutes: 9223372036854775807\n", "line 2, column 17: nudges.lead_minutes must be between 0 and 10080 (a week); it is 9223372036854775807"),
        ("nudges:\n  lead_minutes: -1\n", "line 2, column 17: nudges.lead_minutes must be between 0 and 10080 (a week); it is -1"),
        ("nudges: { reflect_after_minutes: -9223372036854775808 }", "line 1, column 34: nudges.reflect_after_minutes must be between 0 and 10080 (a week); it is -9223372036854775808"),
        ("nudges: { reflect_after_minutes: 10081 }", "line 1, column 34: nudges.reflect_after_minutes must be between 0 and 10080 (a week); it is 10081"),
        ("nudges: { morning_hour: 24 }", "line 1, column 25: nudges.morning_hour must be between 0 and 23; it is 24"),
        ("nudges: { morning_hour: -1 }", "line 1, column 25: nudges.morning_hour must be between 0 and 23; it is -1"),
        ("server: { port: 70000 }", "line 1, column 17: server.port must be between 1 and 65535; it is 70000"),
        ("server: { port: 0 }", "line 1, column 17: server.port must be between 1 and 65535; it is 0"),
        ("server: { max_body_bytes: -5 }", "line 1, column 27: server.max_body_bytes must be between 1024 and 16777216 (16 MB); it is -5"),
        ("server: { max_body_bytes: 1073741824 }", "line 1, column 27: server.max_body_bytes must be between 1024 and 16777216 (16 MB); it is 1073741824"),
        ("calendar: { horizon_days: 0 }", "line 1, column 27: calendar.horizon_days must be between 1 and 90 (a quarter); it is 0"),
        ("calendar:\n  refresh_minutes: 99999\n", "line 2, column 20: calendar.refresh_minutes must be between 1 and 10080 (a week); it is 99999"),
        // Past Int: not echoed, since a value that is not a number may be anything (a pasted URL).
        ("nudges: { lead_minutes: 99999999999999999999 }", "line 1, column 25: nudges.lead_minutes must be a whole number between 0 and 10080 (a week)"),
        ("server: { port: https://example.com/x }", "line 1, column 17: server.port must be a whole number between 1 and 65535"),
    ])
    func everyNumberMustBeInItsRange(yaml: String, expected: String) {
        #expect(problem(yaml) == expected)
    }

    @Test(arguments: ["-5-3", "5-3-1", "25-3", "5-", "-5", "5--3", "a-b", "20 8", "", "20-8x", "+5-3"])
    func quietHoursAreTwoHoursOrOff(value: String) {
        #expect(problem("nudges: { quiet_hours: \"\(value)\" }") == "line 1, column 24: nudges.quiet_hours must be two hours from 0 to 23 like 20-8, or off; it is '\(value)'")
    }

    @Test func valuesInRangeAreTaken() throws {
        let settings = try resolve("""
            nudges: { lead_minutes: 10080, reflect_after_minutes: 0, morning_hour: 23, quiet_hours: " 22 - 6 " }
            server: { port: 65535, max_body_bytes: 1024 }
            """)
        #expect(settings.nudges.leadTime == .seconds(10080 * 60))
        #expect(settings.nudges.reflectAfter == .zero)
        #expect(settings.nudges.morningHour == 23)
        #expect(settings.nudges.quietHours?.start == 22 && settings.nudges.quietHours?.end == 6)
        #expect(settings.server.port == 65535)
        #expect(settings.server.maxBodyBytes == 1024)
    }

    /// The file holds secrets: a mistake in it is located and named, and none of its text is shown.
    @Test(arguments: [
        ("destinations:\n  team:\n    kind: slack\n    url: https://hooks.slack.com/services/T0/B0/SECRETxyz\n  ops: [\n", "line 6, column 1: the YAML is broken here: did not find expected node content (while parsing a flow node)"),
        ("server:\n  token: xoxb-SECRETxyz: more\n", "line 2, column 24: the YAML is broken here: mapping values are not allowed in this context"),
        ("server:\n  token: xoxb-SECRETxyz\n  token: xoxb-SECRETxyz\n", "line 2, column 3: the YAML is broken here: a key appears twice in one mapping"),
        ("server:\n  token: [xoxb-SECRETxyz]\n", "line 2, column 10: server.token must be a single value, not a list or mapping"),
        ("server:\n  users: https://hooks.slack.com/services/SECRETxyz\n", "line 2, column 10: server.users must be a mapping of 'key: value' lines"),
        ("destinations:\n  team: { url: https://hooks.slack.com/services/SECRETxyz }\n", "line 2, column 9: destinations.team needs 'kind:'"),
        ("color: SECRETxyz\n", "line 1, column 8: color must be true or false"),
        ("*SECRETxyz\n", "line 1, column 1: the YAML is broken here: found undefined alias"),
        ("a: &a [SECRETxyz, x]\nb: {? *a : 1}\n", "line 2, column 7: a key here is an alias (*name) or holds one; write keys out as plain words"),
    ])
    func aMistakeIsLocatedWithoutQuotingTheFile(yaml: String, expected: String) {
        let found = problem(yaml)
        #expect(found == expected)
        #expect(found?.contains("SECRET") == false)
        #expect(found?.contains("hooks.slack.com") == false)
    }

    /// Yams hashes every key whole while composing: a bomb as a key would hang every command.
    @Test func anAliasBombAsAKeyIsRefusedBeforeComposing() {
        let levels = Array("abcdefghij").map(String.init)
        var yaml = "x:\n  - &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (previous, current) in zip(levels, levels.dropFirst()) {
            yaml += "  - &\(current) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(problem(yaml + "y: {? *j : 1}\n") == "line 12, column 7: a key here is an alias (*name) or holds one; write keys out as plain words")
    }

    /// Every command reads the config first: a number out of range is one sentence and exit 1,
    /// not a trap in the arithmetic that every later run would hit again.
    @Test func theBinarySaysWhichKeyIsWrongInsteadOfCrashing() throws {
        let rapport = RapportBinary()
        let path = rapport.folder.path("config.yaml")
        try "nudges:\n  lead_minutes: 9223372036854775807\n".write(toFile: path, atomically: true, encoding: .utf8)
        let huge = try rapport.run(["followups"], extraEnvironment: ["RAPPORT_CONFIG": path])
        #expect(huge.status == 1)
        #expect(huge.stderr == "rapport: the config file \(path) is not valid: line 2, column 17: nudges.lead_minutes must be between 0 and 10080 (a week); it is 9223372036854775807\n")

        try "destinations:\n  team: { kind: slack, url: https://hooks.slack.com/services/T0/B0/SECRETxyz\n".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try rapport.run(["webhook", "test"], extraEnvironment: ["RAPPORT_CONFIG": path])
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("rapport: the config file \(path) is not valid: line "), "\(broken.stderr)")
        #expect(!broken.stderr.contains("SECRET") && !broken.stderr.contains("hooks.slack.com"), "\(broken.stderr)")
        #expect(broken.stdout == "")
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

/// `dm` in the nudge routes: a kind to its owner's Slack DM, alone or beside one destination.
@Suite(.serialized)
struct DirectNudgeConfigTests {
    private static let executable = Fixtures.root.appendingPathComponent(".build/debug/rapport").path
    static let bot = "server: { slack_bot_token: xoxb-1 }\ndestinations: { team: { kind: slack, url: https://hooks.slack.com/services/T/B/x } }\n"

    private func resolve(_ yaml: String) throws -> RapportSettings {
        let folder = TemporaryDirectory()
        let path = folder.path("config.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try RapportSettings.resolve(.init(), environment: ["HOME": "/h", "RAPPORT_CONFIG": path], executable: Self.executable)
    }

    @Test func aKindGoesToTheDMInsteadOfOrAsWellAsAChannel() throws {
        let settings = try resolve(Self.bot + "nudges: { destination: team, routes: { reminder: dm, reflect: [team, dm], followup: dm }, people: { \"slack:U0ALICE\": { routes: { referral: dm } } } }\n")
        #expect(settings.nudges.direct == [.reminder, .reflect, .followup])
        #expect(settings.nudges.routes[.reminder] == nil && settings.nudges.routes[.followup] == nil, "dm alone is instead of the channel")
        #expect(settings.nudges.routes[.reflect] == "team" && settings.nudges.routes[.digest] == "team")
        #expect(settings.nudges.directDestinations == [.slack: "slack-bot"])
        #expect(settings.nudges.directKinds(for: UserKey(platform: .slack, workspace: "T0", user: "U0ALICE")) == [.reminder, .reflect, .followup, .referral])
        #expect(settings.nudges.directKinds(for: .local).isEmpty)
    }

    @Test(arguments: [
        (bot + "nudges: { routes: { reminder: [team, team] } }", "nudges.routes.reminder: name one destination, dm, or one destination and dm, like [team, dm]"),
        (bot + "nudges: { routes: { reminder: [] } }", "nudges.routes.reminder: name one destination, dm, or one destination and dm, like [team, dm]"),
        (bot + "nudges: { routes: { digest: dm } }", "nudges.routes.digest: the digest is your own week and cannot go to a DM; name a destination or none"),
        ("nudges: { routes: { reminder: dm } }", "nudges.routes.reminder: dm posts as a bot; set server.slack_bot_token or server.mattermost_bot_token first"),
        (bot + "nudges: { people: { \"web:ada\": { routes: { followup: dm } } } }", "nudges.people.web:ada.routes: dm reaches the users of a platform with a bot (Slack, Mattermost) only; route web:ada's nudges to a destination"),
    ])
    func aDMRouteThatCannotWorkIsRefusedInOneSentence(_ yaml: String, _ expected: String) {
        do {
            _ = try resolve(yaml)
            Issue.record("expected the config to be refused: \(yaml)")
        } catch {
            #expect("\(error)".hasSuffix(expected), "\(error)")
        }
    }
}
