import Foundation
import RapportCore

/// A bot message as Mattermost's REST API takes it (`POST /api/v4/posts`): the text as the post's
/// Markdown `message`, a prep or reflection card as a message attachment (its title, a field per
/// line, its footer), and a question's one-press answers or a nudge's actions as the buttons of
/// another attachment, each pressed back to rapport with its signed value (`MattermostActionLink`).
/// What the person typed is escaped for Mattermost's Markdown (ChatMarkup), so it can neither
/// ping `@channel` nor add a link.
public enum MattermostPost {
    /// Mattermost keeps at most 16,383 characters of a post's message.
    public static let messageLimit = 16_383
    /// Longer labels are cut: a button is read at a glance.
    public static let buttonNameLimit = 75
    /// More than ten buttons read worse than typing.
    public static let maximumButtons = QuestionChoice.maximumCount

    /// The post's JSON object. `actions` nil: the buttons are left out and the text still asks.
    public static func object(_ message: ChatMessage, channel: String, actions link: MattermostActionLink?) -> [String: Any] {
        var lines = message.lines.map(ChatMarkup.markdown)
        if !message.title.isEmpty { lines.insert("**" + ChatMarkup.markdown(message.title) + "**", at: 0) }
        var attachments: [[String: Any]] = []
        if let card = message.card {
            attachments.append(self.card(card))
        } else if lines.isEmpty {
            lines = [""]
        }
        if let link, let buttons = buttons(message, link: link) {
            attachments.append(["fallback": "", "actions": buttons])
        }
        var fields: [String: Any] = ["channel_id": channel, "message": cut(lines.joined(separator: "\n"), to: messageLimit)]
        if let thread = message.thread, !thread.isEmpty { fields["root_id"] = thread }
        if !attachments.isEmpty { fields["props"] = ["attachments": attachments] }
        return fields
    }

    /// A card as a message attachment: what a platform with cards shows, and what stays readable in the DM.
    static func card(_ card: SummaryCard) -> [String: Any] {
        var attachment: [String: Any] = [
            "fallback": ChatMarkup.markdown(cut(card.plainText, to: 3_000)),
            "title": ChatMarkup.markdown(cut(card.title, to: 250)),
            "fields": card.lines.map { line in
                ["title": ChatMarkup.markdown(cut(line.label, to: 250)), "value": ChatMarkup.markdown(cut(line.text, to: 3_000)), "short": false] as [String: Any]
            },
        ]
        if let footer = card.footer, !footer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            attachment["footer"] = ChatMarkup.markdown(cut(footer, to: 2_000))
        }
        return attachment
    }

    /// The question's answers or the nudge's actions as buttons; nil when there are none, too
    /// many, or one whose value would not read back.
    static func buttons(_ message: ChatMessage, link: MattermostActionLink) -> [[String: Any]]? {
        var pressed: [(label: String, value: String?)] = []
        if let buttons = message.buttons {
            pressed = buttons.choices.map { choice in
                (choice.label, SlackButtonValue(
                    conversationID: buttons.conversationID, version: buttons.version, stepID: buttons.stepID, answer: choice.answer,
                    startedAt: buttons.startedAt).encoded)
            }
        } else if let actions = message.actions {
            pressed = actions.map { ($0.label, SlackNudgeValue(action: $0.kind, subjectID: $0.subjectID, owner: $0.owner).encoded) }
        }
        guard !pressed.isEmpty, pressed.count <= maximumButtons else { return nil }
        var result: [[String: Any]] = []
        for (index, button) in pressed.enumerated() {
            guard let value = button.value, let context = link.context(for: value), !button.label.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            // Mattermost keeps only letters and digits of an action id.
            result.append([
                "id": "answer\(index + 1)", "name": cut(button.label, to: buttonNameLimit), "type": "button",
                "integration": ["url": link.url, "context": context] as [String: Any],
            ])
        }
        return result
    }

    private static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
