import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 for delivery tests: it records every request and answers
/// from a script (a status with headers and body, a slow reply, or a dropped connection), then
/// with 200 once the script is used up. It speaks only what webhooks need: requests with a
/// Content-Length body, keep-alive connections.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lowercased.
        public var headers: [String: String]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as a JSON object.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    public enum Reply: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        /// Waits before answering 200, to test timeouts.
        case slow(seconds: Double)
        /// Closes the connection without answering.
        case drop
        /// Answers with a body of `bytes` bytes, or an endless chunked one when nil, written as
        /// fast as the client takes it until it is all sent or the client hangs up.
        case stream(status: Int, headers: [String: String] = [:], bytes: Int?)
    }

    public let port: Int
    private let listener: Int32
    private let state = State()

    /// What the serving threads share; they hold it, not the server, so the server can go away.
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var script: [Reply] = []
        /// Answers a request once the script is used up (a fake platform); nil answers 200 "ok".
        var responder: (@Sendable (Request) -> Reply)?
        var recorded: [Request] = []
        var stopped = false
        var accepted = 0
        var bodyBytesSent = 0
    }

    /// How many connections were accepted: keep-alive reuse shows as fewer than requests.
    public var connections: Int { state.lock.withLock { state.accepted } }

    /// How many body bytes streamed replies have handed to the kernel so far.
    public var streamedBytes: Int { state.lock.withLock { state.bodyBytesSent } }

    /// A server that answers each request as `responder` says, once any script is used up.
    public convenience init(responder: @escaping @Sendable (Request) -> Reply) throws {
        try self.init()
        state.lock.withLock { state.responder = responder }
    }

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let state = self.state
        Thread { Self.acceptLoop(listener, state) }.start()
    }

    deinit { stop() }

    /// A URL on 127.0.0.1 where nothing listens, for "connection refused": the port stays bound
    /// (but not listening) while the returned descriptor is open, so no other test can take it.
    public static func refusingURL() -> (url: String, descriptor: Int32) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return ("http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))", descriptor)
    }

    /// The base URL, e.g. http://127.0.0.1:40123
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Queues replies for the next requests, in order.
    public func enqueue(_ replies: Reply...) {
        enqueue(contentsOf: replies)
    }

    public func enqueue(contentsOf replies: [Reply]) {
        state.lock.withLock { state.script.append(contentsOf: replies) }
    }

    /// Every request received so far.
    public var requests: [Request] { state.lock.withLock { state.recorded } }

    public func stop() {
        let wasRunning = state.lock.withLock { () -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        // Only wakes the accept loop, which closes the listener itself: closing it here could
        // hand its number to another test's socket or file while the loop calls accept on it.
        if wasRunning { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    private static func acceptLoop(_ listener: Int32, _ state: State) {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                let failure = errno  // before the lock, which may set errno itself
                let stopped = state.lock.withLock { state.stopped }
                if !stopped, failure == EINTR || failure == ECONNABORTED { continue }
                return
            }
            state.lock.withLock { state.accepted += 1 }
            Thread { serve(client, state) }.start()
        }
    }

    private static func serve(_ client: Int32, _ state: State) {
        defer { close(client) }
        var buffer: [UInt8] = []
        while let request = readRequest(client, &buffer) {
            state.lock.withLock { state.recorded.append(request) }
            let scripted = state.lock.withLock { state.script.isEmpty ? nil : state.script.removeFirst() }
            let responder = state.lock.withLock { state.responder }
            let reply = scripted ?? responder?(request) ?? Reply.respond(status: 200, body: "ok")
            switch reply {
            case .drop:
                return
            case .slow(let seconds):
                Thread.sleep(forTimeInterval: seconds)
                write(client, status: 200, headers: [:], body: "ok")
            case .respond(let status, let headers, let body):
                write(client, status: status, headers: headers, body: body)
            case .stream(let status, let headers, let bytes):
                stream(client, status: status, headers: headers, bytes: bytes, state)
                return
            }
        }
    }

    private static func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = buffer.firstRange(of: separator) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n").map(String.init)
                guard let requestLine = head.first?.split(separator: " "), requestLine.count >= 2 else { return nil }
                var headers: [String: String] = [:]
                for line in head.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < end.upperBound + length {
                    let count = read(client, &chunk, chunk.count)
                    if count <= 0 { return nil }
                    buffer.append(contentsOf: chunk[0..<count])
                }
                let body = Array(buffer[end.upperBound..<end.upperBound + length])
                buffer.removeFirst(end.upperBound + length)
                return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
            }
            let count = read(client, &chunk, chunk.count)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    private static func stream(_ client: Int32, status: Int, headers: [String: String], bytes: Int?, _ state: State) {
        var head = "HTTP/1.1 \(status) Status\r\n" + (bytes.map { "Content-Length: \($0)\r\n" } ?? "Transfer-Encoding: chunked\r\n")
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        guard send(client, Array((head + "\r\n").utf8)) else { return }
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 65536)
        let framed = Array("10000\r\n".utf8) + chunk + Array("\r\n".utf8)
        var left = bytes ?? Int.max
        while left > 0 {
            let count = min(left, chunk.count)
            guard send(client, bytes == nil ? framed : Array(chunk[..<count])) else { return }
            left -= count
            state.lock.withLock { state.bodyBytesSent += count }
        }
    }

    /// Sends all of `bytes`; false once the client has gone.
    private static func send(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private static func write(_ client: Int32, status: Int, headers: [String: String], body: String) {
        let bytes = Array(body.utf8)
        var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(bytes.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let all = Array(head.utf8) + bytes
        _ = all.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
