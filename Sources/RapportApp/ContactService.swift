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
