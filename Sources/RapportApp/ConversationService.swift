import Foundation
import RapportCore

/// The conversation use-cases that every front end calls: start one, and run one event against
/// it. A turn is computed purely from the state read and committed as one value; when another
/// front end committed first, the turn is not stored against a question the person never saw.
public final class ConversationService: @unchecked Sendable {
    // @unchecked: the two caches are only touched under `lock`.
    public let store: StorePorts
    public let library: FlowLibrary
    public let language: String
    /// The time zone dates are read and said in: the chat user's own while their turn runs
    /// (`personTimeZone`), else the configured one.
    public var timeZone: TimeZone { Self.personTimeZone ?? configuredTimeZone }
    public let configuredTimeZone: TimeZone
    /// The time zone of the person whose turn this task runs, when their platform said it. A
    /// task-local, so the one turn that knows it does not thread it through every use-case.
    @TaskLocal public static var personTimeZone: TimeZone?
    private let lock = NSLock()
    private var engines: [String: DialogueEngine] = [:]
    private var lexicons: [String: Lexicon] = [:]

    public init(store: StorePorts, library: FlowLibrary, language: String, timeZone: TimeZone) {
        self.store = store
        self.library = library
        self.language = language
        configuredTimeZone = timeZone
    }

    /// What one turn produced.
    public struct Turn: Sendable {
        /// The conversation as it now stands (its version is the one the person has seen).
        public var conversation: StoredConversation
        public var outputs: [EngineOutput]
        /// The meeting stored when the conversation finished with one.
        public var meetingID: Int64?
        /// Whether the answer was not taken because the conversation had moved on elsewhere.
        public var movedOn: Bool

        public var conversationID: Int64 { conversation.id }
        public var state: ConversationState { conversation.state }
        /// What the person has seen of the conversation after this turn.
        public var seen: Seen { Seen(version: conversation.version, step: conversation.state.currentStep) }
    }

    /// The question a person answers: the version and step of the conversation they were shown.
    public struct Seen: Sendable, Hashable {
        public var version: Int
        public var step: String?

        public init(version: Int, step: String?) {
            self.version = version
            self.step = step
        }
    }

    /// A turn, or the reply a retried chat message already got.
    public enum Outcome: Sendable {
        case turn(Turn)
        case replay(String)
    }

    /// Renders what a chat message is answered, so it can be stored with the turn it caused: the
    /// reply as stored for a retry, and the outbox messages that post it (when it is posted later).
    /// `committing` is the conversation and the version this turn commits as, which a question's
    /// buttons carry (for a conversation's first turn, whose id the store has yet to give, its start).
    public typealias Render = @Sendable (_ outputs: [EngineOutput], _ state: ConversationState, _ committing: Committing?)
        -> (reply: String, deliveries: [OutboxDraft])

    /// The conversation and version a turn is committed as.
    public struct Committing: Sendable, Hashable {
        /// 0 while the conversation is being started (`startedAt` says which then).
        public var conversationID: Int64
        public var version: Int
        /// For a conversation's first turn: when it is started (`ChatButtons.mark`).
        public var startedAt: Int64? = nil
    }

    /// A language's lexicon, read once per process (it is the largest file read at start).
    public func lexicon(language: String? = nil) throws -> Lexicon {
        let language = language ?? self.language
        if let lexicon = lock.withLock({ lexicons[language] }) { return lexicon }
        let lexicon = try library.lexicon(language: language)
        lock.withLock { lexicons[language] = lexicon }
        return lexicon
    }

    /// The engine for a flow in a language, parsed once per process.
    public func engine(flowID: String, language: String? = nil) throws -> DialogueEngine {
        let language = language ?? self.language
        let key = flowID + "/" + language
        if let engine = lock.withLock({ engines[key] }) { return engine }
        let lexicon = try self.lexicon(language: language)
        let engine = DialogueEngine(flow: try library.flow(id: flowID, lexicon: lexicon), lexicon: lexicon)
        lock.withLock { engines[key] = engine }
        return engine
    }

    /// What a new conversation knows before its first question: the owner's profile as `me.*`
    /// and, when given, the contact's name (as stored, when the name finds one contact).
    public func prefill(contactName: String?, owner: UserKey) async throws -> [String: SlotValue] {
        try await prefillFindingContact(contactName: contactName, owner: owner).slots
    }

    /// What a new prep knows: as `prefill`, and when the person named has a meeting ahead from
    /// the calendar that is not prepared yet, that meeting and its time, so the prep fills it
    /// (and does not ask when) rather than writing a second one.
    public func prepPrefill(contactName: String?, owner: UserKey, now: Date) async throws -> [String: SlotValue] {
        try await prepPrefillFindingContact(contactName: contactName, owner: owner, now: now).slots
    }

    /// A prefill and the one stored contact its name found, if it found one: the contact is
    /// looked up once per new conversation, however many things want it.
    struct ContactPrefill {
        var slots: [String: SlotValue]
        var contact: Contact?
    }

    func prefillFindingContact(contactName: String?, owner: UserKey) async throws -> ContactPrefill {
        let cleaned = contactName.map(InputSanitizer.clean).flatMap { $0.isEmpty ? nil : $0 }
        let read = try await store.records.profile(owner: owner, contactsMatching: cleaned, limit: 2)
        var prefill = ContactPrefill(slots: [:])
        for (key, value) in read.profile {
            prefill.slots["me." + key] = .text(value)
        }
        if let cleaned {
            prefill.contact = read.contacts.count == 1 ? read.contacts[0] : nil
            prefill.slots["contact.name"] = .name(prefill.contact?.name ?? cleaned)
        }
        return prefill
    }

    func prepPrefillFindingContact(contactName: String?, owner: UserKey, now: Date) async throws -> ContactPrefill {
        var prefill = try await prefillFindingContact(contactName: contactName, owner: owner)
        if let contact = prefill.contact {
            Self.prefill(&prefill.slots, booked: Meeting.toPrepare(among: try await store.records.meetings(contactID: contact.id, owner: owner), from: now))
        }
        return prefill
    }

    /// A prep of a meeting the calendar booked fills that meeting, at its time, and does not ask when.
    static func prefill(_ slots: inout [String: SlotValue], booked meeting: Meeting?) {
        guard let meeting, let start = meeting.startsAt else { return }
        slots["meeting.id"] = .number(Int(meeting.id))
        slots["meeting.when"] = .when(WhenValue(date: start, hasTime: meeting.hasTime))
    }

    /// Starts and stores a conversation; its first question is in the outputs. A `message` (the
    /// chat message that asked for it) is claimed with it, so a retry gets the same reply.
    public func start(
        flowID: String, prefill: [String: SlotValue], remembered: [String: SlotValue] = [:], opening: [Utterance] = [], owner: UserKey,
        channel: ConversationChannel, language: String? = nil, message: MessageID? = nil, render: Render? = nil, now: Date
    ) async throws -> Outcome {
        let engine = try engine(flowID: flowID, language: language)
        let (state, started) = engine.start(prefill: prefill, remembered: remembered, context: TurnContext(now: now, timeZone: timeZone))
        let outputs = opening.map(EngineOutput.say) + started
        let processed = message.flatMap { id in render.map { render in
                // Its id is the store's to give: its first question's buttons name it by its start.
                let rendered = render(outputs, state, Committing(conversationID: 0, version: 1, startedAt: ChatButtons.mark(now)))
                return ProcessedMessage(id: id, reply: rendered.reply, deliveries: rendered.deliveries)
            } }
        let start = ConversationStart(owner: owner, channel: channel, state: state, answers: Self.recorded(outputs), message: processed, now: now)
        switch try await store.conversations.start(start) {
        case .committed(let conversation, _):
            return .turn(Turn(conversation: conversation, outputs: outputs, meetingID: nil, movedOn: false))
        case .alreadyProcessed(let reply):
            return .replay(reply)
        case .stale:
            throw RapportError.unknownConversation(0)
        }
    }

    /// Starts a conversation for a front end that has no retries to answer (the terminal).
    public func start(
        flowID: String, prefill: [String: SlotValue], remembered: [String: SlotValue] = [:], owner: UserKey = .local,
        channel: ConversationChannel = .terminal, language: String? = nil, now: Date
    ) async throws -> Turn {
        guard case .turn(let turn) = try await start(
            flowID: flowID, prefill: prefill, remembered: remembered, owner: owner, channel: channel, language: language, message: nil, render: nil, now: now)
        else { throw RapportError.unknownConversation(0) }
        return turn
    }

    /// Runs one event against a stored conversation and commits the result before returning.
    ///
    /// - Parameters:
    ///   - seen: the question the person answered; nil for a front end that keeps nothing between
    ///     messages (chat), whose answer counts only when it was the last to show the question.
    ///   - exactly: the answer counts only at the version seen (a button pressed on a question
    ///     asked again since is old), not at any version still asking the same step.
    ///   - message: the chat message this is, claimed with the turn; a retry gets `.replay`.
    ///   - read: the conversation as the caller has just read it, so the first try does not read it twice.
    public func handle(
        _ event: ConversationEvent, conversationID: Int64, owner: UserKey = .local, channel: ConversationChannel = .terminal,
        seen: Seen? = nil, exactly: Bool = false, message: MessageID? = nil, render: Render? = nil, read: StoredConversation? = nil, now: Date
    ) async throws -> Outcome {
        let outcome = try await perform(
            event, conversationID: conversationID, owner: owner, channel: channel, seen: seen, exactly: exactly, message: message, render: render,
            read: read, remembered: false, now: now)
        guard let outcome else { throw RapportError.busyConversation(conversationID) }
        return outcome
    }

    /// As `handle`, on a conversation remembered from an earlier turn rather than read now (a
    /// chat server's last turn with its owner): committed only while it is still its owner's
    /// newest open conversation at that version; nil, with nothing written, when it is not, so
    /// the caller reads and decides again. Saves a turn its read when nothing moved on since.
    public func handle(
        _ event: ConversationEvent, remembered: StoredConversation, channel: ConversationChannel, message: MessageID?, render: Render?, now: Date
    ) async throws -> Outcome? {
        try await perform(
            event, conversationID: remembered.id, owner: remembered.owner, channel: channel, seen: nil, exactly: false, message: message, render: render,
            read: remembered, remembered: true, now: now)
    }

    private func perform(
        _ event: ConversationEvent, conversationID: Int64, owner: UserKey, channel: ConversationChannel,
        seen: Seen?, exactly: Bool, message: MessageID?, render: Render?, read: StoredConversation?, remembered: Bool, now: Date
    ) async throws -> Outcome? {
        var basis = seen
        var preread = read.flatMap { $0.id == conversationID ? $0 : nil }
        // A stale commit means another front end committed in between: read again and decide again.
        for _ in 0..<8 {
            let current = if let preread { preread } else { try await store.conversations.conversation(id: conversationID) }
            preread = nil
            guard let stored = current, stored.owner == owner else {
                throw RapportError.unknownConversation(conversationID)
            }
            if let message, let reply = try await store.conversations.processedReply(message, sender: owner) {
                return .replay(reply)
            }
            let engine = try self.engine(flowID: stored.state.flowID, language: stored.state.language)
            let shown = basis ?? (stored.lastChannel == channel ? Seen(version: stored.version, step: stored.state.currentStep) : nil)
            basis = shown
            var state = stored.state
            var outputs: [EngineOutput]
            var wentOn = false
            if Self.answers(event), let moved = movedOn(stored, shown: shown, exactly: exactly, engine: engine, now: now) {
                (state, outputs, wentOn) = (moved.state, moved.outputs, true)
                if !stored.state.isOpen { return .turn(Turn(conversation: stored, outputs: outputs, meetingID: nil, movedOn: true)) }
            } else {
                var context = TurnContext(now: now, timeZone: timeZone)
                if case .answer(let text) = event, let step = state.currentStep.flatMap({ engine.flow.step($0) }), step.expect == .name {
                    // Only the contacts this answer could name, found through the name index.
                    context.knownNames = try await store.records.contacts(matching: InputSanitizer.clean(text), owner: owner, limit: 5).map(\.name)
                }
                outputs = engine.handle(event, state: &state, context: context)
            }
            var outcome: ConversationOutcome?
            if let card = Self.finishedCard(outputs) {
                outcome = ConversationOutcome(state: state, card: card, formatter: ValueFormatter(lexicon: engine.lexicon, now: now, timeZone: timeZone))
            }
            let processed = message.flatMap { id in render.map { render in
                let rendered = render(outputs, state, Committing(conversationID: conversationID, version: stored.version + 1))
                return ProcessedMessage(id: id, reply: rendered.reply, deliveries: rendered.deliveries)
            } }
            let turn = TurnCommit(
                conversationID: conversationID, owner: owner, readVersion: stored.version, channel: channel, state: state,
                answers: Self.recorded(outputs), outcome: outcome, message: processed, onlyIfNewest: remembered, now: now)
            switch try await store.conversations.commit(turn) {
            case .committed(let conversation, let meetingID):
                return .turn(Turn(conversation: conversation, outputs: outputs, meetingID: meetingID, movedOn: wentOn))
            case .alreadyProcessed(let reply):
                return .replay(reply)
            case .stale:
                // A remembered conversation that moved on is the caller's to read again: it may
                // no longer be the one this message answers.
                if remembered { return nil }
                continue
            }
        }
        return nil
    }

    /// Runs one event for a front end that has no retries to answer (the terminal).
    public func handle(_ event: ConversationEvent, conversationID: Int64, seen: Seen?, now: Date) async throws -> Turn {
        guard case .turn(let turn) = try await handle(event, conversationID: conversationID, owner: .local, channel: .terminal, seen: seen, now: now) else {
            throw RapportError.unknownConversation(conversationID)
        }
        return turn
    }

    /// When an answer was given to a question this conversation no longer asks (another front
    /// end answered it, or finished the conversation), what to say instead: that it moved on,
    /// and the question it asks now. Nil when the answer is to the question being asked.
    private func movedOn(_ stored: StoredConversation, shown: Seen?, exactly: Bool, engine: DialogueEngine, now: Date) -> (state: ConversationState, outputs: [EngineOutput])? {
        if let shown, shown.version == stored.version { return nil }
        if let shown, !exactly, stored.state.isOpen, shown.step == stored.state.currentStep { return nil }  // same question: the answer still fits
        let values = ["flow": engine.flow.title]
        guard stored.state.isOpen else {
            return (stored.state, [.say(.note(engine.lexicon.message("conversation_ended_elsewhere", values)))])
        }
        var state = stored.state
        let question = engine.handle(.resume, state: &state, context: TurnContext(now: now, timeZone: timeZone)).filter {
            if case .ask = $0 { return true } else { return false }
        }
        return (state, [.say(.note(engine.lexicon.message("conversation_moved_on", values)))] + question)
    }

    /// One owner's unfinished conversations, of a flow or all, newest first.
    public func openConversations(flowID: String? = nil, owner: UserKey = .local, limit: Int = 20) async throws -> [ConversationSummary] {
        try await store.conversations.openConversations(owner: owner, flowID: flowID, limit: limit)
    }

    /// One owner's newest unfinished conversation, whole (what a chat message answers).
    public func newestOpenConversation(owner: UserKey) async throws -> StoredConversation? {
        try await store.conversations.newestOpenConversation(owner: owner)
    }

    /// A step's short label, for "stopped at …" lines.
    public func label(ofStep step: String?, flowID: String) -> String? {
        guard let step, let flow = try? engine(flowID: flowID).flow else { return nil }
        return flow.step(step)?.label
    }

    private static func answers(_ event: ConversationEvent) -> Bool {
        switch event {
        case .answer, .unreadableInput: return true
        case .endOfInput, .resume: return false
        }
    }

    private static func finishedCard(_ outputs: [EngineOutput]) -> SummaryCard?? {
        for output in outputs.reversed() { if case .finished(let card) = output { return .some(card) } }
        return nil
    }

    private static func recorded(_ outputs: [EngineOutput]) -> [RecordedAnswer] {
        outputs.compactMap { if case .recorded(let answer) = $0 { return answer } else { return nil } }
    }
}
