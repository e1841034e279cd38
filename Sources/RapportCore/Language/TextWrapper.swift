/// Breaks long lines at spaces for a terminal of a given width, so sentences do not split
/// mid-word. A continuation line starts under the text it continues: at the line's own
/// indentation plus a hanging indent (past "» ", "Why: " or a card's label). Terminal colour
/// codes take no columns. A word wider than the line is cut, so no line is ever wider.
public struct TextWrapper: Sendable, Hashable {
    /// Columns available; nil means no wrapping (a pipe).
    public let width: Int?

    public init(width: Int?) {
        self.width = width.map { max($0, 1) }
    }

    /// Each line of `text` wrapped; continuation lines are indented by the line's leading spaces
    /// plus `hanging` columns (less when that would leave too little room for words).
    public func wrap(_ text: String, hanging: Int = 0) -> String {
        guard let width else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(Substring($0), width: width, hanging: hanging) }
            .joined(separator: "\n")
    }

    /// The columns a text takes on screen: its characters, without colour codes.
    public static func columns(_ text: some StringProtocol) -> Int {
        var count = 0
        var inEscape = false
        var afterEscape = false
        for character in text {
            if inEscape {
                if character.isLetter { inEscape = false }
                continue
            }
            if afterEscape {
                afterEscape = false
                if character == "[" { inEscape = true; continue }
            }
            if character == "\u{1B}" {
                afterEscape = true
                continue
            }
            count += 1
        }
        return count
    }

    private func wrapLine(_ line: Substring, width: Int, hanging: Int) -> String {
        guard Self.columns(line) > width else { return String(line) }
        let lead = line.prefix { $0 == " " }.count
        // Room for at least a short word after the indent, or no hanging indent at all.
        // The hanging indent only where the longest word still fits beside it; else the line's
        // own indentation, else none, so words are cut only when no indentation would save them.
        let longest = line.split(separator: " ").map { Self.columns($0) }.max() ?? 0
        let room = max(longest, 1, min(8, width / 3))
        var indent = lead + hanging
        if indent + room > width { indent = lead + room <= width ? lead : 0 }
        let indentText = String(repeating: " ", count: indent)

        var lines: [String] = []
        var current = String(repeating: " ", count: min(lead, width - 1))
        var currentColumns = Self.columns(current)
        var hasWord = false
        var spaces = 0
        var word = ""
        func place() {
            guard !word.isEmpty else { return }
            let wordColumns = Self.columns(word)
            if hasWord, currentColumns + spaces + wordColumns > width {
                lines.append(current)
                current = indentText
                currentColumns = indent
                hasWord = false
            } else if hasWord {
                current += String(repeating: " ", count: spaces)
                currentColumns += spaces
            }
            // A word wider than what is left of an empty line is cut at the edge.
            var rest = Substring(word)
            while currentColumns + Self.columns(rest) > width {
                let (head, tail) = Self.split(rest, columns: max(width - currentColumns, 1))
                lines.append(current + head)
                current = indentText
                currentColumns = indent
                rest = tail
            }
            current += rest
            currentColumns += Self.columns(rest)
            hasWord = true
            word = ""
            spaces = 0
        }
        for character in line.dropFirst(lead) {
            if character == " " {
                if word.isEmpty { spaces += 1 } else {
                    place()
                    spaces = 1
                }
            } else {
                word.append(character)
            }
        }
        place()
        if hasWord || lines.isEmpty { lines.append(current) }
        return lines.map { $0.hasSuffix(" ") ? String($0.reversed().drop { $0 == " " }.reversed()) : $0 }.joined(separator: "\n")
    }

    /// The first `columns` visible characters of a word (colour codes ride along), and the rest.
    private static func split(_ word: Substring, columns: Int) -> (Substring, Substring) {
        var seen = 0
        var index = word.startIndex
        while index < word.endIndex {
            if word[index] == "\u{1B}" {
                // Skip the whole escape sequence.
                var end = word.index(after: index)
                if end < word.endIndex, word[end] == "[" {
                    end = word.index(after: end)
                    while end < word.endIndex, !word[end].isLetter { end = word.index(after: end) }
                    if end < word.endIndex { end = word.index(after: end) }
                }
                index = end
                continue
            }
            if seen == columns { break }
            seen += 1
            index = word.index(after: index)
        }
        return (word[..<index], word[index...])
    }
}
