import Foundation
import RapportDelivery
import RapportTestSupport
import Testing

/// Forgetting a chat user who left, on the SQLite store and on a team store: two colleagues
/// prepare a meeting each in chat, an admin forgets one, and a full dump of the store (and, for
/// SQLite, the raw bytes of its files) holds nothing of theirs and all of the other's.
@Suite(.serialized)
struct ErasureTests {
    enum Kind: String, CaseIterable, Sendable { case sqlite, postgres }

    /// Unique words in each person's answers, searched for in the dump afterwards.
    static let adaWords = ["Zebulon Quixote", "QXZ-ADA windmill contract", "QXZ-ADA-PITCH"]
    static let boWords = ["Yolanda Beeswax", "QXZ-BO beehive deal"]

    @Test(arguments: Kind.allCases)
    func forgettingAChatUserLeavesNothingOfThemInADumpOfTheStore(_ kind: Kind) throws {
        let (rapport, team) = try Self.binary(on: kind)
        var environment = team.map { ["RAPPORT_STORE": $0.url] } ?? [:]
        let config = rapport.folder.path("config.yaml")
        try """
            destinations:
              ada-room: { kind: generic, url: "http://127.0.0.1:9/ada" }
              bo-room: { kind: generic, url: "http://127.0.0.1:9/bo" }
            nudges:
              people:
                "web:ada": { destination: ada-room }
                "web:bo": { destination: bo-room }
            server:
              token: t0ken
              allow_anyone: true
            """.write(toFile: config, atomically: true, encoding: .utf8)
        environment["RAPPORT_CONFIG"] = config

        let port = RawConnection.freePort()
        let server = try TeamDeploymentTests.start(rapport, port: port, environment: environment)
        let client = try CurlHTTPClient(timeouts: .init(connect: .seconds(1), total: .seconds(10)))
        func say(_ user: String, _ text: String) throws -> String {
            let body = try JSONSerialization.data(withJSONObject: ["user": user, "text": text])
            return try client.post(url: "http://127.0.0.1:\(port)/v1/chat", headers: [("Authorization", "Bearer t0ken"), ("Content-Type", "application/json")], body: Array(body)).text
        }
        let deadline = Date().addingTimeInterval(30)
        while (try? say("ada", "help")) == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        func prep(_ user: String, name: String, goal: String, pitch: String) throws {
            _ = try say(user, "prep \(name)")
            for answer in ["tomorrow 14:00", goal, "no", "They run the regional network", "partly", pitch, "A speaker for their network", "Who decides?"] {
                _ = try say(user, answer)
            }
        }
        try prep("ada", name: Self.adaWords[0], goal: Self.adaWords[1], pitch: Self.adaWords[2] + " I help builders")
        try prep("bo", name: Self.boWords[0], goal: Self.boWords[1], pitch: "I help beekeepers sell their honey to hotel chains")
        _ = try say("ada", "prep Someone Unfinished QXZ-ADA")  // an open conversation too
        server.terminate()
        server.waitUntilExit()

        let before = try dump(kind, rapport: rapport, team: team)
        for word in Self.adaWords + Self.boWords {
            #expect(before.contains(word), "the store held '\(word)' before: the test would prove nothing otherwise")
        }
        #expect(before.contains("ada-room"), "ada's nudges were planned to her room")

        let listed = try rapport.run(["people"], extraEnvironment: environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("web::ada") && listed.stdout.contains("web::bo"), "\(listed.stdout)")
        let shown = try rapport.run(["people", "show", "web:ada"], extraEnvironment: environment)
        #expect(shown.stdout.contains(Self.adaWords[0]), "an admin's view of ada when asked: \(shown.stdout)")
        let mine = try rapport.run(["meetings"], extraEnvironment: environment)
        #expect(!mine.stdout.contains(Self.adaWords[0]), "the terminal shows the local profile's records only: \(mine.stdout)")

        let refused = try rapport.run(["people", "forget", "web:ada"], input: Data("no\n".utf8), extraEnvironment: environment)
        #expect(refused.status != 0 && refused.stdout.contains("Nothing was removed"), "\(refused.stdout)")
        #expect(try dump(kind, rapport: rapport, team: team).contains(Self.adaWords[1]), "answering no keeps everything")

        let forgot = try rapport.run(["people", "forget", "web:ada"], input: Data("yes\n".utf8), extraEnvironment: environment)
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(forgot.stdout.contains("Forgot web::ada — contacts: 1, meetings: 1"), "\(forgot.stdout)")
        #expect(forgot.stdout.contains("conversations: 2, outbox messages: 2"), "the prep and the open one; the reminder and how-did-it-go: \(forgot.stdout)")

        let after = try dump(kind, rapport: rapport, team: team)
        // "ada-room" too: the config names her room, and the store keeps only a digest of the config.
        for word in Self.adaWords + ["web::ada", "ada-room", "Someone Unfinished"] {
            #expect(!after.contains(word), "'\(word)' is still in the store after forgetting ada")
        }
        for word in Self.boWords + ["bo-room"] {
            #expect(after.contains(word), "bo's '\(word)' went too")
        }
        if kind == .sqlite {
            // The file itself, not only what SQL still shows: no deleted page or log frame keeps it.
            for suffix in ["", "-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: rapport.storePath + suffix))) ?? Data()
                for word in Self.adaWords {
                    #expect(bytes.range(of: Data(word.utf8)) == nil, "'\(word)' is still in the bytes of rapport.sqlite\(suffix)")
                }
            }
        }
        let again = try rapport.run(["people", "forget", "web:ada", "--yes"], extraEnvironment: environment)
        #expect(again.stdout.contains("holds nothing of web::ada"), "\(again.stdout)")
    }

    /// `rapport forget NAME` in the terminal: a prep with them, a second one left unfinished, a
    /// note; afterwards a dump of the store holds nothing that names them, and another contact's
    /// records stay.
    @Test(arguments: Kind.allCases)
    func forgettingAContactLeavesNothingOfThemInADumpOfTheStore(_ kind: Kind) throws {
        let (rapport, team) = try Self.binary(on: kind)
        var environment = team.map { ["RAPPORT_STORE": $0.url] } ?? [:]
        let config = rapport.folder.path("config.yaml")
        try "destinations:\n  team: { kind: generic, url: \"http://127.0.0.1:9/hook\" }\nnudges:\n  destination: team\n".write(toFile: config, atomically: true, encoding: .utf8)
        environment["RAPPORT_CONFIG"] = config
        let zeb = ["Zebulon Quixote", "Windmill contract QXZ", "QXZ chairs the windmill guild", "QXZ-NOTE lunch at the mill"]
        var answers = EndToEndTests.prepAnswers
        answers[0] = zeb[0]
        answers[2] = zeb[1]
        answers[4] = zeb[2]
        answers[6] = "yes"  // the pitch saved by the first prep is offered again
        // Another contact first (an unfinished prep would be offered back to a bare `rapport prep`).
        let other = try rapport.run(["prep"], input: Data(EndToEndTests.prepAnswers.map { $0 + "\n" }.joined().utf8), extraEnvironment: environment)
        #expect(other.status == 0, "\(other.stderr)")
        let first = try rapport.run(["prep"], input: Data(answers.map { $0 + "\n" }.joined().utf8), extraEnvironment: environment)
        #expect(first.status == 0 && first.stdout.contains("Saved as meeting #2"), "\(first.stdout)\(first.stderr)")
        // A second prep with them, left at its first question (the input ends).
        _ = try rapport.run(["prep", "zebulon"], input: Data("2\nnext friday 10:00\n".utf8), extraEnvironment: environment)
        #expect(try rapport.run(["log", "zebulon", zeb[3]], extraEnvironment: environment).status == 0)

        let before = try dump(kind, rapport: rapport, team: team)
        for word in zeb { #expect(before.contains(word), "the store held '\(word)' before") }

        let forgot = try rapport.run(["forget", "zebulon", "--yes"], extraEnvironment: environment)
        #expect(forgot.status == 0, "\(forgot.stderr)")
        let after = try dump(kind, rapport: rapport, team: team)
        for word in zeb + ["Zebulon", "QXZ"] {
            #expect(!after.contains(word), "'\(word)' is still in the store after forget")
        }
        #expect(after.contains("Anna Berg") && after.contains("An introduction to their CFO"), "another contact's records went too")
        if kind == .sqlite {
            for suffix in ["", "-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: rapport.storePath + suffix))) ?? Data()
                #expect(bytes.range(of: Data("QXZ".utf8)) == nil, "'QXZ' is still in the bytes of rapport.sqlite\(suffix)")
            }
        }
    }

    /// A contact who came from a calendar: after `rapport forget`, reading the same calendar again
    /// does not bring them back, and a dump holds nothing of them or of their events.
    @Test(arguments: Kind.allCases)
    func aForgottenContactStaysForgottenWhenTheCalendarIsReadAgain(_ kind: Kind) throws {
        let (rapport, team) = try Self.binary(on: kind)
        var environment = team.map { ["RAPPORT_STORE": $0.url] } ?? [:]
        let config = rapport.folder.path("config.yaml")
        try "calendar: { mine: [ada@firma.se] }\n".write(toFile: config, atomically: true, encoding: .utf8)
        environment["RAPPORT_CONFIG"] = config
        let feed = rapport.folder.path("work.ics")
        try Self.calendar.write(toFile: feed, atomically: true, encoding: .utf8)
        let added = try rapport.run(["calendar", "add", feed, "--name", "work"], extraEnvironment: environment)
        #expect(added.status == 0 && added.stdout.contains("work: 3 meetings to prepare for"), "\(added.stdout)\(added.stderr)")
        #expect(try dump(kind, rapport: rapport, team: team).contains("QXZ-AGENDA"))

        let forgot = try rapport.run(["forget", "zebulon", "--yes"], extraEnvironment: environment)
        #expect(forgot.status == 0, "\(forgot.stderr)")
        let synced = try rapport.run(["calendar", "sync"], extraEnvironment: environment)
        #expect(synced.status == 0, "\(synced.stderr)")
        let home = try rapport.run([], extraEnvironment: environment)
        #expect(!home.stdout.contains("Zebulon") && home.stdout.contains("Anna Berg"), "\(home.stdout)")
        let after = try dump(kind, rapport: rapport, team: team)
        for word in ["Zebulon", "QXZ", "zeb@"] {
            #expect(!after.contains(word), "'\(word)' is back in the store after forget and a calendar sync")
        }
        #expect(after.contains("Anna Berg"), "another contact's calendar meeting went too")
    }

    /// A weekly meeting with Zebulon, three times from Wed 25 Nov, and one with Anna on 1 Dec.
    private static let calendar = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//rapport tests//EN\r
        BEGIN:VEVENT\r
        UID:weekly-mill-1@example.com\r
        DTSTAMP:20261120T080000Z\r
        DTSTART:20261125T090000Z\r
        DURATION:PT1H\r
        RRULE:FREQ=WEEKLY;COUNT=3\r
        SUMMARY:Windmill QXZ weekly\r
        DESCRIPTION:QXZ-AGENDA for the mill\r
        ORGANIZER;CN=Ada:mailto:ada@firma.se\r
        ATTENDEE;CN=Zebulon Quixote;PARTSTAT=ACCEPTED:mailto:zeb@mill.example\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:anna-1@example.com\r
        DTSTAMP:20261120T080000Z\r
        DTSTART:20261201T090000Z\r
        DTEND:20261201T100000Z\r
        SUMMARY:Pipeline review\r
        ORGANIZER;CN=Ada:mailto:ada@firma.se\r
        ATTENDEE;CN=Anna Berg;PARTSTAT=ACCEPTED:mailto:anna@kund.se\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    /// The binary on a store of that kind: its own SQLite file, or a schema of the test cluster.
    private static func binary(on kind: Kind) throws -> (RapportBinary, (url: String, schema: String)?) {
        var rapport = RapportBinary()
        rapport.now = "2026-11-23T10:00:00+01:00"
        return (rapport, kind == .postgres ? try TeamDeploymentTests.teamStore() : nil)
    }

    /// Every row of the store as text: `sqlite3 .dump`, or `pg_dump` of the test's schema.
    private func dump(_ kind: Kind, rapport: RapportBinary, team: (url: String, schema: String)?) throws -> String {
        let process = Process()
        switch kind {
        case .sqlite:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [rapport.storePath, ".dump"]
        case .postgres:
            process.executableURL = URL(fileURLWithPath: "/usr/bin/pg_dump")
            process.arguments = ["--data-only", "--schema", team!.schema, String(team!.url.split(separator: "?")[0])]
        }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TeamTestFailure("the \(kind) dump failed (status \(process.terminationStatus))") }
        return text
    }
}
