import Foundation
import RapportCore

/// The outbox as an admin sees it: what waits, what was given up on, and sending one again.
public struct OutboxService: Sendable {
    let outbox: any OutboxQueue

    public init(outbox: any OutboxQueue) {
        self.outbox = outbox
    }

    /// The outbox, newest first; by default what is not yet sent.
    public func entries(statuses: Set<OutboxEntry.Status> = [.pending, .dead], limit: Int = 200) async throws -> [OutboxEntry] {
        try await outbox.entries(statuses: statuses, limit: limit)
    }

    /// Destinations that asked to be left alone for now.
    public func holds(now: Date) async throws -> [DestinationHold] {
        try await outbox.holds(now: now)
    }

    /// Puts a message back to be sent at the next delivery; nil when there is none.
    public func retry(_ id: Int64, now: Date) async throws -> OutboxEntry? {
        try await outbox.retry(id: id, now: now)
    }
}
