import Foundation

/// How a meeting's follow-ups change when a conversation lists them again (editing a
/// reflection offers them back): what is already there is kept. An item with the same kind and
/// text keeps its id and its status, and its date unless a new one was typed for an open item;
/// new items are added; and when the conversation lists them all (a reflection), open items no
/// longer listed go. Done items always stay. Pure, so every store applies the same rule.
public struct FollowUpMerge: Sendable, Hashable {
    /// Open follow-ups whose date moves, by id.
    public var moved: [Int64: WhenValue] = [:]
    public var added: [FollowUpDraft] = []
    public var removed: [Int64] = []

    public init(existing: [FollowUp], listed: [FollowUpDraft], replacingOpen: Bool) {
        var unmatched = existing.sorted { $0.id < $1.id }
        for draft in listed {
            guard let index = unmatched.firstIndex(where: { $0.kind == draft.kind && $0.text == draft.text }) else {
                added.append(draft)
                continue
            }
            let kept = unmatched.remove(at: index)
            // Stores keep dates to the millisecond: a date offered back and kept is the same moment.
            if kept.doneAt == nil, abs(kept.due.timeIntervalSince(draft.due.date)) >= 1 || kept.hasTime != draft.due.hasTime {
                moved[kept.id] = draft.due
            }
        }
        if replacingOpen {
            removed = unmatched.filter { $0.doneAt == nil }.map(\.id)
        }
    }

    /// The follow-ups whose nudges change (not counting the added ones, which get new ids).
    public var touched: [Int64] { moved.keys.sorted() + removed }
}
