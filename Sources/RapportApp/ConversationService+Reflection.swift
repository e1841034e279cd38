import Foundation
import RapportCore

/// Starting the after-the-meeting conversation: one path for the terminal and chat.
extension ConversationService {
    /// What the reflect flow knows about a prepared meeting before its first question.
    public func reflectionPrefill(for meeting: Meeting, owner: UserKey) async throws -> [String: SlotValue] {
        var slots = try await prefill(contactName: meeting.contactName, owner: owner)
        slots["contact.name"] = .name(meeting.contactName)
        slots["meeting.id"] = .number(Int(meeting.id))
        if let goal = meeting.goal { slots["meeting.goal"] = .text(goal) }
        if let start = meeting.startsAt { slots["meeting.when"] = .when(WhenValue(date: start, hasTime: meeting.hasTime)) }
        return slots
    }

    /// The answers of the reflection written before, by slot, to offer back when it is edited,
    /// with the meeting's open follow-ups as they stand now (done ones stay as they are, and a
    /// snoozed one shows its new date).
    public func rememberedReflection(_ earlier: Reflection, meeting: Meeting, owner: UserKey) async throws -> [String: SlotValue] {
        var slots: [String: SlotValue] = [:]
        if let conversationID = earlier.conversationID, let stored = try await store.conversations.conversation(id: conversationID) {
            slots = stored.state.slots
        }
        let open = try await store.records.followUps(contactID: meeting.contactID, meetingID: meeting.id, owner: owner, includeDone: false)
        for (slot, kind) in [("followups", FollowUp.Kind.action), ("referrals", .referralFeedback)] {
            let items = open.filter { $0.kind == kind }.map { SlotValue.followUp(FollowUpValue(action: $0.text, due: WhenValue(date: $0.due, hasTime: $0.hasTime))) }
            slots[slot] = items.isEmpty ? nil : .many(items)
        }
        return slots
    }

    /// Starts the reflection on a meeting (editing the earlier one when given), or, without a
    /// meeting, on one that was not prepared here.
    public func startReflection(
        on meeting: Meeting?, editing earlier: Reflection? = nil, contactName: String? = nil, owner: UserKey = .local,
        channel: ConversationChannel = .terminal, language: String? = nil, message: MessageID? = nil, render: Render? = nil, now: Date
    ) async throws -> Outcome {
        guard let meeting else {
            let prefill = try await prefill(contactName: contactName, owner: owner)
            return try await start(flowID: "reflect", prefill: prefill, owner: owner, channel: channel, language: language, message: message, render: render, now: now)
        }
        var prefill = try await reflectionPrefill(for: meeting, owner: owner)
        var remembered: [String: SlotValue] = [:]
        if let earlier {
            prefill["reflection.id"] = .number(Int(earlier.id))
            remembered = try await rememberedReflection(earlier, meeting: meeting, owner: owner)
        }
        return try await start(
            flowID: "reflect", prefill: prefill, remembered: remembered, owner: owner, channel: channel, language: language, message: message,
            render: render, now: now)
    }
}
