/// A conversation as data: a list of steps, each asking one thing, loaded from `Prompts/*.yaml`.
/// The engine knows nothing about networking; flows and the domain mapping do.
public struct Flow: Sendable, Hashable {
    /// The flow's id (`prep`), used on the command line and in the store.
    public var id: String
    /// A short human title ("Prepare for a meeting").
    public var title: String
    /// The id of the first step.
    public var start: String
    /// The steps in file order; file order is also the default path.
    public var steps: [Step]
    /// What is shown when the conversation ends (the prep card).
    public var summary: Summary?
    /// How often a check may re-ask before the answer is accepted and marked weak.
    public var maxReasks: Int
    /// Where the flow was loaded from.
    public var location: SourceLocation

    public init(
        id: String, title: String, start: String, steps: [Step], summary: Summary?, maxReasks: Int,
        location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.start = start
        self.steps = steps
        self.summary = summary
        self.maxReasks = maxReasks
        self.location = location
    }

    /// The step with this id.
    public func step(_ id: String) -> Step? {
        steps.first { $0.id == id }
    }

    /// The step after `id` in file order, the default when no transition matches.
    public func step(after id: String) -> Step? {
        guard let index = steps.firstIndex(where: { $0.id == id }), index + 1 < steps.count else { return nil }
        return steps[index + 1]
    }
}

/// One question of a flow.
public struct Step: Sendable, Hashable {
    public var id: String
    /// A short name for the review list ("Goal").
    public var label: String
    /// The question, a template (`What do you want from {contact.name}?`).
    public var ask: String
    /// The reason behind the question, shown on `why` or `?`.
    public var why: String?
    /// Example answers shown under the question.
    public var hint: String?
    public var expect: AnswerType
    /// The slot the parsed answer is stored into.
    public var into: String?
    /// Whether `skip` (or an empty answer) may leave this step unanswered.
    public var optional: Bool
    /// Principle ids from PRINCIPLES.md that this step serves.
    public var serves: [String]
    /// When this holds on arrival, the step is passed over without asking.
    public var skipIf: Condition?
    /// Coaching rules run on a parsed answer, in order.
    public var checks: [CheckRule]
    /// Where to go next; the first matching transition wins, else the next step in the file.
    public var next: [Transition]
    /// Overrides the flow's re-ask limit for this step's checks.
    public var maxReasks: Int?
    /// Collects several answers, one per line, until an empty line or a "done" word.
    public var collect: Bool
    /// The question asked for each further answer of a collecting step.
    public var askMore: String?
    public var location: SourceLocation

    public init(
        id: String, label: String, ask: String, why: String? = nil, hint: String? = nil,
        expect: AnswerType = .text, into: String? = nil, optional: Bool = false, serves: [String] = [],
        skipIf: Condition? = nil, checks: [CheckRule] = [], next: [Transition] = [], maxReasks: Int? = nil,
        collect: Bool = false, askMore: String? = nil, location: SourceLocation
    ) {
        self.id = id
        self.label = label
        self.ask = ask
        self.why = why
        self.hint = hint
        self.expect = expect
        self.into = into
        self.optional = optional
        self.serves = serves
        self.skipIf = skipIf
        self.checks = checks
        self.next = next
        self.maxReasks = maxReasks
        self.collect = collect
        self.askMore = askMore
        self.location = location
    }
}

/// What kind of answer a step expects, and so how it is parsed.
public enum AnswerType: Sendable, Hashable {
    case text
    case name
    case when(WhenRange)
    case yesno
    case choice([ChoiceOption])
    case scale(min: Int, max: Int)
    case list
    case duration
    /// How often: "every 6 weeks", "once a month", "twice a year". Stored as the time between.
    case cadence
    /// An action and when it is due; without a date, due after the default length of time
    /// (written in the flow without words of any language: `due_default: 2 weeks`), or, with no
    /// default, asked again.
    case followUp(defaultDue: DurationValue?)

    /// The names used in flow files.
    public static let names = ["text", "name", "when", "yesno", "choice", "scale", "list", "duration", "cadence", "followup"]
}

/// Which moments a `when` answer may name.
public enum WhenRange: String, Sendable, Hashable, CaseIterable {
    case any, future, past
}

/// One option of a `choice` step: picked by its number, its value, its label or one of its words.
public struct ChoiceOption: Sendable, Hashable {
    public var value: String
    public var label: String
    public var words: [String]

    public init(value: String, label: String, words: [String] = []) {
        self.value = value
        self.label = label
        self.words = words
    }
}

/// A coaching rule: when the condition holds for an answer, say something and act.
public struct CheckRule: Sendable, Hashable {
    public var condition: Condition
    public var say: String
    public var then: CheckAction
    public var location: SourceLocation

    public init(condition: Condition, say: String, then: CheckAction, location: SourceLocation) {
        self.condition = condition
        self.say = say
        self.then = then
        self.location = location
    }
}

/// What a check does after speaking.
public enum CheckAction: Sendable, Hashable {
    /// Re-ask the step (up to the re-ask limit, then accept and mark the answer weak).
    case askAgain
    /// Keep the answer and carry on.
    case accept
    /// Keep the answer and continue at another step.
    case goto(String)
}

/// A branch: when the condition holds (or always, without one), optionally say something and go.
public struct Transition: Sendable, Hashable {
    public var condition: Condition?
    public var say: String?
    public var target: Target
    public var location: SourceLocation

    public init(condition: Condition?, say: String?, target: Target, location: SourceLocation) {
        self.condition = condition
        self.say = say
        self.target = target
        self.location = location
    }

    public enum Target: Sendable, Hashable {
        case step(String)
        case end
    }
}

/// The end card: a title and labelled lines, all templates. Lines whose slots are empty are left out.
public struct Summary: Sendable, Hashable {
    public var title: String
    public var lines: [Line]
    public var footer: String?

    public init(title: String, lines: [Line], footer: String?) {
        self.title = title
        self.lines = lines
        self.footer = footer
    }

    public struct Line: Sendable, Hashable {
        public var label: String
        public var text: String
        /// When set, the line is shown only if this holds.
        public var condition: Condition?

        public init(label: String, text: String, condition: Condition? = nil) {
            self.label = label
            self.text = text
            self.condition = condition
        }
    }
}
