import Foundation
import RapportTestSupport
import Testing

/// The calendar from the real `rapport` binary: add a file, see the meetings on the home screen,
/// prep one (who and when prefilled), post the prep nudge of the other, and follow a move.
@Suite(.serialized)
struct CalendarEndToEndTests {
    private func setUp(_ server: LoopbackHTTPServer) throws -> (RapportBinary, [String: String], String) {
        let rapport = RapportBinary()  // Mon 23 Nov 2026 10:00 in Stockholm
        let config = rapport.folder.path("config.yaml")
        try """
            calendar: { mine: [ada@firma.se] }
            destinations:
              team: { kind: generic, url: "\(server.url)/hook" }
            nudges:
              destination: team
              routes: { digest: none }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let feed = rapport.folder.path("work.ics")
        try CalendarSyncTests.feed().write(toFile: feed, atomically: true, encoding: .utf8)
        return (rapport, ["RAPPORT_CONFIG": config], feed)
    }

    private func run(_ rapport: RapportBinary, _ environment: [String: String], at now: String? = nil, _ arguments: [String], lines: [String] = []) throws -> RapportBinary.Result {
        var moment = rapport
        if let now { moment.now = now }
        return try moment.run(arguments, input: Data(lines.map { $0 + "\n" }.joined().utf8), extraEnvironment: environment)
    }

    @Test func meetingsFromACalendarArePreparedAndNudged() throws {
        let server = try LoopbackHTTPServer()
        let (rapport, environment, feed) = try setUp(server)

        let added = try run(rapport, environment, ["calendar", "add", feed, "--name", "work"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "Added work (\(feed)).\nwork: 4 meetings to prepare for in the next two weeks (4 new).\n")
        let listed = try run(rapport, environment, ["calendar"])
        #expect(listed.stdout == "work  \(feed)\n  read Mon 23 Nov 10:00: 4 meetings ahead\n")

        let home = try run(rapport, environment, [])
        #expect(home.stdout.contains("  Tue 1 Dec 10:00   Anna Berg     not prepared yet — rapport prep anna\n"), "\(home.stdout)")
        #expect(home.stdout.contains("  Wed 2 Dec 10:00   Jan Kowalski  not prepared yet — rapport prep jan\n"))

        // `rapport prep anna`: who and when come from the calendar, so the first question is the goal.
        let prep = try run(rapport, environment, ["prep", "anna"], lines: Array(EndToEndTests.prepAnswers.dropFirst(2)))
        #expect(prep.status == 0, "\(prep.stderr)")
        #expect(!prep.stdout.contains("When do you meet"))
        #expect(prep.stdout.contains("Prep card: Anna Berg, Tue 1 Dec 10:00"))
        let meetings = try run(rapport, environment, ["meetings", "--json"])
        let annas = meetings.stdout.components(separatedBy: "\"contactName\" : \"Anna Berg\"").count - 1
        #expect(annas == 1, "the prep filled the calendar's meeting: \(meetings.stdout)")
        let upcoming = try run(rapport, environment, []).stdout.split(separator: "\n")
        #expect(upcoming.contains { $0.contains("Anna Berg") && $0.hasSuffix("An introduction to their CFO") }, "\(upcoming)")

        // The morning of Jan's meeting, `rapport nudge` reads the calendar again and posts its
        // prep nudge: the time only, nothing the calendar says.
        let nudged = try run(rapport, environment, at: "2026-12-02T09:01:00+01:00", ["nudge"])
        #expect(nudged.status == 0, "\(nudged.stderr)")
        let posted = server.requests.compactMap(\.json)
        let prepNudge = try #require(posted.first { $0["type"] as? String == "prep" && ($0["id"] as? String)?.hasSuffix("-20261202") == true })
        #expect(prepNudge["title"] as? String == "A meeting from your calendar is not prepared yet: Wed 2 Dec 10:00")
        for message in server.requests.map(\.text) {
            #expect(!message.contains("Jan") && !message.contains("Coffee") && !message.contains("agenda"), "\(message)")
        }

        // Anna's meeting moves in the calendar: the prep stays with it.
        try CalendarSyncTests.feed(anna: "20261204T150000").write(toFile: feed, atomically: true, encoding: .utf8)
        let synced = try run(rapport, environment, at: "2026-11-24T08:00:00+01:00", ["calendar", "sync"])
        #expect(synced.stdout.contains("(1 moved)"), "\(synced.stdout)")
        let after = try run(rapport, environment, at: "2026-11-24T08:00:00+01:00", ["meetings", "--upcoming"])
        #expect(after.stdout.contains("#2  Fri 4 Dec 15:00   Anna Berg     An introduction to their CFO\n"), "\(after.stdout)")
    }

    @Test func aCalendarThatCannotBeReadSaysWhyInOneSentence() throws {
        let server = try LoopbackHTTPServer()
        let (rapport, environment, _) = try setUp(server)
        let missing = try run(rapport, environment, ["calendar", "add", rapport.folder.path("nowhere.ics")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot use \(rapport.folder.path("nowhere.ics")) as a calendar: there is no readable file there"))
        server.enqueue(.respond(status: 403, body: "Forbidden"))
        var secret = environment
        secret["WORK_ICS"] = server.url + "/calendar/ical/private-7f3a/basic.ics"
        let refused = try run(rapport, secret, ["calendar", "add", "env:WORK_ICS"])
        #expect(refused.stdout.contains("Added calendar (env:WORK_ICS (http://127.0.0.1:\(server.port)/…))."), "\(refused.stdout)")
        #expect(refused.stderr.contains("calendar 'calendar' could not be read: the server refused it (403)"))
        #expect(!(refused.stdout + refused.stderr).contains("private-7f3a"), "the address is a secret")
        let listed = try run(rapport, secret, ["calendar"])
        #expect(listed.stdout.contains("never read") && listed.stdout.contains("failed: the server refused it (403)"), "\(listed.stdout)")
    }
}
