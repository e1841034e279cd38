import Foundation

/// One thing that is due, or coming up: a follow-up, or a contact going cold. Shaped for a
/// listing today and for a chat nudge later.
public struct DueItem: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case action
        case referralFeedback = "referral-feedback"
        case keepInTouch = "keep-in-touch"
    }

    public var kind: Kind
    /// The follow-up's id; nil for keep-in-touch, which is met by any interaction.
    public var followUpID: Int64?
    public var contactID: Int64
    public var contactName: String
    /// The action or referral; empty for keep-in-touch.
    public var text: String
    public var due: Date
    public var hasTime: Bool
    /// Whether the moment has come (a date without a time: from the start of that day).
    public var isDue: Bool
    /// For keep-in-touch: how often, and when you were last in touch.
    public var cadence: DurationValue?
    public var lastInteraction: Date?

    public init(
        kind: Kind, followUpID: Int64?, contactID: Int64, contactName: String, text: String, due: Date, hasTime: Bool, isDue: Bool,
        cadence: DurationValue?, lastInteraction: Date?
    ) {
        self.kind = kind
        self.followUpID = followUpID
        self.contactID = contactID
        self.contactName = contactName
        self.text = text
        self.due = due
        self.hasTime = hasTime
        self.isDue = isDue
        self.cadence = cadence
        self.lastInteraction = lastInteraction
    }
}

/// Pure scheduling: given the records and a moment, what is due. No clock inside.
public enum DueSchedule {
    /// When a contact is next due: the last interaction (or, before any, the day the cadence was
    /// set) plus the cadence, in calendar days, weeks or months (31 Jan + 1 month = 28/29 Feb).
    public static func nextContact(lastInteraction: Date?, since: Date, cadence: DurationValue, calendar: Calendar) -> Date {
        let base = calendar.startOfDay(for: lastInteraction ?? since)
        switch cadence.unit {
        case .month: return calendar.date(byAdding: .month, value: cadence.amount, to: base)!
        case .week: return calendar.date(byAdding: .day, value: cadence.amount * 7, to: base)!
        case .day: return calendar.date(byAdding: .day, value: cadence.amount, to: base)!
        case .hour, .minute:
            // Less than a day is not a keep-in-touch rhythm; treat it as the next day.
            return calendar.date(byAdding: .day, value: 1, to: base)!
        }
    }

    /// When a contact is next due, counting the meetings with them: those that have happened are
    /// interactions, and one still ahead that is booked by the end of the day it would be due
    /// moves the date on from that meeting (you will have met by then). So the date stays right
    /// as time passes, without planning again when a meeting goes by.
    public static func nextContact(
        lastInteraction: Date?, since: Date, cadence: DurationValue, meetingStarts: [Date], now: Date, calendar: Calendar
    ) -> Date {
        var base = latest(lastInteraction, meetingStarts, upTo: now) ?? since
        var due = nextContact(lastInteraction: base, since: since, cadence: cadence, calendar: calendar)
        for start in meetingStarts.filter({ $0 > now }).sorted() {
            guard start < calendar.date(byAdding: .day, value: 1, to: due) ?? due else { break }
            base = start
            due = nextContact(lastInteraction: base, since: since, cadence: cadence, calendar: calendar)
        }
        return due
    }

    /// The latest of an interaction and the meetings that have started by `now`.
    public static func latest(_ interaction: Date?, _ meetingStarts: [Date], upTo now: Date) -> Date? {
        ([interaction].compactMap { $0 } + meetingStarts.filter { $0 <= now }).max()
    }

    /// Whether a due moment has come: a timed one at its time, a dated one from the start of its day.
    public static func isDue(_ due: Date, hasTime: Bool, now: Date, calendar: Calendar) -> Bool {
        hasTime ? due <= now : calendar.startOfDay(for: due) <= calendar.startOfDay(for: now)
    }

    /// The latest interaction with each contact up to `now`: meetings that have happened,
    /// reflections, logged notes and follow-ups done.
    public static func lastInteractions(meetings: [Meeting], interactions: [Interaction], now: Date) -> [Int64: Date] {
        var last: [Int64: Date] = [:]
        func note(_ contact: Int64, _ date: Date) {
            guard date <= now else { return }
            last[contact] = max(last[contact] ?? date, date)
        }
        for meeting in meetings { if let start = meeting.startsAt { note(meeting.contactID, start) } }
        for interaction in interactions { note(interaction.contactID, interaction.at) }
        return last
    }

    /// Open follow-ups and keep-in-touch dates, soonest first.
    public static func items(
        followUps: [FollowUp], contacts: [Contact], meetings: [Meeting], interactions: [Interaction], now: Date, timeZone: TimeZone
    ) -> [DueItem] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var items: [DueItem] = followUps.filter { $0.doneAt == nil }.map { followUp in
            DueItem(
                kind: followUp.kind == .action ? .action : .referralFeedback, followUpID: followUp.id, contactID: followUp.contactID,
                contactName: followUp.contactName, text: followUp.text, due: followUp.due, hasTime: followUp.hasTime,
                isDue: isDue(followUp.due, hasTime: followUp.hasTime, now: now, calendar: calendar), cadence: nil, lastInteraction: nil)
        }
        let last = lastInteractions(meetings: [], interactions: interactions, now: now)
        for contact in contacts {
            guard let cadence = contact.keepInTouch, let since = contact.keepInTouchSince else { continue }
            let starts = meetings.filter { $0.contactID == contact.id }.compactMap(\.startsAt)
            let due = nextContact(lastInteraction: last[contact.id], since: since, cadence: cadence, meetingStarts: starts, now: now, calendar: calendar)
            items.append(DueItem(
                kind: .keepInTouch, followUpID: nil, contactID: contact.id, contactName: contact.name, text: "", due: due,
                hasTime: false, isDue: isDue(due, hasTime: false, now: now, calendar: calendar), cadence: cadence,
                lastInteraction: latest(last[contact.id], starts, upTo: now)))
        }
        return items.sorted { ($0.due, $0.contactName) < ($1.due, $1.contactName) }
    }

    /// Meetings that have happened and wait for "how did it go?", most recent first.
    public static func awaitingReflection(_ meetings: [Meeting], now: Date) -> [Meeting] {
        meetings.filter { !$0.reflected && ($0.startsAt.map { $0 <= now } ?? false) }
            .sorted { ($0.startsAt ?? .distantPast) > ($1.startsAt ?? .distantPast) }
    }
}
