import Foundation

/// A language's date words, folded and split into phrases once, for `WhenParser`.
public struct DateVocabulary: Sendable {
    public let words: DateWords
    let phrases: [(parts: [String], word: WhenParser.Word)]
    /// Every folded word of every phrase: what the parser may correct a typo to, and which words
    /// keep a trailing dot ("d.").
    let phraseWords: Set<String>
    /// Folded single words as the lexicon writes them ("piatek" → "piątek"), for suggestions.
    let displayWords: [String: String]

    public init(_ words: DateWords) {
        self.words = words
        var candidates: [(String, WhenParser.Word)] = []
        func add(_ list: [String], _ word: WhenParser.Word) { for entry in list { candidates.append((entry, word)) } }
        add(words.today, .today)
        add(words.tomorrow, .tomorrow)
        add(words.dayAfterTomorrow, .dayAfterTomorrow)
        add(words.yesterday, .yesterday)
        add(words.next, .next)
        add(words.last, .last)
        add(words.ago, .ago)
        add(words.inWords, .inWord)
        add(words.noon, .noon)
        add(words.am, .am)
        add(words.pm, .pm)
        add(words.at, .at)
        add(words.dayOfMonth, .dayOfMonth)
        add(words.half, .half)
        for (offset, names) in words.weekdays.enumerated() { add(names, .weekday(offset == 6 ? 1 : offset + 2)) }
        for (offset, names) in words.months.enumerated() { add(names, .month(offset + 1)) }
        for (name, forms) in words.units.sorted(by: { $0.key < $1.key }) {
            guard let unit = DurationValue.Unit(rawValue: name) else { continue }
            for (index, form) in forms.enumerated() {
                // The short hour form ("14h") can be a time of day; the singular (and in Polish
                // the further case forms) alone after "in" means one.
                let single = index == 1 || (words.pluralFew && index >= 4)
                candidates.append((form, unit == .hour && index == 0 ? .hourMark : .unit(unit, single: single)))
            }
        }
        for (name, value) in words.numbers.sorted(by: { $0.key < $1.key }) { candidates.append((name, .number(value))) }
        add(words.fillers, .filler)
        add(words.morning, .partOfDay(.morning))
        add(words.afternoon, .partOfDay(.afternoon))

        // A phrase listed twice means the first thing it was listed as; a part of the day listed
        // beside a day ("tonight" is today and the evening) means both.
        var order: [[String]] = []
        var meanings: [[String]: [WhenParser.Word]] = [:]
        for (entry, word) in candidates {
            let parts = TextFolding.fold(entry).split(separator: " ").map(String.init)
            guard !parts.isEmpty else { continue }
            if meanings[parts] == nil { order.append(parts) }
            meanings[parts, default: []].append(word)
        }
        phrases = order.map { parts in
            let listed = meanings[parts]!
            let part = listed.first { if case .partOfDay = $0 { true } else { false } }
            let day = listed.first { if case .partOfDay = $0 { false } else { true } }
            if let part, let day { return (parts, .both(day, part)) }
            return (parts, listed[0])
        }
        phraseWords = Set(order.flatMap { $0 })
        var display: [String: String] = [:]
        for (entry, _) in candidates where !entry.contains(" ") {
            let folded = TextFolding.fold(entry)
            if display[folded] == nil { display[folded] = entry }
        }
        displayWords = display
    }
}
