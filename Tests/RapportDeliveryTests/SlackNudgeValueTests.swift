import Foundation
import RapportCore
import RapportDelivery
import Testing

/// A nudge's button value, `nudge|<action>|<m or f><id>|<owner>`: it reads back as itself, and
/// anything else (a question's value, a forged or oversized one) is no press.
struct SlackNudgeValueTests {
    @Test(arguments: NudgeAction.Kind.allCases)
    func everyActionReadsBackAsItself(_ action: NudgeAction.Kind) throws {
        let value = SlackNudgeValue(action: action, subjectID: 999_999_999_999_999_999, owner: "U2147483697")
        let encoded = try #require(value.encoded)
        #expect(SlackNudgeValue(parsing: encoded) == value)
        #expect(SlackButtonValue(parsing: encoded) == nil, "not a question's answer")
    }

    @Test func theFormatIsPlain() {
        #expect(SlackNudgeValue(action: .prep, subjectID: 12, owner: "U0ALICE").encoded == "nudge|prep|m12|U0ALICE")
        #expect(SlackNudgeValue(action: .done, subjectID: 7, owner: "U0ALICE").encoded == "nudge|done|f7|U0ALICE")
    }

    @Test(arguments: [
        "", "nudge", "nudge|prep|m12", "nudge|prep|m12|U0ALICE|extra", "Nudge|prep|m12|U0ALICE", "nudge|launch|m12|U0ALICE",
        "nudge|prep|f12|U0ALICE", "nudge|done|m7|U0ALICE", "nudge|prep|m0|U0ALICE", "nudge|prep|m-1|U0ALICE", "nudge|prep|m|U0ALICE",
        "nudge|prep|m99999999999999999999|U0ALICE", "nudge|prep|m١٢|U0ALICE", "nudge|prep|m12|", "nudge|prep|m12|U0 ALICE",
        "nudge|prep|m12|<!channel>", "nudge|prep|m12|U0ALICE\n", "c1|v1|goal|yes", "nudge|prep|m12|" + String(repeating: "U", count: 65),
        "nudge|prep|m12|U" + String(repeating: "0", count: 2_000),
    ])
    func anythingElseIsNoPress(_ raw: String) {
        #expect(SlackNudgeValue(parsing: raw) == nil, "\(raw.prefix(60))")
    }

    @Test func aNudgesButtonsAreBlocksWithTheTitleFirst() throws {
        let actions = [NudgeAction(kind: .reflect, subjectID: 12, owner: "U0ALICE", label: "Reflect"), NudgeAction(kind: .later, subjectID: 12, owner: "U0ALICE", label: "Later")]
        let blocks = try #require(SlackBlocks.message(text: "Take two minutes", card: nil, buttons: nil, title: "How did it go with <!channel>?", nudge: actions))
        #expect(blocks.map { $0["type"] as? String } == ["section", "section", "actions"])
        let title = (blocks[0]["text"] as? [String: Any])?["text"] as? String
        #expect(title == "*How did it go with &lt;!channel&gt;?*", "escaped for mrkdwn")
        let elements = try #require(blocks[2]["elements"] as? [[String: Any]])
        #expect(elements.map { $0["value"] as? String } == ["nudge|reflect|m12|U0ALICE", "nudge|later|m12|U0ALICE"])
        #expect(SlackBlocks.message(text: "x", card: nil, buttons: nil, title: "t", nudge: nil) == nil, "a nudge without buttons is its text")
    }
}
