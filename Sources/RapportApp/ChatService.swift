import Foundation
import RapportCore
import RapportStore

/// Conversations over chat: one line in from a chat user, the bot's replies out, saved after
/// every turn exactly as in the terminal.
///
/// Many users talk at once, and one fsync per turn would cap a server at the disk's commit rate,
/// so turns are committed in groups: messages that arrive while a group is being written wait,
/// and the next group takes them all (one per user, so each user's messages keep their order)
/// and runs them in one transaction, each turn in its own savepoint. A reply is given only after
/// the commit that made its turn durable; when a commit fails, every turn of its group fails and
/// none of them was applied.
public actor ChatService {
    /// What the bot says back to one message.
    public struct Reply: Sendable, Equatable, Codable {
        public var replies: [String]
        /// Whether the conversation this message belonged to has ended (finished, paused or cancelled).
        public var ended: Bool

        public init(replies: [String], ended: Bool) {
            self.replies = replies
            self.ended = ended
        }
    }

    /// One message waiting for its group.
    private struct Waiting {
        var message: Message
        var continuation: CheckedContinuation<Result<Reply, RapportError>, Never>
    }

    /// A message as the writer sees it.
    struct Message: Sendable {
        var text: String
        var userKey: String
        var language: String?
        var messageID: String?
    }

    /// The most turns committed together; more would only make the first of them wait longer.
    static let largestGroup = 256
    /// How long a platform's message id is remembered for retries: Standard Webhooks' example
    /// schedule retries for about 76 hours, Svix's for about 28.
    static let rememberMessagesFor: TimeInterval = 4 * 24 * 3600

    /// The languages a conversation can be held in (those with a locale file), English first.
    public nonisolated let languages: [String]
    private let writer: ChatGroupWriter
    private var waiting: [Waiting] = []
    private var writing = false

    public init(service: ConversationService, clock: @escaping @Sendable () -> Date) {
        languages = service.library.languages()
        writer = ChatGroupWriter(store: service.store, turns: ChatTurns(service: service.joiningOpenTransactions()), clock: clock)
    }

    /// Handles one chat message from a user (already mapped to a profile key). Chat commands
    /// (`help`, `status`, `prep NAME`, `reflect NAME`, `followups`) start or show things; any
    /// other text answers the user's open conversation. A `language` (one of `languages`) is
    /// the one new conversations and command replies use; a conversation keeps the language it
    /// started in. A `messageID` (the platform's id for the message, unique per sender) makes a
    /// retry of it get the first reply, unapplied.
    public func handle(text: String, userKey: String, language: String? = nil, messageID: String? = nil) async throws(RapportError) -> Reply {
        let message = Message(text: text, userKey: userKey, language: language, messageID: messageID.map { userKey + "/" + $0 })
        let result = await withCheckedContinuation { continuation in
            waiting.append(Waiting(message: message, continuation: continuation))
            if !writing {
                writing = true
                Task { await writeGroups() }
            }
        }
        return try result.get()
    }

    /// Writes groups until nobody is waiting.
    private func writeGroups() async {
        while !waiting.isEmpty {
            var group: [Waiting] = []
            var later: [Waiting] = []
            var users: Set<String> = []
            for entry in waiting {
                if group.count < Self.largestGroup, users.insert(entry.message.userKey).inserted {
                    group.append(entry)
                } else {
                    later.append(entry)
                }
            }
            waiting = later
            let results = await writer.write(group.map(\.message))
            for (entry, result) in zip(group, results) { entry.continuation.resume(returning: result) }
        }
        writing = false
    }
}
