import Foundation
import RapportCore

/// Starting a prep: one path for the terminal and chat.
extension ConversationService {
    /// Starts a prep with the person named (as stored, when the name finds one contact), or, with
    /// `editing`, the prep of a meeting already booked done again: its earlier answers are offered
    /// back (Enter keeps each) and the meeting takes the new ones.
    public func startPrep(
        contactName: String?, editing meeting: Meeting? = nil, owner: UserKey = .local, channel: ConversationChannel = .terminal,
        language: String? = nil, message: MessageID? = nil, render: Render? = nil, now: Date
    ) async throws -> Outcome {
        var prefill = try await prefill(contactName: meeting?.contactName ?? contactName, owner: owner)
        var remembered: [String: SlotValue] = [:]
        if let meeting {
            prefill["meeting.id"] = .number(Int(meeting.id))
            remembered = Self.answers(of: meeting)
        }
        return try await start(
            flowID: "prep", prefill: prefill, remembered: remembered, owner: owner, channel: channel, language: language, message: message,
            render: render, now: now)
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
