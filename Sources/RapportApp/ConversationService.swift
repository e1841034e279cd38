import Foundation
import RapportCore
import RapportStore

/// The conversation use-cases that every front end calls: load the state, run one engine step,
/// save the state and the answers (and, at the end, the records) in one transaction.
public final class ConversationService {
    public let store: RapportDatabase
    public let library: FlowLibrary
    public let language: String
    public let timeZone: TimeZone
    private var engines: [String: DialogueEngine] = [:]
    private var lexicons: [String: Lexicon] = [:]

    public init(store: RapportDatabase, library: FlowLibrary, language: String, timeZone: TimeZone) {
        self.store = store
        self.library = library
        self.language = language
        self.timeZone = timeZone
    }

    /// The same use-cases over the same store, joining the transaction that
    /// `RapportDatabase.inOneTransaction` has open rather than committing each turn on its own.
    public func joiningOpenTransactions() -> ConversationService {
        ConversationService(store: store.joiningOpenTransactions(), library: library, language: language, timeZone: timeZone)
    }

    /// What one turn produced.
    public struct Turn: Sendable {
        public var conversationID: Int64
        public var outputs: [EngineOutput]
        public var state: ConversationState
        /// The meeting stored when the conversation finished with one.
        public var meetingID: Int64?
    }

    /// A language's lexicon, read once per process (it is the largest file read at start).
    public func lexicon(language: String? = nil) throws(RapportError) -> Lexicon {
        let language = language ?? self.language
        if let lexicon = lexicons[language] { return lexicon }
        let lexicon = try library.lexicon(language: language)
        lexicons[language] = lexicon
        return lexicon
    }

    /// The engine for a flow in a language, parsed once per process.
    public func engine(flowID: String, language: String? = nil) throws(RapportError) -> DialogueEngine {
        let language = language ?? self.language
        let key = flowID + "/" + language
        if let engine = engines[key] { return engine }
        let lexicon = try self.lexicon(language: language)
        let engine = DialogueEngine(flow: try library.flow(id: flowID, lexicon: lexicon), lexicon: lexicon)
        engines[key] = engine
        return engine
    }

    /// What a new conversation knows before its first question: the user's profile as `me.*`
    /// and, when given, the contact's name.
    public func prefill(contactName: String?, userKey: String = RapportDatabase.localProfile) throws(RapportError) -> [String: SlotValue] {
        var slots: [String: SlotValue] = [:]
        for (key, value) in try wrap({ () throws(StoreError) in try store.profile(userKey: userKey) }) {
            slots["me." + key] = .text(value)
        }
        if let contactName {
            let cleaned = InputSanitizer.clean(contactName)
            if !cleaned.isEmpty {
                // A known contact keeps the spelling it was stored with.
                let known = try wrap({ () throws(StoreError) in try store.contacts(matching: cleaned) })
                slots["contact.name"] = .name(known.count == 1 ? known[0].name : cleaned)
            }
        }
        return slots
    }

    /// Starts and stores a conversation; its first question is in the outputs.
    public func start(
        flowID: String, prefill: [String: SlotValue], remembered: [String: SlotValue] = [:], channel: String = "terminal",
        userKey: String = RapportDatabase.localProfile, language: String? = nil, now: Date
    ) throws(RapportError) -> Turn {
        let engine = try engine(flowID: flowID, language: language)
        let (state, outputs) = engine.start(prefill: prefill, remembered: remembered, context: TurnContext(now: now, timeZone: timeZone))
        let id = try wrap({ () throws(StoreError) in
            try store.createConversation(state: state, channel: channel, userKey: userKey, answers: Self.recorded(outputs), now: now)
        })
        return Turn(conversationID: id, outputs: outputs, state: state, meetingID: nil)
    }

    /// Runs one event against a stored conversation and saves the result before returning.
    public func handle(_ event: ConversationEvent, conversationID: Int64, now: Date) throws(RapportError) -> Turn {
        guard let stored = try wrap({ () throws(StoreError) in try store.conversation(id: conversationID) }) else {
            throw .unknownConversation(conversationID)
        }
        var state = stored.state
        let engine = try engine(flowID: state.flowID, language: state.language)
        var context = TurnContext(now: now, timeZone: timeZone)
        if let step = state.currentStep.flatMap({ engine.flow.step($0) }), step.expect == .name {
            context.knownNames = try wrap({ () throws(StoreError) in try store.contacts() }).map(\.name)
        }
        let outputs = engine.handle(event, state: &state, context: context)
        var meetingID: Int64? = nil
        if case .finished(let card)? = outputs.last(where: { if case .finished = $0 { return true } else { return false } }) {
            let formatter = ValueFormatter(lexicon: engine.lexicon, now: now, timeZone: timeZone)
            let outcome = ConversationOutcome(state: state, card: card, formatter: formatter)
            meetingID = try wrap({ () throws(StoreError) in
                try store.finishConversation(conversationID: conversationID, state: state, answers: Self.recorded(outputs), outcome: outcome, now: now)
            })
        } else if state != stored.state || !Self.recorded(outputs).isEmpty || event == .resume {
            // A resume is saved even when nothing changed: it restarts the conversation's idle time.
            try wrap({ () throws(StoreError) in
                try store.saveTurn(conversationID: conversationID, state: state, answers: Self.recorded(outputs), now: now)
            })
        }
        return Turn(conversationID: conversationID, outputs: outputs, state: state, meetingID: meetingID)
    }

    /// Unfinished conversations of a flow (or all), newest first.
    public func openConversations(flowID: String? = nil, userKey: String = RapportDatabase.localProfile) throws(RapportError) -> [ConversationSummary] {
        try wrap({ () throws(StoreError) in try store.openConversations(flow: flowID, userKey: userKey) })
    }

    /// A step's short label, for "stopped at …" lines.
    public func label(ofStep step: String?, flowID: String) -> String? {
        guard let step, let flow = try? engine(flowID: flowID).flow else { return nil }
        return flow.step(step)?.label
    }

    private static func recorded(_ outputs: [EngineOutput]) -> [RecordedAnswer] {
        outputs.compactMap { if case .recorded(let answer) = $0 { return answer } else { return nil } }
    }
}

/// Runs a store operation, turning its error into a `RapportError`.
public func wrap<T>(_ body: () throws(StoreError) -> T) throws(RapportError) -> T {
    do {
        return try body()
    } catch {
        throw .store(error)
    }
}
