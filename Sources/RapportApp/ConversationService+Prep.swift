import Foundation
import RapportCore

/// Starting a prep: one path for the terminal and chat.
extension ConversationService {
    /// How long an answer to "does this person know what you do?" is taken as still true: a
    /// prep within it does not ask again.
    public static let knowsWhatIDoKeeps: TimeInterval = 90 * 24 * 3600

    /// Starts a prep with the person named (as stored, when the name finds one contact), or, with
    /// `editing`, the prep of a meeting already booked done again: its earlier answers are offered
    /// back (Enter keeps each) and the meeting takes the new ones. With someone met before, it
    /// opens with last time and does not ask what is already known.
    public func startPrep(
        contactName: String?, editing meeting: Meeting? = nil, owner: UserKey = .local, channel: ConversationChannel = .terminal,
        language: String? = nil, message: MessageID? = nil, render: Render? = nil, now: Date
    ) async throws -> Outcome {
        let found = try await prefillFindingContact(contactName: meeting?.contactName ?? contactName, owner: owner)
        var prefill = found.slots
        var remembered: [String: SlotValue] = [:]
        if let meeting {
            prefill["meeting.id"] = .number(Int(meeting.id))
            remembered = Self.answers(of: meeting)
        }
        var opening: [Utterance] = []
        if let contact = found.contact {
            // One read of the meetings with this person: the one the calendar booked and last time are both among them.
            let meetings = try await store.records.meetings(contactID: contact.id, owner: owner)
            if meeting == nil { Self.prefill(&prefill, booked: Meeting.toPrepare(among: meetings, from: now)) }
            if let knows = contact.knowsWhatIDo, let asked = contact.knowsWhatIDoAt, now.timeIntervalSince(asked) < Self.knowsWhatIDoKeeps {
                prefill["contact.knows_what_i_do"] = .choice(knows)
            }
            let preparing: Int64? = meeting?.id ?? { if case .number(let id)? = prefill["meeting.id"] { return Int64(id) } else { return nil } }()
            if let last = LastTime.recalledMeeting(among: meetings, now: now, excluding: preparing) {
                // Someone met before is one of your current contacts already: the question whether
                // those could get you this is for a new person (and for the goal flow).
                prefill["contact.met_before"] = .bool(true)
                let recalled = LastTime(
                    meeting: last, reflection: last.reflected ? try await store.records.reflection(meetingID: last.id, owner: owner) : nil,
                    openFollowUps: try await store.records.followUps(contactID: contact.id, meetingID: nil, owner: owner, includeDone: false))
                let formatter = ValueFormatter(lexicon: try lexicon(language: language), now: now, timeZone: timeZone)
                opening = recalled.lines(lexicon: try lexicon(language: language), formatter: formatter).map(Utterance.note)
            }
        }
        return try await start(
            flowID: "prep", prefill: prefill, remembered: remembered, opening: opening, owner: owner, channel: channel, language: language,
            message: message, render: render, now: now)
    }

    /// A stored meeting's prep answers by slot, as they stand now (a moved meeting's new time).
    static func answers(of meeting: Meeting) -> [String: SlotValue] {
        var slots: [String: SlotValue] = [:]
        if let start = meeting.startsAt { slots["meeting.when"] = .when(WhenValue(date: start, hasTime: meeting.hasTime)) }
        let texts: [(String, String?)] = [
            ("meeting.goal", meeting.goal), ("meeting.why_them", meeting.whyThem), ("meeting.give", meeting.give), ("meeting.question", meeting.question),
        ]
        for (slot, text) in texts { if let text { slots[slot] = .text(text) } }
        if let could = meeting.existingContactsCould { slots["meeting.existing_contacts_could"] = .choice(could) }
        if let knows = meeting.knowsWhatIDo { slots["contact.knows_what_i_do"] = .choice(knows) }
        return slots
    }
}
