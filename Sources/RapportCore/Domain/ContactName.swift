/// Matching people by name the way a user types them: case and accents do not matter, and a
/// first name or any unique start of a name finds the person.
public enum ContactName {
    /// The key names are stored and compared by ("Łukasz Wójcik" → "lukasz wojcik").
    public static func key(_ name: String) -> String {
        TextFolding.fold(name)
    }

    /// Whether a typed query names this person: the whole name, or the start of its words
    /// ("anna", "berg", "anna b").
    public static func matches(query: String, name: String) -> Bool {
        let queryWords = key(query).split(separator: " ")
        let nameWords = key(name).split(separator: " ")
        guard !queryWords.isEmpty else { return false }
        if queryWords == nameWords { return true }
        // Every query word starts a distinct name word, in order.
        var index = 0
        for word in queryWords {
            while index < nameWords.count, !nameWords[index].hasPrefix(word) { index += 1 }
            guard index < nameWords.count else { return false }
            index += 1
        }
        return true
    }

    /// How many typing mistakes a query is from a name ("anan" is one from "Anna Berg", "ana
    /// berg" one), or nil when it is not close: each typed word, in order, within its tolerance
    /// of a distinct name word or of that word's start as long as the typed word. Zero is a match.
    public static func closeness(query: String, name: String) -> Int? {
        let queryWords = key(query).split(separator: " ").map(String.init)
        let nameWords = key(name).split(separator: " ").map(String.init)
        guard !queryWords.isEmpty, queryWords.count <= nameWords.count else { return nil }
        var total = 0
        var index = 0
        for word in queryWords {
            let limit = EditDistance.tolerance(forLength: word.count)
            var best: (distance: Int, at: Int)?
            for candidate in index..<nameWords.count {
                let whole = nameWords[candidate]
                let start = String(whole.prefix(word.count))
                let distance = [EditDistance.between(word, whole, limit: limit), word.count >= 3 ? EditDistance.between(word, start, limit: limit) : nil]
                    .compactMap { $0 }.min()
                if let distance, best.map({ distance < $0.distance }) ?? true { best = (distance, candidate) }
                if best?.distance == 0 { break }
            }
            guard let found = best else { return nil }
            total += found.distance
            index = found.at + 1
        }
        return total
    }

    /// The first letters of each typed word, for reading a bounded set of names from a word index
    /// that a misspelling could mean: each word's first two letters, and those two swapped.
    public static func closenessPrefixes(of query: String) -> [String] {
        var prefixes: [String] = []
        for word in key(query).split(separator: " ").prefix(3) where word.count >= 3 {
            let letters = Array(word)
            for prefix in [String(letters[0...1]), String([letters[1], letters[0]])] where !prefixes.contains(prefix) {
                prefixes.append(prefix)
            }
        }
        return prefixes
    }
}
