import Foundation
import RapportCore
import RapportDelivery

/// The nudge use-cases: add what time alone calls for, and deliver what is due. Everything else
/// was planned by the store when its record was written. `rapport nudge` runs them once; the
/// server runs them on a timer.
public struct NudgeService: Sendable {
    let settings: RapportSettings
    let outbox: any OutboxQueue

    public init(settings: RapportSettings, outbox: any OutboxQueue) {
        self.settings = settings
        self.outbox = outbox
    }

    /// One message as it would be posted.
    public struct Preview: Sendable, Hashable {
        public var destination: String
        public var kind: String
        public var title: String
        public var lines: [String]
    }

    /// What would be posted now, changing nothing.
    public func dryRun(now: Date, limit: Int = 200) async throws -> [Preview] {
        let waiting = try await outbox.due(now: now, limit: limit).map { ($0.destination, $0.kind, $0.payload) }
        let timed = try await outbox.plannedByTime(now: now).filter { $0.dueAt <= now }.map { ($0.destination, $0.kind, $0.payload) }
        return (waiting + timed).map { destination, kind, payload in
            let message = try? JSONDecoder().decode(ChatMessage.self, from: Data(payload.utf8))
            return Preview(destination: destination, kind: kind, title: message?.title ?? kind, lines: message?.lines ?? [])
        }
    }

    /// Adds this week's digest when it is due to be planned, and delivers everything due but what
    /// goes to the destinations `excluding` names (another loop delivers those).
    public func run(
        now: @escaping @Sendable () -> Date, pacing: Bool = true, budget: Duration = .seconds(240), excluding: Set<String> = [],
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async throws -> (added: Int, report: OutboxDeliverer.Report) {
        let added = try await outbox.planTimeDriven(now: now())
        return (added, try await deliver(now: now, pacing: pacing, budget: budget, lease: OutboxDeliverer.defaultLease, excluding: excluding, shouldStop: shouldStop))
    }

    /// Delivers the bot's replies that are due, and nothing else.
    public func deliverReplies(
        now: @escaping @Sendable () -> Date, budget: Duration, postTimes: PostPacing = PostPacing(), shouldStop: @escaping @Sendable () -> Bool
    ) async throws -> OutboxDeliverer.Report {
        let others = Set(settings.destinationConfigs.keys).subtracting(RapportSettings.botDestinations)
        return try await deliver(now: now, pacing: true, postTimes: postTimes, budget: budget, lease: Self.replyLease, excluding: others, shouldStop: shouldStop)
    }

    /// A reply's claim: longer than one post may take (15 s, and 10 to spare), short enough that a
    /// restart posts what a killed server had claimed within the minute.
    static let replyLease: Duration = .seconds(30)

    private func deliver(
        now: @escaping @Sendable () -> Date, pacing: Bool, postTimes: PostPacing = PostPacing(), budget: Duration, lease: Duration, excluding: Set<String>,
        shouldStop: @escaping @Sendable () -> Bool
    ) async throws -> OutboxDeliverer.Report {
        let (usable, unusable) = settings.usableDestinations()
        let deliverer = OutboxDeliverer(
            outbox: outbox, destinations: usable, unusable: unusable, quietHours: settings.nudges.quietHours, timeZone: settings.timeZone,
            pacing: pacing, postTimes: postTimes, budget: budget, lease: lease, clock: now)
        return try await deliverer.deliverDue(excluding: excluding, shouldStop: shouldStop)
    }
}
