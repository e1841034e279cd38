import Foundation

/// A language's date words, folded and split into phrases once, for `WhenParser`.
public struct DateVocabulary: Sendable {
    public let words: DateWords
    let phrases: [(parts: [String], word: WhenParser.Word)]

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
        for (offset, names) in words.weekdays.enumerated() { add(names, .weekday(offset == 6 ? 1 : offset + 2)) }
        for (offset, names) in words.months.enumerated() { add(names, .month(offset + 1)) }
        for (unit, names) in words.units { if let unit = DurationValue.Unit(rawValue: unit) { add(names, .unit(unit)) } }
        for (name, value) in words.numbers { candidates.append((name, .number(value))) }
        add(words.fillers, .filler)
        phrases = candidates.compactMap { entry, word in
            let parts = TextFolding.fold(entry).split(separator: " ").map(String.init)
            return parts.isEmpty ? nil : (parts, word)
        }
    }
}
