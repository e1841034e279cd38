import Foundation
import RapportDelivery
import Testing

/// A button's `value` carries its press there and back; what comes back is read as hostile.
struct SlackButtonValueTests {
    @Test func aValueReadsBackAsThePressItWasMadeFor() throws {
        let press = SlackButtonValue(conversationID: 42, version: 7, stepID: "pitch_reuse", answer: "tak")
        #expect(press.encoded == "c42|v7|pitch_reuse|tak")
        #expect(SlackButtonValue(parsing: "c42|v7|pitch_reuse|tak") == press)
        // The answer is the last field: a `|` inside it is part of it.
        let piped = SlackButtonValue(conversationID: 1, version: 1, stepID: "worth", answer: "yes | worth it")
        #expect(SlackButtonValue(parsing: try #require(piped.encoded)) == piped)
    }

    @Test func aConversationBeingStartedIsNamedByItsStart() throws {
        let press = SlackButtonValue(conversationID: 0, version: 1, stepID: "reached", answer: "2", startedAt: 1_764_582_000_123)
        #expect(press.encoded == "s1764582000123|v1|reached|2")
        #expect(SlackButtonValue(parsing: "s1764582000123|v1|reached|2") == press)
        #expect(SlackButtonValue(conversationID: 9, version: 1, stepID: "reached", answer: "2", startedAt: 5).encoded == "c9|v1|reached|2", "an id wins")
        for value in ["s0|v1|reached|2", "s|v1|reached|2", "s-5|v1|reached|2", "s1234567890123456|v1|reached|2", "sc1|v1|reached|2"] {
            #expect(SlackButtonValue(parsing: value) == nil, "\(value)")
        }
    }

    @Test func aPressThatWouldNotReadBackIsNotEncoded() {
        #expect(SlackButtonValue(conversationID: 1, version: 1, stepID: "a|b", answer: "1").encoded == nil)
        #expect(SlackButtonValue(conversationID: 1, version: 1, stepID: "goal", answer: " ").encoded == nil)
        #expect(SlackButtonValue(conversationID: 0, version: 1, stepID: "goal", answer: "1").encoded == nil)
        #expect(SlackButtonValue(conversationID: 1, version: 1, stepID: "goal", answer: String(repeating: "x", count: 2_000)).encoded == nil,
                "Slack keeps 2,000 characters of a value")
        #expect(SlackButtonValue(conversationID: 1, version: 1, stepID: "goal", answer: String(repeating: "x", count: 1_980)).encoded != nil)
    }

    @Test(arguments: [
        "", "|||", "c1|v1|goal", "c1|v1||yes", "c1|v1|goal|", "c1|v1|goal|   ", "C1|v1|goal|yes", "c|v1|goal|yes", "c1|v|goal|yes",
        "c0|v1|goal|yes", "c1|v0|goal|yes", "c-1|v1|goal|yes", "c1|v-1|goal|yes", "c+1|v1|goal|yes", "c１|v1|goal|yes", "c1 |v1|goal|yes",
        "c99999999999999999999|v1|goal|yes", "c1|v9999999999|goal|yes", "c1|v1|go al|yes", "c1|v1|gö|yes", "c1|v1|goal|y\u{0}es",
        "c1|v1|goal|line\nbreak", "x1|v1|goal|yes", "v1|c1|goal|yes",
    ])
    func malformedValuesAreNoPress(value: String) {
        #expect(SlackButtonValue(parsing: value) == nil, "\(value.debugDescription)")
    }

    @Test func oversizedValuesAndStepsAreRefusedBeforeTheyAreSplit() {
        #expect(SlackButtonValue(parsing: "c1|v1|goal|" + String(repeating: "x", count: 2_000)) == nil)
        #expect(SlackButtonValue(parsing: "c1|v1|" + String(repeating: "s", count: 101) + "|yes") == nil)
        #expect(SlackButtonValue(parsing: "c1|v1|" + String(repeating: "s", count: 100) + "|yes") != nil)
        #expect(SlackButtonValue(parsing: "c999999999999999999|v999999999|goal|yes")?.conversationID == 999_999_999_999_999_999)
    }
}
