import Foundation

/// Turns a cleaned answer into a slot value by the step's `expect` type, or says why it could not.
public struct AnswerParser: Sendable {
    public var lexicon: Lexicon
    public var now: Date
    public var timeZone: TimeZone
    /// People already known: a name answer that names exactly one of them takes its spelling.
    public var knownNames: [String]
    /// The lexicon's date words folded once (built here when not given).
    public var dateVocabulary: DateVocabulary

    public init(lexicon: Lexicon, now: Date, timeZone: TimeZone, knownNames: [String] = [], dateVocabulary: DateVocabulary? = nil) {
        self.lexicon = lexicon
        self.now = now
        self.timeZone = timeZone
        self.knownNames = knownNames
        self.dateVocabulary = dateVocabulary ?? DateVocabulary(lexicon.dates)
    }

    /// Why an answer was not accepted: a message key of the lexicon and its values.
    public struct Rejection: Error, Hashable, Sendable {
        public var key: String
        public var values: [String: String]
        /// What the person most likely meant ("tomorrow 2pm" for "tmorrow 2pm"), to offer them.
        public var suggestion: String?

        public init(_ key: String, _ values: [String: String] = [:], suggestion: String? = nil) {
            self.key = key
            self.values = values
            self.suggestion = suggestion
        }
    }

    /// The answer as the step's type reads it. `previous` is the step's earlier answer, when it is
    /// asked again: a date then keeps what the new answer leaves out (the day, or the time).
    public func parse(_ answer: String, as type: AnswerType, changing previous: SlotValue? = nil) -> Result<SlotValue, Rejection> {
        switch type {
        case .text:
            return .success(.text(answer))
        case .name:
            return parseName(answer)
        case .when(let range):
            var earlier: WhenValue? = nil
            if case .when(let when)? = previous { earlier = when }
            return parseWhen(answer, range: range, changing: earlier)
        case .yesno:
            guard let value = yesNo(answer) else { return .failure(Rejection("not_yesno")) }
            return .success(.bool(value))
        case .choice(let options):
            guard let option = choice(answer, options) else {
                let list = options.enumerated().map { "\($0.offset + 1)) \($0.element.label)" }.joined(separator: "  ")
                return .failure(Rejection("not_a_choice", ["options": list]))
            }
            return .success(.choice(option.value))
        case .scale(let min, let max):
            let digits = answer.prefix { $0.isNumber }
            guard let number = Int(digits), (min...max).contains(number) else {
                return .failure(Rejection("not_in_scale", ["min": String(min), "max": String(max)]))
            }
            return .success(.number(number))
        case .list:
            let items = answer.split { $0 == "," || $0 == ";" }.map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
            guard !items.isEmpty else { return .failure(Rejection("empty_answer")) }
            return .success(.list(items))
        case .followUp(let defaultDue):
            let when = WhenParser(vocabulary: dateVocabulary, now: now, timeZone: timeZone)
            guard let followUp = FollowUpParser(when: when).parse(answer, defaultDue: defaultDue) else {
                return .failure(Rejection("not_a_followup"))
            }
            if isPast(followUp.due) {
                let formatted = ValueFormatter(lexicon: lexicon, now: now, timeZone: timeZone).format(followUp.due)
                return .failure(Rejection("followup_in_past", ["when": formatted]))
            }
            return .success(.followUp(followUp))
        case .duration:
            guard let duration = DurationParser(words: lexicon.dates).parse(answer) else {
                return .failure(Rejection("not_a_duration"))
            }
            return .success(.duration(duration))
        case .cadence:
            guard let cadence = DurationParser(words: lexicon.dates).parseCadence(answer) else {
                return .failure(Rejection("not_a_cadence"))
            }
            return .success(.duration(cadence))
        }
    }

    /// yes or no from the first words of the answer ("yes, she does" is yes).
    public func yesNo(_ answer: String) -> Bool? {
        let words = TextFolding.words(answer)
        func startsWith(_ phrases: [String]) -> Int? {
            phrases.map { TextFolding.words($0) }
                .filter { !$0.isEmpty && words.starts(with: $0) }
                .map(\.count).max()
        }
        let yes = startsWith(lexicon.yes)
        let no = startsWith(lexicon.no)
        switch (yes, no) {
        case (let y?, let n?): return y > n ? true : n > y ? false : nil
        case (_?, nil): return true
        case (nil, _?): return false
        default: return nil
        }
    }

    private func choice(_ answer: String, _ options: [ChoiceOption]) -> ChoiceOption? {
        if let number = Int(answer.trimmingWhitespace()), (1...options.count).contains(number) {
            return options[number - 1]
        }
        let folded = TextFolding.fold(answer)
        func names(_ option: ChoiceOption) -> [String] {
            var names = [option.value, option.label] + option.words
            // An option whose value is yes or no also answers to the language's yes/no words.
            if option.value == "yes" { names += lexicon.yes }
            if option.value == "no" { names += lexicon.no }
            return names.map(TextFolding.fold)
        }
        if let exact = options.first(where: { names($0).contains(folded) }) { return exact }
        // Otherwise the longest name the answer starts with ("partly, she knows the basics").
        var best: (ChoiceOption, Int)? = nil
        for option in options {
            for name in names(option) where !name.isEmpty && TextFolding.words(answer).starts(with: TextFolding.words(name)) {
                let length = TextFolding.words(name).count
                if length > (best?.1 ?? 0) { best = (option, length) }
            }
        }
        return best?.0
    }

    private func parseName(_ answer: String) -> Result<SlotValue, Rejection> {
        let words = answer.split(whereSeparator: \.isWhitespace)
        guard answer.contains(where: \.isLetter), words.count <= 6, answer.count <= 80,
            !answer.contains(where: { "@#<>{}[]|\\/=+*%$".contains($0) })
        else {
            return .failure(Rejection("not_a_name"))
        }
        var name = words.joined(separator: " ")
        let known = knownNames.filter { ContactName.matches(query: name, name: $0) }
        if let exact = known.first(where: { ContactName.key($0) == ContactName.key(name) }) { return .success(.name(exact)) }
        if known.count == 1 { return .success(.name(known[0])) }
        // Someone who typed all lowercase gets capitals; any deliberate casing is kept.
        if name == name.lowercased() {
            name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }
        return .success(.name(name))
    }

    /// Before now, or for a date without a time, before today.
    private func isPast(_ when: WhenValue) -> Bool {
        when.hasTime ? when.date < now : when.date < startOfToday
    }

    private func isFuture(_ when: WhenValue) -> Bool {
        when.hasTime ? when.date > now : when.date > startOfToday
    }

    private var startOfToday: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.startOfDay(for: now)
    }

    private func parseWhen(_ answer: String, range: WhenRange, changing previous: WhenValue?) -> Result<SlotValue, Rejection> {
        let parser = WhenParser(vocabulary: dateVocabulary, now: now, timeZone: timeZone, lookingBack: range == .past)
        let display = ValueFormatter(lexicon: lexicon, now: now, timeZone: timeZone)
        guard let when = parser.parse(answer, changing: previous) else {
            // A typo in a date word: offer the reading it most likely was.
            if let (text, meant) = parser.suggestion(for: answer, changing: previous), fits(meant, range) {
                return .failure(Rejection("did_you_mean", ["answer": text, "when": display.format(meant)], suggestion: text))
            }
            return .failure(Rejection(range == .past ? "not_a_past_when" : "not_a_when"))
        }
        let formatted = display.format(when)
        switch range {
        case .future where isPast(when): return .failure(Rejection("when_in_past", ["when": formatted]))
        case .past where isFuture(when): return .failure(Rejection("when_in_future", ["when": formatted]))
        default: return .success(.when(when))
        }
    }

    private func fits(_ when: WhenValue, _ range: WhenRange) -> Bool {
        switch range {
        case .any: return true
        case .future: return !isPast(when)
        case .past: return !isFuture(when)
        }
    }
}
