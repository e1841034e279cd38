import Foundation
import RapportCore

/// Meetings: the listing, and which one a reflection is about.
public struct MeetingService: Sendable {
    let records: any RecordStore

    public init(records: any RecordStore) {
        self.records = records
    }

    /// Meetings by start time, from a moment (or all, undated last), at most `limit`.
    public func meetings(owner: UserKey = .local, from start: Date? = nil, limit: Int) async throws -> [Meeting] {
        try await records.meetings(owner: owner, startingFrom: start, limit: limit)
    }

    /// Meetings that have started and wait for "how did it go?", most recent first.
    public func awaitingReflection(owner: UserKey = .local, now: Date, limit: Int = 5) async throws -> [Meeting] {
        try await records.awaitingReflection(owner: owner, now: now, limit: limit)
    }

    /// Which meeting `rapport reflect` (or chat's `reflect`) is about: `#ID`, the most recent
    /// meeting that has happened with the person named, or with no name the one that has just
    /// happened. A meeting still ahead is not reflected on.
    public func reflectionTarget(owner: UserKey = .local, meetingNumber: Int64? = nil, name: String? = nil, now: Date) async throws -> ReflectionTarget {
        if let meetingNumber {
            guard let meeting = try await records.meeting(id: meetingNumber, owner: owner) else { return .noSuchMeeting(meetingNumber) }
            return .meeting(meeting, earlier: meeting.reflected ? try await records.reflection(meetingID: meeting.id, owner: owner) : nil)
        }
        guard let name else {
            let waiting = try await records.awaitingReflection(owner: owner, now: now, limit: 9)
            switch waiting.count {
            case 0: return .adHoc(contactName: nil)
            case 1: return .meeting(waiting[0], earlier: nil)
            default: return .chooseMeeting(waiting, contact: nil)
            }
        }
        let contacts = try await records.contacts(matching: name, owner: owner, limit: 9)
        guard let contact = contacts.first else { return .adHoc(contactName: name) }
        guard contacts.count == 1 else { return .chooseContact(contacts, query: name) }
        let meetings = try await records.meetings(contactID: contact.id, owner: owner)
            .sorted { ($0.startsAt ?? .distantPast) > ($1.startsAt ?? .distantPast) }
        let unreflected = meetings.filter { !$0.reflected && !$0.cancelled }
        let happened = unreflected.filter { ($0.startsAt ?? .distantPast) <= now }
        if happened.count == 1 { return .meeting(happened[0], earlier: nil) }
        if happened.count > 1 { return .chooseMeeting(happened, contact: contact) }
        if let latestReflected = meetings.first(where: { $0.reflected && ($0.startsAt ?? .distantPast) <= now }),
           let earlier = try await records.reflection(meetingID: latestReflected.id, owner: owner)
        {
            return .allReflected(latest: latestReflected, earlier: earlier, contact: contact)
        }
        if let ahead = unreflected.last { return .notYet(ahead) }  // the soonest one still ahead
        return .adHoc(contactName: contact.name)
    }
}

/// A meeting after it was prepared: its cards, a new time, calling it off, and the one already
/// booked with someone.
extension MeetingService {
    /// A meeting with its reflection, for showing its cards again.
    public func cards(_ id: Int64, owner: UserKey = .local) async throws -> (meeting: Meeting, reflection: Reflection?)? {
        guard let meeting = try await records.meeting(id: id, owner: owner) else { return nil }
        return (meeting, meeting.reflected ? try await records.reflection(meetingID: id, owner: owner) : nil)
    }

    /// What became of a move.
    public enum Moved: Sendable {
        case moved(Meeting)
        case noSuchMeeting
        case unreadableDate
    }

    /// Gives a meeting the time the person typed ("friday 14:00", "in 2 weeks"); what the new
    /// time leaves out is kept (a day alone keeps the time of day).
    public func move(_ id: Int64, to text: String, owner: UserKey = .local, lexicon: Lexicon, timeZone: TimeZone, now: Date) async throws -> Moved {
        let current = try await records.meeting(id: id, owner: owner)
        let parser = AnswerParser(lexicon: lexicon, now: now, timeZone: timeZone)
        let earlier = current?.startsAt.map { SlotValue.when(WhenValue(date: $0, hasTime: current?.hasTime ?? false)) }
        guard case .success(.when(let when)) = parser.parse(InputSanitizer.clean(text), as: .when(.future), changing: earlier) else { return .unreadableDate }
        guard current != nil, let moved = try await records.moveMeeting(id: id, to: when, owner: owner, now: now) else { return .noSuchMeeting }
        return .moved(moved)
    }

    /// Calls a meeting off; nil when there is no such meeting.
    public func cancel(_ id: Int64, owner: UserKey = .local, now: Date) async throws -> Meeting? {
        try await records.cancelMeeting(id: id, owner: owner, now: now)
    }

    /// The next meeting with a contact that is still ahead (and neither reflected on nor called
    /// off) and already prepared: a second prep with them offers it. One the calendar brought in
    /// unprepared is not "booked": the prep fills it without asking.
    public func booked(with contact: Contact, owner: UserKey = .local, now: Date) async throws -> Meeting? {
        try await records.meetings(contactID: contact.id, owner: owner)
            .first { !$0.cancelled && !$0.reflected && $0.prepared && ($0.startsAt.map { $0 >= now } ?? false) }
    }
}
