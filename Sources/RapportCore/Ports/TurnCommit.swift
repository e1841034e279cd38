import Foundation

/// A chat message's id with the reply it got, claimed in the same commit as the turn it caused;
/// a reply posted later (a bot's answer in a DM) is in the outbox by the same commit.
public struct ProcessedMessage: Sendable, Hashable {
    public var id: MessageID
    public var reply: String
    /// The reply as outbox messages, queued with the claim (none when the reply is the HTTP answer).
    public var deliveries: [OutboxDraft]

    public init(id: MessageID, reply: String, deliveries: [OutboxDraft] = []) {
        self.id = id
        self.reply = reply
        self.deliveries = deliveries
    }
}

/// A new conversation with what its first turn produced, committed all or nothing.
public struct ConversationStart: Sendable, Hashable {
    public var owner: UserKey
    public var channel: ConversationChannel
    public var state: ConversationState
    public var answers: [RecordedAnswer]
    public var message: ProcessedMessage?
    public var now: Date

    public init(owner: UserKey, channel: ConversationChannel, state: ConversationState, answers: [RecordedAnswer], message: ProcessedMessage? = nil, now: Date) {
        self.owner = owner
        self.channel = channel
        self.state = state
        self.answers = answers
        self.message = message
        self.now = now
    }
}

/// One computed turn of a stored conversation, committed all or nothing: the new state (only if
/// the version it was computed from is still current), the answers it accepted, and when it
/// finished, the records it produced and the nudges they call for.
public struct TurnCommit: Sendable, Hashable {
    public var conversationID: Int64
    public var owner: UserKey
    /// The version the turn was computed from.
    public var readVersion: Int
    public var channel: ConversationChannel
    public var state: ConversationState
    public var answers: [RecordedAnswer]
    /// The records of a conversation that finished with this turn.
    public var outcome: ConversationOutcome?
    public var message: ProcessedMessage?
    public var now: Date
    /// Commits only while the conversation is also still its owner's newest open one (else
    /// `.stale`, as is a conversation no longer there): for a turn computed from a conversation
    /// remembered from an earlier turn rather than read just now.
    public var onlyIfNewest: Bool

    public init(
        conversationID: Int64, owner: UserKey, readVersion: Int, channel: ConversationChannel, state: ConversationState,
        answers: [RecordedAnswer], outcome: ConversationOutcome? = nil, message: ProcessedMessage? = nil, onlyIfNewest: Bool = false, now: Date
    ) {
        self.conversationID = conversationID
        self.owner = owner
        self.readVersion = readVersion
        self.channel = channel
        self.state = state
        self.answers = answers
        self.outcome = outcome
        self.message = message
        self.onlyIfNewest = onlyIfNewest
        self.now = now
    }
}

/// What became of a commit.
public enum CommitResult: Sendable, Hashable {
    /// Stored; the conversation as it now stands, and the meeting a finished one wrote.
    case committed(StoredConversation, meetingID: Int64?)
    /// Another turn was committed since this one's version was read: nothing was written.
    case stale
    /// The message was processed before: nothing was written; this is what it was answered.
    case alreadyProcessed(reply: String)
}
