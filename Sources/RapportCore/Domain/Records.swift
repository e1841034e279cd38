import Foundation

/// A person the user meets, as stored.
public struct Contact: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    /// "yes", "partly" or "no", from the latest conversation that asked.
    public var knowsWhatIDo: String?
    /// How often to be in touch, when the contact is worth keeping warm.
    public var keepInTouch: DurationValue?
    /// When the cadence was set: the clock's start before any interaction.
    public var keepInTouchSince: Date?
    /// When `knowsWhatIDo` was last answered, so a recent answer is not asked for again.
    public var knowsWhatIDoAt: Date?
    public var createdAt: Date

    public init(
        id: Int64, name: String, knowsWhatIDo: String?, keepInTouch: DurationValue? = nil, keepInTouchSince: Date? = nil,
        knowsWhatIDoAt: Date? = nil, createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.knowsWhatIDo = knowsWhatIDo
        self.keepInTouch = keepInTouch
        self.keepInTouchSince = keepInTouchSince
        self.knowsWhatIDoAt = knowsWhatIDoAt
        self.createdAt = createdAt
    }
}

/// A prepared meeting, as stored.
public struct Meeting: Sendable, Hashable, Codable {
    public var id: Int64
    public var contactID: Int64
    public var contactName: String
    public var startsAt: Date?
    public var hasTime: Bool
    public var goal: String?
    public var goalWeak: Bool
    public var whyThem: String?
    public var give: String?
    public var question: String?
    public var pitch: String?
    public var knowsWhatIDo: String?
    public var existingContactsCould: String?
    public var card: String?
    /// Whether a reflection has been written for it.
    public var reflected: Bool
    public var createdAt: Date
    /// The calendar occurrence it came from, when it came from a feed.
    public var calendarEventID: Int64?
    /// The event's title, as the calendar has it (private: posted only when shared).
    public var calendarTitle: String?
    /// Called off (`rapport meeting N cancel`), or cancelled in its calendar (or its feed
    /// removed): kept with its prep, but nothing is planned or asked about it.
    public var cancelled: Bool

    public init(
        id: Int64, contactID: Int64, contactName: String, startsAt: Date?, hasTime: Bool, goal: String?, goalWeak: Bool,
        whyThem: String?, give: String?, question: String?, pitch: String?, knowsWhatIDo: String?,
        existingContactsCould: String?, card: String?, reflected: Bool = false, cancelled: Bool = false, createdAt: Date,
        calendarEventID: Int64? = nil, calendarTitle: String? = nil
    ) {
        self.id = id
        self.contactID = contactID
        self.contactName = contactName
        self.startsAt = startsAt
        self.hasTime = hasTime
        self.goal = goal
        self.goalWeak = goalWeak
        self.whyThem = whyThem
        self.give = give
        self.question = question
        self.pitch = pitch
        self.knowsWhatIDo = knowsWhatIDo
        self.existingContactsCould = existingContactsCould
        self.card = card
        self.reflected = reflected
        self.cancelled = cancelled
        self.createdAt = createdAt
        self.calendarEventID = calendarEventID
        self.calendarTitle = calendarTitle
    }

    /// Whether it came from a calendar.
    public var fromCalendar: Bool { calendarEventID != nil }
    /// Whether a prep was done for it (a calendar meeting starts without one).
    public var prepared: Bool { goal != nil || card != nil }
}

/// An unfinished or finished conversation, as listed.
public struct ConversationSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var flowID: String
    public var status: ConversationState.Status
    /// The step it stopped at, when unfinished.
    public var currentStep: String?
    /// The contact it is about, when known yet.
    public var contactName: String?
    public var updatedAt: Date

    public init(id: Int64, flowID: String, status: ConversationState.Status, currentStep: String?, contactName: String?, updatedAt: Date) {
        self.id = id
        self.flowID = flowID
        self.status = status
        self.currentStep = currentStep
        self.contactName = contactName
        self.updatedAt = updatedAt
    }
}
