import RapportApp

/// How long `rapport serve` waits for a client and how many it holds at once: the timeouts, the
/// connection cap and the shutdown deadline under `server:` in the config, checked at start.
public struct ServerLimits: Sendable, Equatable {
    /// A new connection must have sent its first request's headers within this.
    public var headerTimeout: Duration
    /// A request's body must have arrived whole within this of its headers.
    public var bodyTimeout: Duration
    /// A kept-alive connection with no request in it is closed after this.
    public var idleTimeout: Duration
    /// Connections open at once; further ones wait in the kernel's queue until one closes.
    public var maxConnections: Int
    /// After SIGTERM, requests in flight get this long; then their connections are closed.
    public var shutdownTimeout: Duration

    public init(headerTimeout: Duration, bodyTimeout: Duration, idleTimeout: Duration, maxConnections: Int, shutdownTimeout: Duration) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.shutdownTimeout = shutdownTimeout
    }

    /// The limits `server:` sets, the built-in ones for keys it leaves out; a value out of its
    /// range is an error naming the key.
    public static func configured(by server: RapportConfig.ServerConfig) throws(RapportError) -> ServerLimits {
        let builtIn = RapportConfig.ServerConfig.builtIn
        func seconds(_ value: Double?, _ fallback: Double?, key: String, range: ClosedRange<Double>) throws(RapportError) -> Duration {
            let value = value ?? fallback!
            guard range.contains(value) else {
                throw .invalidSetting(key: "server." + key, requirement: "from \(number(range.lowerBound)) to \(number(range.upperBound)) seconds", value: number(value))
            }
            return .milliseconds(Int64((value * 1000).rounded()))
        }
        let connections = server.maxConnections ?? builtIn.maxConnections!
        guard (1...100_000).contains(connections) else {
            throw .invalidSetting(key: "server.max_connections", requirement: "a whole number from 1 to 100000", value: "\(connections)")
        }
        return ServerLimits(
            headerTimeout: try seconds(server.headerTimeoutSeconds, builtIn.headerTimeoutSeconds, key: "header_timeout_seconds", range: 0.1...3600),
            bodyTimeout: try seconds(server.bodyTimeoutSeconds, builtIn.bodyTimeoutSeconds, key: "body_timeout_seconds", range: 0.1...3600),
            idleTimeout: try seconds(server.idleTimeoutSeconds, builtIn.idleTimeoutSeconds, key: "idle_timeout_seconds", range: 0.1...3600),
            maxConnections: connections,
            shutdownTimeout: try seconds(server.shutdownTimeoutSeconds, builtIn.shutdownTimeoutSeconds, key: "shutdown_timeout_seconds", range: 0...300))
    }

    /// A line for the log when the cap does not fit under the process's open-file limit (each
    /// connection is a descriptor, and the store and the event loops need some too); nil when it fits.
    public func fileLimitWarning(openFileLimit: Int) -> String? {
        let spare = 64
        guard maxConnections + spare > openFileLimit else { return nil }
        return "server.max_connections is \(maxConnections), but this process may open only \(openFileLimit) files: raise the limit (ulimit -n, or LimitNOFILE= under systemd) to at least \(maxConnections + spare), or lower max_connections"
    }

    /// 10 as "10", 0.25 as "0.25": a config value as it would be written.
    private static func number(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
