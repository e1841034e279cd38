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
}
