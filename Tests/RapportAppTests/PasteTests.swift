import Foundation
import RapportTestSupport
import Testing

/// Issue 15: text pasted into a question in a terminal is one answer, however many lines it has
/// (the terminal marks a paste with ESC[200~ … ESC[201~ once rapport asks it to).
@Suite(.serialized)
struct PasteTests {
    @Test func severalPastedLinesAreOneAnswer() throws {
        let rapport = RapportBinary()
        let session = try TerminalTests.Session(rapport, ["prep", "Anna Berg"])
        session.waitForPrompt(after: "When do you meet Anna Berg?")
        session.type("tomorrow 14:00\r")
        session.waitForPrompt(after: "What do you actually want")
        session.type("\u{1B}[200~An introduction to\ntheir CFO,\r\nand a pilot\n\u{1B}[201~")
        session.type("\r")
        session.waitForPrompt(after: "Could you get this through the contacts you already have?")
        session.type("review\r")
        session.waitFor("An introduction to their CFO, and a pilot")
        session.type("pause\r")
        session.waitFor("Paused.")
        #expect(session.exitStatus() == 0)
        #expect(session.screen.contains("\u{1B}[?2004h"), "rapport asks the terminal to mark pastes")
    }
}
