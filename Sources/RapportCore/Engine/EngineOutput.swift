/// What the engine asks its caller to do after a turn: say things, persist an answer, end.
public enum EngineOutput: Sendable, Hashable {
    /// Ask a step's question.
    case ask(Question)
    /// Say something that is not a question.
    case say(Utterance)
    /// An answer was accepted: append it to the answer log.
    case recorded(RecordedAnswer)
    /// The conversation reached its end; the card is its summary.
    case finished(SummaryCard?)
    case paused
    case cancelled
}

/// A step's question as shown.
public struct Question: Sendable, Hashable {
    public var stepID: String
    public var text: String
    /// Examples or options, shown under the question.
    public var hint: String?
    /// The earlier answer, kept when the user just presses Enter (after `back`).
    public var previous: String?
    /// The answers that can be given with one press (choice, yes/no and short scale steps), for
    /// front ends with buttons; empty when the answer is typed.
    public var choices: [QuestionChoice]

    public init(stepID: String, text: String, hint: String? = nil, previous: String? = nil, choices: [QuestionChoice] = []) {
        self.stepID = stepID
        self.text = text
        self.hint = hint
        self.previous = previous
        self.choices = choices
    }
}

/// Things the engine says besides questions; the front end picks a style for each kind.
public enum Utterance: Sendable, Hashable {
    /// Coaching from a check or a branch: pushes back or advises.
    case coach(String)
    /// A neutral remark ("Skipped.").
    case note(String)
    /// The answer could not be used; says what would work.
    case problem(String)
    /// The reason behind the current question.
    case why(String)
    /// The answers so far, as label and value.
    case review([ReviewItem])
}

public struct ReviewItem: Sendable, Hashable {
    public var label: String
    public var value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }
}

/// An accepted answer, for the append-only answer log.
public struct RecordedAnswer: Sendable, Hashable {
    public var stepID: String
    public var slot: String?
    public var raw: String
    public var value: SlotValue?
    public var weak: Bool

    public init(stepID: String, slot: String?, raw: String, value: SlotValue?, weak: Bool) {
        self.stepID = stepID
        self.slot = slot
        self.raw = raw
        self.value = value
        self.weak = weak
    }
}

/// The end card of a conversation: a title and labelled lines worth reading in the lift.
public struct SummaryCard: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var label: String
        public var text: String

        public init(label: String, text: String) {
            self.label = label
            self.text = text
        }
    }

    public var title: String
    public var lines: [Line]
    public var footer: String?

    public init(title: String, lines: [Line], footer: String?) {
        self.title = title
        self.lines = lines
        self.footer = footer
    }

    /// The card as plain text, as stored and as printed without colours.
    public var plainText: String {
        let width = lines.map(\.label.count).max() ?? 0
        var text = title + "\n"
        for line in lines {
            text += "  " + line.label + ":" + String(repeating: " ", count: width - line.label.count + 1) + line.text + "\n"
        }
        if let footer { text += footer + "\n" }
        return text
    }
}
