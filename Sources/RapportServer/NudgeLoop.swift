import ServiceLifecycle

/// The outbox delivery of `rapport nudge`, run every `interval` inside `rapport-server`, so a
/// deployment is one process. A round has the interval as its time budget, and on SIGTERM the
/// round in flight stops after the post it is making.
public struct NudgeLoop: Service {
    let interval: Duration
    let round: NudgeRound

    public init(every interval: Duration, round: NudgeRound) {
        self.interval = interval
        self.round = round
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await round.run(budget: max(interval, .seconds(30))) { Task.isShuttingDownGracefully || Task.isCancelled }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
