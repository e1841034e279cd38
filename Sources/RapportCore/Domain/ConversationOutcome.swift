/// The records a finished conversation produces, computed purely from its slots. The store
/// writes them in the same transaction as the conversation's last answer.
///
/// Slots map by namespace: `contact.*` to the contact, `meeting.*` to the meeting, `me.*` to the
/// user's profile. Slots of other namespaces stay in the answer log, so user flows lose nothing.
public struct ConversationOutcome: Sendable, Hashable {
    /// The contact the conversation was about, by name.
    public var contactName: String?
    /// What the conversation learned about the contact (`contact.knows_what_i_do` → `knows_what_i_do`).
    public var contactFacts: [String: String]
    /// The meeting to store, when the conversation named one.
    public var meeting: MeetingDraft?
    /// Profile entries the user wrote in this conversation (`me.pitch` → `pitch`).
    public var profile: [String: String]
    /// The end card, as printed.
    public var card: SummaryCard?

    public init(state: ConversationState, card: SummaryCard?, formatter: ValueFormatter) {
        let slots = state.slots
        let weak = state.weakSlots
        func text(_ slot: String) -> String? {
            slots[slot].flatMap { $0.isEmpty ? nil : formatter.format($0) }
        }
        func stripped(_ slot: String, namespace: String) -> String { String(slot.dropFirst(namespace.count + 1)) }

        contactName = text("contact.name")
        var facts: [String: String] = [:]
        for slot in slots.keys where slot.hasPrefix("contact.") && slot != "contact.name" {
            facts[stripped(slot, namespace: "contact")] = text(slot)
        }
        contactFacts = facts

        // Only what was answered now updates the profile, not what was prefilled from it.
        var profile: [String: String] = [:]
        for step in state.path {
            guard let answer = state.answers[step], let slot = answer.slot, slot.hasPrefix("me."), answer.value != nil else { continue }
            profile[stripped(slot, namespace: "me")] = text(slot)
        }
        self.profile = profile

        let meetingSlots = slots.keys.filter { $0.hasPrefix("meeting.") }
        if meetingSlots.isEmpty {
            meeting = nil
        } else {
            var draft = MeetingDraft()
            if case .when(let when)? = slots["meeting.when"] { draft.startsAt = when }
            draft.goal = text("meeting.goal")
            draft.goalWeak = weak.contains("meeting.goal")
            draft.whyThem = text("meeting.why_them")
            draft.give = text("meeting.give")
            draft.question = text("meeting.question")
            draft.existingContactsCould = text("meeting.existing_contacts_could")
            draft.knowsWhatIDo = text("contact.knows_what_i_do")
            // The pitch is part of the meeting only when the contact did not already know what you do.
            if slots["contact.knows_what_i_do"]?.comparable != "yes" {
                draft.pitch = text("me.pitch")
            }
            let known: Set<String> = ["meeting.when", "meeting.goal", "meeting.why_them", "meeting.give", "meeting.question", "meeting.existing_contacts_could"]
            for slot in meetingSlots where !known.contains(slot) {
                draft.extra[stripped(slot, namespace: "meeting")] = text(slot)
            }
            draft.card = card?.plainText
            meeting = draft
        }
        self.card = card
    }
}

/// A meeting about to be stored.
public struct MeetingDraft: Sendable, Hashable {
    public var startsAt: WhenValue?
    public var goal: String?
    /// The goal was accepted after the re-ask limit while still vague.
    public var goalWeak = false
    public var whyThem: String?
    public var give: String?
    public var question: String?
    public var pitch: String?
    public var knowsWhatIDo: String?
    public var existingContactsCould: String?
    /// Other `meeting.*` slots a user flow wrote.
    public var extra: [String: String] = [:]
    public var card: String?

    public init() {}
}
