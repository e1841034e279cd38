#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RapportCore

/// Writes to the terminal or pipe, flushed at once so a killed process never loses what it said.
struct Console {
    /// Whether both ends are a terminal: line editing, a prompt and colours make sense.
    let isInteractive: Bool
    let style: TerminalStyle
    /// The terminal's width, for prose; a pipe gets lines as they are.
    let wrapper: TextWrapper

    init(colorAllowed: Bool) {
        isInteractive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        style = TerminalStyle(enabled: colorAllowed && isatty(STDOUT_FILENO) == 1)
        wrapper = TextWrapper.forStandardOutput()
    }

    /// A line as it is (JSON, a countdown): never wrapped.
    func line(_ text: String = "") {
        Self.write(text + "\n", to: STDOUT_FILENO)
    }

    /// Prose, wrapped at the terminal's width; continuation lines hang `hanging` columns in from
    /// the line's own indentation.
    func say(_ text: String, hanging: Int = 0) {
        line(wrapper.wrap(text, hanging: hanging))
    }

    /// Rows of a table, each wrapped with its last column's continuation under that column.
    func table(_ table: Table, style apply: (String) -> String = { $0 }) {
        for row in table.lines { line(apply(wrapper.wrap(row, hanging: table.lastColumn))) }
    }

    /// Text without a line break (a countdown that rewrites its line).
    func write(_ text: String) {
        Self.write(text, to: STDOUT_FILENO)
    }

    /// One sentence on standard error, prefixed as errors are.
    func error(_ text: String) {
        Self.write("rapport: " + text + "\n", to: STDERR_FILENO)
    }

    /// Unbuffered, so nothing said is lost if the process is killed a moment later.
    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// ANSI styles, or nothing when colours are off (`NO_COLOR`, `--no-color`, a pipe). Written by
/// hand: five escape codes did not justify a dependency with global switches.
struct TerminalStyle {
    let enabled: Bool

    private func wrap(_ code: String, _ text: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { wrap("1", text) }
    func dim(_ text: String) -> String { wrap("2", text) }
    func accent(_ text: String) -> String { wrap("1;36", text) }
    func coach(_ text: String) -> String { wrap("33", text) }
    func problem(_ text: String) -> String { wrap("31", text) }
    func good(_ text: String) -> String { wrap("32", text) }
}
