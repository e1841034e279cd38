import ArgumentParser
import RapportApp
import RapportCore

/// What a terminal command works with: the use-cases, the console and the line reader, and the
/// shared ways of starting or resuming a conversation.
struct TerminalSession {
    let services: RapportServices
    let console: Console
    let reader: any LineReader

    init(_ services: RapportServices) {
        self.services = services
        self.console = Console(colorAllowed: services.settings.colorAllowed)
        self.reader = console.isInteractive ? EditLineReader() : PipedLineReader()
    }

    var settings: RapportSettings { services.settings }
    var conversations: ConversationService { services.conversations }

    /// The command that resumes a conversation of this flow.
    func resumeCommand(flowID: String) -> String {
        ["prep", "reflect"].contains(flowID) ? "rapport \(flowID) --resume" : "rapport chat \(flowID) --resume"
    }

    /// Starts a conversation of `flowID`, or continues an unfinished one: always with `resume`,
    /// after asking when one exists and `startNew` is not set.
    func converse(flowID: String, contactName: String?, resume: Bool, startNew: Bool) async throws {
        if try await offerToResume(flowID: flowID, contactName: contactName, resume: resume, startNew: startNew) { return }
        try await start(flowID: flowID, contactName: contactName)
    }

    /// Continues an unfinished conversation of the flow (with the contact, when named): directly
    /// with `resume`, after a yes otherwise. True when one was continued, or the input ended.
    func offerToResume(flowID: String, contactName: String?, resume: Bool, startNew: Bool) async throws -> Bool {
        try await reportingErrors {
            _ = try conversations.engine(flowID: flowID)  // an unknown or broken flow stops here, before any question
            var unfinished = try await conversations.openConversations(flowID: flowID)
            if let contactName {
                unfinished = unfinished.filter { $0.contactName.map { ContactName.matches(query: contactName, name: $0) } ?? false }
            }
            if resume {
                guard let target = unfinished.first else {
                    let start = ["prep", "reflect"].contains(flowID) ? "\(flowID) " + message("placeholder_name") : "chat \(flowID)"
                    let values = ["flow": flowID, "name": contactName ?? "", "command": "rapport " + start]
                    throw fail(contactName == nil ? message("nothing_to_resume", values) : message("nothing_to_resume_with", values))
                }
                try await continueConversation(target)
                return true
            }
            guard !startNew, let target = unfinished.first else { return false }
            switch ask(describe(target) + " " + message("resume_question")) {
            case true?:
                try await continueConversation(target)
                return true
            case nil:
                return true  // input ended: nothing started, nothing changed
            case false?:
                return false
            }
        }
    }

    /// Starts a new conversation and runs it to its end, pause or cancel.
    func start(flowID: String, contactName: String?, prefill extra: [String: SlotValue] = [:]) async throws {
        try await reportingErrors {
            let known = flowID == "prep"
                ? try await conversations.prepPrefill(contactName: contactName, owner: .local, now: settings.now())
                : try await conversations.prefill(contactName: contactName, owner: .local)
            let prefill = known.merging(extra) { _, given in given }
            try await run(try await conversations.start(flowID: flowID, prefill: prefill, now: settings.now()))
        }
    }

    /// Runs a conversation that was just started, under its flow's title line.
    func run(_ turn: ConversationService.Turn) async throws {
        let engine = try conversations.engine(flowID: turn.state.flowID, language: turn.state.language)
        let commands = Dictionary(uniqueKeysWithValues: ConversationCommand.allCases.map { ($0.rawValue, engine.lexicon.word(for: $0)) })
        console.say(console.style.bold(engine.flow.title) + console.style.dim("   (" + engine.lexicon.message("conversation_hint", commands) + ")"))
        _ = try await runner(flowID: turn.state.flowID).run(from: turn)
    }

    /// Lets the user pick one of `options` by number; nil when the input ends.
    func choose(_ question: String, _ options: [String]) -> Int? {
        console.say(question)
        for (index, option) in options.enumerated() { console.say("  \(index + 1)) \(option)", hanging: 3 + String(index + 1).count) }
        while true {
            switch reader.readAnswer(console) {
            case .line(let text):
                if let number = Int(InputSanitizer.clean(text)), (1...options.count).contains(number) { return number - 1 }
            case .unreadable:
                break
            case .end:
                return nil
            }
            console.say(console.style.problem("! " + message("choose_a_number", ["count": String(options.count)])), hanging: 2)
        }
    }

    /// "You have an unfinished prep #2 with Anna Berg, stopped at “Goal”."
    func describe(_ conversation: ConversationSummary) -> String {
        message("unfinished", ["what": summary(of: conversation)])
    }

    /// A terminal sentence in the user's language.
    func message(_ key: String, _ values: [String: String] = [:]) -> String {
        (try? conversations.lexicon())?.message(key, values) ?? key
    }

    /// "prep #2 with Anna Berg, stopped at “Goal”"
    func summary(of conversation: ConversationSummary) -> String {
        let whom = conversation.contactName.map { " " + message("with_whom", ["name": $0]) } ?? ""
        let step = conversations.label(ofStep: conversation.currentStep, flowID: conversation.flowID).map { ", " + message("stopped_at", ["step": $0]) } ?? ""
        return "\(conversation.flowID) #\(conversation.id)\(whom)\(step)"
    }

    func continueConversation(_ conversation: ConversationSummary) async throws {
        try await reportingErrors {
            let turn = try await conversations.handle(.resume, conversationID: conversation.id, seen: nil, now: settings.now())
            _ = try await runner(flowID: conversation.flowID).run(from: turn)
        }
    }

    private func runner(flowID: String) -> ConversationRunner {
        ConversationRunner(session: self, resumeCommand: resumeCommand(flowID: flowID))
    }

    /// Says `text` as an error and gives the exit code to throw: `throw session.fail(…)`.
    func fail(_ text: String) -> ExitCode {
        console.error(text)
        return .failure
    }

    /// When a meeting is, as the person reads it ("Tue 24 Nov 14:00", or that it has no date).
    func when(_ meeting: Meeting, _ formatter: ValueFormatter) -> String {
        meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? message("undated")
    }

    /// Prepares for a meeting with the person named: which of several people, or the one a typo
    /// meant, is asked; an unfinished prep with them is offered back; and a meeting already booked
    /// with them is offered to go over again rather than adding a second one.
    func prep(named typed: String?, resume: Bool, startNew: Bool) async throws {
        guard let typed, !resume else {
            try await converse(flowID: "prep", contactName: typed, resume: resume, startNew: startNew)
            return
        }
        let contact: Contact?
        switch try await resolve(typed, whom: message("prep_whom")) {
        case .contact(let found)?: contact = found
        case .new?: contact = nil
        case nil: return
        }
        let name = contact?.name ?? InputSanitizer.clean(typed)
        if try await offerToResume(flowID: "prep", contactName: name, resume: false, startNew: startNew) { return }
        let now = settings.now()
        var editing: Meeting?
        if let contact, let booked = try await reportingErrors({ try await services.meetings.booked(with: contact, now: now) }) {
            let formatter = try reportingErrors { try self.formatter() }
            let values = ["name": contact.name, "when": when(booked, formatter), "id": String(booked.id)]
            let options = [message("prep_booked_again"), message("prep_booked_another", values)]
            guard let index = choose(message("prep_booked", values), options) else { return }
            editing = index == 0 ? booked : nil
        }
        try await reportingErrors {
            guard case .turn(let turn) = try await conversations.startPrep(contactName: name, editing: editing, now: now) else { return }
            try await run(turn)
        }
    }

    /// A formatter of moments for this run, in the person's language and time zone.
    func formatter() throws -> ValueFormatter {
        ValueFormatter(lexicon: try conversations.lexicon(), now: settings.now(), timeZone: settings.timeZone)
    }

    /// Asks a yes/no question; nil when the input ends.
    func ask(_ question: String) -> Bool? {
        guard let lexicon = try? conversations.lexicon() else { return nil }
        let parser = AnswerParser(lexicon: lexicon, now: settings.now(), timeZone: settings.timeZone)
        console.say(question)
        while true {
            switch reader.readAnswer(console) {
            case .line(let text):
                if let answer = parser.yesNo(InputSanitizer.clean(text)) { return answer }
            case .unreadable:
                break
            case .end:
                return nil
            }
            console.say(console.style.problem("! " + lexicon.message("not_yesno")), hanging: 2)
        }
    }
}
