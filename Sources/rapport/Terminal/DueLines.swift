import Foundation
import RapportCore

/// How due items read in the terminal: "#3  Fri 27 Nov  Anna Berg  send the proposal  (due)".
struct DueLines {
    let formatter: ValueFormatter
    let style: TerminalStyle

    func text(of item: DueItem) -> String {
        switch item.kind {
        case .action:
            return item.text
        case .referralFeedback:
            return "ask how it turned out: \(item.text)"
        case .keepInTouch:
            let every = item.cadence.map { "every " + formatter.format($0) } ?? ""
            let last = item.lastInteraction.map { "; last in touch \(formatter.format(WhenValue(date: $0, hasTime: false)))" } ?? ""
            return "keep in touch (\(every)\(last))"
        }
    }

    /// Rows for `Table`: id, when, who, what, and whether it is due.
    func rows(_ items: [DueItem]) -> [[String]] {
        items.map { item in
            [
                item.followUpID.map { "#\($0)" } ?? "",
                formatter.format(WhenValue(date: item.due, hasTime: item.hasTime)),
                item.contactName,
                text(of: item) + (item.isDue ? "  " + style.coach("due") : ""),
            ]
        }
    }
}
