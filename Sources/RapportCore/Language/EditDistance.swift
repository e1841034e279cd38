/// How many single-character edits (insert, delete, replace, or swap two neighbours) turn one
/// word into another: "anan" is one swap from "anna", "folowups" one insert from "followups".
public enum EditDistance {
    /// The optimal-string-alignment distance, or nil once it is certainly above `limit` (so a
    /// long word against a short one costs little).
    public static func between(_ a: String, _ b: String, limit: Int = .max) -> Int? {
        let a = Array(a), b = Array(b)
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty { return b.count <= limit ? b.count : nil }
        if b.isEmpty { return a.count <= limit ? a.count : nil }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowBest = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, before[j - 2] + 1)
                }
                current[j] = value
                rowBest = min(rowBest, value)
            }
            if rowBest > limit { return nil }
            (before, previous, current) = (previous, current, before)
        }
        let distance = previous[b.count]
        return distance <= limit ? distance : nil
    }

    /// The most edits a typed word of this length may be from the word meant: none for one or
    /// two letters, one up to five, two beyond.
    public static func tolerance(forLength length: Int) -> Int {
        length <= 2 ? 0 : length <= 5 ? 1 : 2
    }

    /// The candidates closest to `word` within its tolerance, closest first (ties in the given order).
    public static func closest(to word: String, among candidates: [String]) -> [String] {
        let limit = tolerance(forLength: word.count)
        guard limit > 0 else { return [] }
        let scored = candidates.enumerated().compactMap { index, candidate in
            between(word, candidate, limit: limit).map { (candidate, $0, index) }
        }
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { $0.1 == best }.sorted { $0.2 < $1.2 }.map(\.0)
    }
}
