import Foundation

/// The pure dialogue state machine: a conversation state and one event in, the new state and
/// what to do out. No clock, files or randomness: the moment comes in with each turn.
public struct DialogueEngine: Sendable {
    public let flow: Flow
    public let lexicon: Lexicon
    /// The lexicon's date words, folded once per engine rather than at every answer.
    private let dateVocabulary: DateVocabulary
    /// The lexicon's phrase lists, folded once per engine.
    private let phrases: PhraseLists
    /// How choice values are shown, by slot, and which slots hold a cadence.
    private let choiceLabels: [String: [String: String]]
    private let cadenceSlots: Set<String>

    public init(flow: Flow, lexicon: Lexicon) {
        self.flow = flow
        self.lexicon = lexicon
        self.dateVocabulary = DateVocabulary(lexicon.dates)
        self.phrases = PhraseLists(lexicon)
        var labels: [String: [String: String]] = [:]
        var cadences: Set<String> = []
        for step in flow.steps {
            guard let slot = step.into else { continue }
            switch step.expect {
            case .choice(let options): for option in options { labels[slot, default: [:]][option.value] = option.label }
            case .cadence: cadences.insert(slot)
            default: break
            }
        }
        self.choiceLabels = labels
        self.cadenceSlots = cadences
    }

    /// A new conversation, positioned at its first question (steps whose `skip_if` holds for the
    /// prefill are passed over). `remembered` holds earlier answers by slot, offered back at
    /// their steps ("Enter keeps"), as when an earlier reflection is edited.
    public func start(
        prefill: [String: SlotValue], remembered: [String: SlotValue] = [:], context: TurnContext
    ) -> (ConversationState, [EngineOutput]) {
        var state = ConversationState(flowID: flow.id, language: lexicon.language, prefill: prefill)
        for step in flow.steps {
            if let slot = step.into, let value = remembered[slot] {
                state.answers[step.id] = ConversationState.Answer(raw: "", value: value, weak: false, slot: slot)
            }
        }
        var outputs: [EngineOutput] = []
        enter(.step(flow.start), state: &state, outputs: &outputs, context: context)
        return (state, outputs)
    }

    /// One turn.
    public func handle(_ event: ConversationEvent, state: inout ConversationState, context: TurnContext) -> [EngineOutput] {
        var outputs: [EngineOutput] = []
        switch event {
        case .resume:
            guard state.isOpen, let step = current(state) else { return [] }
            state.status = .active
            state.suggestion = nil
            outputs.append(.say(.note(lexicon.message("resumed", ["title": flow.title]))))
            outputs.append(.ask(question(for: step, state: state, context: context)))
        case .endOfInput:
            guard state.isOpen else { return [] }
            state.status = .paused
            outputs.append(.paused)
        case .unreadableInput:
            outputs.append(.say(.problem(lexicon.message("invalid_text"))))
        case .answer(let raw):
            guard state.isOpen, let step = current(state) else { return [] }
            state.status = .active
            answer(raw, at: step, state: &state, outputs: &outputs, context: context)
        }
        return outputs
    }

    // MARK: - Answers

    private func current(_ state: ConversationState) -> Step? {
        state.currentStep.flatMap { flow.step($0) }
    }

    private func answer(
        _ raw: String, at step: Step, state: inout ConversationState, outputs: inout [EngineOutput], context: TurnContext
    ) {
        var text = InputSanitizer.clean(raw)
        let refused = state.refusedLine
        state.refusedLine = nil
        if state.confirmingCancel {
            state.confirmingCancel = false
            if parser(context).yesNo(text) == true {
                state.status = .cancelled
                outputs.append(.say(.note(lexicon.message("cancelled"))))
                outputs.append(.cancelled)
            } else {
                outputs.append(.say(.note(lexicon.message("cancel_kept"))))
                outputs.append(.ask(question(for: step, state: state, context: context)))
            }
            return
        }
        if text.count > InputSanitizer.maximumLength {
            outputs.append(.say(.problem(lexicon.message("too_long", [
                "length": String(text.count), "limit": String(InputSanitizer.maximumLength),
            ]))))
            return
        }
        if let suggestion = state.suggestion {
            // "Did you mean tomorrow 2pm?": yes takes it, no asks again, anything else is an answer.
            state.suggestion = nil
            switch parser(context).yesNo(text) {
            case true?: text = suggestion
            case false?:
                outputs.append(.ask(question(for: step, state: state, context: context)))
                return
            case nil: break
            }
        }
        if let command = lexicon.command(for: text) {
            perform(command, at: step, state: &state, outputs: &outputs, context: context)
            return
        }
        if step.collect {
            collect(text, at: step, refused: refused, state: &state, outputs: &outputs, context: context)
            return
        }
        if text.isEmpty {
            if let previous = state.answers[step.id], previous.value != nil {
                accept(previous, at: step, state: &state, outputs: &outputs, context: context, goto: nil)
            } else {
                let key = step.optional ? "empty_optional" : "empty_answer"
                outputs.append(.say(.problem(lexicon.message(key, commandWords))))
            }
            return
        }

        let value: SlotValue
        switch parser(context).parse(text, as: step.expect, changing: state.answers[step.id]?.value) {
        case .success(let parsed): value = parsed
        case .failure(let rejection):
            state.suggestion = rejection.suggestion
            outputs.append(.say(.problem(lexicon.message(rejection.key, rejection.values))))
            return
        }

        var weak = false
        var jump: String? = nil
        let evaluator = ConditionEvaluator(phrases: phrases, answer: text, value: value, slots: state.slots)
        if let rule = step.checks.first(where: { evaluator.holds($0.condition) }) {
            let said = render(rule.say, state: state, context: context)
            switch rule.then {
            case .askAgain:
                if state.attempts < (step.maxReasks ?? flow.maxReasks) {
                    state.attempts += 1
                    outputs.append(.say(.coach(said)))
                    return
                }
                weak = true
                outputs.append(.say(.note(lexicon.message("accepted_weak"))))
            case .accept:
                outputs.append(.say(.coach(said)))
            case .goto(let target):
                outputs.append(.say(.coach(said)))
                jump = target
            }
        }
        if case .when(let when) = value {
            // Say the moment as it was read, as a follow-up's date is: "→ Thu 3 Dec 14:00".
            outputs.append(.say(.note(lexicon.message("when_read", ["when": formatter(context).format(when)]))))
        }
        let answer = ConversationState.Answer(raw: text, value: value, weak: weak, slot: step.into)
        accept(answer, at: step, state: &state, outputs: &outputs, context: context, goto: jump)
    }

    private func parser(_ context: TurnContext) -> AnswerParser {
        AnswerParser(lexicon: lexicon, now: context.now, timeZone: context.timeZone, knownNames: context.knownNames, dateVocabulary: dateVocabulary)
    }

    /// One line for a collecting step: an item to add, or an empty line or "done" word to move on.
    private func collect(
        _ text: String, at step: Step, refused: String?, state: inout ConversationState, outputs: inout [EngineOutput], context: TurnContext
    ) {
        var items: [SlotValue] = []
        if case .many(let collected)? = state.answers[step.id]?.value { items = collected }
        if text.isEmpty, let refused {
            // The line just refused is not dropped by the Enter after it without a word.
            outputs.append(.say(.problem(lexicon.message("unsaved_line", ["line": refused]))))
            return
        }
        let doneWords = (lexicon.lists["done"] ?? []) + lexicon.no
        if text.isEmpty || doneWords.contains(where: { TextFolding.fold($0) == TextFolding.fold(text) }) {
            let answer = ConversationState.Answer(raw: "", value: .many(items), weak: false, slot: step.into)
            accept(answer, at: step, state: &state, outputs: &outputs, context: context, goto: nil, record: false)
            return
        }
        switch parser(context).parse(text, as: step.expect) {
        case .failure(let rejection):
            state.refusedLine = text
            outputs.append(.say(.problem(lexicon.message(rejection.key, rejection.values))))
        case .success(let value):
            items.append(value)
            state.answers[step.id] = ConversationState.Answer(raw: text, value: .many(items), weak: false, slot: step.into)
            // Each item is committed as it is given, though the step goes on.
            outputs.append(.recorded(RecordedAnswer(stepID: step.id, slot: step.into, raw: text, value: value, weak: false)))
            outputs.append(.say(.note(lexicon.message("collected", ["item": formatter(context).format(value)]))))
            outputs.append(.ask(question(for: step, state: state, context: context)))
        }
    }

    private func accept(
        _ answer: ConversationState.Answer, at step: Step, state: inout ConversationState,
        outputs: inout [EngineOutput], context: TurnContext, goto jump: String?, record: Bool = true
    ) {
        state.answers[step.id] = answer
        state.path.append(step.id)
        if record {
            outputs.append(.recorded(RecordedAnswer(stepID: step.id, slot: answer.slot, raw: answer.raw, value: answer.value, weak: answer.weak)))
        }
        let target = jump.map(Transition.Target.step) ?? route(from: step, state: state, outputs: &outputs, context: context, answer: answer)
        enter(target, state: &state, outputs: &outputs, context: context)
    }

    /// The first matching transition's target (saying its line), else the next step in the file.
    private func route(
        from step: Step, state: ConversationState, outputs: inout [EngineOutput], context: TurnContext,
        answer: ConversationState.Answer?
    ) -> Transition.Target {
        let evaluator = ConditionEvaluator(phrases: phrases, answer: answer?.raw, value: answer?.value, slots: state.slots)
        if let transition = step.next.first(where: { $0.condition.map(evaluator.holds) ?? true }) {
            if let say = transition.say {
                outputs.append(.say(.coach(render(say, state: state, context: context))))
            }
            return transition.target
        }
        return flow.step(after: step.id).map { .step($0.id) } ?? .end
    }

    /// Moves to a target, passing over steps whose `skip_if` holds, and asks or finishes.
    private func enter(_ target: Transition.Target, state: inout ConversationState, outputs: inout [EngineOutput], context: TurnContext) {
        var target = target
        // Each step can be passed over at most once per move, so a cycle of skips ends.
        var passed: Set<String> = []
        while case .step(let id) = target, let step = flow.step(id), let skip = step.skipIf,
            !passed.contains(id),
            ConditionEvaluator(phrases: phrases, answer: nil, value: nil, slots: state.slots).holds(skip)
        {
            passed.insert(id)
            target = route(from: step, state: state, outputs: &outputs, context: context, answer: nil)
        }
        state.attempts = 0
        if case .step(let id) = target, let step = flow.step(id) {
            state.currentStep = step.id
            outputs.append(.ask(question(for: step, state: state, context: context)))
        } else {
            state.currentStep = nil
            state.status = .finished
            outputs.append(.finished(card(for: state, context: context)))
        }
    }

    // MARK: - Commands

    private func perform(
        _ command: ConversationCommand, at step: Step, state: inout ConversationState, outputs: inout [EngineOutput],
        context: TurnContext
    ) {
        switch command {
        case .back:
            if step.collect, case .many(var items)? = state.answers[step.id]?.value, let removed = items.popLast() {
                state.answers[step.id]?.value = .many(items)
                outputs.append(.say(.note(lexicon.message("removed", ["item": formatter(context).format(removed)]))))
                outputs.append(.ask(question(for: step, state: state, context: context)))
                return
            }
            guard let previous = state.path.popLast(), let previousStep = flow.step(previous) else {
                outputs.append(.say(.note(lexicon.message("nothing_to_go_back"))))
                return
            }
            state.currentStep = previousStep.id
            state.attempts = 0
            outputs.append(.ask(question(for: previousStep, state: state, context: context)))
        case .review:
            let display = formatter(context)
            let inProgress = step.collect && !(state.answers[step.id]?.value?.isEmpty ?? true) ? [step.id] : []
            let items = (state.path + inProgress).compactMap { id -> ReviewItem? in
                guard let answered = flow.step(id), let answer = state.answers[id] else { return nil }
                let value = answer.value.map { display.format($0, slot: answered.into) } ?? lexicon.message("skipped_value")
                return ReviewItem(label: answered.label, value: value)
            }
            if items.isEmpty {
                outputs.append(.say(.note(lexicon.message("review_empty"))))
            } else {
                outputs.append(.say(.review(items)))
            }
            outputs.append(.ask(question(for: step, state: state, context: context)))
        case .why:
            let reason = step.why.map { render($0, state: state, context: context) } ?? lexicon.message("no_why")
            outputs.append(.say(.why(reason)))
        case .skip:
            guard step.optional else {
                outputs.append(.say(.problem(lexicon.message("cannot_skip", commandWords))))
                return
            }
            outputs.append(.say(.note(lexicon.message("skipped"))))
            let answer = ConversationState.Answer(raw: "", value: nil, weak: false, slot: step.into)
            accept(answer, at: step, state: &state, outputs: &outputs, context: context, goto: nil)
        case .pause:
            state.status = .paused
            outputs.append(.paused)
        case .cancel:
            state.confirmingCancel = true
            outputs.append(.say(.note(lexicon.message("confirm_cancel"))))
        case .help:
            outputs.append(.say(.note(lexicon.message("help", commandWords))))
        }
    }

    /// The command words of this language, for messages that mention them.
    private var commandWords: [String: String] {
        Dictionary(uniqueKeysWithValues: ConversationCommand.allCases.map { ($0.rawValue, lexicon.word(for: $0)) })
    }

    // MARK: - Rendering

    /// Shows values as the user knows them: dates in their language, choices by their labels.
    private func formatter(_ context: TurnContext) -> ValueFormatter {
        ValueFormatter(lexicon: lexicon, now: context.now, timeZone: context.timeZone, choiceLabels: choiceLabels, cadenceSlots: cadenceSlots)
    }

    private func render(_ template: String, state: ConversationState, context: TurnContext) -> String {
        Template.render(template, slots: state.slots, formatter: formatter(context))
    }

    private func question(for step: Step, state: ConversationState, context: TurnContext) -> Question {
        var hint = step.hint.map { render($0, state: state, context: context) }
        switch step.expect {
        case .yesno where hint == nil:
            hint = lexicon.message("yesno_hint")
        case .choice(let options) where hint == nil:
            hint = options.enumerated().map { "\($0.offset + 1)) \($0.element.label)" }.joined(separator: "   ")
        default:
            break
        }
        let display = formatter(context)
        if step.collect {
            // After the first item, the shorter "another?" question; an empty line finishes.
            guard case .many(let items)? = state.answers[step.id]?.value, !items.isEmpty else {
                return Question(stepID: step.id, text: render(step.ask, state: state, context: context), hint: hint)
            }
            let soFar = lexicon.message("so_far", ["items": items.map(display.format).joined(separator: "; ")])
            return Question(stepID: step.id, text: render(step.askMore ?? step.ask, state: state, context: context), hint: soFar)
        }
        let previous = state.answers[step.id]?.value.map { display.format($0, slot: step.into) }
        return Question(
            stepID: step.id, text: render(step.ask, state: state, context: context), hint: hint, previous: previous,
            choices: QuestionChoice.choices(for: step.expect, lexicon: lexicon))
    }

    private func card(for state: ConversationState, context: TurnContext) -> SummaryCard? {
        guard let summary = flow.summary else { return nil }
        let weak = state.weakSlots
        let display = formatter(context)
        let slots = state.slots
        var lines: [SummaryCard.Line] = []
        let evaluator = ConditionEvaluator(phrases: phrases, answer: nil, value: nil, slots: slots)
        for line in summary.lines {
            if let condition = line.condition, !evaluator.holds(condition) { continue }
            let referenced = Template.placeholders(in: line.text).map(\.slot)
            // A line about nothing the user said is left out.
            if !referenced.isEmpty, !referenced.contains(where: { slots[$0].map { !$0.isEmpty } ?? false }) { continue }
            var text = Template.render(line.text, slots: slots, formatter: display)
            if referenced.contains(where: weak.contains) { text += " " + lexicon.message("weak_marker") }
            lines.append(SummaryCard.Line(label: Template.render(line.label, slots: slots, formatter: display), text: text))
        }
        return SummaryCard(
            title: Template.render(summary.title, slots: slots, formatter: display),
            lines: lines,
            footer: summary.footer.map { Template.render($0, slots: slots, formatter: display) })
    }
}
