import Foundation

/// The nudges waiting to be posted. A deliverer leases due messages before posting them, so two
/// deliverers (two overlapping `rapport nudge` runs, or a run beside `rapport serve`) never post
/// the same one; a lease that runs out (a killed run) makes the message due again, same key.
public protocol OutboxQueue: Sendable {
    /// Leases up to `limit` due messages to `claimant` until `now + lease`, oldest first; messages
    /// of destinations on hold, or `excluding`, are left alone.
    func claimDue(now: Date, lease: Duration, limit: Int, claimant: String, excluding: Set<String>) async throws -> [OutboxEntry]
    /// Records what became of a leased message; a claimant whose lease was taken over changes nothing.
    func settle(_ id: Int64, claimant: String, as settlement: OutboxSettlement, now: Date) async throws
    /// Gives leased messages back unposted (a round out of time, a destination put on hold).
    func release(_ ids: [Int64], claimant: String) async throws
    /// Holds a whole destination until a moment (a 429 or `Retry-After` is about the receiver,
    /// not one message), across runs.
    func hold(destination: String, until: Date, reason: String) async throws
    /// The destinations on hold at a moment.
    func holds(now: Date) async throws -> [DestinationHold]
    /// Due messages without leasing them, for a dry run.
    func due(now: Date, limit: Int) async throws -> [OutboxEntry]
    /// The outbox, newest first, of the given statuses.
    func entries(statuses: Set<OutboxEntry.Status>, limit: Int) async throws -> [OutboxEntry]
    /// Puts a dead (or waiting) message back to be sent at the next delivery. Nil when there is none.
    func retry(id: Int64, now: Date) async throws -> OutboxEntry?
    /// Plans every record once more when the plan's settings changed since the last plan (or it
    /// was never made); otherwise changes nothing. Run when the store is opened.
    func refreshPlan(now: Date) async throws -> PlanRefresh
    /// Adds what time alone calls for (this week's digest), before a delivery. Returns how many were new.
    func planTimeDriven(now: Date) async throws -> Int
    /// What `planTimeDriven` would add now, without writing.
    func plannedByTime(now: Date) async throws -> [OutboxDraft]
}

/// What became of one attempt at a leased message.
public enum OutboxSettlement: Sendable, Hashable {
    case sent
    /// Try again at a moment; a throttled post (`countsAsAttempt: false`) does not use up attempts.
    case retry(at: Date, error: String, countsAsAttempt: Bool)
    case dead(error: String)
}

/// A destination that asked to be left alone until a moment.
public struct DestinationHold: Sendable, Hashable, Codable {
    public var destination: String
    public var until: Date
    public var reason: String

    public init(destination: String, until: Date, reason: String) {
        self.destination = destination
        self.until = until
        self.reason = reason
    }
}

/// What `refreshPlan` did.
public struct PlanRefresh: Sendable, Hashable {
    /// Whether everything was planned again (the plan's settings changed since the last plan).
    public var replannedAll: Bool
    public var added: Int
    public var cancelled: Int

    public init(replannedAll: Bool = false, added: Int = 0, cancelled: Int = 0) {
        self.replannedAll = replannedAll
        self.added = added
        self.cancelled = cancelled
    }
}
