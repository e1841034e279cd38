import Foundation

/// Everything the engine needs to continue a conversation, saved after every turn (as JSON) so a
/// conversation can resume in another process, from the terminal or from chat.
public struct ConversationState: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        case active, paused, finished, cancelled
    }

    /// One step's answer. `value` is nil for a skipped optional step.
    public struct Answer: Codable, Sendable, Hashable {
        public var raw: String
        public var value: SlotValue?
        /// Accepted after the re-ask limit although a check still objected.
        public var weak: Bool
        public var slot: String?

        public init(raw: String, value: SlotValue?, weak: Bool, slot: String?) {
            self.raw = raw
            self.value = value
            self.weak = weak
            self.slot = slot
        }
    }

    public var flowID: String
    public var language: String
    public var status: Status
    /// The step being asked; nil once finished.
    public var currentStep: String?
    /// The steps answered or skipped, in order: the road taken, which `back` walks.
    public var path: [String]
    /// Answers by step id. An answer of a step no longer on the path is kept, so walking forward
    /// again can offer it back.
    public var answers: [String: Answer]
    /// Slots known before the conversation started (the contact's name, the saved pitch).
    public var prefill: [String: SlotValue]
    /// How often the current step has been re-asked by a check.
    public var attempts: Int
    /// Waiting for yes/no after `cancel`.
    public var confirmingCancel: Bool
    /// An answer offered back for a typo ("did you mean tomorrow 2pm?"): a yes takes it.
    public var suggestion: String?
    /// The last line a collecting step refused: the Enter that follows it does not drop it unsaid.
    public var refusedLine: String?

    public init(flowID: String, language: String, prefill: [String: SlotValue]) {
        self.flowID = flowID
        self.language = language
        self.status = .active
        self.currentStep = nil
        self.path = []
        self.answers = [:]
        self.prefill = prefill
        self.attempts = 0
        self.confirmingCancel = false
    }

    /// The slots as they stand: prefill, then the answers along the path in order.
    public var slots: [String: SlotValue] {
        var slots = prefill
        for step in path {
            if let answer = answers[step], let slot = answer.slot, let value = answer.value {
                slots[slot] = value
            }
        }
        return slots
    }

    /// Slots whose answer was accepted as weak.
    public var weakSlots: Set<String> {
        Set(path.compactMap { step in answers[step].flatMap { $0.weak ? $0.slot : nil } })
    }

    /// Whether the conversation can still take answers or be resumed.
    public var isOpen: Bool { status == .active || status == .paused }
}

/// What happens to a conversation: one line of input, or the input ending.
public enum ConversationEvent: Sendable, Hashable {
    /// A line the user typed (cleaned inside the engine).
    case answer(String)
    /// A line that was not valid UTF-8.
    case unreadableInput
    /// The input ended (EOF): the conversation is paused.
    case endOfInput
    /// Coming back to a paused (or, in chat, long idle) conversation.
    case resume
}

/// The moment and place a turn happens in; the engine never reads a clock.
public struct TurnContext: Sendable {
    public var now: Date
    public var timeZone: TimeZone
    /// Names of people already known, so "anna" can be read as the stored "Anna Berg".
    public var knownNames: [String]

    public init(now: Date, timeZone: TimeZone, knownNames: [String] = []) {
        self.now = now
        self.timeZone = timeZone
        self.knownNames = knownNames
    }
}
