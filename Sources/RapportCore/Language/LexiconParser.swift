import Yams

/// Reads a lexicon file (`Prompts/lexicons/<lang>.yaml`) from YAML text. Written against the
/// node tree rather than Codable: it reports file, line and column for a translator's mistake,
/// and it is several times faster, which matters at every start.
public enum LexiconParser {
    public static func parse(yaml: String, file: String) throws(FlowErrors) -> Lexicon {
        let root = try FlowParser.compose(yaml, file: file, whenEmpty: "the lexicon is empty; it needs at least 'language:'")
        let reader = NodeReader(file: file)
        let lexicon = read(root, reader)
        guard reader.errors.isEmpty, let lexicon else { throw FlowErrors(reader.errors) }
        return lexicon
    }

    private static func read(_ root: Node, _ reader: NodeReader) -> Lexicon? {
        let allowed: Set<String> = ["language", "commands", "yes", "no", "lists", "dates", "messages"]
        guard let entries = reader.entries(root, what: "a lexicon", allowed: allowed) else { return nil }
        guard let language = reader.required(entries, "language", in: root, what: "a lexicon") else { return nil }
        let commandNames = Set(ConversationCommand.allCases.map(\.rawValue))
        let commands = listMap(entries["commands"]?.value, "commands", reader, allowedKeys: commandNames)
        return Lexicon(
            language: language,
            commands: commands,
            yes: reader.strings(entries["yes"]?.value, "yes"),
            no: reader.strings(entries["no"]?.value, "no"),
            lists: listMap(entries["lists"]?.value, "lists", reader, allowedKeys: nil),
            dates: entries["dates"].map { dates($0.value, reader) } ?? DateWords(from: [:]),
            messages: textMap(entries["messages"]?.value, reader))
    }

    private static func listMap(_ node: Node?, _ what: String, _ reader: NodeReader, allowedKeys: Set<String>?) -> [String: [String]] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            reader.error("'\(what)' must be a mapping of names to lists", node)
            return [:]
        }
        var result: [String: [String]] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if let allowedKeys, !allowedKeys.contains(name) {
                reader.error("unknown \(what) entry '\(name)' (known: \(allowedKeys.sorted().joined(separator: ", ")))", key)
                continue
            }
            result[name] = reader.strings(value, name)
        }
        return result
    }

    private static func textMap(_ node: Node?, _ reader: NodeReader) -> [String: String] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            reader.error("'messages' must be a mapping of keys to sentences", node)
            return [:]
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            if let name = key.string, let text = reader.string(value, name) { result[name] = text }
        }
        return result
    }

    private static func nested(_ node: Node?, _ what: String, count: Int, _ reader: NodeReader) -> [[String]] {
        guard let node else { return [] }
        guard let sequence = node.sequence, sequence.count == count else {
            reader.error("'\(what)' must be a list of \(count) lists of words", node)
            return []
        }
        return sequence.map { reader.strings($0, what) }
    }

    private static func dates(_ node: Node, _ reader: NodeReader) -> DateWords {
        let allowed: Set<String> = [
            "weekdays", "months", "today", "tomorrow", "day_after_tomorrow", "in", "next", "fillers", "units", "numbers",
            "am", "pm", "noon", "half", "periods", "yesterday", "last", "ago", "capitalize", "plural_few",
            "at", "day_of_month", "morning", "afternoon", "every", "times", "per",
        ]
        guard let entries = reader.entries(node, what: "'dates'", allowed: allowed) else { return DateWords(from: [:]) }
        func list(_ key: String) -> [String] { reader.strings(entries[key]?.value, key) }
        var numbers: [String: Int] = [:]
        if let mapping = entries["numbers"]?.value.mapping {
            for (key, value) in mapping {
                if let word = key.string, let number = reader.int(value, word) { numbers[word] = number }
            }
        }
        // Beside the stored units, words for a quarter, a year and a fortnight, read as months and weeks.
        let unitNames = Set(DurationValue.Unit.allCases.map(\.rawValue) + DurationParser.longerUnits.keys)
        var words = DateWords(
            weekdays: nested(entries["weekdays"]?.value, "weekdays", count: 7, reader),
            months: nested(entries["months"]?.value, "months", count: 12, reader),
            today: list("today"), tomorrow: list("tomorrow"), dayAfterTomorrow: list("day_after_tomorrow"),
            inWords: list("in"), next: list("next"), fillers: list("fillers"),
            units: listMap(entries["units"]?.value, "units", reader, allowedKeys: unitNames),
            numbers: numbers, am: list("am"), pm: list("pm"), noon: list("noon"), half: list("half"))
        words.capitalize = entries["capitalize"].flatMap { reader.bool($0.value, "capitalize") } ?? true
        words.pluralFew = entries["plural_few"].flatMap { reader.bool($0.value, "plural_few") } ?? false
        words.yesterday = list("yesterday")
        words.last = list("last")
        words.ago = list("ago")
        words.at = list("at")
        words.dayOfMonth = list("day_of_month")
        words.morning = list("morning")
        words.afternoon = list("afternoon")
        words.every = list("every")
        words.times = list("times")
        words.per = list("per")
        if let mapping = entries["periods"]?.value.mapping {
            for (key, value) in mapping {
                if let word = key.string, let meaning = reader.string(value, word) { words.periods[word] = meaning }
            }
        }
        return words
    }
}
