import Dispatch
import ServiceLifecycle

/// The outbox delivery of `rapport nudge`, run every `interval` inside `rapport-server`, so a
/// deployment is one process. A round blocks (libcurl, pacing), so it runs on its own queue; on
/// SIGTERM the round in flight finishes before the loop stops.
public struct NudgeLoop: Service {
    let interval: Duration
    let round: @Sendable () -> Void
    private let queue = DispatchQueue(label: "rapport.nudges")

    public init(every interval: Duration, round: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.round = round
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let round = self.round
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                queue.async { round(); done.resume() }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
