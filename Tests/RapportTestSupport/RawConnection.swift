import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP connection to 127.0.0.1, for playing the clients an HTTP library will not: one that
/// sends half its headers and waits, declares a body and stalls, or never reads.
public final class RawConnection: @unchecked Sendable {
    public let descriptor: Int32

    /// Connects (the kernel completes the handshake even while the server is not accepting).
    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED
            closeOnce()
            throw POSIXError(code)
        }
    }

    private var isOpen = true

    // deinit runs even when init throws after every property is set, so a failed connect must
    // mark the descriptor closed: closing its number twice would close whatever file another
    // test opened under it in between (a SQLite store's, seen as "disk I/O error").
    deinit { closeOnce() }

    private func closeOnce() {
        guard isOpen else { return }
        isOpen = false
        close(descriptor)
    }

    /// Sends the text as it is; false once the server has closed the connection.
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// No more bytes from this side; the server may still answer.
    public func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Drops the connection with a TCP reset, as a killed client or a proxy giving up may.
    public func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        closeOnce()
    }

    /// What the server sends until it closes the connection or `seconds` pass, and whether it closed.
    public func readUntilClosed(within seconds: Double) -> (text: String, closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (String(decoding: received, as: UTF8.self), false) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000) + 1)
            if ready < 0, errno != EINTR { return (String(decoding: received, as: UTF8.self), true) }
            guard ready > 0 else { continue }
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received.append(contentsOf: chunk[0..<count])
        }
    }

    /// The same, waiting on a thread of its own: a test that blocks the few threads Swift
    /// concurrency has would starve the in-process server it is waiting for.
    public func readUntilClosedOffThePool(within seconds: Double) async -> (text: String, closed: Bool) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.readUntilClosed(within: seconds)) }
        }
    }

    /// One whole response to a request sent with `Connection: close`, or nil if none came in time.
    public func response(within seconds: Double) -> String? {
        let (text, closed) = readUntilClosed(within: seconds)
        return closed && !text.isEmpty ? text : nil
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    public static func freePort() -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
