import Foundation

/// How the store plans nudges for the records it writes, inside the same transaction. Pure: the
/// records and a moment in, outbox rows out. One record's nudges at a time, so a write costs the
/// same on any store.
public protocol NudgePlanning: Sendable {
    /// Changes whenever a setting that shapes the plan changes (routes, lead times, quiet hours,
    /// the time zone): the store then plans everything once more.
    var fingerprint: String { get }
    /// A meeting's reminder and "how did it go?", routed where its owner's nudges go.
    func nudges(for meeting: Meeting, owner: UserKey, now: Date) -> [OutboxDraft]
    /// An open follow-up's nudge on its due date, routed where its owner's nudges go.
    func nudges(for followUp: FollowUp, owner: UserKey, now: Date) -> [OutboxDraft]
    /// When a contact kept warm is next due, and its nudge: from the last interaction, or the day
    /// the cadence was set, counting the meetings that will have happened by then.
    func keepInTouch(_ contact: Contact, owner: UserKey, lastInteraction: Date?, meetingStarts: [Date], now: Date) -> (due: Date, nudges: [OutboxDraft])?
    /// This week's digest (of the local profile's week) key and span, when the digest is routed.
    func digestWeek(now: Date) -> DigestWeek?
    /// This week's digest from the week's meetings and the follow-ups due by its end.
    func digest(_ week: DigestWeek, meetings: [Meeting], followUps: [FollowUp], now: Date) -> OutboxDraft?
}

/// A week a digest covers, with the key its message has.
public struct DigestWeek: Sendable, Hashable {
    public var key: String
    public var interval: DateInterval

    public init(key: String, interval: DateInterval) {
        self.key = key
        self.interval = interval
    }
}
