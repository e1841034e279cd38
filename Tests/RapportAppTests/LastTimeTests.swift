import Foundation
import RapportTestSupport
import Testing

/// Issue 15: the next prep with someone opens with last time (the goal, whether it was reached,
/// what is still open), and does not ask again what is already known: whether they know what you
/// do (a recent answer), or whether your current contacts could get you this (they are one).
@Suite(.serialized)
struct LastTimeTests {
    private static let title = "Prepare for a meeting   (at any question: ? or why, back, review, pause, cancel)\n"

    /// A prep with Anna on Tue 24 Nov (she knows partly what you do), and its reflection that
    /// evening (the goal reached, she learned what you do, a follow-up and a referral).
    private func metAnna() throws -> RapportBinary {
        var rapport = RapportBinary()
        let prep = try rapport.run(["prep", "Anna Berg"], lines: Array(EndToEndTests.prepAnswers.dropFirst()))
        #expect(prep.status == 0, "\(prep.stderr)")
        rapport.now = "2026-11-24T17:00:00+01:00"
        let reflect = try rapport.run(["reflect", "anna"], lines: EveryLanguageTests.reflectAnswers("en"))
        #expect(reflect.status == 0, "\(reflect.stderr)")
        return rapport
    }

    @Test func theNextPrepOpensWithLastTimeAndAsksOnlyWhatIsNotKnown() throws {
        var rapport = try metAnna()
        rapport.now = "2026-12-01T09:00:00+01:00"
        let next = try rapport.run(["prep", "anna"], lines: ["pause"])
        #expect(next.stdout.hasPrefix(Self.title + """
            Last time (Tue 24 Nov) you wanted: “An introduction to their CFO”. You got it.
            Still open: call Eva (Wed 25 Nov 15:00); recommended Jan Kowalski for their warehouse project (Tue 8 Dec)

            When do you meet Anna Berg?
            """), "\(next.stdout)")
        let answered = try rapport.run(
            ["prep", "--resume"], lines: ["thursday 10:00", "A pilot with their Karlstad office", "She runs the Karlstad office", "An intro to our installer", "Who signs off on pilots?"])
        #expect(answered.status == 0, "\(answered.stderr)")
        #expect(answered.stdout.contains("Saved as meeting #2."), "\(answered.stdout)")
        let asked = next.stdout + answered.stdout
        #expect(!asked.contains("Could you get this through the contacts you already have?"), "Anna is a current contact: \(asked)")
        #expect(!asked.contains("Does Anna know what you do"), "she learned it a week ago: \(asked)")
        #expect(!asked.contains("one-line pitch"), "she knows what you do, so no pitch is asked for")
        let card = try rapport.run(["card", "2"]).stdout
        #expect(card.contains("You give:  An intro to our installer") && !card.contains("Your pitch"), "\(card)")
    }

    @Test func anOldAnswerIsAskedAgain() throws {
        var rapport = try metAnna()
        rapport.now = "2027-04-01T09:00:00+01:00"
        let later = try rapport.run(["prep", "anna"], lines: ["pause"])
        #expect(later.stdout.hasPrefix(Self.title + "Last time (Tue 24 Nov 2026) you wanted: “An introduction to their CFO”. You got it.\n"), "\(later.stdout)")
        let answered = try rapport.run(["prep", "--resume"], lines: ["tomorrow 10:00", "A pilot with their Karlstad office", "She runs the office"])
        #expect(answered.stdout.contains("Does Anna know what you do, well enough to recommend you?"), "four months on, it is asked again: \(answered.stdout)")
    }

    @Test func aFirstPrepWithSomeoneAsksBoth() throws {
        let rapport = RapportBinary()
        let prep = try rapport.run(["prep", "Anna Berg"], lines: ["tomorrow 14:00", "An introduction to their CFO", "pause"])
        #expect(!prep.stdout.contains("Last time"))
        #expect(prep.stdout.contains("Could you get this through the contacts you already have?"))
    }

    @Test func lastTimeIsInThePersonsLanguage() throws {
        var rapport = try metAnna()
        rapport.now = "2026-12-01T09:00:00+01:00"
        let next = try rapport.run(["--lang", "sv", "prep", "anna"], lines: ["paus"])
        #expect(next.stdout.contains("""
            Förra gången (tis 24 nov) ville du ha: ”An introduction to their CFO”. Det fick du.
            Fortfarande öppet: call Eva (ons 25 nov 15:00); recommended Jan Kowalski for their warehouse project (tis 8 dec)

            """), "\(next.stdout)")
    }
}
