import Foundation

/// Who the person is in their calendar: their addresses and domains, so that a meeting with
/// someone outside them can be told from one with colleagues.
public struct OwnAddresses: Sendable, Hashable {
    /// Whole addresses, lowercased.
    public var addresses: Set<String>
    /// Domains, lowercased; a subdomain counts as the domain.
    public var domains: Set<String>

    /// From entries such as `ada@firma.se` (an address) and `firma.se` or `@firma.se` (a domain).
    public init(_ entries: [String]) {
        var addresses: Set<String> = []
        var domains: Set<String> = []
        for entry in entries.map({ $0.trimmed.lowercased() }) where !entry.isEmpty {
            if entry.hasPrefix("@") {
                domains.insert(String(entry.dropFirst()))
            } else if entry.contains("@") {
                addresses.insert(entry)
            } else {
                domains.insert(entry)
            }
        }
        self.addresses = addresses
        self.domains = domains
    }

    public var isEmpty: Bool { addresses.isEmpty && domains.isEmpty }

    /// Whether an address is one of the person's own (or of their organisation).
    public func contains(_ email: String?) -> Bool {
        // The reader gives addresses lowercased already; bytes, not graphemes, find the domain.
        guard var email else { return false }
        if email.utf8.contains(where: { $0 >= 65 && $0 <= 90 || $0 >= 128 }) { email = email.lowercased() }
        if addresses.contains(email) { return true }
        guard !domains.isEmpty, let at = email.utf8.lastIndex(of: 64) else { return false }  // @
        let domain = Substring(email.utf8[email.utf8.index(after: at)...])
        return domains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }
}

/// A meeting a calendar occurrence stands for: who it is with, when, and what the feed says
/// about it (kept in the store, never posted unless shared).
public struct CalendarMeetingDraft: Sendable, Hashable {
    /// The occurrence's key, unique in its feed.
    public var key: String
    public var uid: String
    public var start: Date
    public var end: Date
    public var title: String?
    public var description: String?
    public var location: String?
    /// The person the meeting is linked to: the first attendee from outside.
    public var contactName: String
    public var contactEmail: String?
    /// Everyone invited, as the feed lists them, organizer first.
    public var attendees: [CalendarAttendee]

    public init(
        key: String, uid: String, start: Date, end: Date, title: String?, description: String?, location: String?, contactName: String,
        contactEmail: String?, attendees: [CalendarAttendee]
    ) {
        self.key = key
        self.uid = uid
        self.start = start
        self.end = end
        self.title = title
        self.description = description
        self.location = location
        self.contactName = contactName
        self.contactEmail = contactEmail
        self.attendees = attendees
    }
}

/// Which occurrences are meetings worth preparing: inside the window, timed (not all-day), not
/// cancelled, not declined by the person, and with at least one person from outside their own
/// addresses and domains who has not declined either. Rooms, resources and lists are no one.
public struct MeetingSelection: Sendable {
    public var own: OwnAddresses

    public init(own: OwnAddresses) {
        self.own = own
    }

    public func meetings(_ occurrences: [CalendarOccurrence], in window: DateInterval) -> [CalendarMeetingDraft] {
        // A description is read from the feed's bytes once per event, and shared by its meetings.
        var descriptions: [ObjectIdentifier: String?] = [:]
        return occurrences.compactMap { occurrence in
            guard !occurrence.allDay, !occurrence.cancelled, occurrence.start >= window.start, occurrence.start < window.end else { return nil }
            let event = occurrence.event
            var everyone = event.attendees
            if let organizer = event.organizer {
                if let index = everyone.firstIndex(where: { $0.email != nil && $0.email == organizer.email }) {
                    var merged = everyone.remove(at: index)
                    merged.name = merged.name ?? organizer.name
                    everyone.insert(merged, at: 0)
                } else {
                    everyone.insert(organizer, at: 0)
                }
            }
            if everyone.contains(where: { own.contains($0.email) && $0.declined }) { return nil }
            guard let other = everyone.first(where: { $0.isPerson && !$0.declined && $0.email.map { !own.contains($0) } ?? ($0.name != nil) }) else { return nil }
            let description: String?
            if let known = descriptions[occurrence.eventIdentity] {
                description = known
            } else {
                description = event.description
                descriptions[occurrence.eventIdentity] = description
            }
            return CalendarMeetingDraft(
                key: occurrence.key, uid: event.uid, start: occurrence.start, end: occurrence.end, title: event.summary, description: description,
                location: event.location, contactName: Self.name(of: other), contactEmail: other.email, attendees: everyone)
        }
    }

    /// The attendee's name, or one made from the address: `anna.berg@firma.se` is Anna Berg.
    static func name(of attendee: CalendarAttendee) -> String {
        if let name = attendee.name?.trimmed, !name.isEmpty, !name.utf8.contains(64) || attendee.email == nil {  // @
            // Outlook and Exchange write "Berg, Anna": the person is Anna Berg.
            let parts = name.split(separator: ",").map { String($0).trimmed }
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].contains(" ") || !parts[0].contains(" ") {
                return String((parts[1] + " " + parts[0]).prefix(120))
            }
            return String(name.prefix(120))
        }
        guard let email = attendee.email ?? attendee.name, let at = email.utf8.firstIndex(of: 64) else { return attendee.name ?? "?" }
        let local = email[..<at].split(whereSeparator: { ".-_+".contains($0) }).filter { !$0.allSatisfy(\.isNumber) }
        let words = local.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return words.isEmpty ? String(email.prefix(120)) : String(words.joined(separator: " ").prefix(120))
    }
}
