#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C during a conversation: everything answered is already committed, so the handler only
/// says how to resume and exits. It writes a message prepared in advance, since a signal handler
/// may not allocate.
enum InterruptHandler {
    private static let capacity = 1024
    nonisolated(unsafe) private static let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var length = 0

    /// Sets what Ctrl-C prints, and installs the handler on first use.
    static func prepare(message: String) {
        let bytes = Array(("\n" + message + "\n").utf8.prefix(capacity))
        for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        length = bytes.count
        signal(SIGINT) { _ in
            _ = write(STDOUT_FILENO, InterruptHandler.buffer, InterruptHandler.length)
            _exit(130)
        }
    }
}
