import Foundation
import RapportCore
import RapportStore

/// The after-the-meeting use-cases: what reflect starts from, and what is due.
extension ConversationService {
    /// What the reflect flow knows about a prepared meeting before its first question.
    public func reflectionPrefill(for meeting: Meeting, userKey: String = RapportDatabase.localProfile) throws(RapportError) -> [String: SlotValue] {
        var slots = try prefill(contactName: meeting.contactName, userKey: userKey)
        slots["contact.name"] = .name(meeting.contactName)
        slots["meeting.id"] = .number(Int(meeting.id))
        if let goal = meeting.goal { slots["meeting.goal"] = .text(goal) }
        if let start = meeting.startsAt { slots["meeting.when"] = .when(WhenValue(date: start, hasTime: meeting.hasTime)) }
        return slots
    }

    /// The answers of the reflection already written for a meeting, by slot, to offer back when
    /// it is edited; empty when there is none.
    public func rememberedReflection(for meeting: Meeting) throws(RapportError) -> [String: SlotValue] {
        guard let reflection = try wrap({ () throws(StoreError) in try store.reflection(meetingID: meeting.id) }),
            let conversationID = reflection.conversationID,
            let stored = try wrap({ () throws(StoreError) in try store.conversation(id: conversationID) })
        else { return [:] }
        return stored.state.slots
    }

    /// Open follow-ups and keep-in-touch dates, soonest first, each marked due or not. The local
    /// profile owns the store and sees everything; any other chat user sees the follow-ups of the
    /// meetings their own conversations wrote (keep-in-touch dates belong to the store's owner).
    public func dueItems(now: Date, userKey: String = RapportDatabase.localProfile) throws(RapportError) -> [DueItem] {
        try wrap { () throws(StoreError) in
            guard userKey != RapportDatabase.localProfile else {
                return DueSchedule.items(
                    followUps: try store.followUps(), contacts: try store.contacts(), meetings: try store.meetings(),
                    interactions: try store.interactions(), now: now, timeZone: timeZone)
            }
            let own = try store.meetingIDs(writtenBy: userKey)
            return DueSchedule.items(
                followUps: try store.followUps().filter { $0.meetingID.map(own.contains) ?? false }, contacts: [],
                meetings: try store.meetings().filter { own.contains($0.id) }, interactions: [], now: now, timeZone: timeZone)
        }
    }

    /// Meetings that have happened and have no reflection yet, most recent first; for a chat
    /// user other than the local profile, only the meetings their conversations wrote.
    public func awaitingReflection(now: Date, userKey: String = RapportDatabase.localProfile) throws(RapportError) -> [Meeting] {
        try wrap { () throws(StoreError) in
            var meetings = try store.meetings()
            if userKey != RapportDatabase.localProfile {
                let own = try store.meetingIDs(writtenBy: userKey)
                meetings = meetings.filter { own.contains($0.id) }
            }
            return DueSchedule.awaitingReflection(meetings, now: now)
        }
    }
}
