import Foundation
import RapportTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `rapport serve` facing clients that are slow, stall or just hold connections, over loopback:
/// the limits under `server:` (header, body and idle timeouts, the connection cap, the shutdown
/// deadline) keep it answering and let it stop. Timeouts here are a second or so, to keep the
/// tests short.
@Suite(.serialized)
struct ServeLimitsTests {
    /// A running `rapport serve` on a port of its own with `server:` set to `lines`.
    struct Server {
        let process: Process
        let port: Int

        /// SIGTERM, then how long it took to exit (nil: still running after `seconds`, then killed).
        func terminate(within seconds: Double) -> Double? {
            let started = Date()
            process.terminate()
            while process.isRunning, Date().timeIntervalSince(started) < seconds { Thread.sleep(forTimeInterval: 0.02) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            process.waitUntilExit()
            return Date().timeIntervalSince(started)
        }

        /// How many files (sockets among them) the server has open.
        var openDescriptors: Int {
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? 0
        }

        /// What it logged; only once it has exited.
        var stderr: String {
            String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    /// Starts `rapport serve` with a config of `server:` lines, under `ulimit -n fileLimit` when
    /// given, and waits until `/healthz` answers.
    static func serve(_ rapport: RapportBinary, server lines: [String], fileLimit: Int? = nil) throws -> Server {
        let config = rapport.folder.path("config.yaml")
        try (["server:"] + lines.map { "  " + $0 }).joined(separator: "\n").appending("\n").write(toFile: config, atomically: true, encoding: .utf8)
        let port = RawConnection.freePort()
        let process = Process()
        let arguments = ["serve", "--port", "\(port)", "--nudge-every", "0"]
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", RapportBinary.url.path] + arguments
        } else {
            process.executableURL = RapportBinary.url
            process.arguments = arguments
        }
        process.environment = rapport.environment.merging(["RAPPORT_CONFIG": config]) { _, new in new }
        process.standardInput = Pipe()
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            if healthz(port: port, within: 1) { return Server(process: process, port: port) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw POSIXError(.ETIMEDOUT)
    }

    /// Whether `GET /healthz` is answered `ok` within `seconds`.
    static func healthz(port: Int, within seconds: Double) -> Bool {
        guard let connection = try? RawConnection(port: port) else { return false }
        connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        guard let response = connection.response(within: seconds) else { return false }
        return response.hasPrefix("HTTP/1.1 200") && response.hasSuffix("\r\n\r\nok")
    }

    /// A request that declares a 100-byte body, sends 10 bytes of it and stalls.
    static let stalledUpload = "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user\":\"U"

    @Test func slowConnectionsBeyondTheCapAndTheFileLimitStillLetHealthzBeAnswered() throws {
        // 160 slow clients against a server that may open 128 files: without a cap the slow ones
        // take every descriptor and hold them, and /healthz waits in the accept queue for ever.
        let rapport = RapportBinary()
        let server = try Self.serve(rapport, server: ["max_connections: 64", "header_timeout_seconds: 1"], fileLimit: 128)
        defer { _ = server.terminate(within: 10) }
        let idleDescriptors = server.openDescriptors
        var slow: [RawConnection] = []
        for _ in 0..<160 {
            let connection = try RawConnection(port: server.port)
            connection.send("POST /v1/chat HTTP/1.1\r\nHost: localhost\r\n")  // and never the rest of the headers
            slow.append(connection)
        }
        let started = Date()
        Thread.sleep(forTimeInterval: 0.3)
        // The cap holds: at most 64 of them have a descriptor (a few more may be accepted in one go).
        let busyDescriptors = server.openDescriptors
        #expect(busyDescriptors - idleDescriptors <= 64 + 4, "\(busyDescriptors) descriptors open, \(idleDescriptors) before the slow clients came")
        #expect(Self.healthz(port: server.port, within: 10), "/healthz was not answered with 160 slow connections open")
        let waited = Date().timeIntervalSince(started)
        #expect(waited < 10, "answered after \(waited) s")
        #expect(server.process.isRunning)
        // The slow ones were let go by the header timeout, not kept.
        #expect(slow.allSatisfy { $0.readUntilClosed(within: 5).closed })
    }

    @Test func eachTimeoutClosesItsOwnKindOfStalledConnection() throws {
        let rapport = RapportBinary()
        let server = try Self.serve(rapport, server: ["header_timeout_seconds: 1", "body_timeout_seconds: 3", "idle_timeout_seconds: 5"])
        defer { _ = server.terminate(within: 10) }
        let started = Date()  // before the connections, so no timer can have started earlier
        let halfHeaders = try RawConnection(port: server.port)
        let stalledBody = try RawConnection(port: server.port)
        let idle = try RawConnection(port: server.port)
        halfHeaders.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        stalledBody.send(Self.stalledUpload)
        idle.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")  // answered, then kept alive and idle
        let connections = [halfHeaders, stalledBody, idle]
        let results = Mutex([(text: String, closedAfter: Double?)](repeating: ("", nil), count: 3))
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            let (text, closed) = connections[index].readUntilClosed(within: 9)
            let elapsed = Date().timeIntervalSince(started)
            results.withLock { $0[index] = (text, closed ? elapsed : nil) }
        }
        let outcome = results.withLock { $0 }
        let received = outcome.map(\.text)
        let (headers, body, kept) = (outcome[0].closedAfter, outcome[1].closedAfter, outcome[2].closedAfter)
        #expect(headers.map { (0.9...2.5).contains($0) } == true, "half-sent headers closed after \(headers.map { "\($0) s" } ?? "never"), not the 1 s header timeout")
        #expect(body.map { (2.9...4.5).contains($0) } == true, "a stalled body closed after \(body.map { "\($0) s" } ?? "never"), not the 3 s body timeout")
        #expect(kept.map { (4.9...7.5).contains($0) } == true, "an idle connection closed after \(kept.map { "\($0) s" } ?? "never"), not the 5 s idle timeout")
        #expect(received[2].hasPrefix("HTTP/1.1 200") && received[2].hasSuffix("\r\n\r\nok"), "\(received[2])")
        #expect(server.process.isRunning)
    }

    @Test func sigtermWithAStalledUploadExitsWithinTheShutdownDeadline() throws {
        let rapport = RapportBinary()
        // Timeouts far beyond the test: only the shutdown deadline can end the stalled upload.
        let server = try Self.serve(rapport, server: ["header_timeout_seconds: 60", "body_timeout_seconds: 60", "shutdown_timeout_seconds: 1"])
        let stalled = try RawConnection(port: server.port)
        stalled.send(Self.stalledUpload)
        let halfHeaders = try RawConnection(port: server.port)
        halfHeaders.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        Thread.sleep(forTimeInterval: 0.3)  // the server has read the upload's headers
        let exited = server.terminate(within: 8)
        #expect(exited.map { $0 < 4 } == true, "still running \(exited.map { "\($0) s" } ?? "8 s") after SIGTERM with a stalled upload")
        let stderr = server.stderr
        #expect(server.process.terminationStatus == 0, "\(stderr)")
        #expect(stalled.readUntilClosed(within: 1).closed)
        // Logged as the server's decision, not as a 5xx: nothing was answered.
        #expect(stderr.contains("http.path=/v1/chat [RapportServer] cut off at the shutdown deadline"), "\(stderr)")
        #expect(!stderr.contains(" error "), "\(stderr)")
    }
}
