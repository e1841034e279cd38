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
