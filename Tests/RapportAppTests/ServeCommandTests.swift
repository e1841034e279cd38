import Foundation
import RapportTestSupport
import Testing

/// `rapport serve` as a person starts it: what it says when it cannot start.
@Suite(.serialized)
struct ServeCommandTests {
    @Test func aPortInUseIsSaidPlainlyAndExitsOne() throws {
        let rapport = RapportBinary()
        // Another server holds the port.
        let other = try LoopbackHTTPServer()
        let port = URL(string: other.url)!.port!
        let serve = try rapport.start(["serve", "--port", "\(port)", "--nudge-every", "0"])
        let deadline = Date().addingTimeInterval(20)
        while serve.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if serve.isRunning { serve.terminate() }
        serve.waitUntilExit()
        let stderr = String(decoding: (serve.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(serve.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("rapport-server: cannot listen on 127.0.0.1:\(port): the port is in use (is another rapport serve running?)"), "\(stderr)")
        #expect(!stderr.contains("errno"), "no raw socket error: \(stderr)")
    }

    @Test func aLimitOutOfRangeIsSaidInOneSentenceNamingItsKeyAndExitsOne() throws {
        let rapport = RapportBinary()
        let config = rapport.folder.path("config.yaml")
        for (line, sentence) in [
            ("header_timeout_seconds: 0", "server.header_timeout_seconds in the config file must be from 0.1 to 3600 seconds, not 0"),
            ("max_connections: 0", "server.max_connections in the config file must be a whole number from 1 to 100000, not 0"),
        ] {
            try "server:\n  \(line)\n".write(toFile: config, atomically: true, encoding: .utf8)
            let serve = try rapport.start(["serve", "--port", "\(RawConnection.freePort())", "--nudge-every", "0"], extraEnvironment: ["RAPPORT_CONFIG": config])
            let deadline = Date().addingTimeInterval(10)
            while serve.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if serve.isRunning { serve.terminate() }
            serve.waitUntilExit()
            let stderr = String(decoding: (serve.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(serve.terminationStatus == 1, "\(line): \(stderr)")
            #expect(stderr == "rapport-server: \(sentence)\n", "\(line)")
        }
    }
}
