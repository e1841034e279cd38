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
    /// The stored meeting the conversation was about (`meeting.id`, prefilled by reflect, or by
    /// prep for a meeting from the calendar).
    public var meetingID: Int64?
    /// What this conversation answered about that stored meeting (a prep of a calendar meeting,
    /// the goal a reflection asked for): written into it rather than as a second meeting.
    public var meetingUpdate: MeetingDraft?
    /// What was learned after the meeting, from `reflection.*`.
    public var reflection: ReflectionDraft?
    /// Follow-ups from `followups` (actions) and `referrals` (referral feedback).
    public var followUps: [FollowUpDraft]
    /// A change to the contact's keep-in-touch cadence, from `contact.keep_warm` and `contact.keep_in_touch`.
    public var keepInTouch: KeepInTouchChange?

    public init(state: ConversationState, card: SummaryCard?, formatter: ValueFormatter) {
        let slots = state.slots
        let weak = state.weakSlots
        func text(_ slot: String) -> String? {
            slots[slot].flatMap { $0.isEmpty ? nil : formatter.format($0) }
        }
        func stripped(_ slot: String, namespace: String) -> String { String(slot.dropFirst(namespace.count + 1)) }

        contactName = text("contact.name")
        // Only what was answered now is learned about the contact: a fact known before and
        // prefilled (so not asked again) keeps the date it was last asked.
        var facts: [String: String] = [:]
        let structured: Set<String> = ["contact.name", "contact.keep_warm", "contact.keep_in_touch"]
        for step in state.path {
            guard let answer = state.answers[step], let slot = answer.slot, slot.hasPrefix("contact."), !structured.contains(slot), answer.value != nil else { continue }
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

        if case .number(let id)? = slots["meeting.id"] { meetingID = Int64(id) } else { meetingID = nil }
        let meetingSlots = slots.keys.filter { $0.hasPrefix("meeting.") && $0 != "meeting.id" }
        let answeredMeetingSlots = Set(state.path.compactMap { state.answers[$0]?.slot }.filter { $0.hasPrefix("meeting.") && slots[$0] != nil })
        let isReflection = slots.keys.contains { $0.hasPrefix("reflection.") && $0 != "reflection.id" }
        func draft(only answered: Set<String>?) -> MeetingDraft {
            func value(_ slot: String) -> String? { answered.map { $0.contains(slot) } ?? true ? text(slot) : nil }
            var draft = MeetingDraft()
            if case .when(let when)? = slots["meeting.when"], answered.map({ $0.contains("meeting.when") }) ?? true { draft.startsAt = when }
            draft.goal = value("meeting.goal")
            draft.goalWeak = draft.goal != nil && weak.contains("meeting.goal")
            draft.whyThem = value("meeting.why_them")
            draft.give = value("meeting.give")
            draft.question = value("meeting.question")
            draft.existingContactsCould = value("meeting.existing_contacts_could")
            let known: Set<String> = ["meeting.when", "meeting.goal", "meeting.why_them", "meeting.give", "meeting.question", "meeting.existing_contacts_could"]
            for slot in meetingSlots where !known.contains(slot) && (answered?.contains(slot) ?? true) {
                draft.extra[stripped(slot, namespace: "meeting")] = text(slot)
            }
            guard !isReflection else { return draft }
            draft.knowsWhatIDo = text("contact.knows_what_i_do")
            // The pitch is part of the meeting only when the contact did not already know what you do.
            if slots["contact.knows_what_i_do"]?.comparable != "yes" {
                draft.pitch = text("me.pitch")
            }
            draft.card = card?.plainText
            return draft
        }
        if meetingSlots.isEmpty || meetingID != nil {
            meeting = nil
        } else {
            meeting = draft(only: nil)
        }
        meetingUpdate = meetingID != nil && !answeredMeetingSlots.isEmpty ? draft(only: answeredMeetingSlots) : nil
        self.card = card

        let reflectionSlots = slots.keys.filter { $0.hasPrefix("reflection.") && $0 != "reflection.id" }
        if reflectionSlots.isEmpty {
            reflection = nil
        } else {
            var draft = ReflectionDraft()
            if case .number(let id)? = slots["reflection.id"] { draft.replacing = Int64(id) }
            // Choices are stored by value ("partly"), not by their label.
            draft.goalReached = slots["reflection.goal_reached"]?.comparable
            draft.outcome = text("reflection.outcome")
            draft.gave = text("reflection.gave")
            draft.got = text("reflection.got")
            draft.worthIt = slots["reflection.worth_it"]?.comparable
            draft.card = card?.plainText
            reflection = draft
        }

        var followUps: [FollowUpDraft] = []
        for (slot, kind) in [("followups", FollowUp.Kind.action), ("referrals", .referralFeedback)] {
            guard case .many(let items)? = slots[slot] else { continue }
            for case .followUp(let item) in items {
                followUps.append(FollowUpDraft(kind: kind, text: item.action, due: item.due))
            }
        }
        self.followUps = followUps

        switch (slots["contact.keep_warm"], slots["contact.keep_in_touch"]) {
        case (.bool(false)?, _): keepInTouch = .clear
        case (_, .duration(let cadence)?): keepInTouch = .set(cadence)
        default: keepInTouch = nil
        }
    }
}

/// A reflection about to be stored.
public struct ReflectionDraft: Sendable, Hashable {
    /// The earlier reflection this one replaces, when the user edits it.
    public var replacing: Int64?
    public var goalReached: String?
    public var outcome: String?
    public var gave: String?
    public var got: String?
    public var worthIt: String?
    public var card: String?

    public init() {}
}

/// A follow-up about to be stored.
public struct FollowUpDraft: Sendable, Hashable {
    public var kind: FollowUp.Kind
    public var text: String
    public var due: WhenValue

    public init(kind: FollowUp.Kind, text: String, due: WhenValue) {
        self.kind = kind
        self.text = text
        self.due = due
    }
}

/// What a conversation decided about keeping in touch.
public enum KeepInTouchChange: Sendable, Hashable {
    case set(DurationValue)
    case clear
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
