import Yams

/// Puts a flow into another language. The flow file holds English; a locale file
/// (`Prompts/locales/<lang>.yaml`) maps keys to translations:
///
/// - `<flow>.title`
/// - `<flow>.<step>.ask`, `.why`, `.hint`, `.label`, `.ask_more`
/// - `<flow>.<step>.check.<n>` and `<flow>.<step>.next.<n>`: what the n-th rule or branch says (from 1)
/// - `<flow>.<step>.option.<value>`: a choice's label; `<flow>.<step>.option.<value>.words`: its synonyms
/// - `<flow>.summary.title`, `.footer`, `<flow>.summary.line.<n>.label`, `.text`
///
/// A missing key keeps the English text; `keys(of:)` lists every key a flow has, so lint can
/// say which translations are missing.
public enum FlowLocalizer {
    /// A locale file's content: texts, and word lists for choices.
    public struct Translations: Sendable {
        public var texts: [String: String]
        public var words: [String: [String]]

        public init(texts: [String: String] = [:], words: [String: [String]] = [:]) {
            self.texts = texts
            self.words = words
        }
    }

    /// The flow with every translated text replaced.
    public static func localize(_ flow: Flow, with translations: Translations) -> Flow {
        var flow = flow
        let id = flow.id
        func text(_ key: String, _ english: String) -> String { translations.texts[key] ?? english }
        flow.title = text("\(id).title", flow.title)
        for index in flow.steps.indices {
            var step = flow.steps[index]
            let base = "\(id).\(step.id)"
            step.ask = text("\(base).ask", step.ask)
            step.why = step.why.map { text("\(base).why", $0) }
            step.hint = step.hint.map { text("\(base).hint", $0) }
            step.label = text("\(base).label", step.label)
            step.askMore = step.askMore.map { text("\(base).ask_more", $0) }
            for rule in step.checks.indices { step.checks[rule].say = text("\(base).check.\(rule + 1)", step.checks[rule].say) }
            for branch in step.next.indices {
                step.next[branch].say = step.next[branch].say.map { text("\(base).next.\(branch + 1)", $0) }
            }
            if case .choice(var options) = step.expect {
                for option in options.indices {
                    let key = "\(base).option.\(options[option].value)"
                    options[option].label = text(key, options[option].label)
                    // Words of the language come first; the English ones keep working too.
                    options[option].words = (translations.words["\(key).words"] ?? []) + options[option].words
                }
                step.expect = .choice(options)
            }
            flow.steps[index] = step
        }
        if var summary = flow.summary {
            summary.title = text("\(id).summary.title", summary.title)
            summary.footer = summary.footer.map { text("\(id).summary.footer", $0) }
            for line in summary.lines.indices {
                summary.lines[line].label = text("\(id).summary.line.\(line + 1).label", summary.lines[line].label)
                summary.lines[line].text = text("\(id).summary.line.\(line + 1).text", summary.lines[line].text)
            }
            flow.summary = summary
        }
        return flow
    }

    /// Every translatable key of a flow, in file order.
    public static func keys(of flow: Flow) -> [String] {
        let id = flow.id
        var keys = ["\(id).title"]
        for step in flow.steps {
            let base = "\(id).\(step.id)"
            keys.append("\(base).ask")
            if step.why != nil { keys.append("\(base).why") }
            if step.hint != nil { keys.append("\(base).hint") }
            if step.label != step.id { keys.append("\(base).label") }
            if step.askMore != nil { keys.append("\(base).ask_more") }
            keys.append(contentsOf: step.checks.indices.map { "\(base).check.\($0 + 1)" })
            keys.append(contentsOf: step.next.indices.filter { step.next[$0].say != nil }.map { "\(base).next.\($0 + 1)" })
            if case .choice(let options) = step.expect { keys.append(contentsOf: options.map { "\(base).option.\($0.value)" }) }
        }
        if let summary = flow.summary {
            keys.append("\(id).summary.title")
            if summary.footer != nil { keys.append("\(id).summary.footer") }
            for line in summary.lines.indices {
                keys.append("\(id).summary.line.\(line + 1).label")
                // A line that is only placeholders ("{meeting.goal}") has nothing to translate.
                var words = summary.lines[line].text
                for placeholder in Template.placeholders(in: words) { words = words.replacingOccurrences(of: placeholder.slot, with: "") }
                if words.contains(where: \.isLetter) { keys.append("\(id).summary.line.\(line + 1).text") }
            }
        }
        return keys
    }

    /// Reads a locale file: nested mappings are joined with dots (`prep: {goal: {ask: …}}` is
    /// `prep.goal.ask`); a list is a set of words.
    public static func parse(yaml: String, file: String) throws(FlowErrors) -> (language: String, translations: Translations) {
        let root = try FlowParser.compose(yaml, file: file, whenEmpty: "the locale file is empty; it needs 'language:'")
        let reader = NodeReader(file: file)
        var translations = Translations()
        var language: String? = nil
        func walk(_ node: Node, prefix: String) {
            guard let mapping = node.mapping else {
                reader.error("a locale file is a mapping of keys to translations", node)
                return
            }
            for (keyNode, value) in mapping {
                guard let key = keyNode.string else { continue }
                let path = prefix.isEmpty ? key : prefix + "." + key
                if path == "language" {
                    language = value.string
                } else if value.mapping != nil {
                    walk(value, prefix: path)
                } else if value.sequence != nil {
                    translations.words[path] = reader.strings(value, path)
                } else if let text = value.string {
                    translations.texts[path] = text
                }
            }
        }
        walk(root, prefix: "")
        guard let language else {
            reader.error("a locale file needs 'language:'", root)
            throw FlowErrors(reader.errors)
        }
        guard reader.errors.isEmpty else { throw FlowErrors(reader.errors) }
        return (language, translations)
    }
}
