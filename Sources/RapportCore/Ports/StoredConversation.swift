import Foundation

/// A conversation as the store holds it: its engine state, whose it is, and its version.
public struct StoredConversation: Sendable, Hashable {
    public var id: Int64
    public var owner: UserKey
    public var state: ConversationState
    /// Bumped by every committed turn: a turn commits only against the version it was computed from.
    public var version: Int
    /// The front end that last showed its question.
    public var lastChannel: ConversationChannel
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, owner: UserKey, state: ConversationState, version: Int, lastChannel: ConversationChannel, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.owner = owner
        self.state = state
        self.version = version
        self.lastChannel = lastChannel
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Its line in a listing.
    public var summary: ConversationSummary {
        ConversationSummary(
            id: id, flowID: state.flowID, status: state.status, currentStep: state.currentStep, contactName: state.contactName,
            updatedAt: updatedAt)
    }
}

extension ConversationState {
    /// The person the conversation is about, once known.
    public var contactName: String? { slots["contact.name"]?.text }
}
