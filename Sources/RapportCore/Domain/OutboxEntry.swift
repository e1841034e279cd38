import Foundation

/// A message waiting in the outbox, sent, or given up on.
public struct OutboxEntry: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Waiting for its time, or for a retry after a failure (`attempts` > 0).
        case pending
        case sent
        /// Refused for good, or out of attempts; `rapport outbox retry` sends it again.
        case dead
        /// No longer called for before it was sent: its follow-up was done or moved, a contact
        /// was in touch, a meeting was reflected on.
        case cancelled
    }

    public var id: Int64
    /// Stable across retries and restarts: a message with the same key is the same message.
    public var key: String
    /// The configured destination's name.
    public var destination: String
    public var kind: String
    /// The message as JSON (`ChatMessage`).
    public var payload: String
    public var dueAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date
    public var status: Status
    public var lastError: String?
    public var sentAt: Date?
    public var createdAt: Date

    public init(
        id: Int64, key: String, destination: String, kind: String, payload: String, dueAt: Date, attempts: Int, nextAttemptAt: Date,
        status: Status, lastError: String?, sentAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.key = key
        self.destination = destination
        self.kind = kind
        self.payload = payload
        self.dueAt = dueAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.status = status
        self.lastError = lastError
        self.sentAt = sentAt
        self.createdAt = createdAt
    }
}

/// A message to put in the outbox.
public struct OutboxDraft: Sendable, Hashable {
    public var key: String
    public var destination: String
    public var kind: String
    public var payload: String
    public var dueAt: Date
    /// The record it is about, so the record's next change re-plans it.
    public var subject: NudgeSubject?

    public init(key: String, destination: String, kind: String, payload: String, dueAt: Date, subject: NudgeSubject? = nil) {
        self.key = key
        self.destination = destination
        self.kind = kind
        self.payload = payload
        self.dueAt = dueAt
        self.subject = subject
    }
}
