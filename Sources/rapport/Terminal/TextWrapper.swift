#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Breaks long lines at spaces for a terminal, so sentences do not split mid-word. Continuation
/// lines keep the first line's indentation.
struct TextWrapper {
    /// Columns available; nil means no wrapping (a pipe).
    let width: Int?

    /// The terminal's width, at most 100 columns for readability; nil when output is not a terminal.
    static func forStandardOutput() -> TextWrapper {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else {
            return TextWrapper(width: nil)
        }
        return TextWrapper(width: min(Int(size.ws_col) - 1, 100))
    }

    func wrap(_ text: String) -> String {
        guard let width else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { wrapLine(String($0), width: width) }.joined(separator: "\n")
    }

    private func wrapLine(_ line: String, width: Int) -> String {
        guard line.count > width else { return line }
        let indent = String(line.prefix { $0 == " " })
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = indent + word
            } else {
                current = current.isEmpty ? indent + word : current + " " + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }
}
