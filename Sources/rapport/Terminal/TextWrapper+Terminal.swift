#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RapportCore

extension TextWrapper {
    /// The terminal's width (one column spare, at most 100 for readability); no wrapping when
    /// output is not a terminal or its width is unknown.
    static func forStandardOutput() -> TextWrapper {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
            return TextWrapper(width: nil)
        }
        return TextWrapper(width: min(max(Int(size.ws_col) - 1, 1), 100))
    }
}
