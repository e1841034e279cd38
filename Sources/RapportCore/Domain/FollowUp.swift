import Foundation

/// Something to do for a contact by a date, as stored.
public struct FollowUp: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// An action the user promised ("send the proposal").
        case action
        /// Asking how a recommendation turned out (P0.8).
        case referralFeedback = "referral-feedback"
    }

    public var id: Int64
    public var contactID: Int64
    public var contactName: String
    public var meetingID: Int64?
    public var kind: Kind
    public var text: String
    public var due: Date
    public var hasTime: Bool
    public var doneAt: Date?
    public var createdAt: Date

    public init(
        id: Int64, contactID: Int64, contactName: String, meetingID: Int64?, kind: Kind, text: String, due: Date, hasTime: Bool,
        doneAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.contactID = contactID
        self.contactName = contactName
        self.meetingID = meetingID
        self.kind = kind
        self.text = text
        self.due = due
        self.hasTime = hasTime
        self.doneAt = doneAt
        self.createdAt = createdAt
    }
}

/// A recorded contact with someone outside a full conversation: a logged note, a follow-up done,
/// a reflection. Each restarts the keep-in-touch clock.
public struct Interaction: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case note, reflection
        case followUpDone = "followup-done"
    }

    public var contactID: Int64
    public var kind: Kind
    public var note: String?
    public var at: Date

    public init(contactID: Int64, kind: Kind, note: String?, at: Date) {
        self.contactID = contactID
        self.kind = kind
        self.note = note
        self.at = at
    }
}

/// What the user learned after a meeting, as stored.
public struct Reflection: Sendable, Hashable, Codable {
    public var id: Int64
    public var meetingID: Int64
    public var conversationID: Int64?
    /// "yes", "partly" or "no".
    public var goalReached: String?
    public var outcome: String?
    public var gave: String?
    public var got: String?
    /// Whether the meeting was worth its time: "yes", "partly" or "no".
    public var worthIt: String?
    public var card: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, meetingID: Int64, conversationID: Int64?, goalReached: String?, outcome: String?, gave: String?, got: String?,
        worthIt: String?, card: String?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.meetingID = meetingID
        self.conversationID = conversationID
        self.goalReached = goalReached
        self.outcome = outcome
        self.gave = gave
        self.got = got
        self.worthIt = worthIt
        self.card = card
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
