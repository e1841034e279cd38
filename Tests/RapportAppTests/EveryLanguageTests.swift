import Foundation
import GRDB
import RapportTestSupport
import Testing

/// Issue 15: a Swedish, Danish or Polish user gets their language everywhere, not only inside
/// the conversations: the home screen, the listings, the changes and their errors.
@Suite(.serialized)
struct EveryLanguageTests {
    /// A prep answered in words any language reads (choices by number, dates as digits).
    static let prepAnswers = [
        "Anna Berg", "2026-11-24 14:00", "An introduction to their CFO", "2", "She chairs the CFO network in Karlstad",
        "2", "I help mid-size builders cut heating costs with better windows", "A speaker for her network",
        "Who decides on the pilot budget?",
    ]

    /// The reflection on it, with a yes and a cadence in `language`.
    static func reflectAnswers(_ language: String) -> [String] {
        let (yes, cadence) = ["sv": ("ja", "var sjätte vecka"), "da": ("ja", "hver sjette uge"), "pl": ("tak", "co 6 tygodni")][language] ?? ("yes", "every 6 weeks")
        return [
            "1", "An introduction to their CFO", "1", "A speaker for her network", "A name", "1",
            "call Eva 2026-11-25 15:00", "", "recommended Jan Kowalski for their warehouse project", "", yes, cadence,
        ]
    }

    /// English that must not reach someone who chose another language (whole words, as rapport
    /// prints them in English).
    static let english = [
        "Upcoming", "How did it go", "Next", "Follow-ups", "keep in touch", "ask how it turned out", "there is no", "cannot read",
        "Logged for", "Moved to", "Done:", "Knows what you do", "Meeting #", "Which meeting", "Edit that reflection", "Every meeting",
        "The outbox", "Sent", "waiting", "retrying", "given up", "No meetings", "Nothing", "Goal:", "Why them", "You give",
        "You bring", "Notes", "Open follow-ups", "due", "several contacts", "prepare for a meeting", "what to follow up",
        "everything about one person", "Another meeting", "Please type", "undated", "last in touch", "every", "Why:",
        "Enter keeps", "not a", "does not", "already", "will be sent", "your networking coach", "asked to wait", "Start with",
        "Whom did you meet", "reflected on", "changed", "a new contact", "and more",
    ]

    private func englishIn(_ text: String) -> [String] {
        Self.english.filter { phrase in
            text.range(of: "(^|[^\\p{L}])" + NSRegularExpression.escapedPattern(for: phrase) + "($|[^\\p{L}])", options: .regularExpression) != nil
        }
    }

    /// A store in `language` with a prepared and reflected meeting with Anna, a follow-up, a
    /// referral and a cadence, and a nudge destination on 127.0.0.1.
    private func prepared(_ server: LoopbackHTTPServer, language: String) throws -> (RapportBinary, [String: String]) {
        var rapport = RapportBinary()
        let path = rapport.folder.path("config.yaml")
        try """
            destinations:
              team: { kind: generic, url: "\(server.url)/hook" }
            nudges:
              destination: team
              routes: { digest: none }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = ["RAPPORT_CONFIG": path, "RAPPORT_LANG": language]
        rapport.now = "2026-11-23T10:00:00+01:00"
        let prep = try rapport.run(["prep"], input: Data(Self.prepAnswers.map { $0 + "\n" }.joined().utf8), extraEnvironment: config)
        #expect(prep.status == 0, "\(prep.stderr)")
        rapport.now = "2026-11-24T17:00:00+01:00"
        let reflect = try rapport.run(["reflect", "anna"], input: Data(Self.reflectAnswers(language).map { $0 + "\n" }.joined().utf8), extraEnvironment: config)
        #expect(reflect.status == 0, "\(reflect.stderr)")
        #expect(reflect.stdout.contains("#1"), "the reflection was saved: \(reflect.stdout)")
        rapport.now = "2026-11-25T09:00:00+01:00"
        return (rapport, config)
    }

    /// Every daily command, once, in `language`: what each printed, by command.
    private func everyCommand(_ rapport: RapportBinary, _ environment: [String: String]) throws -> [(String, String)] {
        func run(_ arguments: [String], _ lines: [String] = []) throws -> (String, String) {
            let result = try rapport.run(arguments, input: Data(lines.map { $0 + "\n" }.joined().utf8), extraEnvironment: environment)
            return (arguments.joined(separator: " "), result.stdout + result.stderr)
        }
        return [
            try run([]),
            try run(["followups"]),
            try run(["followups", "--due"]),
            try run(["meetings"]),
            try run(["meetings", "--upcoming"]),
            try run(["contact", "anna"]),
            try run(["contact", "nobody"]),
            try run(["done", "9"]),
            try run(["done", "x"]),
            try run(["snooze", "9", "2026-12-20"]),
            try run(["snooze", "1", "xyz"]),
            try run(["snooze", "1", "2026-12-20"]),
            try run(["done", "1"]),
            try run(["done", "1"]),
            try run(["followups", "--all"]),
            try run(["log", "anna", "called"]),
            try run(["reflect", "anna"], ["2"]),
            try run(["reflect", "#1"], ["no"]),
            try run(["reflect", "#9"]),
            try run(["outbox"]),
            try run(["outbox", "retry", "99"]),
            try run(["nudge", "--dry-run"]),
            try run(["nudge"]),
            try run(["outbox", "--all"]),
            try run(["prep", "--resume"]),
        ]
    }

    @Test(arguments: ["sv", "da", "pl"])
    func noEnglishReachesSomeoneWhoChoseAnotherLanguage(_ language: String) throws {
        let server = try LoopbackHTTPServer()
        let (rapport, config) = try prepared(server, language: language)
        for (command, output) in try everyCommand(rapport, config) {
            let found = englishIn(output)
            #expect(found.isEmpty, "rapport \(command) in \(language) said \(found):\n\(output)")
        }
    }

    @Test func swedishReadsAsSwedish() throws {
        let server = try LoopbackHTTPServer()
        let (rapport, config) = try prepared(server, language: "sv")
        let outputs = Dictionary(try everyCommand(rapport, config), uniquingKeysWith: { first, _ in first })
        let home = try #require(outputs[""])
        #expect(home.contains("rapport · din nätverkscoach"))
        #expect(home.contains("\nUppföljningar\n"))
        #expect(home.contains("\nNästa\n  rapport prep NAMN"))
        let followups = try #require(outputs["followups"])
        #expect(followups.contains("Anna Berg  fråga hur det gick: recommended Jan Kowalski for their warehouse project"), "\(followups)")
        #expect(followups.contains("håll kontakten (var sjätte vecka; senast i kontakt"), "\(followups)")
        #expect(outputs["done 9"] == "rapport: det finns ingen uppföljning #9; rapport followups visar dem\n")
        #expect(outputs["snooze 1 xyz"] == "rapport: ”xyz” går inte att läsa som ett datum framåt; prova ”fredag”, ”om 2 veckor” eller ”2026-12-01”\n")
        #expect(outputs["snooze 1 2026-12-20"] == "Flyttad till sön 20 dec 15:00: call Eva (Anna Berg).\n")
        #expect(outputs["nudge"]?.hasPrefix("Skickade ") == true, "\(outputs["nudge"] ?? "")")
    }

    @Test func whyAndEnterKeepsAreSaidInTheConversationsLanguage() throws {
        let rapport = RapportBinary()
        let result = try rapport.run(["prep", "--lang", "da", "Anna", "Berg"], lines: ["i morgen kl 14", "hvorfor", "tilbage", "pause"])
        #expect(result.stdout.contains("Hvorfor: "), "\(result.stdout)")
        #expect(result.stdout.contains("  Enter beholder: "), "\(result.stdout)")
        #expect(!result.stdout.contains("Why:") && !result.stdout.contains("Enter keeps"))
    }

    @Test func followUpsAreStoredWithoutWordsOfAnyLanguage() throws {
        let server = try LoopbackHTTPServer()
        let (rapport, _) = try prepared(server, language: "pl")
        var configuration = Configuration()
        configuration.readonly = true
        let texts = try DatabaseQueue(path: rapport.storePath, configuration: configuration).read { db in
            try String.fetchAll(db, sql: "SELECT text FROM followups ORDER BY id")
        }
        #expect(texts == ["call Eva", "recommended Jan Kowalski for their warehouse project"])
    }
}
