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
}
