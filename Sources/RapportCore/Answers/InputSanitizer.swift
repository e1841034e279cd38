/// Cleans text from outside before it is echoed, parsed, stored or printed: a line a person
/// typed, or what a webhook answered. Terminal escape sequences and control characters are
/// removed, so the text can neither repaint a terminal nor hide or reorder what it says.
public enum InputSanitizer {
    /// Answers longer than this (after cleaning) are refused with a sentence, not truncated.
    public static let maximumLength = 2_000

    /// The cleaned text: ANSI/VT escape sequences (CSI, OSC, two-character escapes, C1 controls)
    /// and other control and bidirectional-override characters removed, tabs turned into spaces,
    /// and surrounding whitespace trimmed.
    public static func clean(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x1B:  // ESC
                guard let introducer = scalars.next() else { break }
                switch introducer {
                case "[": skipControlSequence(&scalars)
                case "]", "P", "X", "^", "_": skipStringSequence(&scalars)
                default: break  // a two-character escape: drop both
                }
            case 0x9B:  // C1 CSI
                skipControlSequence(&scalars)
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F:  // C1 OSC, DCS, SOS, PM, APC
                skipStringSequence(&scalars)
            case 0x09:
                output.append(" ")
            case 0x00...0x1F, 0x7F...0x9F:
                continue
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
                continue  // bidirectional overrides can make stored text read differently than typed
            default:
                output.append(scalar)
            }
        }
        return String(output).trimmingWhitespace()
    }

    /// Skips parameter and intermediate bytes up to and including a CSI final byte.
    private static func skipControlSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            if (0x40...0x7E).contains(scalar.value) { return }
        }
    }

    /// Skips an OSC/DCS-style string up to BEL or ST (`ESC \`).
    private static func skipStringSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            if scalar.value == 0x07 || scalar.value == 0x9C { return }
            if scalar.value == 0x1B {
                _ = scalars.next()
                return
            }
        }
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
