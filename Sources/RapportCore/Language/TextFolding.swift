import Foundation

/// Case- and accent-insensitive text keys, so that "anna berg" finds "Anna Berg", "Lukasz" finds
/// "Łukasz" and "piatek" reads as "piątek".
public enum TextFolding {
    /// Letters that Unicode does not decompose into a base letter and a mark.
    private static let extraFolds: [Character: String] = [
        "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    ]

    /// Lowercased, without diacritics, with whitespace collapsed to single spaces and trimmed.
    public static func fold(_ text: String) -> String {
        let lowered = text.lowercased().folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        result.reserveCapacity(lowered.count)
        var pendingSpace = false
        for character in lowered {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            if let replacement = extraFolds[character] {
                result += replacement
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The folded text split into words: letters, digits and the characters words are made of.
    public static func words(_ text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’") }.map(String.init)
    }

    /// Whether `phrase` occurs in `text` as whole words (both folded).
    public static func contains(phrase: String, in text: String) -> Bool {
        let needle = words(phrase)
        guard !needle.isEmpty else { return false }
        let haystack = words(text)
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            return true
        }
        return false
    }
}
