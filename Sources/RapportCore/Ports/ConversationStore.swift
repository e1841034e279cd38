import Foundation

/// Where conversations live: their state with a version, the answer log, and the chat messages
/// already answered. One computed turn is committed as one value, all or nothing.
public protocol ConversationStore: Sendable {
    /// A stored conversation, or nil when there is none with that id.
    func conversation(id: Int64) async throws -> StoredConversation?
    /// One owner's unfinished (active or paused) conversations, of a flow or all, newest first.
    func openConversations(owner: UserKey, flowID: String?, limit: Int) async throws -> [ConversationSummary]
    /// One owner's newest unfinished conversation, whole: what a chat message answers, read
    /// once for the turn rather than listed and then read again.
    func newestOpenConversation(owner: UserKey) async throws -> StoredConversation?
    /// Stores a new conversation with its first turn's answers (and the message that started it).
    func start(_ start: ConversationStart) async throws -> CommitResult
    /// Commits one turn, unless its version is stale or its message was already processed.
    func commit(_ turn: TurnCommit) async throws -> CommitResult
    /// A conversation's answer log, oldest first.
    func answers(conversationID: Int64) async throws -> [RecordedAnswer]
    /// The reply an already processed message got, by its id and sender.
    func processedReply(_ id: MessageID, sender: UserKey) async throws -> String?
    /// Claims a message answered without a turn (a chat command's reply), queueing its deliveries
    /// in the same commit. Nil when this is the first claim; else the reply it got before, and
    /// nothing is written.
    func claim(_ message: ProcessedMessage, sender: UserKey, now: Date) async throws -> String?
}

extension ConversationStore {
    /// An adapter whose reads cost no round trip can list and read.
    public func newestOpenConversation(owner: UserKey) async throws -> StoredConversation? {
        guard let summary = try await openConversations(owner: owner, flowID: nil, limit: 1).first else { return nil }
        return try await conversation(id: summary.id)
    }
}
