import Logging
import RapportApp
import ServiceLifecycle

/// The calendars read again inside `rapport-server`, as `rapport nudge` does: every `interval`
/// it reads the feeds whose last read is older than `calendar.refresh_minutes`, so moved and
/// cancelled meetings move their nudges without a timer of their own.
public struct CalendarLoop: Service {
    let interval: Duration
    let services: RapportServices
    let logger: Logger

    public init(every interval: Duration, services: RapportServices, logger: Logger) {
        self.interval = interval
        self.services = services
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await round()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One look at the feeds; a failing one is logged (by name, never by its address) and left as it was.
    func round() async {
        do {
            for read in try await services.calendars.syncDue(now: services.settings.now()) {
                switch read.outcome {
                case .read(let result, let meetings, _):
                    logger.info("calendar read", metadata: [
                        "calendar": "\(read.feed.name)", "meetings": "\(meetings)", "added": "\(result.added)", "moved": "\(result.moved)",
                        "cancelled": "\(result.cancelled)",
                    ])
                case .unchanged:
                    break
                case .failed(let reason):
                    logger.warning("calendar '\(read.feed.name)' could not be read: \(reason)")
                }
            }
        } catch {
            logger.error("calendar round failed: \(error)")
        }
    }
}
