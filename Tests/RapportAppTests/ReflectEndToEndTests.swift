import Foundation
import RapportTestSupport
import Testing

/// Prep, the meeting, reflect, and follow-ups coming due, driven through the real binary with
/// the clock set by RAPPORT_NOW.
@Suite(.serialized)
struct ReflectEndToEndTests {
    static let reflectAnswers = [
        "partly", "The CFO's name, no introduction yet", "yes", "A speaker for her network", "A name", "yes",
        "send the deck by friday", "call Eva in 2 weeks", "", "recommended Jan Kowalski for their warehouse", "", "yes", "every 6 weeks",
    ]

    /// Anna's meeting prepared on Monday for Tuesday 14:00.
    private func prepared() throws -> RapportBinary {
        var rapport = RapportBinary()
        rapport.now = "2026-11-23T10:00:00+01:00"
        let prep = try rapport.run(["prep"], lines: EndToEndTests.prepAnswers)
        #expect(prep.stdout.contains("Saved as meeting #1."))
        return rapport
    }

    @Test func afterTheMeetingReflectListsFollowUpsThatComeDueOnTheirDay() throws {
        var rapport = try prepared()

        rapport.now = "2026-11-24T17:00:00+01:00"
        let home = try rapport.run([])
        #expect(home.stdout.contains("How did it go?\n  Anna Berg, Tue 24 Nov 14:00   → rapport reflect anna"))

        let reflect = try rapport.run(["reflect", "anna"], lines: Self.reflectAnswers)
        #expect(reflect.status == 0, "\(reflect.stderr)")
        #expect(reflect.stdout.contains("Before the meeting you wanted “An introduction to their CFO”. Did you get it?"))
        #expect(reflect.stdout.contains("  Follow-ups:    send the deck (Fri 27 Nov); call Eva (Tue 8 Dec)"))
        #expect(reflect.stdout.contains("Saved with meeting #1."))

        rapport.now = "2026-11-26T12:00:00+01:00"
        #expect(try rapport.run(["followups", "--due"]).stdout == "Nothing is due.\n")

        rapport.now = "2026-11-27T08:00:00+01:00"
        let due = try rapport.run(["followups", "--due"])
        #expect(due.stdout == "#1  Fri 27 Nov  Anna Berg  send the deck  due\n")
        let all = try rapport.run(["followups"])
        #expect(all.stdout.contains("#2  Tue 8 Dec       Anna Berg  call Eva"))
        #expect(all.stdout.contains("#3  Tue 8 Dec       Anna Berg  ask how it turned out: recommended Jan Kowalski for their warehouse"))
        #expect(all.stdout.contains("    Tue 5 Jan 2027  Anna Berg  keep in touch (every 6 weeks; last in touch Tue 24 Nov)"))
        #expect(try rapport.run([]).stdout.contains("Follow-ups\n  #1  Fri 27 Nov  Anna Berg  send the deck  due"))

        let json = try rapport.run(["followups", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["kind"] as? String } == ["action", "action", "referral-feedback", "keep-in-touch"])
        #expect(rows.first?["isDue"] as? Bool == true)

        let done = try rapport.run(["done", "#1"])
        #expect(done.stdout == "Done: send the deck (Anna Berg). The keep-in-touch clock for Anna Berg starts again.\n")
        #expect(try rapport.run(["followups", "--due"]).stdout == "Nothing is due.\n")
        let afterDone = try rapport.run(["followups"])
        #expect(afterDone.stdout.contains("Fri 8 Jan 2027  Anna Berg  keep in touch (every 6 weeks; last in touch Fri 27 Nov)"))

        let snoozed = try rapport.run(["snooze", "2", "next", "monday"])
        #expect(snoozed.stdout == "Moved to Mon 30 Nov: call Eva (Anna Berg).\n")

        // Six weeks without contact after the follow-up: keep-in-touch comes due.
        rapport.now = "2027-01-08T09:00:00+01:00"
        let coldAgain = try rapport.run(["followups", "--due"])
        #expect(coldAgain.stdout.contains("    Fri 8 Jan        Anna Berg  keep in touch (every 6 weeks; last in touch Fri 27 Nov 2026)  due\n"))
        let logged = try rapport.run(["log", "anna", "called about the pilot"])
        #expect(logged.stdout == "Logged for Anna Berg: called about the pilot\n")
        #expect(!(try rapport.run(["followups", "--due"]).stdout.contains("keep in touch")))

        let contact = try rapport.run(["contact", "anna"])
        #expect(contact.stdout.contains("Keep in touch:     every 6 weeks; next by Fri 19 Feb"))
        #expect(contact.stdout.contains("Goal:        An introduction to their CFO — partly"))
        #expect(contact.stdout.contains("Fri 8 Jan  called about the pilot"))
    }

    @Test func reflectingTwiceOffersToEditInsteadOfDuplicating() throws {
        var rapport = try prepared()
        rapport.now = "2026-11-24T17:00:00+01:00"
        _ = try rapport.run(["reflect", "anna"], lines: Self.reflectAnswers)

        let declined = try rapport.run(["reflect", "#1"], lines: ["no"])
        #expect(declined.stdout.contains("You reflected on meeting #1 with Anna Berg on Tue 24 Nov. Edit that reflection? (yes/no)"))
        #expect(declined.stdout.contains("Nothing changed."))

        // Editing: Enter keeps each earlier answer; the goal becomes "yes".
        let edit = try rapport.run(["reflect", "#1"], lines: ["yes", "yes", "", "", "", "", "", "", "", "", "", ""])
        #expect(edit.stdout.contains("Enter keeps: Partly"))
        #expect(edit.stdout.contains("Saved with meeting #1."))
        let meetings = try rapport.run(["meetings", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(meetings.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        let contact = try rapport.run(["contact", "anna", "--json"])
        let details = try #require(try JSONSerialization.jsonObject(with: Data(contact.stdout.utf8)) as? [String: Any])
        let reflections = try #require(details["reflections"] as? [[String: Any]])
        #expect(reflections.count == 1)
        #expect(reflections.first?["goalReached"] as? String == "yes")
        let followUps = try #require(details["followUps"] as? [[String: Any]])
        #expect(followUps.map { $0["text"] as? String } == ["send the deck", "call Eva", "recommended Jan Kowalski for their warehouse"])
    }

    @Test func anInterruptedReflectionResumes() throws {
        var rapport = try prepared()
        rapport.now = "2026-11-24T17:00:00+01:00"
        let first = try rapport.run(["reflect", "anna"], lines: Array(Self.reflectAnswers.prefix(7)))
        #expect(first.stdout.contains("Paused. Your answers are saved; continue with: rapport reflect --resume"))
        let second = try rapport.run(["reflect", "--resume"], lines: Array(Self.reflectAnswers.dropFirst(7)))
        #expect(second.stdout.contains("Another follow-up?\n  So far: send the deck (Fri 27 Nov). Enter when that is all."))
        #expect(second.stdout.contains("Saved with meeting #1."))
        #expect(try rapport.run(["followups"]).stdout.contains("#1  Fri 27 Nov"))
    }

    @Test func aMeetingThatWasNotPreparedIsAskedAbout() throws {
        var rapport = RapportBinary()
        rapport.now = "2026-11-24T17:00:00+01:00"
        let result = try rapport.run(["reflect", "Søren Holm"], lines: [
            "yesterday 10:00", "Advice on tender pricing", "yes", "Price per site", "no", "Slides feedback", "Advice", "yes", "", "", "no",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("When did you meet Søren Holm?"))
        #expect(result.stdout.contains("Reflection: Søren Holm, Mon 23 Nov 10:00"))
        let meetings = try rapport.run(["meetings"])
        #expect(meetings.stdout == "#1  Mon 23 Nov 10:00  Søren Holm  Advice on tender pricing\n")
    }

    @Test func badFollowUpCommandsAreOneSentence() throws {
        let rapport = RapportBinary()
        let missing = try rapport.run(["done", "7"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "rapport: there is no follow-up #7; rapport followups lists them\n")
        let unreadable = try rapport.run(["snooze", "7", "someday"])
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr == "rapport: cannot read 'someday' as a date to come; try “friday”, “in 2 weeks” or “2026-12-01”\n")
    }
}
