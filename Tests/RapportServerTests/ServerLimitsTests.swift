import Foundation
import RapportApp
import RapportServer
import RapportTestSupport
import Testing

/// What `server:`'s timeouts, connection cap and shutdown deadline become, and the one sentence
/// naming the key when one is out of range.
struct ServerLimitsTests {
    private func limits(_ lines: String) throws -> ServerLimits {
        let folder = TemporaryDirectory()
        let path = folder.path("rapport.yaml")
        try "server:\n\(lines)".write(toFile: path, atomically: true, encoding: .utf8)
        return try ServerLimits.configured(by: try RapportConfig.load(path: path).server ?? .init())
    }

    @Test func keysLeftOutGetTheBuiltInLimitsAndSecondsMayBeFractions() throws {
        #expect(try limits("  port: 8080\n") == ServerLimits(
            headerTimeout: .seconds(10), bodyTimeout: .seconds(10), idleTimeout: .seconds(130), maxConnections: 512, shutdownTimeout: .seconds(5)))
        let set = try limits("  header_timeout_seconds: 0.25\n  body_timeout_seconds: 30\n  idle_timeout_seconds: 75\n  max_connections: 64\n  shutdown_timeout_seconds: 0\n")
        #expect(set == ServerLimits(headerTimeout: .milliseconds(250), bodyTimeout: .seconds(30), idleTimeout: .seconds(75), maxConnections: 64, shutdownTimeout: .zero))
    }

    @Test func aValueOutOfRangeIsOneSentenceNamingItsKey() throws {
        let cases = [
            ("header_timeout_seconds: 0", "server.header_timeout_seconds in the config file must be from 0.1 to 3600 seconds, not 0"),
            ("body_timeout_seconds: -1", "server.body_timeout_seconds in the config file must be from 0.1 to 3600 seconds, not -1"),
            ("idle_timeout_seconds: 3600.5", "server.idle_timeout_seconds in the config file must be from 0.1 to 3600 seconds, not 3600.5"),
            ("idle_timeout_seconds: .inf", "server.idle_timeout_seconds in the config file must be from 0.1 to 3600 seconds, not inf"),
            ("shutdown_timeout_seconds: 301", "server.shutdown_timeout_seconds in the config file must be from 0 to 300 seconds, not 301"),
            ("max_connections: 0", "server.max_connections in the config file must be a whole number from 1 to 100000, not 0"),
        ]
        for (line, sentence) in cases {
            #expect(throws: RapportError.self, "\(line)") { try limits("  \(line)\n") }
            do {
                _ = try limits("  \(line)\n")
            } catch {
                #expect("\(error)" == sentence)
            }
        }
    }

    @Test func aCapAboveTheOpenFileLimitIsWarnedAbout() throws {
        let limits = try limits("  max_connections: 1000\n")
        #expect(limits.fileLimitWarning(openFileLimit: 1024) == "server.max_connections is 1000, but this process may open only 1024 files: raise the limit (ulimit -n, or LimitNOFILE= under systemd) to at least 1064, or lower max_connections")
        #expect(limits.fileLimitWarning(openFileLimit: 1064) == nil)
        #expect(try self.limits("  port: 1\n").fileLimitWarning(openFileLimit: 1024) == nil, "the built-in cap fits the common 1,024")
    }
}
