import Foundation

/// What a person's network holds: contacts, meetings, reflections, follow-ups, notes and their
/// profile. Every query is scoped to an owner and answered from an index, so its cost does not
/// grow with the store.
public protocol RecordStore: Sendable {
    /// An owner's `me.*` answers (the pitch, …), by key without the namespace.
    func profile(owner: UserKey) async throws -> [String: String]
    /// Contacts a typed name finds: the exact name (ignoring case and accents) when there is one,
    /// otherwise those whose name words start with the typed words, by name.
    func contacts(matching query: String, owner: UserKey, limit: Int) async throws -> [Contact]
    /// Both of the above at once (what a new conversation is prefilled with): an adapter on a
    /// server answers them in one round trip. No name, no contacts.
    func profile(owner: UserKey, contactsMatching query: String?, limit: Int) async throws -> ProfileAndContacts
    func meeting(id: Int64, owner: UserKey) async throws -> Meeting?
    /// A contact's meetings, by start time.
    func meetings(contactID: Int64, owner: UserKey) async throws -> [Meeting]
    /// Meetings by start time, from a moment (or all, undated last).
    func meetings(owner: UserKey, startingFrom: Date?, limit: Int) async throws -> [Meeting]
    /// Meetings that have started and have no reflection yet, most recent first.
    func awaitingReflection(owner: UserKey, now: Date, limit: Int) async throws -> [Meeting]
    func reflection(meetingID: Int64, owner: UserKey) async throws -> Reflection?
    /// Open follow-ups due before a moment (or all), soonest first.
    func openFollowUps(owner: UserKey, dueBefore: Date?, limit: Int) async throws -> [FollowUp]
    /// One follow-up of the owner's, or nil.
    func followUp(id: Int64, owner: UserKey) async throws -> FollowUp?
    /// Follow-ups done, most recently done first.
    func doneFollowUps(owner: UserKey, limit: Int) async throws -> [FollowUp]
    /// One contact's follow-ups (or one meeting's), soonest first.
    func followUps(contactID: Int64, meetingID: Int64?, owner: UserKey, includeDone: Bool) async throws -> [FollowUp]
    /// Contacts with a keep-in-touch cadence whose next contact is due before a moment (or all),
    /// soonest first, each with the last time you were in touch up to `now`.
    func keepInTouch(owner: UserKey, now: Date, dueBefore: Date?, limit: Int) async throws -> [KeepInTouch]
    /// One contact's interactions (notes, reflections, follow-ups done), oldest first.
    func interactions(contactID: Int64, owner: UserKey) async throws -> [Interaction]
    /// Marks a follow-up done (which counts as being in touch). Returns it as it was before, or
    /// nil when the owner has no such follow-up.
    func markDone(followUpID: Int64, owner: UserKey, now: Date) async throws -> FollowUp?
    /// Moves a follow-up's due date. Returns it as changed, or nil when the owner has no such follow-up.
    func snooze(followUpID: Int64, owner: UserKey, until due: WhenValue, now: Date) async throws -> FollowUp?
    /// Records a note about a contact, adding the contact when the name is new.
    func logInteraction(contactName: String, note: String, owner: UserKey, now: Date) async throws -> Contact

    /// The owner's contacts by name (ignoring case and accents), at most `limit`.
    func contacts(owner: UserKey, limit: Int) async throws -> [Contact]
    /// Contacts whose name a typed one misspells ("anan" for Anna Berg, "kowalsky"), closest
    /// first: the names the word index holds for the typed words' first letters, a bounded number
    /// of them, measured by `ContactName.closeness`.
    func contacts(closeTo query: String, owner: UserKey, limit: Int) async throws -> [Contact]
    /// Gives a contact another name; their meetings, follow-ups and nudges follow. A name another
    /// contact of the owner's has is refused (merge them instead).
    func renameContact(id: Int64, to name: String, owner: UserKey, now: Date) async throws -> ContactRename
    /// Moves one contact's meetings, follow-ups and notes to another and removes the first; the
    /// moved records' nudges are planned again. Nil when either is not the owner's, or they are one.
    func mergeContact(id: Int64, into target: Int64, owner: UserKey, now: Date) async throws -> Contact?
    /// Removes a contact and everything about them: meetings with their reflections and the
    /// conversations that wrote them, follow-ups, notes, and their messages in the outbox.
    /// False when the owner has no such contact.
    func deleteContact(id: Int64, owner: UserKey, now: Date) async throws -> Bool
    /// Gives a meeting another time (booking it again when it was cancelled); its nudges move.
    func moveMeeting(id: Int64, to when: WhenValue, owner: UserKey, now: Date) async throws -> Meeting?
    /// Calls a meeting off: it keeps its prep, and its nudges are cancelled.
    func cancelMeeting(id: Int64, owner: UserKey, now: Date) async throws -> Meeting?
}

/// What became of a rename.
public enum ContactRename: Sendable, Hashable {
    case renamed(Contact)
    /// Another contact has that name already.
    case taken(Contact)
    case noSuchContact
}

/// A contact kept warm: when they are next due, and when you were last in touch.
public struct KeepInTouch: Sendable, Hashable, Codable {
    public var contact: Contact
    public var cadence: DurationValue
    public var due: Date
    /// The latest interaction or meeting up to the moment asked about.
    public var lastInteraction: Date?

    public init(contact: Contact, cadence: DurationValue, due: Date, lastInteraction: Date?) {
        self.contact = contact
        self.cadence = cadence
        self.due = due
        self.lastInteraction = lastInteraction
    }
}

/// An owner's profile and the contacts a name found, read together.
public struct ProfileAndContacts: Sendable, Hashable {
    public var profile: [String: String]
    public var contacts: [Contact]

    public init(profile: [String: String], contacts: [Contact]) {
        self.profile = profile
        self.contacts = contacts
    }
}

extension RecordStore {
    /// As two reads, for an adapter where a read costs no round trip (SQLite in the process).
    public func profile(owner: UserKey, contactsMatching query: String?, limit: Int) async throws -> ProfileAndContacts {
        let found: [Contact] = if let query { try await contacts(matching: query, owner: owner, limit: limit) } else { [] }
        return ProfileAndContacts(profile: try await profile(owner: owner), contacts: found)
    }
}
