import Foundation

/// When to try a failed delivery again: exponential backoff with jitter, never sooner than the
/// server asked, and a last attempt after which the message is dead-lettered. Pure: the jitter
/// comes in as a number.
public struct RetrySchedule: Sendable, Hashable {
    /// Waits after the 1st, 2nd, … failed attempt (the Standard Webhooks example schedule,
    /// shortened at the start: a chat nudge a day late is worth less than a webhook event).
    public var delays: [Duration]
    /// ± this fraction of each delay, so that many messages failing together do not retry together.
    public var jitter: Double

    public init(
        delays: [Duration] = [.seconds(5), .seconds(30), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000), .seconds(50400)],
        jitter: Double = 0.2
    ) {
        self.delays = delays
        self.jitter = jitter
    }

    /// How many attempts there are in all before a message is dead.
    public var maximumAttempts: Int { delays.count + 1 }

    /// The next attempt after `attempts` failed ones, or nil when it is time to give up.
    /// - Parameters:
    ///   - retryAfter: the wait the server asked for; the next attempt is never earlier.
    ///   - random: a number in 0..<1 that places the jitter.
    public func nextAttempt(after attempts: Int, now: Date, retryAfter: Duration?, random: Double) -> Date? {
        guard attempts >= 1, attempts <= delays.count else { return nil }
        let base = Self.seconds(delays[attempts - 1])
        let jittered = base * (1 + jitter * (2 * random - 1))
        let wait = max(jittered, retryAfter.map(Self.seconds) ?? 0)
        return now.addingTimeInterval(wait)
    }

    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
