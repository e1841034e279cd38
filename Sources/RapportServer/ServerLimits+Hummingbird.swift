import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

extension ServerLimits {
    /// HTTP/1.1 with a ConnectionDeadlineHandler on each connection (Hummingbird's single
    /// `idleTimeout` is left off: the handler keeps the three waits apart).
    public func http1(logger: Logger) -> HTTPServerBuilder {
        .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionDeadlineHandler(limits: self, logger: logger)]))
    }

    /// Hummingbird's own cap: at `maxConnections` the server stops accepting until one closes.
    public func connectionCap(logger: Logger) -> MaximumAvailableConnections {
        MaximumAvailableConnections(maxConnections, logger: logger)
    }

    /// Runs `service` until SIGTERM or SIGINT; then it has `shutdownTimeout` to finish what is in
    /// flight before ServiceLifecycle cancels it, which closes the connections still open.
    public func runUntilSignalled(_ service: some Service, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownTimeout
        try await ServiceGroup(configuration: configuration).run()
    }
}
