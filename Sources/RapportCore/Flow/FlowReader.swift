import Yams

/// Reads a flow file's node tree into a `Flow`, checking names against the vocabulary.
final class FlowReader: NodeReader {
    let vocabulary: FlowVocabulary

    init(file: String, vocabulary: FlowVocabulary) {
        self.vocabulary = vocabulary
        super.init(file: file)
    }

    private static let flowKeys: Set<String> = ["flow", "title", "start", "max_reasks", "steps", "summary"]
    private static let stepKeys: Set<String> = [
        "id", "label", "ask", "why", "hint", "expect", "into", "optional", "serves", "skip_if", "check", "next",
        "max_reasks", "options", "min", "max", "range", "collect", "ask_more", "due_default",
    ]
    private static let conditionKeys: Set<String> = [
        "matches", "ignoring", "slot", "is", "present", "absent", "words_fewer_than", "words_more_than", "any", "all", "not",
    ]

    // MARK: - Flow

    func flow(_ root: Node) -> Flow? {
        guard let entries = entries(root, what: "a flow file", allowed: Self.flowKeys) else { return nil }
        let id = required(entries, "flow", in: root, what: "a flow file")
        let title = required(entries, "title", in: root, what: "a flow file")
        var steps: [Step] = []
        if let stepsNode = entries["steps"]?.value {
            if let sequence = stepsNode.sequence, !sequence.isEmpty {
                steps = sequence.compactMap { step($0) }
            } else {
                error("'steps' must be a non-empty list of steps", stepsNode)
            }
        } else {
            error("a flow file needs 'steps:'", root)
        }
        let summary = entries["summary"].flatMap { self.summary($0.value) }
        let maxReasks = entries["max_reasks"].flatMap { int($0.value, "max_reasks") } ?? 2
        let start = entries["start"].flatMap { string($0.value, "start") } ?? steps.first?.id ?? ""
        guard let id, let title else { return nil }
        if let startNode = entries["start"]?.value, !steps.isEmpty, !steps.contains(where: { $0.id == start }) {
            error("'start' names a step '\(start)' that does not exist", startNode)
        }
        return Flow(id: id, title: title, start: start, steps: steps, summary: summary, maxReasks: maxReasks, location: location(root))
    }

    // MARK: - Steps

    func step(_ node: Node) -> Step? {
        // Known before the keys are checked, so that even a misspelled key names its step.
        currentStep = node.mapping?["id"]?.string
        defer { currentStep = nil }
        guard let entries = entries(node, what: "a step", allowed: Self.stepKeys) else { return nil }
        guard let id = required(entries, "id", in: node, what: "a step") else { return nil }
        let ask = required(entries, "ask", in: node, what: "step '\(id)'") ?? ""
        checkTemplate(ask, entries["ask"]?.value)
        let why = entries["why"].flatMap { string($0.value, "why") }
        checkTemplate(why, entries["why"]?.value)
        let hint = entries["hint"].flatMap { string($0.value, "hint") }
        checkTemplate(hint, entries["hint"]?.value)
        let into = entries["into"].flatMap { string($0.value, "into") }
        if let into, !SlotName.isValid(into) {
            error("'into: \(into)' is not a slot name; use dotted lowercase words like 'meeting.goal'", entries["into"]?.value)
        }
        let serves = strings(entries["serves"]?.value, "serves")
        if let servesNode = entries["serves"]?.value {
            for principle in serves where !vocabulary.principles.contains(principle) {
                error("'serves' names '\(principle)', which is not a principle id in Prompts/principles.yaml", servesNode)
            }
        }
        let expect = answerType(entries, node: node)
        let askMore = entries["ask_more"].flatMap { string($0.value, "ask_more") }
        checkTemplate(askMore, entries["ask_more"]?.value)
        if let entry = entries["ask_more"], entries["collect"].flatMap({ bool($0.value, "collect") }) != true {
            error("'ask_more' only applies to a step with 'collect: true'", entry.key)
        }
        return Step(
            id: id,
            label: entries["label"].flatMap { string($0.value, "label") } ?? id,
            ask: ask, why: why, hint: hint, expect: expect, into: into,
            optional: entries["optional"].flatMap { bool($0.value, "optional") } ?? false,
            serves: serves,
            skipIf: entries["skip_if"].flatMap { condition($0.value) },
            checks: entries["check"].map { checks($0.value) } ?? [],
            next: entries["next"].map { transitions($0.value) } ?? [],
            maxReasks: entries["max_reasks"].flatMap { int($0.value, "max_reasks") },
            collect: entries["collect"].flatMap { bool($0.value, "collect") } ?? false,
            askMore: askMore,
            location: location(node))
    }

    func answerType(_ entries: [String: (key: Node, value: Node)], node: Node) -> AnswerType {
        let name = entries["expect"].flatMap { string($0.value, "expect") } ?? "text"
        let expectNode = entries["expect"]?.value ?? node
        // Which keys belong to which answer type, so a stray one is reported.
        let owners = ["range": "when", "options": "choice", "min": "scale", "max": "scale", "due_default": "followup"]
        func unused(except own: String) {
            for (key, owner) in owners where owner != own {
                if let entry = entries[key] { error("'\(key)' only applies to 'expect: \(owner)'", entry.key) }
            }
        }
        unused(except: name)
        switch name {
        case "text": return .text
        case "name": return .name
        case "yesno": return .yesno
        case "list": return .list
        case "duration": return .duration
        case "cadence": return .cadence
        case "followup":
            guard let entry = entries["due_default"], let text = string(entry.value, "due_default") else { return .followUp(defaultDue: nil) }
            // Read without any language's words, so a referral is due in two weeks in Polish too.
            let words = text.split(separator: " ")
            let length = DurationParser.period((words.first == "in" ? words.dropFirst() : words[...]).joined(separator: " "))
            guard let length else {
                error("'due_default: \(text)' is not a length of time; write it as a number and an English unit, like '2 weeks', '10 days' or '1 month'", entry.value)
                return .followUp(defaultDue: nil)
            }
            return .followUp(defaultDue: length)
        case "when":
            let rangeText = entries["range"].flatMap { string($0.value, "range") } ?? "any"
            guard let range = WhenRange(rawValue: rangeText) else {
                error("'range: \(rangeText)' is not one of any, future, past", entries["range"]?.value)
                return .when(.any)
            }
            return .when(range)
        case "scale":
            let min = entries["min"].flatMap { int($0.value, "min") } ?? 1
            let max = entries["max"].flatMap { int($0.value, "max") } ?? 5
            if min >= max { error("a scale needs 'min' below 'max' (got \(min) and \(max))", expectNode) }
            return .scale(min: min, max: max)
        case "choice":
            guard let optionsNode = entries["options"]?.value, let sequence = optionsNode.sequence, !sequence.isEmpty else {
                error("'expect: choice' needs 'options:', a list of choices", expectNode)
                return .choice([])
            }
            return .choice(sequence.compactMap { self.option($0) })
        default:
            error("'expect: \(name)' is not an answer type; use one of \(AnswerType.names.joined(separator: ", "))", expectNode)
            return .text
        }
    }

    func option(_ node: Node) -> ChoiceOption? {
        if node.scalar != nil, let value = string(node, "options") {
            return ChoiceOption(value: value, label: value.prefix(1).uppercased() + value.dropFirst())
        }
        guard let entries = entries(node, what: "an option", allowed: ["value", "label", "words"]) else { return nil }
        guard let value = required(entries, "value", in: node, what: "an option") else { return nil }
        let label = entries["label"].flatMap { string($0.value, "label") } ?? value
        return ChoiceOption(value: value, label: label, words: strings(entries["words"]?.value, "words"))
    }

    // MARK: - Checks, transitions, conditions

    func checks(_ node: Node) -> [CheckRule] {
        guard let sequence = node.sequence else {
            error("'check' must be a list of rules, each with 'if:', 'say:' and 'then:'", node)
            return []
        }
        return sequence.compactMap { ruleNode in
            guard let entries = entries(ruleNode, what: "a check rule", allowed: ["if", "say", "then"]) else { return nil }
            guard let ifNode = entries["if"]?.value else {
                error("a check rule needs 'if:'", ruleNode)
                return nil
            }
            let condition = condition(ifNode)
            let say = required(entries, "say", in: ruleNode, what: "a check rule") ?? ""
            checkTemplate(say, entries["say"]?.value)
            var action = CheckAction.askAgain
            if let thenNode = entries["then"]?.value {
                if let mapping = thenNode.mapping, mapping.count == 1, mapping.first?.key.string == "goto",
                    let target = string(mapping.first?.value, "goto")
                {
                    action = .goto(target)
                } else {
                    switch string(thenNode, "then") {
                    case "ask-again": action = .askAgain
                    case "accept": action = .accept
                    case let other?: error("'then: \(other)' must be ask-again, accept or 'goto: STEP'", thenNode)
                    case nil: break
                    }
                }
            }
            guard let condition else { return nil }
            return CheckRule(condition: condition, say: say, then: action, location: location(ruleNode))
        }
    }

    func transitions(_ node: Node) -> [Transition] {
        // `next: summary` is shorthand for a single unconditional goto.
        if node.scalar != nil, let target = string(node, "next") {
            return [Transition(condition: nil, say: nil, target: target == "end" ? .end : .step(target), location: location(node))]
        }
        guard let sequence = node.sequence else {
            error("'next' must be a step id or a list of branches, each with 'goto:'", node)
            return []
        }
        return sequence.compactMap { branch in
            guard let entries = entries(branch, what: "a branch of 'next'", allowed: ["if", "say", "goto"]) else { return nil }
            guard let target = required(entries, "goto", in: branch, what: "a branch of 'next'") else { return nil }
            let say = entries["say"].flatMap { string($0.value, "say") }
            checkTemplate(say, entries["say"]?.value)
            var condition: Condition? = nil
            if let ifNode = entries["if"]?.value {
                guard let parsed = self.condition(ifNode) else { return nil }
                condition = parsed
            }
            return Transition(condition: condition, say: say, target: target == "end" ? .end : .step(target), location: location(entries["goto"]!.value))
        }
    }

    func condition(_ node: Node) -> Condition? {
        guard let entries = entries(node, what: "a condition", allowed: Self.conditionKeys) else { return nil }
        var parts: [Condition] = []
        if let list = entries["matches"].flatMap({ string($0.value, "matches") }) {
            if !vocabulary.lists.contains(list) {
                error("'matches: \(list)' names no lexicon list; known lists: \(vocabulary.lists.sorted().joined(separator: ", "))", entries["matches"]?.value)
            }
            let ignoring = entries["ignoring"].flatMap { string($0.value, "ignoring") }
            if let ignoring, !vocabulary.lists.contains(ignoring) {
                error("'ignoring: \(ignoring)' names no lexicon list; known lists: \(vocabulary.lists.sorted().joined(separator: ", "))", entries["ignoring"]?.value)
            }
            parts.append(.matches(list: list, ignoring: ignoring))
        } else if let ignoringNode = entries["ignoring"]?.key {
            error("'ignoring:' in a condition needs 'matches:' beside it", ignoringNode)
        }
        let slot = entries["slot"].flatMap { string($0.value, "slot") }
        if let slot { checkSlot(slot, entries["slot"]?.value) }
        if let isNode = entries["is"]?.value {
            parts.append(.equals(slot: slot, values: strings(isNode, "is")))
        } else if let slotNode = entries["slot"]?.value {
            error("'slot:' in a condition needs 'is:' beside it (or use 'present:')", slotNode)
        }
        if let present = entries["present"].flatMap({ string($0.value, "present") }) {
            checkSlot(present, entries["present"]?.value)
            parts.append(.present(slot: present))
        }
        if let absent = entries["absent"].flatMap({ string($0.value, "absent") }) {
            checkSlot(absent, entries["absent"]?.value)
            parts.append(.not(.present(slot: absent)))
        }
        if let count = entries["words_fewer_than"].flatMap({ int($0.value, "words_fewer_than") }) { parts.append(.wordsFewerThan(count)) }
        if let count = entries["words_more_than"].flatMap({ int($0.value, "words_more_than") }) { parts.append(.wordsMoreThan(count)) }
        for key in ["any", "all"] {
            guard let listNode = entries[key]?.value else { continue }
            guard let sequence = listNode.sequence, !sequence.isEmpty else {
                error("'\(key)' must be a list of conditions", listNode)
                continue
            }
            let conditions = sequence.compactMap { condition($0) }
            parts.append(key == "any" ? .any(conditions) : .all(conditions))
        }
        if let notNode = entries["not"]?.value, let inner = condition(notNode) {
            parts.append(.not(inner))
        }
        guard !parts.isEmpty else {
            if entries.isEmpty { error("a condition needs one of: \(Self.conditionKeys.sorted().joined(separator: ", "))", node) }
            return nil
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    // MARK: - Summary

    func summary(_ node: Node) -> Summary? {
        currentStep = nil
        guard let entries = entries(node, what: "'summary'", allowed: ["title", "lines", "footer"]) else { return nil }
        let title = required(entries, "title", in: node, what: "'summary'") ?? ""
        checkTemplate(title, entries["title"]?.value)
        var lines: [Summary.Line] = []
        if let linesNode = entries["lines"]?.value {
            guard let sequence = linesNode.sequence else {
                error("'lines' must be a list of 'label:' and 'text:' pairs", linesNode)
                return nil
            }
            for lineNode in sequence {
                guard let line = self.entries(lineNode, what: "a summary line", allowed: ["label", "text", "if"]) else { continue }
                let label = required(line, "label", in: lineNode, what: "a summary line") ?? ""
                let text = required(line, "text", in: lineNode, what: "a summary line") ?? ""
                checkTemplate(text, line["text"]?.value)
                let condition = line["if"].flatMap { self.condition($0.value) }
                lines.append(Summary.Line(label: label, text: text, condition: condition))
            }
        }
        let footer = entries["footer"].flatMap { string($0.value, "footer") }
        checkTemplate(footer, entries["footer"]?.value)
        return Summary(title: title, lines: lines, footer: footer)
    }

    // MARK: - Names inside texts

    func checkSlot(_ slot: String, _ node: Node?) {
        if !SlotName.isValid(slot) {
            error("'\(slot)' is not a slot name; use dotted lowercase words like 'contact.name'", node)
        }
    }

    func checkTemplate(_ text: String?, _ node: Node?) {
        guard let text else { return }
        for placeholder in Template.placeholders(in: text) {
            checkSlot(placeholder.slot, node)
            for filter in placeholder.filters where !Template.filters.contains(filter.name) {
                error("'{\(placeholder.slot)|\(filter.name)}' uses an unknown filter; known: \(Template.filters.joined(separator: ", "))", node)
            }
        }
    }
}
