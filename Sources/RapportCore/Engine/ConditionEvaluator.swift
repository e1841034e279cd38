/// Decides conditions against the answer just given and the slots filled so far.
struct ConditionEvaluator {
    /// The lexicon's phrase lists as folded words, split once per engine.
    var phrases: PhraseLists
    /// The cleaned answer text, when there is one (nil in `skip_if`).
    var answer: String?
    /// The parsed value of that answer.
    var value: SlotValue?
    var slots: [String: SlotValue]
    /// The answer's folded words, split once for all the conditions.
    private let answerWords: [String]

    init(phrases: PhraseLists, answer: String?, value: SlotValue?, slots: [String: SlotValue]) {
        self.phrases = phrases
        self.answer = answer
        self.value = value
        self.slots = slots
        self.answerWords = answer.map(TextFolding.words) ?? []
    }

    func holds(_ condition: Condition) -> Bool {
        switch condition {
        case .matches(let list, let ignoring):
            guard answer != nil else { return false }
            var words = answerWords
            if let ignoring {
                // Blank out the ignored phrases, so their words neither match nor join up across the gap.
                for phrase in phrases.words(of: ignoring) where !phrase.isEmpty && words.count >= phrase.count {
                    for start in 0...(words.count - phrase.count) where words[start..<start + phrase.count].elementsEqual(phrase) {
                        for index in start..<start + phrase.count { words[index] = "" }
                    }
                }
            }
            return phrases.words(of: list).contains { TextFolding.contains(words: $0, in: words) }
        case .equals(let slot, let values):
            let subject = slot.map { slots[$0] } ?? value
            guard let subject else { return false }
            let folded = TextFolding.fold(subject.comparable)
            return values.contains { TextFolding.fold($0) == folded }
        case .present(let slot):
            return slots[slot].map { !$0.isEmpty } ?? false
        case .wordsFewerThan(let count):
            return answerWords.count < count
        case .wordsMoreThan(let count):
            return answerWords.count > count
        case .all(let conditions):
            return conditions.allSatisfy(holds)
        case .any(let conditions):
            return conditions.contains(where: holds)
        case .not(let condition):
            return !holds(condition)
        }
    }
}
