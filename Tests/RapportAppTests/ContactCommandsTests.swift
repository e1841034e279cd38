import Foundation
import GRDB
import RapportTestSupport
import Testing

/// Issue 15, what people expect around the conversations: their contacts listed and found,
/// renamed, merged and deleted; a card shown again; a meeting moved or called off; a note logged
/// without quotes; a typo'd name offered the name meant; two Annas told apart; a meeting already
/// booked offered again. Through the real binary, piped as a script would.
@Suite(.serialized)
struct ContactCommandsTests {
    private func log(_ rapport: RapportBinary, _ names: [String]) throws {
        for name in names {
            let result = try rapport.run(["log", name, "met at the fair"])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    private func database(_ rapport: RapportBinary) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: rapport.storePath, configuration: configuration)
    }

    /// A store with a nudge destination, so the outbox shows what is planned.
    private func withDestination() throws -> (RapportBinary, [String: String]) {
        let rapport = RapportBinary()
        let path = rapport.folder.path("config.yaml")
        try """
            destinations:
              team: { kind: generic, url: "http://127.0.0.1:9/hook" }
            nudges:
              destination: team
              routes: { digest: none }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return (rapport, ["RAPPORT_CONFIG": path])
    }

    private func run(_ rapport: RapportBinary, _ environment: [String: String], _ arguments: [String], lines: [String] = []) throws -> RapportBinary.Result {
        try rapport.run(arguments, input: Data(lines.map { $0 + "\n" }.joined().utf8), extraEnvironment: environment)
    }

    @Test func contactsAreListedFoundByAQueryBoundedAndAsJSON() throws {
        let rapport = RapportBinary()
        try log(rapport, ["Łukasz Wójcik", "Anna Berg", "Jan Kowalski", "Annika Lind"])
        let all = try rapport.run(["contacts"])
        #expect(all.status == 0, "\(all.stderr)")
        let names = all.stdout.split(separator: "\n").map { $0.split(separator: "  ").first.map(String.init) ?? "" }
        #expect(names == ["Anna Berg", "Annika Lind", "Jan Kowalski", "Łukasz Wójcik"], "\(all.stdout)")
        #expect(all.stdout.hasPrefix("Anna Berg      knows what you do: not asked yet\n"), "names in one column: \(all.stdout)")

        let ann = try rapport.run(["contacts", "ann"])
        #expect(ann.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " || false }) }.count == 2)
        #expect(ann.stdout.contains("Anna Berg") && ann.stdout.contains("Annika Lind") && !ann.stdout.contains("Jan"))

        let bounded = try rapport.run(["contacts", "--limit", "2"])
        #expect(bounded.stdout.hasSuffix("… and more: rapport contacts --limit 0 shows them all\n"), "\(bounded.stdout)")
        #expect(bounded.stdout.split(separator: "\n").count == 3)

        let typo = try rapport.run(["contacts", "anan"])
        #expect(typo.stdout == "Nobody is called “anan”; close to it:\nAnna Berg  knows what you do: not asked yet\n", "\(typo.stdout)")

        let json = try rapport.run(["contacts", "lu", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["Łukasz Wójcik"])

        let nobody = try rapport.run(["contacts", "zzz"])
        #expect(nobody.stdout == "No contact matches “zzz”.\n")
    }

    @Test func aContactIsRenamedMergedAndDeletedWithEverythingAboutThem() throws {
        let (rapport, config) = try withDestination()
        let prep = try run(rapport, config, ["prep"], lines: EndToEndTests.prepAnswers)
        #expect(prep.status == 0, "\(prep.stderr)")

        let renamed = try run(rapport, config, ["contact", "rename", "anna", "berg", "Anna", "Lindqvist"])
        #expect(renamed.stdout == "Renamed Anna Berg to Anna Lindqvist.\n", "\(renamed.stdout)\(renamed.stderr)")
        try log(rapport, ["Anna B"])  // a duplicate of her, as a hurried log makes one
        #expect(try run(rapport, config, ["meetings"]).stdout.contains("Anna Lindqvist  An introduction to their CFO"))
        #expect(try run(rapport, config, ["outbox"]).stdout.contains("Meeting with Anna Lindqvist, Tue 24 Nov 14:00"), "the waiting reminder says the new name")
        let taken = try run(rapport, config, ["contact", "rename", "Anna Lindqvist", "anna b"])
        #expect(taken.status == 1)
        #expect(taken.stderr == "rapport: Anna B is another contact; to make them one: rapport contact merge \"Anna B\" \"Anna Lindqvist\"\n", "\(taken.stderr)")

        // Merging asks first; a script says --yes.
        let unasked = try run(rapport, config, ["contact", "merge", "Anna B", "Anna Lindqvist"])
        #expect(unasked.status == 1)
        #expect(unasked.stderr == "rapport: this asks first (yes/no); in a script, add --yes\n", "\(unasked.stderr)")
        let declined = try run(rapport, config, ["contact", "merge", "Anna B", "Anna Lindqvist"], lines: ["no"])
        #expect(declined.stdout.hasSuffix("Nothing changed.\n"), "\(declined.stdout)")
        let merged = try run(rapport, config, ["contact", "merge", "Anna B", "Anna Lindqvist", "--yes"])
        #expect(merged.stdout == "Merged Anna B into Anna Lindqvist: 0 meetings, 0 follow-ups and 1 note moved.\n", "\(merged.stdout)\(merged.stderr)")
        let listed = try run(rapport, config, ["contacts"]).stdout
        #expect(listed.split(separator: "\n").count == 1 && listed.hasPrefix("Anna Lindqvist  knows what you do: partly"), "\(listed)")
        #expect(try run(rapport, config, ["contact", "lindqvist"]).stdout.contains("met at the fair"), "the note moved with the merge")

        // Deleting asks first too, and then nothing about her is left.
        let asked = try run(rapport, config, ["contact", "delete", "anna"], lines: ["yes"])
        #expect(asked.stdout.contains("Delete Anna Lindqvist and everything about them (1 meeting, 0 follow-ups and 1 note)? This cannot be undone. (yes/no)\n"), "\(asked.stdout)")
        #expect(asked.stdout.hasSuffix("Deleted Anna Lindqvist.\n"), "\(asked.stdout)")
        #expect(try run(rapport, config, ["contacts"]).stdout == "No contacts yet. They come from: rapport prep NAME\n")
        #expect(try run(rapport, config, ["meetings"]).stdout.hasPrefix("No meetings yet."))
        let rows = try database(rapport).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? -1, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM answers") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM interactions") ?? -1)
        }
        #expect(rows == (0, 0, 0), "no message, answer or note about her is kept")
        let gone = try run(rapport, config, ["contact", "delete", "anna", "--yes"])
        #expect(gone.status == 1)
        #expect(gone.stderr.hasPrefix("rapport: no contact matches 'anna'"))
    }

    @Test func aCardIsShownAgainAndAMeetingMovesOrIsCalledOff() throws {
        var (rapport, config) = try withDestination()
        let prep = try run(rapport, config, ["prep"], lines: EndToEndTests.prepAnswers)
        #expect(prep.stdout.hasSuffix("Saved as meeting #1. See it again with: rapport card 1\n"), "\(prep.stdout)")
        let card = try run(rapport, config, ["card", "1"])
        #expect(card.stdout.hasPrefix("Prep card: Anna Berg, Tue 24 Nov 14:00\n  Goal:       An introduction to their CFO\n"), "\(card.stdout)")
        #expect(try run(rapport, config, ["card", "#9"]).stderr == "rapport: there is no meeting #9; rapport meetings lists them\n")

        let moved = try run(rapport, config, ["meeting", "1", "move", "friday", "15:00"])
        #expect(moved.stdout == "Meeting #1 with Anna Berg moved to Fri 27 Nov 15:00.\n", "\(moved.stdout)\(moved.stderr)")
        let outbox = try run(rapport, config, ["outbox"]).stdout
        #expect(outbox.contains("waiting  Fri 27 Nov 14:00  team  Meeting with Anna Berg, Fri 27 Nov 15:00"), "the reminder moved: \(outbox)")
        #expect(!outbox.contains("Tue 24 Nov"))
        let earlier = try run(rapport, config, ["meeting", "1", "move", "9:30"])
        #expect(earlier.stdout == "Meeting #1 with Anna Berg moved to Fri 27 Nov 09:30.\n", "a time alone keeps the day: \(earlier.stdout)")
        #expect(try run(rapport, config, ["meeting", "1", "move", "xyz"]).stderr.hasPrefix("rapport: cannot read 'xyz' as a date to come"))

        let cancelled = try run(rapport, config, ["meeting", "1", "cancel"])
        #expect(cancelled.stdout == "Meeting #1 with Anna Berg (Fri 27 Nov 09:30) is called off; nothing more is sent about it.\n", "\(cancelled.stdout)")
        #expect(try run(rapport, config, ["outbox"]).stdout == "The outbox is empty.\n")
        #expect(try run(rapport, config, ["meetings"]).stdout.contains("#1  Fri 27 Nov 09:30  Anna Berg  An introduction to their CFO (called off)"))
        #expect(!(try run(rapport, config, []).stdout.contains("Upcoming")), "a meeting called off is not coming up")
        #expect(try run(rapport, config, ["meeting", "9", "cancel"]).stderr == "rapport: there is no meeting #9; rapport meetings lists them\n")

        // Booked again, held, and reflected on: the card shows both.
        _ = try run(rapport, config, ["meeting", "1", "move", "2026-11-24", "14:00"])
        rapport.now = "2026-11-24T17:00:00+01:00"
        let reflect = try run(rapport, config, ["reflect", "anna"], lines: EveryLanguageTests.reflectAnswers("en"))
        #expect(reflect.status == 0, "\(reflect.stderr)")
        let both = try run(rapport, config, ["card", "1"]).stdout
        #expect(both.contains("Prep card: Anna Berg") && both.contains("\nReflection: Anna Berg, Tue 24 Nov 14:00\n  Wanted:"), "\(both)")
    }

    @Test func aNoteIsLoggedWithoutQuotesAndATypoIsOfferedTheNameMeant() throws {
        let rapport = RapportBinary()
        try log(rapport, ["Anna Berg"])
        #expect(try rapport.run(["log", "anna", "called", "today"]).stdout == "Logged for Anna Berg: called today\n")
        #expect(try rapport.run(["log", "anna", "berg", "called", "again"]).stdout == "Logged for Anna Berg: called again\n")

        let meant = try rapport.run(["log", "anan", "called"], lines: ["yes"])
        #expect(meant.stdout == "There is no Anan among your contacts. Did you mean Anna Berg? (yes/no)\n> yes\nLogged for Anna Berg: called\n", "\(meant.stdout)")
        let someoneElse = try rapport.run(["log", "anan", "called"], lines: ["no"])
        #expect(someoneElse.stdout.hasSuffix("Logged for Anan (a new contact): called\n"), "\(someoneElse.stdout)")
        let unanswered = try rapport.run(["log", "annna", "called"])
        #expect(unanswered.status == 1)
        #expect(unanswered.stdout.hasSuffix("Nothing was logged.\n"), "\(unanswered.stdout)")
        #expect(try rapport.run(["log", "Jan", "Kowalski", "coffee"]).stdout == "Logged for Jan Kowalski (a new contact): coffee\n", "capitalised words name a new person")

        let contact = try rapport.run(["contact", "berq"])
        #expect(contact.stderr == "rapport: no contact matches 'berq'; did you mean Anna Berg?\n", "\(contact.stderr)")

        let prep = try rapport.run(["prep", "ana", "berg"], lines: ["yes", "pause"])
        #expect(prep.stdout.contains("There is no Ana Berg among your contacts. Did you mean Anna Berg? (yes/no)\n"), "\(prep.stdout)")
        #expect(prep.stdout.contains("When do you meet Anna Berg?"))
    }

    @Test func twoAnnasAreToldApartAndABookedMeetingIsOfferedAgain() throws {
        let rapport = RapportBinary()
        try log(rapport, ["Anna Berg", "Anna Svensson"])
        let which = try rapport.run(["prep", "anna"], lines: ["2", "pause"])
        #expect(which.stdout.hasPrefix("Several people are called “anna”. Whom are you meeting?\n  1) Anna Berg\n  2) Anna Svensson\n  3) Someone new called Anna\n"), "\(which.stdout)")
        #expect(which.stdout.contains("When do you meet Anna Svensson?"))
        _ = try rapport.run(["prep", "--resume"], lines: ["cancel", "yes"])

        let first = try rapport.run(["prep", "Anna", "Berg"], lines: Array(EndToEndTests.prepAnswers.dropFirst()))
        #expect(first.stdout.contains("Saved as meeting #1."), "\(first.stdout)")
        let again = try rapport.run(["prep", "anna", "berg"], lines: ["1", "", "", "", "", "yes", "", "Who else should I meet?"])
        #expect(again.stdout.hasPrefix("You already have a meeting with Anna Berg, Tue 24 Nov 14:00 (#1).\n  1) Go over that meeting's prep again\n  2) Prepare another meeting with Anna Berg\n"), "\(again.stdout)")
        #expect(again.stdout.contains("  Enter keeps: Tue 24 Nov 14:00"))
        #expect(!again.stdout.contains("Does Anna know what you do") && !again.stdout.contains("!"), "answered minutes ago: \(again.stdout)")
        #expect(again.stdout.contains("Saved as meeting #1."), "the same meeting: \(again.stdout)")
        let meetings = try rapport.run(["meetings"]).stdout
        #expect(meetings.split(separator: "\n").count == 1, "\(meetings)")
        #expect(try rapport.run(["card", "1"]).stdout.contains("You bring:  Who else should I meet?"))

        let another = try rapport.run(["prep", "anna", "berg"], lines: ["2", "in 2 weeks 10:00", "pause"])
        #expect(another.stdout.contains("When do you meet Anna Berg?"))
        #expect(!another.stdout.contains("Enter keeps"))
    }
}
