import Foundation

/// Reads natural dates and times ("tomorrow 14:00", "fri 9:30", "in 3 days", "2026-12-01 10:00",
/// "på fredag", "za 3 dni") relative to an injected moment and time zone. Pure: the clock is a value.
///
/// Rules worth knowing:
/// - A weekday means its next occurrence. Said on that same weekday it means today only when a
///   time is given that is still ahead; otherwise the same weekday next week. "next fri" never
///   means today.
/// - A time alone means today, or tomorrow when that time has passed.
/// - A day and month without a year means the next such date (this year, or next if it has passed).
/// - Day offsets keep the wall-clock time across daylight-saving changes.
/// - `D/M` and `D.M.` are day first, as written in Europe.
/// - Looking back (`lookingBack`, for "when did you meet?"), a weekday means its last occurrence
///   and a day and month without a year the last such date; "yesterday", "last fri" and
///   "3 days ago" work either way.
public struct WhenParser: Sendable {
    public var words: DateWords
    public var now: Date
    public var calendar: Calendar
    /// Resolve ambiguous days backwards rather than forwards.
    public var lookingBack: Bool
    /// Every date word and phrase, folded and split.
    private let vocabulary: DateVocabulary

    public init(words: DateWords, now: Date, timeZone: TimeZone, lookingBack: Bool = false) {
        self.init(vocabulary: DateVocabulary(words), now: now, timeZone: timeZone, lookingBack: lookingBack)
    }

    /// A parser over a vocabulary folded earlier: folding every date word costs more than most
    /// parses, so whoever parses often (the dialogue engine) keeps one vocabulary per language.
    public init(vocabulary: DateVocabulary, now: Date, timeZone: TimeZone, lookingBack: Bool = false) {
        self.words = vocabulary.words
        self.vocabulary = vocabulary
        self.now = now
        self.lookingBack = lookingBack
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.calendar = calendar
    }

    /// The moment the text names, or nil when it cannot be read.
    public func parse(_ text: String) -> WhenValue? {
        guard let tokens = tokenize(text), !tokens.isEmpty else { return nil }
        guard let reading = read(tokens) else { return nil }
        return resolve(reading)
    }

    // MARK: - Reading tokens

    /// What the words said, before it is turned into a moment.
    private struct Reading {
        var dayOffset: Int?
        var weekday: Int?  // Calendar weekday: 1 = Sunday
        var next = false
        var last = false
        var ago = false
        var date: (year: Int?, month: Int, day: Int)?
        var time: (hour: Int, minute: Int)?
        var offset: (amount: Int, unit: DurationValue.Unit)?
        var pendingNumber: Int?
    }

    /// What a date word means.
    enum Word: Sendable {
        case today, tomorrow, dayAfterTomorrow, yesterday, next, last, ago, inWord, filler, noon, am, pm
        case weekday(Int), month(Int), unit(DurationValue.Unit), number(Int)
    }

    /// Folded words with digits split from letters ("9am" → "9", "am"; "4th" → "4").
    private func tokenize(_ text: String) -> [String]? {
        let folded = TextFolding.fold(text.replacingOccurrences(of: ",", with: " "))
        var tokens: [String] = []
        for raw in folded.split(separator: " ") {
            var token = String(raw)
            if token.count > 5, token.contains("-"), let t = token.firstIndex(of: "t"), token[token.index(after: t)...].contains(":") {
                // 2026-12-01t10:00
                tokens.append(String(token[..<t]))
                token = String(token[token.index(after: t)...])
            }
            // Split a leading number from trailing letters.
            if let first = token.first, first.isNumber, let split = token.firstIndex(where: { $0.isLetter }) {
                let number = String(token[..<split])
                let suffix = String(token[split...])
                tokens.append(number)
                if !["st", "nd", "rd", "th", "e", "a"].contains(suffix) { tokens.append(suffix) }
            } else if token.hasSuffix("."), token.count > 1, !token.dropLast().contains(where: { $0.isNumber }) {
                tokens.append(String(token.dropLast()))  // "fri." → "fri"
            } else {
                tokens.append(token)
            }
        }
        return tokens
    }

    /// The longest lexicon phrase starting at `index`, as a word and how many tokens it spans.
    private func phrase(at index: Int, in tokens: [String]) -> (Word, Int)? {
        var best: (Word, Int)? = nil
        for (parts, word) in vocabulary.phrases where index + parts.count <= tokens.count && parts.count > (best?.1 ?? 0) {
            if tokens[index..<index + parts.count].elementsEqual(parts) { best = (word, parts.count) }
        }
        return best
    }

    private func read(_ tokens: [String]) -> Reading? {
        var reading = Reading()
        var index = 0
        var previous: Word? = nil
        while index < tokens.count {
            let token = tokens[index]
            if let (word, length) = phrase(at: index, in: tokens) {
                guard apply(word, to: &reading, previous: previous, peek: index + length < tokens.count ? tokens[index + length] : nil) else { return nil }
                previous = word
                index += length
                continue
            }
            guard readNumeric(token, into: &reading, nextToken: index + 1 < tokens.count ? tokens[index + 1] : nil, previous: previous) else {
                return nil
            }
            previous = nil
            index += 1
        }
        if let pending = reading.pendingNumber {
            // A bare number left over ("fri at 9"): an hour.
            guard reading.time == nil, (0...23).contains(pending) else { return nil }
            reading.time = (pending, 0)
        }
        return reading
    }

    private func apply(_ word: Word, to reading: inout Reading, previous: Word?, peek: String?) -> Bool {
        switch word {
        case .today: reading.dayOffset = 0
        case .tomorrow: reading.dayOffset = 1
        case .dayAfterTomorrow: reading.dayOffset = 2
        case .yesterday: reading.dayOffset = -1
        case .next: reading.next = true
        case .last: reading.last = true
        case .ago:
            guard reading.offset != nil else { return false }
            reading.ago = true
        case .inWord, .filler: break
        case .noon: reading.time = (12, 0)
        case .am, .pm:
            let isPM: Bool = { if case .pm = word { return true } else { return false } }()
            guard var time = reading.time ?? reading.pendingNumber.map({ ($0, 0) }) else { return false }
            reading.pendingNumber = nil
            guard (1...12).contains(time.hour) else { return false }
            if isPM, time.hour < 12 { time.hour += 12 }
            if !isPM, time.hour == 12 { time.hour = 0 }
            reading.time = time
        case .weekday(let weekday): reading.weekday = weekday
        case .month(let month):
            if let day = reading.pendingNumber {  // "4 dec"
                reading.pendingNumber = nil
                reading.date = (nil, month, day)
            } else {  // "dec 4": the day follows
                reading.date = (nil, month, 0)
            }
        case .unit(let unit):
            if case .next = previous {  // "next week"
                reading.offset = (1, unit)
                reading.next = false
                return true
            }
            if case .last = previous {  // "last week"
                reading.offset = (1, unit)
                reading.last = false
                reading.ago = true
                return true
            }
            guard let amount = reading.pendingNumber else { return false }
            reading.pendingNumber = nil
            reading.offset = (amount, unit)
        case .number(let value):
            // "a"/"an"/"two" only make sense before a unit; a bare "a" elsewhere is noise.
            reading.pendingNumber = value
        }
        return true
    }

    private func readNumeric(_ token: String, into reading: inout Reading, nextToken: String?, previous: Word?) -> Bool {
        // "4." is how Danish and Polish write the 4th: a plain number.
        if token.hasSuffix("."), token.dropLast().allSatisfy(\.isNumber), !token.dropLast().isEmpty {
            return readNumeric(String(token.dropLast()), into: &reading, nextToken: nextToken, previous: previous)
        }
        let parts = token.split(separator: token.contains(":") ? ":" : token.contains("-") ? "-" : token.contains("/") ? "/" : ".", omittingEmptySubsequences: false)
        // No part of a date or time has more than four digits; longer numbers are refused here
        // rather than overflowing the arithmetic below.
        let numbers = parts.map { $0.count <= 4 ? Int($0) : nil }
        if token.contains(":") {
            guard numbers.count == 2, let hour = numbers[0], let minute = numbers[1], parts[1].count == 2 else { return false }
            return setTime(hour, minute, &reading)
        }
        if token.contains("-") {
            guard numbers.count == 3, let year = numbers[0], let month = numbers[1], let day = numbers[2], parts[0].count == 4 else { return false }
            reading.date = (year, month, day)
            return true
        }
        if token.contains("/") || token.contains(".") {
            let trailingDot = token.hasSuffix(".")
            let values = numbers.filter { $0 != nil }.map { $0! }
            guard values.count == numbers.count || (trailingDot && values.count == numbers.count - 1) else { return false }
            if token.contains("."), !trailingDot, values.count == 2, parts[1].count == 2, reading.date != nil || reading.weekday != nil || reading.dayOffset != nil || previous.map(isTimeIntroducer) == true {
                return setTime(values[0], values[1], &reading)  // "fri 9.30"
            }
            guard values.count >= 2 else { return false }
            var year = values.count >= 3 ? values[2] : nil
            if let short = year, short < 100 { year = 2000 + short }
            reading.date = (year, values[1], values[0])
            return true
        }
        guard token.count <= 5, let number = Int(token) else { return false }  // "in 99999 days" at most
        if let date = reading.date, date.day == 0 {  // "dec 4"
            reading.date = (date.year, date.month, number)
            return true
        }
        if let date = reading.date, date.year == nil, number >= 1000 {  // "4 dec 2026"
            reading.date = (number, date.month, date.day)
            return true
        }
        if reading.pendingNumber != nil { return false }
        reading.pendingNumber = number
        return true
    }

    private func isTimeIntroducer(_ word: Word) -> Bool {
        if case .filler = word { return true }
        return false
    }

    private func setTime(_ hour: Int, _ minute: Int, _ reading: inout Reading) -> Bool {
        guard reading.time == nil, (0...23).contains(hour), (0...59).contains(minute) else { return false }
        reading.time = (hour, minute)
        return true
    }

    // MARK: - Resolving against now

    private func resolve(_ reading: Reading) -> WhenValue? {
        let today = calendar.startOfDay(for: now)
        let offsetCount = [reading.dayOffset != nil, reading.weekday != nil, reading.date != nil, reading.offset != nil].filter { $0 }.count
        guard offsetCount <= 1 || (offsetCount == 2 && reading.weekday != nil && reading.date != nil) else { return nil }

        let sign = reading.ago ? -1 : 1
        if let offset = reading.offset, offset.unit == .minute || offset.unit == .hour {
            guard reading.time == nil else { return nil }
            let minutes = offset.unit == .hour ? offset.amount * 60 : offset.amount
            return WhenValue(date: now.addingTimeInterval(TimeInterval(sign * minutes * 60)), hasTime: true)
        }

        var day: Date
        if let date = reading.date {
            guard (1...31).contains(date.day), (1...12).contains(date.month), (1...9999).contains(date.year ?? 1) else { return nil }
            var components = DateComponents(year: date.year ?? calendar.component(.year, from: now), month: date.month, day: date.day)
            guard let candidate = calendar.date(from: components), calendar.component(.day, from: candidate) == date.day else { return nil }
            day = candidate
            if date.year == nil, lookingBack ? day > today : day < today {
                components.year! += lookingBack ? -1 : 1
                guard let otherYear = calendar.date(from: components) else { return nil }
                day = otherYear
            }
        } else if let offset = reading.dayOffset {
            guard let offsetDay = calendar.date(byAdding: .day, value: offset, to: today) else { return nil }
            day = offsetDay
        } else if let weekday = reading.weekday {
            let current = calendar.component(.weekday, from: now)
            if reading.last || (lookingBack && !reading.next) {
                // The most recent such day: today only looking back without "last" and with the time passed.
                var delta = (current - weekday + 7) % 7
                if delta == 0 {
                    let passed = reading.time.map { minutesSinceMidnight(now) >= $0.hour * 60 + $0.minute } ?? true
                    if reading.last || !passed { delta = 7 }
                }
                guard let earlier = calendar.date(byAdding: .day, value: -delta, to: today) else { return nil }
                day = earlier
            } else {
                var delta = (weekday - current + 7) % 7
                if delta == 0 {
                    let stillAhead = reading.time.map { minutesSinceMidnight(now) < $0.hour * 60 + $0.minute } ?? false
                    if reading.next || !stillAhead { delta = 7 }
                }
                guard let later = calendar.date(byAdding: .day, value: delta, to: today) else { return nil }
                day = later
            }
        } else if let offset = reading.offset {
            let component: Calendar.Component = offset.unit == .month ? .month : .day
            let amount = offset.unit == .week ? offset.amount * 7 : offset.amount
            guard let moved = calendar.date(byAdding: component, value: sign * amount, to: today) else { return nil }
            day = moved
        } else if let time = reading.time {
            day = today
            let passed = minutesSinceMidnight(now) >= time.hour * 60 + time.minute
            if passed != lookingBack {
                guard let nextDay = calendar.date(byAdding: .day, value: lookingBack ? -1 : 1, to: today) else { return nil }
                day = nextDay
            }
        } else {
            return nil
        }

        guard let time = reading.time else { return WhenValue(date: day, hasTime: false) }
        guard let moment = calendar.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: day) else { return nil }
        return WhenValue(date: moment, hasTime: true)
    }

    private func minutesSinceMidnight(_ date: Date) -> Int {
        let components = calendar.dateComponents([.hour, .minute], from: date)
        return components.hour! * 60 + components.minute!
    }
}
