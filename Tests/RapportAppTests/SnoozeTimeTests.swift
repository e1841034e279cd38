import Foundation
import RapportTestSupport
import Testing

/// Issue 15: snoozing a follow-up with a day keeps the time of day it had, and a time alone
/// keeps its day.
@Suite(.serialized)
struct SnoozeTimeTests {
    @Test func aDayWithoutATimeKeepsTheFollowUpsTimeOfDay() throws {
        var rapport = RapportBinary()
        let prep = try rapport.run(["prep"], lines: EndToEndTests.prepAnswers)
        #expect(prep.stdout.contains("Saved as meeting #1."))
        rapport.now = "2026-11-24T17:00:00+01:00"
        let reflect = try rapport.run(["reflect", "anna"], lines: [
            "yes", "An introduction to their CFO", "yes", "A speaker for her network", "A name", "yes",
            "call Eva tomorrow 15:00", "", "", "yes", "every 6 weeks",
        ])
        #expect(reflect.status == 0, "\(reflect.stdout)\n\(reflect.stderr)")
        #expect(reflect.stdout.contains("call Eva (Wed 25 Nov 15:00)"))

        let week = try rapport.run(["snooze", "1", "in", "a", "week"])
        #expect(week.stdout == "Moved to Tue 1 Dec 15:00: call Eva (Anna Berg).\n", "\(week.stderr)")
        let friday = try rapport.run(["snooze", "1", "friday"])
        #expect(friday.stdout == "Moved to Fri 27 Nov 15:00: call Eva (Anna Berg).\n", "\(friday.stderr)")
        let later = try rapport.run(["snooze", "1", "16:30"])
        #expect(later.stdout == "Moved to Fri 27 Nov 16:30: call Eva (Anna Berg).\n", "a time alone keeps the day: \(later.stderr)")
    }
}
