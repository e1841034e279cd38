import Foundation
import RapportCore

/// One person as the terminal shows them: what they know about you, every meeting, reflection,
/// follow-up and note.
public struct ContactService: Sendable {
    let records: any RecordStore
    let timeZone: TimeZone

    public init(records: any RecordStore, timeZone: TimeZone) {
        self.records = records
        self.timeZone = timeZone
    }

    /// Everything about one contact.
    public struct Details: Sendable, Encodable {
        public var contact: Contact
        public var meetings: [Meeting]
        public var reflections: [Reflection]
        public var followUps: [FollowUp]
        public var interactions: [Interaction]
        /// When keeping in touch is next due, for a contact kept warm.
        public var nextContactDue: Date?
    }

    /// What a typed name finds.
    public enum Lookup: Sendable {
        case found(Details)
        case none
        case several([Contact])
    }

    public func lookup(_ query: String, owner: UserKey = .local, now: Date) async throws -> Lookup {
        let matches = try await records.contacts(matching: query, owner: owner, limit: 10)
        guard let contact = matches.first else { return .none }
        guard matches.count == 1 else { return .several(matches) }
        let meetings = try await records.meetings(contactID: contact.id, owner: owner)
        var reflections: [Reflection] = []
        for meeting in meetings where meeting.reflected {
            if let reflection = try await records.reflection(meetingID: meeting.id, owner: owner) { reflections.append(reflection) }
        }
        let followUps = try await records.followUps(contactID: contact.id, meetingID: nil, owner: owner, includeDone: true)
        let interactions = try await records.interactions(contactID: contact.id, owner: owner)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let due = contact.keepInTouch.flatMap { cadence in
            contact.keepInTouchSince.map { since in
                DueSchedule.nextContact(
                    lastInteraction: interactions.map(\.at).max(), since: since, cadence: cadence, meetingStarts: meetings.compactMap(\.startsAt),
                    now: now, calendar: calendar)
            }
        }
        return .found(Details(contact: contact, meetings: meetings, reflections: reflections, followUps: followUps, interactions: interactions, nextContactDue: due))
    }
}

/// Finding people by what was typed, and the changes people make to them.
extension ContactService {
    /// What a typed name finds.
    public enum Found: Sendable, Hashable {
        /// One contact of that name.
        case one(Contact)
        /// Several; the person picks one (or someone new).
        case several([Contact])
        /// Nobody by that name, but these names are a typo away.
        case close([Contact])
        /// Nobody at all: a new person.
        case nobody
    }

    /// Who a typed name means: the contacts it names, or when none, those it misspells.
    public func find(_ query: String, owner: UserKey = .local) async throws -> Found {
        let cleaned = InputSanitizer.clean(query)
        guard !cleaned.isEmpty else { return .nobody }
        let matches = try await records.contacts(matching: cleaned, owner: owner, limit: 9)
        if matches.count == 1 { return .one(matches[0]) }
        if !matches.isEmpty { return .several(matches) }
        let close = try await records.contacts(closeTo: cleaned, owner: owner, limit: 5)
        return close.isEmpty ? .nobody : .close(close)
    }

    /// Splits words typed without quotes into a name and the rest ("anna called today" → "anna",
    /// "called today"): the most leading words that find a contact (up to four). Nil when no
    /// leading words find anyone.
    public func splitName(_ words: [String], owner: UserKey = .local) async throws -> (name: String, rest: [String])? {
        guard words.count > 1 else { return nil }
        for count in stride(from: min(words.count - 1, 4), through: 1, by: -1) {
            let name = words.prefix(count).joined(separator: " ")
            if try await !records.contacts(matching: name, owner: owner, limit: 1).isEmpty {
                return (name, Array(words.dropFirst(count)))
            }
        }
        return nil
    }

    /// The owner's contacts by name, or those a query finds (close ones when it finds none).
    public func list(_ query: String? = nil, owner: UserKey = .local, limit: Int) async throws -> [Contact] {
        guard let query, !InputSanitizer.clean(query).isEmpty else { return try await records.contacts(owner: owner, limit: limit) }
        let found = try await records.contacts(matching: InputSanitizer.clean(query), owner: owner, limit: limit)
        return found.isEmpty ? try await records.contacts(closeTo: InputSanitizer.clean(query), owner: owner, limit: limit) : found
    }

    /// How much a contact's removal or merge would move: for the question asked first.
    public struct Extent: Sendable, Hashable {
        public var meetings: Int
        public var followUps: Int
        public var notes: Int
    }

    public func extent(of contact: Contact, owner: UserKey = .local) async throws -> Extent {
        Extent(
            meetings: try await records.meetings(contactID: contact.id, owner: owner).count,
            followUps: try await records.followUps(contactID: contact.id, meetingID: nil, owner: owner, includeDone: false).count,
            notes: try await records.interactions(contactID: contact.id, owner: owner).filter { $0.kind == .note }.count)
    }

    public func rename(_ contact: Contact, to name: String, owner: UserKey = .local, now: Date) async throws -> ContactRename {
        try await records.renameContact(id: contact.id, to: InputSanitizer.clean(name), owner: owner, now: now)
    }

    public func merge(_ contact: Contact, into target: Contact, owner: UserKey = .local, now: Date) async throws -> Contact? {
        try await records.mergeContact(id: contact.id, into: target.id, owner: owner, now: now)
    }

    public func delete(_ contact: Contact, owner: UserKey = .local, now: Date) async throws -> Bool {
        try await records.deleteContact(id: contact.id, owner: owner, now: now)
    }
}
