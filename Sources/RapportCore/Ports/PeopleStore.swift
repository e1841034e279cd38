import Foundation

/// What a team admin does with a person's data as a whole: see whose records the store holds,
/// and remove everything of someone who left. Both answered from indexes: their cost follows
/// the number of people and that person's records, not the size of the store.
public protocol PeopleStore: Sendable {
    /// The people with records or conversations, at most `limit`, by stored key.
    func people(limit: Int) async throws -> [UserKey]
    /// Removes everything of one person: contacts with their notes, meetings, reflections and
    /// follow-ups, conversations with their answers, the messages they sent that the store
    /// remembers, their profile, and every outbox message about their records, sent or not.
    func forget(owner: UserKey) async throws -> ForgottenRecords
}

/// How much a forgetting removed, to say to the admin.
public struct ForgottenRecords: Sendable, Hashable, Codable {
    public var contacts = 0
    public var meetings = 0
    public var followUps = 0
    public var conversations = 0
    public var outboxMessages = 0

    public init(contacts: Int = 0, meetings: Int = 0, followUps: Int = 0, conversations: Int = 0, outboxMessages: Int = 0) {
        self.contacts = contacts
        self.meetings = meetings
        self.followUps = followUps
        self.conversations = conversations
        self.outboxMessages = outboxMessages
    }

    /// Whether there was nothing of theirs.
    public var isEmpty: Bool { self == ForgottenRecords() }
}
