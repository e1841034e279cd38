/// Decides conditions against the answer just given and the slots filled so far.
struct ConditionEvaluator {
    var lexicon: Lexicon
    /// The cleaned answer text, when there is one (nil in `skip_if`).
    var answer: String?
    /// The parsed value of that answer.
    var value: SlotValue?
    var slots: [String: SlotValue]

    func holds(_ condition: Condition) -> Bool {
        switch condition {
        case .matches(let list):
            guard let answer else { return false }
            return (lexicon.lists[list] ?? []).contains { TextFolding.contains(phrase: $0, in: answer) }
        case .equals(let slot, let values):
            let subject = slot.map { slots[$0] } ?? value
            guard let subject else { return false }
            let folded = TextFolding.fold(subject.comparable)
            return values.contains { TextFolding.fold($0) == folded }
        case .present(let slot):
            return slots[slot].map { !$0.isEmpty } ?? false
        case .wordsFewerThan(let count):
            return TextFolding.words(answer ?? "").count < count
        case .wordsMoreThan(let count):
            return TextFolding.words(answer ?? "").count > count
        case .all(let conditions):
            return conditions.allSatisfy(holds)
        case .any(let conditions):
            return conditions.contains(where: holds)
        case .not(let condition):
            return !holds(condition)
        }
    }
}
