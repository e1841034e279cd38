import Foundation

/// Reads natural dates and times ("tomorrow 14:00", "fri 9:30", "in 3 days", "2026-12-01 10:00",
/// "på fredag", "tisdag vecka 50", "onsdag d. 9. dec", "za tydzień") relative to an injected
/// moment and time zone. Pure: the clock is a value.
///
/// Rules worth knowing:
/// - A weekday means its next occurrence. Said on that same weekday it means today only when a
///   time is given that is still ahead; otherwise the same weekday next week. "next fri" never
///   means today.
/// - A time alone means today, or tomorrow when that time has passed.
/// - A bare hour from 1 to 7 ("thursday at 2", "kl 3", "o 4") is in the afternoon, as meetings
///   are; "2am", "02:00" and "tomorrow morning at 7" say otherwise. After an afternoon or evening
///   word ("tonight at 8", "i kväll 7.30") any hour up to 11 is in the afternoon or evening.
/// - A day and month without a year means the next such date (this year, or next if it has
///   passed); a day of the month alone ("the 9th", "den 9:e", "9.") the next such day.
/// - A week number ("vecka 50", "uge 50", "v. 50") is an ISO 8601 week, this year's or, once it
///   has passed, next year's; with a weekday it is that day of the week, else its Monday.
/// - `D/M` and `D.M.` are day first, as written in Europe; "14.30" and "1430" alone are times.
/// - Day offsets keep the wall-clock time across daylight-saving changes.
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
        parse(text, changing: nil)
    }

    /// The moment the text names when it changes an earlier one (a date asked again after `back`,
    /// a follow-up snoozed): a time alone keeps the earlier day ("15:00" after "thu 14:00" is
    /// thu 15:00) unless that day has passed, and a day without a time keeps the earlier time of
    /// day ("in a week" for a follow-up due at 14:00) unless that moment would have passed.
    public func parse(_ text: String, changing previous: WhenValue?) -> WhenValue? {
        guard let tokens = tokenize(text), !tokens.isEmpty else { return nil }
        guard let reading = read(tokens) else { return nil }
        return resolve(reading, previous: previous)
    }

    /// For text that cannot be read: the same text with its misspelt date words mended
    /// ("tmorrow 2pm" → "tomorrow 2pm", "piatk" → "piątek") and the moment it then names, or nil
    /// when no word is close to one of the language's date words or the mended text is not a date
    /// either. Close is one edit (a letter added, dropped, changed or two swapped), or two in
    /// words of six letters or more.
    public func suggestion(for text: String, changing previous: WhenValue? = nil) -> (text: String, value: WhenValue)? {
        var changed = false
        let mended = text.split(whereSeparator: \.isWhitespace).map { word -> String in
            let trimmed = String(word).trimmingCharacters(in: ",.:;")
            let folded = TextFolding.fold(trimmed)
            guard folded.count >= 3, folded.allSatisfy(\.isLetter), !vocabulary.phraseWords.contains(folded),
                let closest = closestWord(to: folded)
            else { return String(word) }
            changed = true
            return vocabulary.displayWords[closest] ?? closest
        }
        guard changed else { return nil }
        let corrected = mended.joined(separator: " ")
        guard let value = parse(corrected, changing: previous) else { return nil }
        return (corrected, value)
    }

    /// The date word nearest to a word not among them, within the edits allowed for its length.
    private func closestWord(to word: String) -> String? {
        let allowed = word.count >= 6 ? 2 : 1
        var best: (word: String, distance: Int)? = nil
        for candidate in vocabulary.phraseWords.sorted() where candidate.count >= 3 && abs(candidate.count - word.count) <= allowed {
            let distance = Self.editDistance(Array(word), Array(candidate))
            if distance <= allowed, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.word
    }

    /// Edits between two words: insertions, deletions, substitutions and swaps of neighbours.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1) }
            }
        }
        return rows[a.count][b.count]
    }

    // MARK: - Reading tokens

    /// What the words said, before it is turned into a moment.
    private struct Reading {
        var dayOffset: Int?
        var weekday: Int?  // Calendar weekday: 1 = Sunday
        var next = false
        var last = false
        var ago = false
        /// An offset word ("in", "om", "za") was said.
        var sawIn = false
        /// Day first with the month still to come ("the 9th"): month nil. Month first with the
        /// day still to come ("dec 9"): day 0.
        var date: (year: Int?, month: Int?, day: Int)?
        /// An ISO week number ("vecka 50").
        var week: Int?
        /// A week word without a number before it: a week number may follow.
        var expectingWeek = false
        var time: (hour: Int, minute: Int)?
        /// The hour was said alone: no minutes, no am/pm, no leading zero.
        var timeIsBare = false
        /// "am" or "pm" was said.
        var saidMeridiem = false
        /// The time came from "14h": with "ago" it was an offset after all.
        var timeFromHourMark = false
        var partOfDay: PartOfDay?
        var offset: (amount: Int, unit: DurationValue.Unit)?
        var half = false
        var pendingNumber: Int?
        /// How the pending number was written, for "02" (explicit) and "1430" (hours and minutes).
        var pendingDigits = ""
        /// A time word ("at", "kl", "o") came before: the next number is a time of day.
        var expectingTime = false
        /// A day-of-month word ("den", "d.", "dnia") came before: the next number is a day.
        var expectingDay = false
    }

    enum PartOfDay: Sendable { case morning, afternoon }

    /// What a date word means.
    indirect enum Word: Sendable {
        case today, tomorrow, dayAfterTomorrow, yesterday, next, last, ago, inWord, filler, noon, am, pm
        case at, dayOfMonth, half, hourMark
        case partOfDay(PartOfDay)
        case weekday(Int), month(Int), number(Int)
        /// A unit word; `single` for a singular form, which alone after "in" means one ("za tydzień").
        case unit(DurationValue.Unit, single: Bool)
        /// A phrase that says two things: "tonight" is today and the evening.
        case both(Word, Word)
    }

    /// Folded words with digits split from letters ("9am" → "9", "am"; "v50" → "v", "50"), and
    /// ordinals written as the Danish and Polish do ("4th", "9:e" → "4.", "9.").
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
            // Keep a word with its dot when the vocabulary has it so ("d." is "den", not a day unit).
            if token.hasSuffix("."), vocabulary.phraseWords.contains(token) {
                tokens.append(token)
                continue
            }
            if let first = token.first, first.isNumber, let split = token.firstIndex(where: { $0.isLetter }) {
                var number = String(token[..<split])
                let suffix = String(token[split...])
                if let minutes = suffix.dropFirst().nonEmptyNumber, suffix.first == "h", minutes.count == 2, number.allSatisfy(\.isNumber) {
                    tokens.append(number + ":" + minutes)  // "14h30"
                    continue
                }
                let ordinalSuffixes = ["st", "nd", "rd", "th", "e", "a"]
                if number.hasSuffix(":"), ordinalSuffixes.contains(suffix) { number.removeLast() }  // "9:e"
                if number.hasSuffix("-"), ["tej", "ej", "ga", "go"].contains(suffix) {
                    tokens.append(String(number.dropLast()))  // "o 14-tej": an hour, said as in Polish
                    continue
                }
                if ordinalSuffixes.contains(suffix) {
                    tokens.append(number.hasSuffix(".") ? number : number + ".")
                } else {
                    tokens.append(number)
                    tokens.append(suffix)
                }
            } else if let first = token.first, first.isLetter, let split = token.firstIndex(where: \.isNumber),
                token[split...].allSatisfy({ $0.isNumber }), vocabulary.phraseWords.contains(String(token[..<split]))
            {
                tokens.append(String(token[..<split]))  // "v50"
                tokens.append(String(token[split...]))
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
                guard apply(word, to: &reading, previous: previous) else { return nil }
                previous = word
                index += length
                continue
            }
            guard readNumeric(token, into: &reading) else { return nil }
            previous = nil
            index += 1
        }
        guard !reading.expectingWeek, !reading.expectingDay else { return nil }
        if let pending = reading.pendingNumber {
            // A number left over ("fri at 9", "kl 1430"): an hour, or hours and minutes.
            guard reading.time == nil else { return nil }
            let digits = reading.pendingDigits
            if digits.count >= 3 {
                guard let hour = Int(digits.dropLast(2)), let minute = Int(digits.suffix(2)), setTime(hour, minute, &reading) else { return nil }
            } else {
                guard (0...23).contains(pending) else { return nil }
                reading.time = (pending, 0)
                reading.timeIsBare = !(digits.count == 2 && digits.hasPrefix("0"))
            }
            reading.pendingNumber = nil
        }
        if var time = reading.time {
            // Meetings happen in the day: "at 2" is 14:00, "tonight at 8" 20:00.
            switch reading.partOfDay {
            case .afternoon? where !reading.saidMeridiem && (1...11).contains(time.hour): time.hour += 12
            case nil where reading.timeIsBare && (1...7).contains(time.hour): time.hour += 12
            default: break
            }
            reading.time = time
        }
        return reading
    }

    private func apply(_ word: Word, to reading: inout Reading, previous: Word?) -> Bool {
        switch word {
        case .today: reading.dayOffset = 0
        case .tomorrow: reading.dayOffset = 1
        case .dayAfterTomorrow: reading.dayOffset = 2
        case .yesterday: reading.dayOffset = -1
        case .next: reading.next = true
        case .last: reading.last = true
        case .ago:
            if reading.offset == nil, reading.timeFromHourMark, let time = reading.time {
                reading.offset = (time.hour, .hour)  // "2h ago"
                reading.time = nil
                reading.timeFromHourMark = false
            }
            guard reading.offset != nil else { return false }
            reading.ago = true
        case .inWord: reading.sawIn = true
        case .filler: break
        case .at: reading.expectingTime = true
        case .dayOfMonth: reading.expectingDay = true
        case .partOfDay(let part): reading.partOfDay = part
        case .half: reading.half = true
        case .noon: reading.time = (12, 0)
        case .am, .pm:
            let isPM: Bool = { if case .pm = word { return true } else { return false } }()
            guard var time = reading.time ?? reading.pendingNumber.map({ ($0, 0) }) else { return false }
            reading.pendingNumber = nil
            guard (1...12).contains(time.hour) else { return false }
            if isPM, time.hour < 12 { time.hour += 12 }
            if !isPM, time.hour == 12 { time.hour = 0 }
            reading.time = time
            reading.timeIsBare = false
            reading.saidMeridiem = true
        case .weekday(let weekday): reading.weekday = weekday
        case .month(let month):
            if let day = reading.pendingNumber {  // "4 dec"
                reading.pendingNumber = nil
                reading.date = (nil, month, day)
            } else if let date = reading.date, date.month == nil {  // "9. dec", "the 9th of december"
                reading.date = (date.year, month, date.day)
            } else {  // "dec 4": the day follows
                reading.date = (nil, month, 0)
            }
        case .hourMark:
            // "14h" is a time of day; "in 2 h" and "2 h ago" are lengths of time.
            if let hour = reading.pendingNumber, !reading.sawIn, !reading.half, reading.time == nil, (0...23).contains(hour) {
                reading.pendingNumber = nil
                reading.time = (hour, 0)
                reading.timeFromHourMark = true
                return true
            }
            return apply(.unit(.hour, single: false), to: &reading, previous: previous)
        case .unit(let unit, let single):
            if case .next? = previous {  // "next week"
                reading.offset = (1, unit)
                reading.next = false
                return true
            }
            if case .last? = previous {  // "last week"
                reading.offset = (1, unit)
                reading.last = false
                reading.ago = true
                return true
            }
            if unit == .week, reading.pendingNumber == nil, !reading.sawIn, !reading.half {
                reading.expectingWeek = true  // "vecka 50"
                return true
            }
            // "za tydzień", "in an hour": an offset word and a unit alone is one of it.
            guard var amount = reading.pendingNumber ?? ((reading.sawIn && single) || reading.half ? 1 : nil) else { return false }
            var unit = unit
            if reading.half {
                // "in half an hour", "za pół godziny", "om en halv time"
                guard unit == .hour else { return false }
                amount *= 30
                unit = .minute
                reading.half = false
            }
            reading.pendingNumber = nil
            reading.offset = (amount, unit)
        case .number(let value):
            // "a"/"an"/"two" only make sense before a unit; a bare "a" elsewhere is noise.
            reading.pendingNumber = value
            reading.pendingDigits = ""
        case .both(let first, let second):
            return apply(first, to: &reading, previous: previous) && apply(second, to: &reading, previous: previous)
        }
        return true
    }

    private func readNumeric(_ token: String, into reading: inout Reading) -> Bool {
        // "4." is how Danish and Polish write the 4th (and "4th", "9:e" are read so too): a day.
        if token.hasSuffix("."), token.dropLast().allSatisfy(\.isNumber), !token.dropLast().isEmpty {
            guard token.count <= 3, let day = Int(token.dropLast()), (1...31).contains(day) else { return false }
            return setDay(day, &reading)
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
            reading.expectingDay = false
            return true
        }
        if token.contains("/") || token.contains(".") {
            let trailingDot = token.hasSuffix(".")
            let values = numbers.filter { $0 != nil }.map { $0! }
            guard values.count == numbers.count || (trailingDot && values.count == numbers.count - 1) else { return false }
            if token.contains("."), !trailingDot, values.count == 2, parts[1].count == 2 {
                // "fri 9.30", "kl 14.30", or "14.30" alone, which no date is; "4.12" alone is a date.
                let timeContext = reading.date != nil || reading.weekday != nil || reading.dayOffset != nil || reading.expectingTime
                let isDate = (1...31).contains(values[0]) && (1...12).contains(values[1])
                if timeContext || !isDate {
                    reading.expectingTime = false
                    return setTime(values[0], values[1], &reading)
                }
            }
            guard values.count >= 2 else { return false }
            var year = values.count >= 3 ? values[2] : nil
            if let short = year, short < 100 { year = 2000 + short }
            reading.date = (year, values[1], values[0])
            reading.expectingDay = false
            return true
        }
        guard token.count <= 5, let number = Int(token) else { return false }  // "in 99999 days" at most
        if reading.expectingWeek {  // "vecka 50"
            guard (1...53).contains(number), reading.week == nil else { return false }
            reading.week = number
            reading.expectingWeek = false
            return true
        }
        if reading.expectingDay {  // "den 9", "dnia 9"
            return setDay(number, &reading)
        }
        if let date = reading.date, date.day == 0 {  // "dec 4"
            reading.date = (date.year, date.month, number)
            return true
        }
        if let date = reading.date, date.year == nil, date.month != nil, number >= 1000, !reading.expectingTime {
            if (2000...9999).contains(number) {  // "4 dec 2026"
                reading.date = (number, date.month, date.day)
                return true
            }
        }
        if reading.pendingNumber != nil { return false }
        reading.pendingNumber = number
        reading.pendingDigits = token
        reading.expectingTime = false
        return true
    }

    private func setDay(_ day: Int, _ reading: inout Reading) -> Bool {
        reading.expectingDay = false
        if let date = reading.date, date.day == 0 {  // "dec 9th"
            reading.date = (date.year, date.month, day)
            return true
        }
        guard reading.date == nil, (1...31).contains(day) else { return false }
        reading.date = (nil, nil, day)
        return true
    }

    private func setTime(_ hour: Int, _ minute: Int, _ reading: inout Reading) -> Bool {
        guard reading.time == nil, (0...23).contains(hour), (0...59).contains(minute) else { return false }
        reading.time = (hour, minute)
        reading.timeIsBare = false
        return true
    }

    // MARK: - Resolving against now

    private func resolve(_ reading: Reading, previous: WhenValue?) -> WhenValue? {
        let today = calendar.startOfDay(for: now)
        let saysDay = [reading.dayOffset != nil, reading.weekday != nil, reading.date != nil, reading.offset != nil, reading.week != nil]
        let offsetCount = saysDay.filter { $0 }.count
        let dayWithWeekday = offsetCount == 2 && reading.weekday != nil && (reading.date != nil || reading.week != nil)
        guard offsetCount <= 1 || dayWithWeekday else { return nil }

        let sign = reading.ago ? -1 : 1
        if let offset = reading.offset, offset.unit == .minute || offset.unit == .hour {
            guard reading.time == nil else { return nil }
            let minutes = offset.unit == .hour ? offset.amount * 60 : offset.amount
            return WhenValue(date: now.addingTimeInterval(TimeInterval(sign * minutes * 60)), hasTime: true)
        }

        var day: Date
        if let week = reading.week {
            guard let weekDay = isoWeekDay(week: week, weekday: reading.weekday ?? 2, from: today) else { return nil }
            day = weekDay
        } else if let date = reading.date, date.month == nil {
            guard let nextDay = dayOfMonth(date.day, from: today) else { return nil }
            day = nextDay
        } else if let date = reading.date, let month = date.month {
            guard (1...31).contains(date.day), (1...12).contains(month), (1...9999).contains(date.year ?? 1) else { return nil }
            var components = DateComponents(year: date.year ?? calendar.component(.year, from: now), month: month, day: date.day)
            guard let candidate = calendar.date(from: components), calendar.component(.day, from: candidate) == date.day else { return nil }
            day = candidate
            if date.year == nil, lookingBack ? day > today : day < today {
                components.year! += lookingBack ? -1 : 1
                guard let otherYear = calendar.date(from: components), calendar.component(.day, from: otherYear) == date.day else { return nil }
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
            if let previous, lookingBack ? previous.date <= now : calendar.startOfDay(for: previous.date) >= today {
                // A time alone changes the time of the day already chosen.
                day = calendar.startOfDay(for: previous.date)
            } else {
                day = today
                let passed = minutesSinceMidnight(now) >= time.hour * 60 + time.minute
                if passed != lookingBack {
                    guard let nextDay = calendar.date(byAdding: .day, value: lookingBack ? -1 : 1, to: today) else { return nil }
                    day = nextDay
                }
            }
        } else {
            return nil
        }

        guard let time = reading.time else {
            // A day alone keeps the time of day it had, while that moment is still to come (or past).
            if let previous, previous.hasTime {
                let kept = calendar.dateComponents([.hour, .minute], from: previous.date)
                if let moment = calendar.date(bySettingHour: kept.hour!, minute: kept.minute!, second: 0, of: day),
                    lookingBack ? moment <= now : moment >= now
                {
                    return WhenValue(date: moment, hasTime: true)
                }
            }
            return WhenValue(date: day, hasTime: false)
        }
        guard let moment = calendar.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: day) else { return nil }
        return WhenValue(date: moment, hasTime: true)
    }

    /// The day of an ISO 8601 week: this year's week, or next year's once it has passed (last
    /// year's, looking back). Nil for a week the year does not have.
    private func isoWeekDay(week: Int, weekday: Int, from today: Date) -> Date? {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = calendar.timeZone
        let thisYear = iso.component(.yearForWeekOfYear, from: today)
        func day(in year: Int) -> Date? {
            guard let date = iso.date(from: DateComponents(weekday: weekday, weekOfYear: week, yearForWeekOfYear: year)),
                iso.component(.weekOfYear, from: date) == week
            else { return nil }
            return iso.startOfDay(for: date)
        }
        guard let candidate = day(in: thisYear) else { return day(in: thisYear + (lookingBack ? -1 : 1)) }
        if lookingBack ? candidate > today : candidate < today { return day(in: thisYear + (lookingBack ? -1 : 1)) }
        return candidate
    }

    /// The next day of the month with this number (the last one, looking back): this month's
    /// while it is still to come, else the next month that has it.
    private func dayOfMonth(_ number: Int, from today: Date) -> Date? {
        guard (1...31).contains(number) else { return nil }
        let start = calendar.dateComponents([.year, .month], from: today)
        for step in 0..<12 {
            guard let first = calendar.date(from: start), let month = calendar.date(byAdding: .month, value: lookingBack ? -step : step, to: first) else { return nil }
            var components = calendar.dateComponents([.year, .month], from: month)
            components.day = number
            guard let candidate = calendar.date(from: components), calendar.component(.day, from: candidate) == number else { continue }
            if lookingBack ? candidate <= today : candidate >= today { return candidate }
        }
        return nil
    }

    private func minutesSinceMidnight(_ date: Date) -> Int {
        let components = calendar.dateComponents([.hour, .minute], from: date)
        return components.hour! * 60 + components.minute!
    }
}

extension Substring {
    /// The text when it is all digits and not empty.
    fileprivate var nonEmptyNumber: String? {
        !isEmpty && allSatisfy(\.isNumber) ? String(self) : nil
    }
}
