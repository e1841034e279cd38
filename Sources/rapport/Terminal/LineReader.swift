@preconcurrency import CEditLine
import RapportCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One read from the user.
enum LineInput: Equatable {
    case line(String)
    /// The bytes were not valid UTF-8.
    case unreadable
    /// End of input (Ctrl-D, or the pipe closed).
    case end
}

/// Where answers come from: libedit in a terminal, plain lines from a pipe.
protocol LineReader {
    func read(prompt: String) -> LineInput
}

/// Line editing and in-session history through libedit's readline interface. History is kept
/// only for the session: answers are private and already live in the store.
///
/// A paste is one answer: while a line is read the terminal is asked to mark pastes
/// (bracketed paste, ESC[200~ … ESC[201~), and the line breaks inside one become spaces instead
/// of ending the line, so several pasted lines do not spill into the next questions.
struct EditLineReader: LineReader {
    init() {
        // libedit needs a UTF-8 character type to edit "Łukasz" as one character.
        if setlocale(LC_CTYPE, "") == nil || !String(cString: setlocale(LC_CTYPE, nil)).uppercased().contains("UTF") {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        // Before anything initialises libedit, which takes the character reader only then.
        rl_getc_function = { _ in TerminalCharacters.next() }
        using_history()
        stifle_history(200)
    }

    func read(prompt: String) -> LineInput {
        TerminalCharacters.startLine()
        TerminalCharacters.send("\u{1B}[?2004h")
        defer { TerminalCharacters.send("\u{1B}[?2004l") }
        guard let pointer = readline(prompt) else { return .end }
        defer { free(pointer) }
        guard !TerminalCharacters.sawInvalidUTF8 else { return .unreadable }
        let length = strlen(pointer)
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
        guard let text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else { return .unreadable }
        if !text.isEmpty { add_history(pointer) }
        return .line(text)
    }
}

/// The characters libedit reads from the terminal, one at a time: UTF-8 decoded (libedit takes
/// whole characters from a reader of its own), with the paste markers taken out and the line
/// breaks and tabs of a paste made spaces. Only the one terminal thread reads, so plain statics do.
enum TerminalCharacters {
    nonisolated(unsafe) private static var pasting = false
    nonisolated(unsafe) private static var lastWasSpace = false
    nonisolated(unsafe) private static var readAhead: [UInt8] = []
    nonisolated(unsafe) private(set) static var sawInvalidUTF8 = false

    private static let pasteStart = Array("\u{1B}[200~".utf8)
    private static let pasteEnd = Array("\u{1B}[201~".utf8)

    static func startLine() {
        pasting = false
        sawInvalidUTF8 = false
    }

    static func send(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count - 1) }
    }

    /// The next character as a code point, or -1 at the end of input.
    static func next() -> Int32 {
        while true {
            guard let byte = readByte() else { return -1 }
            if byte == 0x1B {
                if let marker = readMarker() {
                    pasting = marker == pasteStart
                    lastWasSpace = false
                    continue
                }
                return 0x1B
            }
            if pasting {
                switch byte {
                case 0x0A, 0x0D, 0x09, 0x20:
                    // Line breaks, tabs and the spaces around them are one space (CR LF too).
                    if lastWasSpace { continue }
                    lastWasSpace = true
                    return 0x20
                case ..<0x20, 0x7F: continue  // other control keys in a paste are not editing commands
                default: break
                }
            }
            lastWasSpace = false
            return decode(byte)
        }
    }

    /// After an ESC: the rest of a paste marker, consumed; or nil, with what was read put back.
    private static func readMarker() -> [UInt8]? {
        var seen: [UInt8] = [0x1B]
        while seen.count < pasteStart.count {
            guard let byte = readByte() else { break }
            seen.append(byte)
            guard pasteStart.starts(with: seen) || pasteEnd.starts(with: seen) else { break }
        }
        if seen == pasteStart || seen == pasteEnd { return seen }
        readAhead.insert(contentsOf: seen.dropFirst(), at: 0)
        return nil
    }

    /// A UTF-8 sequence starting with `lead`, as a code point (U+FFFD, noted, when it is not one).
    private static func decode(_ lead: UInt8) -> Int32 {
        let length: Int
        switch lead {
        case ..<0x80: return Int32(lead)
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default:
            sawInvalidUTF8 = true
            return 0xFFFD
        }
        var bytes = [lead]
        for _ in 1..<length {
            guard let byte = readByte(), byte & 0xC0 == 0x80 else {
                sawInvalidUTF8 = true
                return 0xFFFD
            }
            bytes.append(byte)
        }
        guard let scalar = String(validating: bytes, as: UTF8.self)?.unicodeScalars.first else {
            sawInvalidUTF8 = true
            return 0xFFFD
        }
        return Int32(scalar.value)
    }

    private static func readByte() -> UInt8? {
        if !readAhead.isEmpty { return readAhead.removeFirst() }
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 { return byte }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }
}

/// Lines from standard input when it is not a terminal; any length, NUL bytes and all.
final class PipedLineReader: LineReader {
    private let input = fdopen(STDIN_FILENO, "r")

    func read(prompt _: String) -> LineInput {
        guard let input else { return .end }
        var pointer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(pointer) }
        let count = getline(&pointer, &capacity, input)
        guard count >= 0, let pointer else { return .end }
        var bytes = UnsafeRawBufferPointer(start: pointer, count: count).bindMemory(to: UInt8.self)[...]
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .unreadable }
        return .line(text)
    }
}

extension LineReader {
    /// Reads one answer: with a prompt in a terminal, echoed after "> " from a pipe so the output
    /// reads as a transcript (long lines shortened in the echo only).
    func readAnswer(_ console: Console) -> LineInput {
        let input = read(prompt: console.isInteractive ? "> " : "")
        if !console.isInteractive, case .line(let text) = input {
            let clean = InputSanitizer.clean(text)
            console.line("> " + (clean.count > 200 ? clean.prefix(200) + "…" : clean))
        }
        return input
    }
}
