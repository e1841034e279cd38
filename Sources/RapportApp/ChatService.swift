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
        /// The question asked last, as one-press answers, for platforms with buttons.
        public var buttons: ChatButtons?
        /// The card the conversation finished with (also in `replies`), for platforms that lay it out.
        public var card: SummaryCard?

        public init(replies: [String], ended: Bool, buttons: ChatButtons? = nil, card: SummaryCard? = nil) {
            self.replies = replies
            self.ended = ended
            self.buttons = buttons
            self.card = card
        }
    }

    /// The languages a conversation can be held in (those with a locale file), English first.
    public nonisolated let languages: [String]
    private let turns: ChatTurns
    private let clock: @Sendable () -> Date
    /// Told when a reply was put in the outbox, so it is posted now rather than at the next round.
    private let replyQueued: @Sendable () -> Void
    /// Users with a message being handled, and the messages of theirs waiting behind it.
    private var busy: Set<UserKey> = []
    private var waiting: [UserKey: [CheckedContinuation<Void, Never>]] = [:]

    public init(services: RapportServices, clock: @escaping @Sendable () -> Date, replyQueued: @escaping @Sendable () -> Void = {}) {
        languages = services.library.languages()
        turns = ChatTurns(services: services)
        self.clock = clock
        self.replyQueued = replyQueued
    }

    /// Runs one turn in the person's own time zone, when their platform said it.
    private func inTheir(_ zone: TimeZone?, _ turn: () async throws -> Reply) async throws -> Reply {
        guard let zone else { return try await turn() }
        return try await ConversationService.$personTimeZone.withValue(zone) { try await turn() }
    }

    /// Handles one chat message from a user (already mapped to a profile), arriving through a
    /// platform. Chat commands (`help`, `status`, `prep NAME`, `reflect NAME`, `followups`)
    /// start or show things when no conversation is under way; otherwise the text answers it.
    /// A `language` (one of `languages`) is the one new conversations and command replies use; a
    /// conversation keeps the language it started in. A `messageID` (the platform's id for the
    /// message) makes a retry of it get the first reply, unapplied. With a `replyChannel` (and a
    /// `messageID`) the reply is also put in the outbox, in the turn's own commit, to be posted there.
    /// A `timeZone` (the person's own, from their platform) is the one their dates are read in.
    public func handle(
        text: String, user: UserKey, platform: UserKey.Platform, language: String? = nil, messageID: MessageID? = nil, replyChannel: ReplyChannel? = nil,
        timeZone: TimeZone? = nil
    ) async throws -> Reply {
        await take(user)
        defer { handOver(user) }
        let reply = try await inTheir(timeZone) {
            try await turns.handle(
                text: text, user: user, platform: platform, language: language, messageID: messageID, replyChannel: replyChannel, now: clock())
        }
        if replyChannel != nil { replyQueued() }
        return reply
    }

    /// Handles a button pressed on a question (`ChatPress`): its answer is a turn only while the
    /// conversation still asks that step at that version; otherwise the person is told so and
    /// shown the question now, and nothing changes. A retry of the press gets the first reply.
    public func press(
        _ press: ChatPress, user: UserKey, platform: UserKey.Platform, messageID: MessageID? = nil, replyChannel: ReplyChannel? = nil, timeZone: TimeZone? = nil
    ) async throws -> Reply {
        await take(user)
        defer { handOver(user) }
        let reply = try await inTheir(timeZone) {
            try await turns.press(press, user: user, platform: platform, messageID: messageID, replyChannel: replyChannel, now: clock())
        }
        if replyChannel != nil { replyQueued() }
        return reply
    }

    /// Handles a button pressed on a nudge in the owner's DM (`NudgePress`): [Prep now] and
    /// [Reflect] start that conversation, [Later] asks again in a day, [Done] and [Snooze a week]
    /// change the follow-up. A press by someone other than the nudge's owner changes nothing and
    /// is told so; a retry of the press gets the first reply.
    public func press(
        _ press: NudgePress, user: UserKey, platform: UserKey.Platform, messageID: MessageID? = nil, replyChannel: ReplyChannel? = nil, timeZone: TimeZone? = nil
    ) async throws -> Reply {
        await take(user)
        defer { handOver(user) }
        let reply = try await inTheir(timeZone) {
            try await turns.press(press, user: user, platform: platform, messageID: messageID, replyChannel: replyChannel, now: clock())
        }
        if replyChannel != nil { replyQueued() }
        return reply
    }

    /// Posts a fixed reply to a message that starts no turn (a stranger is told who to ask),
    /// claimed by its id so that a retry does not post it twice.
    public func notify(_ text: String, sender: UserKey, messageID: MessageID, replyChannel: ReplyChannel) async throws {
        let reply = Reply(replies: [text], ended: true)
        try await turns.claim(reply, user: sender, messageID: messageID, replyChannel: replyChannel, now: clock())
        replyQueued()
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
