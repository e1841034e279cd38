import CEditLine
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
struct EditLineReader: LineReader {
    init() {
        // libedit needs a UTF-8 character type to edit "Łukasz" as one character.
        if setlocale(LC_CTYPE, "") == nil || !String(cString: setlocale(LC_CTYPE, nil)).uppercased().contains("UTF") {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        using_history()
        stifle_history(200)
    }

    func read(prompt: String) -> LineInput {
        guard let pointer = readline(prompt) else { return .end }
        defer { free(pointer) }
        let length = strlen(pointer)
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
        guard let text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else { return .unreadable }
        if !text.isEmpty { add_history(pointer) }
        return .line(text)
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
