import Foundation
import RapportCore

/// How due items read in the terminal: "#3  Fri 27 Nov  Anna Berg  send the proposal  due", in
/// the person's language. The stored text is what they wrote; the words around it are the lexicon's.
struct DueLines {
    let formatter: ValueFormatter
    let style: TerminalStyle
    let session: TerminalSession

    func text(of item: DueItem) -> String {
        switch item.kind {
        case .action:
            return item.text
        case .referralFeedback:
            return session.message("due_referral", ["text": item.text])
        case .keepInTouch:
            let every = item.cadence.map { formatter.format(cadence: $0) } ?? ""
            guard let last = item.lastInteraction else { return session.message("due_keep_in_touch", ["every": every]) }
            return session.message("due_keep_in_touch_since", ["every": every, "last": formatter.format(WhenValue(date: last, hasTime: false))])
        }
    }

    /// Rows for `Table`: id, when, who, what, and whether it is due.
    func rows(_ items: [DueItem]) -> [[String]] {
        items.map { item in
            [
                item.followUpID.map { "#\($0)" } ?? "",
                formatter.format(WhenValue(date: item.due, hasTime: item.hasTime)),
                item.contactName,
                text(of: item) + (item.isDue ? "  " + style.coach(session.message("due_marker")) : ""),
            ]
        }
    }
}
