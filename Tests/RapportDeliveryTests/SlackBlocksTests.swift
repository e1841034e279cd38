import Foundation
import RapportCore
import RapportDelivery
import Testing

/// Block Kit as Slack documents it ("Blocks", "Block elements", "Composition objects"): the
/// shapes are checked against the reference's own examples, not against our encoder.
struct SlackBlocksTests {
    private let buttons = ChatButtons(
        conversationID: 12, version: 4, stepID: "pitch_reuse", choices: [QuestionChoice(label: "Yes", answer: "yes"), QuestionChoice(label: "No", answer: "no")])

    private func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    private func object(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func aQuestionIsASectionAndAnActionsBlockOfButtonsShapedAsTheReferenceShowsThem() throws {
        let blocks = try #require(SlackBlocks.message(text: "Use it again?", card: nil, buttons: buttons))
        #expect(blocks.count == 2)
        // The reference's section example: {"type": "section", "text": {"type": "mrkdwn", "text": "…"}}.
        #expect(try json(blocks[0]) == json(object(#"{"type": "section", "text": {"type": "mrkdwn", "text": "Use it again?"}}"#)))
        // The reference's actions and button examples: an actions block of button elements, each a
        // plain_text label, a value and an action_id.
        let documented = #"""
            {"type": "actions", "block_id": "answer-pitch_reuse", "elements": [
              {"type": "button", "text": {"type": "plain_text", "text": "Yes", "emoji": true}, "value": "c12|v4|pitch_reuse|yes", "action_id": "answer-1"},
              {"type": "button", "text": {"type": "plain_text", "text": "No", "emoji": true}, "value": "c12|v4|pitch_reuse|no", "action_id": "answer-2"}
            ]}
            """#
        #expect(try json(blocks[1]) == json(object(documented)))
    }

    @Test func aMessageWithNothingButTextHasNoBlocks() {
        #expect(SlackBlocks.message(text: "When do you meet Anna Berg?", card: nil, buttons: nil) == nil)
        let typed = ChatButtons(conversationID: 1, version: 1, stepID: "goal", choices: [])
        #expect(SlackBlocks.message(text: "Goal?", card: nil, buttons: typed) == nil, "a typed answer has no buttons")
    }

    @Test func moreThanTenButtonsFallBackToTheTypedAnswer() {
        let eleven = ChatButtons(conversationID: 1, version: 1, stepID: "nps", choices: (0...10).map { QuestionChoice(label: "\($0)", answer: "\($0)") })
        #expect(SlackBlocks.actions(eleven) == nil)
        #expect(SlackBlocks.message(text: "0 to 10?", card: nil, buttons: eleven) == nil)
        let ten = ChatButtons(conversationID: 1, version: 1, stepID: "nps", choices: (1...10).map { QuestionChoice(label: "\($0)", answer: "\($0)") })
        #expect((SlackBlocks.actions(ten)?["elements"] as? [Any])?.count == 10)
    }

    @Test func aButtonsLabelIsCutToSlacksLimitAndAValueThatWouldNotReadBackDropsTheButtons() throws {
        let long = ChatButtons(conversationID: 1, version: 1, stepID: "field", choices: [QuestionChoice(label: String(repeating: "a", count: 200), answer: "1")])
        let element = try #require((SlackBlocks.actions(long)?["elements"] as? [[String: Any]])?.first)
        let label = try #require((element["text"] as? [String: Any])?["text"] as? String)
        #expect(label.count == 75 && label.hasSuffix("…"))
        let unreadable = ChatButtons(conversationID: 1, version: 1, stepID: "bad|step", choices: [QuestionChoice(label: "Yes", answer: "yes")])
        #expect(SlackBlocks.actions(unreadable) == nil)
    }

    @Test func aCardIsAHeaderASectionPerLineAndAContextFooterWithWhatWasTypedEscaped() throws {
        let card = SummaryCard(
            title: "Prep card: Anna <Berg>", lines: [
                SummaryCard.Line(label: "Goal", text: "<!channel> an intro & a <https://evil.example|pilot>"),
                SummaryCard.Line(label: "Pitch", text: "I help builders cut heating costs"),
            ], footer: "Read it again in the lift @here")
        let blocks = try #require(SlackBlocks.message(text: "Recorded.", card: card, buttons: nil))
        #expect(blocks.map { $0["type"] as? String } == ["section", "header", "section", "section", "context"])
        // Header: plain_text, which Slack never parses, so it is as typed.
        #expect(try json(blocks[1]) == json(object(#"{"type": "header", "text": {"type": "plain_text", "text": "Prep card: Anna <Berg>", "emoji": true}}"#)))
        #expect(try json(blocks[2]) == json(object(
            #"{"type": "section", "text": {"type": "mrkdwn", "text": "*Goal*\n&lt;!channel&gt; an intro &amp; a &lt;https://evil.example|pilot&gt;"}}"#)))
        #expect(try json(blocks[4]) == json(object(#"{"type": "context", "elements": [{"type": "mrkdwn", "text": "Read it again in the lift @here"}]}"#)))
    }

    @Test func longTextIsSplitIntoSectionsWithinSlacksLimitLosingNothing() throws {
        let lines = (1...200).map { "Answer \($0): " + String(repeating: "&", count: 20) }
        let sections = SlackBlocks.sections(lines.joined(separator: "\n"))
        #expect(sections.count > 1)
        let texts = sections.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        #expect(texts.count == sections.count)
        #expect(texts.allSatisfy { $0.count <= SlackBlocks.sectionLimit }, "\(texts.map(\.count))")
        #expect(texts.joined(separator: "\n") == ChatMarkup.slack(lines.joined(separator: "\n")))
        let oneLongLine = String(repeating: "<", count: 5_000)
        let pieces = SlackBlocks.sections(oneLongLine).compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        #expect(pieces.allSatisfy { $0.count <= SlackBlocks.sectionLimit })
        #expect(pieces.joined().replacingOccurrences(of: "\n", with: "") == ChatMarkup.slack(oneLongLine))
    }

    @Test func aMessageThatWouldNeedMoreThanFiftyBlocksIsPostedAsText() {
        let card = SummaryCard(title: "Card", lines: (1...60).map { SummaryCard.Line(label: "L\($0)", text: "t") }, footer: nil)
        #expect(SlackBlocks.message(text: "Done.", card: card, buttons: nil) == nil)
    }
}
