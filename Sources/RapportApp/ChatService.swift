import Foundation
import RapportCore

/// Conversations over chat: one message in from a chat user, the bot's replies out, committed
/// before they are given, exactly as in the terminal. One user's messages are handled one after
/// another, in the order they came; different users' at the same time (the store commits their
/// turns together).
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

    /// The languages a conversation can be held in (those with a locale file), English first.
    public nonisolated let languages: [String]
    private let turns: ChatTurns
    private let clock: @Sendable () -> Date
    /// Users with a message being handled, and the messages of theirs waiting behind it.
    private var busy: Set<UserKey> = []
    private var waiting: [UserKey: [CheckedContinuation<Void, Never>]] = [:]

    public init(services: RapportServices, clock: @escaping @Sendable () -> Date) {
        languages = services.library.languages()
        turns = ChatTurns(services: services)
        self.clock = clock
    }

    /// Handles one chat message from a user (already mapped to a profile), arriving through a
    /// platform. Chat commands (`help`, `status`, `prep NAME`, `reflect NAME`, `followups`)
    /// start or show things when no conversation is under way; otherwise the text answers it.
    /// A `language` (one of `languages`) is the one new conversations and command replies use; a
    /// conversation keeps the language it started in. A `messageID` (the platform's id for the
    /// message) makes a retry of it get the first reply, unapplied.
    public func handle(text: String, user: UserKey, platform: UserKey.Platform, language: String? = nil, messageID: MessageID? = nil) async throws -> Reply {
        await take(user)
        defer { handOver(user) }
        return try await turns.handle(text: text, user: user, platform: platform, language: language, messageID: messageID, now: clock())
    }

    private func take(_ user: UserKey) async {
        guard busy.insert(user).inserted else {
            await withCheckedContinuation { waiting[user, default: []].append($0) }
            return
        }
    }

    private func handOver(_ user: UserKey) {
        guard var queue = waiting[user], !queue.isEmpty else {
            busy.remove(user)
            waiting[user] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[user] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
