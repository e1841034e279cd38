import Foundation
import RapportCore

/// What is due and what was done: open follow-ups, contacts to keep warm, and the changes a
/// person makes to them (done, snooze, a note). Each reads only what it shows.
public struct FollowUpService: Sendable {
    let records: any RecordStore
    let timeZone: TimeZone
    /// The person's language, for reading the dates and names they type.
    let lexicon: @Sendable () throws -> Lexicon

    public init(records: any RecordStore, timeZone: TimeZone, lexicon: @escaping @Sendable () throws -> Lexicon) {
        self.records = records
        self.timeZone = timeZone
        self.lexicon = lexicon
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Open follow-ups and keep-in-touch dates before a moment (all when nil), soonest first,
    /// each marked due or not; at most `limit`.
    public func items(owner: UserKey = .local, now: Date, before bound: Date?, limit: Int) async throws -> [DueItem] {
        let followUps = try await records.openFollowUps(owner: owner, dueBefore: bound, limit: limit)
        let warm = try await records.keepInTouch(owner: owner, now: now, dueBefore: bound, limit: limit)
        let calendar = self.calendar
        let items = followUps.map { followUp in
            DueItem(
                kind: followUp.kind == .action ? .action : .referralFeedback, followUpID: followUp.id, contactID: followUp.contactID,
                contactName: followUp.contactName, text: followUp.text, due: followUp.due, hasTime: followUp.hasTime,
                isDue: DueSchedule.isDue(followUp.due, hasTime: followUp.hasTime, now: now, calendar: calendar), cadence: nil, lastInteraction: nil)
        } + warm.map { entry in
            DueItem(
                kind: .keepInTouch, followUpID: nil, contactID: entry.contact.id, contactName: entry.contact.name, text: "", due: entry.due,
                hasTime: false, isDue: DueSchedule.isDue(entry.due, hasTime: false, now: now, calendar: calendar), cadence: entry.cadence,
                lastInteraction: entry.lastInteraction)
        }
        return Array(items.sorted { ($0.due, $0.contactName) < ($1.due, $1.contactName) }.prefix(limit))
    }

    /// What is due now, soonest first.
    public func due(owner: UserKey = .local, now: Date, limit: Int) async throws -> [DueItem] {
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)) ?? now
        return try await items(owner: owner, now: now, before: tomorrow, limit: limit).filter(\.isDue)
    }

    /// What is due now and within the coming week.
    public func dueWithinAWeek(owner: UserKey = .local, now: Date, limit: Int) async throws -> [DueItem] {
        let weekAhead = calendar.date(byAdding: .day, value: 7, to: calendar.startOfDay(for: now)) ?? now
        return try await items(owner: owner, now: now, before: weekAhead, limit: limit)
    }

    /// Follow-ups done, most recent first.
    public func done(owner: UserKey = .local, limit: Int) async throws -> [FollowUp] {
        try await records.doneFollowUps(owner: owner, limit: limit)
    }

    /// Marks a follow-up done; nil when there is no such follow-up. `wasOpen` is false when it
    /// had been done before.
    public func markDone(_ id: Int64, owner: UserKey = .local, now: Date) async throws -> (followUp: FollowUp, wasOpen: Bool)? {
        guard let before = try await records.markDone(followUpID: id, owner: owner, now: now) else { return nil }
        return (before, before.doneAt == nil)
    }

    /// What became of a snooze.
    public enum Snoozed: Sendable {
        case moved(FollowUp)
        case noSuchFollowUp
        /// The text is not a date to come.
        case unreadableDate
    }

    /// Moves a follow-up to the date the person typed ("friday", "in 2 weeks"). What the new
    /// date leaves out is kept: a day alone keeps the time of day, a time alone the day.
    public func snooze(_ id: Int64, until text: String, owner: UserKey = .local, now: Date) async throws -> Snoozed {
        let current = try await records.followUp(id: id, owner: owner)
        let parser = AnswerParser(lexicon: try lexicon(), now: now, timeZone: timeZone)
        let earlier = current.map { SlotValue.when(WhenValue(date: $0.due, hasTime: $0.hasTime)) }
        guard case .success(.when(let due)) = parser.parse(InputSanitizer.clean(text), as: .when(.future), changing: earlier) else { return .unreadableDate }
        guard current != nil else { return .noSuchFollowUp }
        guard let moved = try await records.snooze(followUpID: id, owner: owner, until: due, now: now) else { return .noSuchFollowUp }
        return .moved(moved)
    }

    /// Moves a follow-up to a date already known (a nudge's [Snooze a week]); nil when there is no such follow-up.
    public func snooze(_ id: Int64, to due: WhenValue, owner: UserKey = .local, now: Date) async throws -> FollowUp? {
        try await records.snooze(followUpID: id, owner: owner, until: due, now: now)
    }

    /// What became of a note.
    public enum Logged: Sendable {
        /// Recorded; `isNew` when the name added a contact.
        case logged(Contact, isNew: Bool)
        /// The name finds several people; nothing was recorded.
        case several([Contact])
        /// The name finds nobody and does not look like a name.
        case notAName
    }

    /// Records a note about someone, which counts as being in touch: the person the name finds,
    /// or a new contact when it finds nobody.
    public func log(_ note: String, about name: String, owner: UserKey = .local, now: Date) async throws -> Logged {
        let query = InputSanitizer.clean(name)
        let matches = try await records.contacts(matching: query, owner: owner, limit: 10)
        if matches.count > 1 { return .several(matches) }
        var contactName = matches.first?.name
        if contactName == nil {
            guard case .success(.name(let parsed)) = AnswerParser(lexicon: try lexicon(), now: now, timeZone: timeZone).parse(query, as: .name) else {
                return .notAName
            }
            contactName = parsed
        }
        let contact = try await records.logInteraction(contactName: contactName!, note: InputSanitizer.clean(note), owner: owner, now: now)
        return .logged(contact, isNew: matches.isEmpty)
    }
}
