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
        if let folded = foldASCII(text) { return folded }
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

    /// The same fold for ASCII text without Foundation's locale-aware folding, which costs more
    /// than the rest of a chat turn's parsing; nil when the text has any non-ASCII byte.
    private static func foldASCII(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte >= 0x80 { return nil }
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The folded text split into words: letters, digits and the characters words are made of.
    public static func words(_ text: String) -> [String] {
        let folded = fold(text)
        if folded.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: letters, digits and apostrophes by byte, without Unicode property lookups.
            return folded.utf8.split { !((0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x27) }
                .map { String(decoding: $0, as: UTF8.self) }
        }
        return folded.split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’") }.map(String.init)
    }

    /// Whether the words `needle` occur, in order and next to each other, in `haystack`.
    public static func contains(words needle: [String], in haystack: [String]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}
