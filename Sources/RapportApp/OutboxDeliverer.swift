import Foundation
import RapportCore
import RapportDelivery
import RapportStore

/// Drains the outbox: every message whose time has come is posted, then marked sent, retried
/// later, or dead-lettered by what its platform answered. At-least-once: a crash between a post
/// and its mark sends that one message again, with the same idempotency key.
public final class OutboxDeliverer {
    /// What one run did, for `rapport nudge` to print.
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var retrying = 0
        public var dead = 0
        /// Left for a later run because their destination refused for good during this one.
        public var held = 0
        /// One line per message that did not go out, saying why.
        public var problems: [String] = []

        public init() {}
    }

    let store: RapportDatabase
    let destinations: [String: Destination]
    /// Configured destinations that cannot be used now, with the reason: their messages wait.
    let unusable: [String: String]
    let schedule: RetrySchedule
    let timeouts: CurlHTTPClient.Timeouts
    let clock: () -> Date
    let sleep: (Duration) -> Void
    let random: () -> Double
    /// Space posts to one destination by its platform's limit (off for benchmarks and sinks).
    var pacing: Bool

    public init(
        store: RapportDatabase, destinations: [Destination], unusable: [String: String] = [:], schedule: RetrySchedule = RetrySchedule(),
        timeouts: CurlHTTPClient.Timeouts = .init(), pacing: Bool = true, clock: @escaping () -> Date,
        sleep: @escaping (Duration) -> Void = { Thread.sleep(forTimeInterval: RetrySchedule.seconds($0)) },
        random: @escaping () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.destinations = Dictionary(uniqueKeysWithValues: destinations.map { ($0.name, $0) })
        self.unusable = unusable
        self.schedule = schedule
        self.timeouts = timeouts
        self.pacing = pacing
        self.clock = clock
        self.sleep = sleep
        self.random = random
    }

    /// Delivers everything due now, once.
    public func deliverDue() throws(RapportError) -> Report {
        var report = Report()
        let due = try wrap { () throws(StoreError) in try store.dueOutbox(now: clock()) }
        guard !due.isEmpty else { return report }
        // libcurl is loaded only now that something is to be posted.
        let client = try wrapDelivery { () throws(DeliveryError) in try CurlHTTPClient(timeouts: timeouts) }
        var lastPost: [String: Date] = [:]
        var refusing: Set<String> = []
        var reported: Set<String> = []
        for entry in due {
            if refusing.contains(entry.destination) {
                report.held += 1
                continue
            }
            if let reason = unusable[entry.destination] {
                // Misconfigured, not refused: the messages wait for the config to be fixed.
                report.held += 1
                if reported.insert(entry.destination).inserted { report.problems.append("\(reason); its messages wait") }
                continue
            }
            guard let destination = destinations[entry.destination] else {
                try dead(entry, "destination '\(entry.destination)' is not configured", &report)
                continue
            }
            guard let message = try? JSONDecoder().decode(ChatMessage.self, from: Data(entry.payload.utf8)) else {
                try dead(entry, "the stored message cannot be read", &report)
                continue
            }
            if pacing, let last = lastPost[destination.name] {
                let wait = RetrySchedule.seconds(destination.kind.minimumInterval) - clock().timeIntervalSince(last)
                if wait > 0 { sleep(.milliseconds(Int64(wait * 1000))) }
            }
            let now = clock()
            lastPost[destination.name] = now
            let verdict: DeliveryVerdict
            do {
                let payload = try WebhookPayload(kind: destination.kind, url: destination.url, message: message, signer: destination.signer, timestamp: Int(now.timeIntervalSince1970))
                let response = try client.post(url: payload.url, headers: payload.headers, body: payload.body)
                verdict = DeliveryVerdict(kind: destination.kind, response: response, now: now)
            } catch {
                verdict = .retry(after: nil, reason: error.description)
            }
            switch verdict {
            case .delivered:
                try wrap { () throws(StoreError) in try store.markSent(outboxID: entry.id, now: clock()) }
                report.sent += 1
            case .retry(let after, let reason):
                if let next = schedule.nextAttempt(after: entry.attempts + 1, now: clock(), retryAfter: after, random: random()) {
                    try wrap { () throws(StoreError) in try store.markFailed(outboxID: entry.id, error: reason, nextAttempt: next) }
                    report.retrying += 1
                    report.problems.append("#\(entry.id) to \(entry.destination): \(reason); trying again later")
                } else {
                    try dead(entry, "\(reason); gave up after \(entry.attempts + 1) attempts", &report)
                }
            case .permanent(let reason):
                try dead(entry, reason, &report)
                refusing.insert(entry.destination)  // do not keep knocking on a door that said no
            }
        }
        return report
    }

    private func dead(_ entry: OutboxEntry, _ reason: String, _ report: inout Report) throws(RapportError) {
        try wrap { () throws(StoreError) in try store.markDead(outboxID: entry.id, error: reason) }
        report.dead += 1
        report.problems.append("#\(entry.id) to \(entry.destination): \(reason); see rapport outbox")
    }
}

/// Runs a delivery operation, turning its error into a `RapportError`.
public func wrapDelivery<T>(_ body: () throws(DeliveryError) -> T) throws(RapportError) -> T {
    do {
        return try body()
    } catch {
        throw .delivery(error)
    }
}
