import Foundation
import GRDB
import RapportTestSupport
import Testing

/// The built binary driven through standard input, against a real SQLite file.
@Suite(.serialized)
struct EndToEndTests {
    static let prepAnswers = [
        "Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no", "She chairs the CFO network in Karlstad",
        "partly", "I help mid-size builders cut heating costs with better windows", "A speaker for her network",
        "Who decides on the pilot budget?",
    ]

    private func database(_ rapport: RapportBinary) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: rapport.storePath, configuration: configuration)
    }

    /// The first column of every row a query returns, as text.
    private func column(_ rapport: RapportBinary, _ sql: String) throws -> [String?] {
        try database(rapport).read { db in try Row.fetchAll(db, sql: sql).map { $0[0] as String? } }
    }

    private func count(_ rapport: RapportBinary, _ sql: String) throws -> Int {
        try database(rapport).read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func aPipedPrepStoresEveryAnswerAndTheMeeting() throws {
        let rapport = RapportBinary()
        let result = try rapport.run(["prep"], lines: Self.prepAnswers)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Prep card: Anna Berg, Tue 24 Nov 14:00"))
        #expect(result.stdout.contains("Saved as meeting #1."))
        #expect(!result.stdout.contains("\u{1B}["), "piped output has no colours")

        let meetingRow = try database(rapport).read { db in try Row.fetchOne(db, sql: "SELECT * FROM meetings") }
        do {
            let meeting = try #require(meetingRow)
            #expect(meeting["goal"] as String? == "An introduction to their CFO")
            #expect(meeting["why_them"] as String? == "She chairs the CFO network in Karlstad")
            #expect(meeting["knows_what_i_do"] as String? == "partly")
            #expect(meeting["pitch"] as String? == "I help mid-size builders cut heating costs with better windows")
            #expect(meeting["give"] as String? == "A speaker for her network")
            #expect(meeting["question"] as String? == "Who decides on the pilot budget?")
            #expect(meeting["existing_contacts_could"] as String? == "no")
            #expect((meeting["card"] as String?)?.hasPrefix("Prep card: Anna Berg") == true)
            let startsAt = try #require(meeting["starts_at"] as Date?)
            #expect(startsAt == Fixtures.moment("2026-11-24T14:00:00+01:00"))
        }
        #expect(try count(rapport, "SELECT COUNT(*) FROM answers") == 9)
        #expect(try column(rapport, "SELECT status FROM conversations") == ["finished"])
        #expect(try column(rapport, "SELECT value FROM profile WHERE key = 'pitch'") == ["I help mid-size builders cut heating costs with better windows"])
        #expect(try column(rapport, "SELECT name FROM contacts") == ["Anna Berg"])
    }

    @Test func killedMidConversationItResumesWhereItStopped() throws {
        let rapport = RapportBinary()
        let process = try rapport.start(["prep"])
        let input = (process.standardInput as! Pipe).fileHandleForWriting
        for line in Self.prepAnswers.prefix(4) { input.write(Data((line + "\n").utf8)) }

        // Wait until the fourth answer is committed, then kill without warning.
        let deadline = Date().addingTimeInterval(20)
        var committed = 0
        while committed < 4, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            if FileManager.default.fileExists(atPath: rapport.storePath) {
                committed = (try? count(rapport, "SELECT COUNT(*) FROM answers")) ?? 0
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(committed == 4)

        let resumed = try rapport.run(["prep", "--resume"], lines: Array(Self.prepAnswers.dropFirst(4)))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("Welcome back."))
        #expect(resumed.stdout.contains("Why Anna?"))
        #expect(resumed.stdout.contains("Saved as meeting #1."))
        #expect(try count(rapport, "SELECT COUNT(*) FROM answers") == 9)
        #expect(try column(rapport, "SELECT goal FROM meetings") == ["An introduction to their CFO"])
        #expect(try column(rapport, "PRAGMA integrity_check") == ["ok"])
    }

    @Test func endOfInputPausesAndTheNextPrepOffersToResume() throws {
        let rapport = RapportBinary()
        let first = try rapport.run(["prep"], lines: Array(Self.prepAnswers.prefix(2)))
        #expect(first.status == 0)
        #expect(first.stdout.contains("Paused. Your answers are saved; continue with: rapport prep --resume"))

        let second = try rapport.run(["prep"], lines: ["yes"] + Array(Self.prepAnswers.dropFirst(2)))
        #expect(second.stdout.contains("You have an unfinished prep #1 with Anna Berg, stopped at “Goal”. Resume it? (yes/no)"))
        #expect(second.stdout.contains("Saved as meeting #1."))

        let home = try rapport.run([])
        #expect(home.stdout.contains("Tue 24 Nov 14:00  Anna Berg  An introduction to their CFO"))
        #expect(!home.stdout.contains("Unfinished"))
    }

    @Test func saysNoToResumingStartsAFreshPrepAndKeepsTheOldOne() throws {
        let rapport = RapportBinary()
        _ = try rapport.run(["prep", "Jan Kowalski"], lines: ["fri 9:30"])
        let fresh = try rapport.run(["prep"], lines: ["no", "Anna Berg"])
        #expect(fresh.stdout.contains("You have an unfinished prep #1 with Jan Kowalski, stopped at “Goal”."))
        #expect(fresh.stdout.contains("When do you meet Anna Berg?"))
        #expect(try column(rapport, "SELECT status FROM conversations ORDER BY id") == ["paused", "paused"])
    }

    @Test func hostileInputGetsOneSentenceEachAndNothingEscapesIntoTheStore() throws {
        let rapport = RapportBinary()
        var input = Data("Anna Berg\n".utf8)
        input.append(Data(String(repeating: "x", count: 1_048_576).utf8))
        input.append(Data("\n".utf8))
        input.append(Data([0xFF, 0xFE, 0x41, 0x0A]))
        input.append(Data("\u{1B}[31mtomorrow\u{1B}[0m 14:00\u{07}\n".utf8))
        input.append(Data("\u{1B}]0;pwned\u{07}An intro to their \u{1B}[1mCFO\n".utf8))
        let result = try rapport.run(["prep"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("! That answer is 1048576 characters long; please keep it under 2000."))
        #expect(result.stdout.contains("! That line could not be read as text (it was not valid UTF-8). Please type it again."))
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\u{07}"))
        #expect(try column(rapport, "SELECT raw FROM answers ORDER BY id") == ["Anna Berg", "tomorrow 14:00", "An intro to their CFO"])
    }

    @Test func anUnknownFlowIsOneSentenceAndAFailure() throws {
        let result = try RapportBinary().run(["chat", "nope"])
        #expect(result.status == 1)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.path)
            .filter { $0.hasSuffix(".yaml") && $0 != "principles.yaml" }.map { String($0.dropLast(5)) }.sorted()
        #expect(shipped.contains("prep") && shipped.contains("reflect"))
        #expect(result.stderr == "rapport: there is no flow named 'nope'; available flows: \(shipped.joined(separator: ", "))\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func aBrokenFlowFileIsReportedWithFileLineAndStep() throws {
        let rapport = RapportBinary()
        let prompts = rapport.folder.url.appendingPathComponent("prompts")
        try FileManager.default.createDirectory(at: prompts, withIntermediateDirectories: true)
        let original = try String(contentsOf: Fixtures.prompts.appendingPathComponent("prep.yaml"), encoding: .utf8)
        let broken = original.replacingOccurrences(of: "        goto: why_them", with: "        goto: why_thme")
        try broken.write(to: prompts.appendingPathComponent("prep.yaml"), atomically: true, encoding: .utf8)
        let line = broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("why_thme") }! + 1

        let result = try rapport.run(["prep", "--prompts", prompts.path], lines: ["Anna"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("prompts/prep.yaml:\(line):15: step 'already': 'goto: why_thme' names a step that does not exist"))
        #expect(!result.stdout.contains("Who are you meeting?"))
    }

    @Test func aStoreThatIsNotADatabaseIsRefusedAndLeftAlone() throws {
        let rapport = RapportBinary()
        try FileManager.default.createDirectory(atPath: rapport.folder.path("data"), withIntermediateDirectories: true)
        let content = Data("not sqlite at all".utf8)
        try content.write(to: URL(fileURLWithPath: rapport.storePath))
        let result = try rapport.run(["prep"], lines: ["Anna"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a rapport store (it is not an SQLite database); nothing was changed"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: rapport.storePath)) == content)
    }

    @Test func aStorePathThatCannotBeCreatedIsOneSentence() throws {
        let rapport = RapportBinary()
        let blocker = rapport.folder.path("file")
        try Data().write(to: URL(fileURLWithPath: blocker))
        let result = try rapport.run(["meetings", "--store", blocker + "/sub/rapport.sqlite"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("rapport: cannot create the folder for the store at \(blocker)/sub/rapport.sqlite"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func listingsPrintTablesAndJSON() throws {
        let rapport = RapportBinary()
        _ = try rapport.run(["prep"], lines: Self.prepAnswers)

        let table = try rapport.run(["meetings"])
        #expect(table.stdout == "#1  Tue 24 Nov 14:00  Anna Berg  An introduction to their CFO\n")

        let json = try rapport.run(["meetings", "--json"])
        let meetings = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(meetings.count == 1)
        #expect(meetings.first?["contactName"] as? String == "Anna Berg")
        #expect(meetings.first?["startsAt"] as? String == "2026-11-24T13:00:00Z")

        let contact = try rapport.run(["contact", "ANNA"])
        #expect(contact.stdout.contains("Anna Berg\n  Knows what you do: partly"))
        #expect(contact.stdout.contains("Goal:        An introduction to their CFO"))

        let contactJSON = try rapport.run(["contact", "berg", "--json"])
        let details = try #require(try JSONSerialization.jsonObject(with: Data(contactJSON.stdout.utf8)) as? [String: Any])
        #expect((details["contact"] as? [String: Any])?["name"] as? String == "Anna Berg")

        let missing = try rapport.run(["contact", "Nobody"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "rapport: no contact matches 'Nobody'; contacts are added by: rapport prep \"Nobody\"\n")
    }

    @Test func aNameOnTheCommandLineFindsTheStoredContact() throws {
        let rapport = RapportBinary()
        _ = try rapport.run(["prep"], lines: Self.prepAnswers)
        // She has a meeting booked already: another one is the second choice.
        let second = try rapport.run(["prep", "anna"], lines: ["2", "fri 9:30"])
        #expect(second.stdout.contains("  2) Prepare another meeting with Anna Berg\n"), "\(second.stdout)")
        #expect(second.stdout.contains("When do you meet Anna Berg?"))
    }

    @Test func aBadClockSettingIsOneSentence() throws {
        let result = try RapportBinary().run(["meetings"], extraEnvironment: ["RAPPORT_NOW": "next tuesday"])
        #expect(result.status == 1)
        #expect(result.stderr == "rapport: RAPPORT_NOW='next tuesday' is not an ISO 8601 moment such as 2026-12-01T10:00:00+01:00\n")
    }
}

/// The networking goal, set once with `rapport chat goal`, heads every prep card after it.
@Suite(.serialized)
struct GoalOnThePrepCardTests {
    @Test func theGoalStandsOnTopOfTheNextPrepCard() throws {
        let rapport = RapportBinary()
        let goal = try rapport.run(["chat", "goal"], lines: [
            "Grow the company with two public-sector customers this year", "no", "Heads of facilities in municipalities",
            "Public procurement", "The regional facilities network", "Energy audits and my contacts at the utility", "skip",
        ])
        #expect(goal.stdout.contains("Your networking goal\n  Goal:"))
        let prep = try rapport.run(["prep"], lines: EndToEndTests.prepAnswers)
        #expect(prep.stdout.contains("Prep card: Anna Berg, Tue 24 Nov 14:00\n  Your aim:   Grow the company with two public-sector customers this year\n  Goal:"))
    }
}
