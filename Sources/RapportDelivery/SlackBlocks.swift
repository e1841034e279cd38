import Foundation
import RapportCore

/// A bot message as Block Kit blocks (Slack's "Blocks" reference): the text as `section`s, a
/// prep or reflection card as a `header`, a section per line and a `context` footer, and a
/// question's one-press answers as `button`s in one `actions` block. What the person typed is
/// escaped for mrkdwn (ChatMarkup); `plain_text` is never parsed for markup or mentions.
public enum SlackBlocks {
    /// Slack's limits: blocks in a message, characters in a section's text, a header's and a button's.
    public static let maximumBlocks = 50
    public static let sectionLimit = 3_000
    public static let headerLimit = 150
    public static let buttonTextLimit = 75
    /// Slack takes 25 elements in an actions block; more than ten buttons read worse than typing.
    public static let maximumButtons = QuestionChoice.maximumCount

    /// The blocks of a message, or nil when they would add nothing to its text (no card, no
    /// buttons) or would not fit Slack's limits (then the text alone is posted).
    public static func message(text: String, card: SummaryCard?, buttons: ChatButtons?, title: String = "", nudge: [NudgeAction]? = nil) -> [[String: Any]]? {
        let actions = buttons.flatMap(self.actions) ?? nudge.flatMap(self.actions)
        guard card != nil || actions != nil else { return nil }
        var blocks: [[String: Any]] = []
        if !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            blocks.append(section("*" + ChatMarkup.slack(String(title.prefix(500))) + "*"))
        }
        blocks += sections(text)
        if let card { blocks += self.card(card) }
        if let actions { blocks.append(actions) }
        return blocks.count <= maximumBlocks ? blocks : nil
    }

    /// Text as mrkdwn sections, each within the section limit, split between lines where it can be.
    public static func sections(_ text: String) -> [[String: Any]] {
        var chunks: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // 500 characters escape to at most 2,500 (`&` → `&amp;`): a piece always fits.
            for piece in pieces(of: String(line), length: 500).map(ChatMarkup.slack) {
                if !current.isEmpty, current.count + 1 + piece.count > sectionLimit {
                    chunks.append(current)
                    current = ""
                }
                current += current.isEmpty ? piece : "\n" + piece
            }
        }
        chunks.append(current)
        return chunks.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map(section)
    }

    /// A card: its title as the header, a section per labelled line, the footer as context.
    public static func card(_ card: SummaryCard) -> [[String: Any]] {
        var blocks: [[String: Any]] = []
        if !card.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            blocks.append(["type": "header", "text": plainText(card.title, limit: headerLimit)])
        }
        for line in card.lines {
            blocks += sections(line.label.isEmpty ? line.text : "*" + line.label + "*\n" + line.text)
        }
        if let footer = card.footer, !footer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": ChatMarkup.slack(String(footer.prefix(2_000)))]]])
        }
        return blocks
    }

    /// The answers as buttons, each carrying its press (`SlackButtonValue`); nil when there are
    /// none, more than `maximumButtons`, or one whose value would not read back.
    public static func actions(_ buttons: ChatButtons) -> [String: Any]? {
        guard !buttons.choices.isEmpty, buttons.choices.count <= maximumButtons else { return nil }
        var elements: [[String: Any]] = []
        for (index, choice) in buttons.choices.enumerated() {
            let press = SlackButtonValue(
                conversationID: buttons.conversationID, version: buttons.version, stepID: buttons.stepID, answer: choice.answer, startedAt: buttons.startedAt)
            guard let value = press.encoded, !choice.label.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            elements.append(["type": "button", "text": plainText(choice.label, limit: buttonTextLimit), "value": value, "action_id": "answer-\(index + 1)"])
        }
        return ["type": "actions", "block_id": "answer-\(buttons.stepID)", "elements": elements]
    }

    /// A nudge's buttons, each carrying its action (`SlackNudgeValue`); nil when there are none or
    /// one whose value would not read back.
    public static func actions(_ nudge: [NudgeAction]) -> [String: Any]? {
        guard let first = nudge.first, nudge.count <= maximumButtons else { return nil }
        var elements: [[String: Any]] = []
        for action in nudge {
            let press = SlackNudgeValue(action: action.kind, subjectID: action.subjectID, owner: action.owner)
            guard let value = press.encoded, !action.label.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            elements.append(["type": "button", "text": plainText(action.label, limit: buttonTextLimit), "value": value, "action_id": "nudge-\(action.kind.rawValue)"])
        }
        return ["type": "actions", "block_id": "nudge-\(first.subjectID)", "elements": elements]
    }

    private static func section(_ mrkdwn: String) -> [String: Any] {
        ["type": "section", "text": ["type": "mrkdwn", "text": mrkdwn]]
    }

    /// A `plain_text` object, cut to Slack's limit for where it goes.
    private static func plainText(_ text: String, limit: Int) -> [String: Any] {
        let cut = text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
        return ["type": "plain_text", "text": cut, "emoji": true]
    }

    private static func pieces(of line: String, length: Int) -> [String] {
        guard line.count > length else { return [line] }
        var pieces: [String] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(length)))
            rest = rest.dropFirst(length)
        }
        return pieces
    }
}
