import Foundation

/// What reading a feed may cost: a feed is someone else's file fetched from the network, so it
/// is read within budgets and never trusted to be small, flat or well formed.
public struct CalendarLimits: Sendable, Hashable {
    /// The longest logical line (after unfolding), in bytes; a longer one is skipped with a warning.
    public var maxLineBytes = 1 << 20
    /// Events (VEVENT components) read; the rest of a larger feed is left out with a warning.
    public var maxEvents = 100_000
    /// Components of any kind, nested ones included.
    public var maxComponents = 250_000
    /// How deep components may nest (VCALENDAR › VEVENT › VALARM is 3).
    public var maxDepth = 12
    /// Properties one component may have.
    public var maxProperties = 5_000
    /// Attendees one event keeps.
    public var maxAttendees = 500
    /// Warnings kept (the rest are counted).
    public var maxWarnings = 200
    /// Occurrences one expansion produces, over all events.
    public var maxOccurrences = 50_000
    public var expansion = ExpansionBudget()

    public init() {}
}

/// A feed as read: its events (masters, single events and changed instances), the time zones
/// it defines, and a located warning for each thing that could not be read.
public struct CalendarDocument: Sendable {
    public var events: [CalendarEvent]
    public var timeZones: [String: TimeZoneDefinition]
    /// `X-WR-CALNAME`: Google and Apple name the calendar here.
    public var name: String?
    /// `X-WR-TIMEZONE`: the calendar's zone, which Google uses for times written without one.
    public var defaultTimeZone: String?
    public var warnings: [CalendarWarning]
    /// Warnings beyond the ones kept.
    public var moreWarnings: Int
    /// Whether the text was an iCalendar object at all (it had a BEGIN:VCALENDAR).
    public var isCalendar: Bool
}

/// An RFC 5545 reader written for feeds as calendars really export them: lines folded at 75
/// octets (CRLF or bare LF, a space or a tab), escaped TEXT, parameters with quoted values that
/// hold `:` `;` and `,`, BEGIN/END that do not match, and bytes that are not UTF-8. Works on the
/// bytes; only the properties events need become strings. Pure and bounded: see `CalendarLimits`.
public struct ICalendarParser: Sendable {
    public var limits: CalendarLimits

    public init(limits: CalendarLimits = CalendarLimits()) {
        self.limits = limits
    }

    /// One content line: `NAME;PARAM=VALUE,"VALUE":value`.
    struct ContentLine {
        var name: String
        var parameters: [(name: String, values: [String])]
        var value: String
        var line: Int
        /// Where the value begins in the (unfolded) line.
        var valueStart = 0
        /// A DESCRIPTION's value, left in the feed's bytes (`value` is then empty).
        var deferred: CalendarText?

        func parameter(_ name: String) -> String? {
            parameters.first { $0.name == name }?.values.first
        }
    }

    /// A component being read: its properties and the components inside it that matter.
    private final class Component {
        let name: String
        let line: Int
        var properties: [ContentLine] = []
        var children: [Component] = []
        /// Whether its properties are read (events, zones and their parts, the calendar).
        let reads: Bool
        init(name: String, line: Int, reads: Bool) {
            self.name = name
            self.line = line
            self.reads = reads
        }
    }

    private static let readComponents: Set<String> = ["VCALENDAR", "VEVENT", "VTIMEZONE", "STANDARD", "DAYLIGHT"]

    public func parse(_ text: String) -> CalendarDocument {
        parse(Array(text.utf8))
    }

    /// Reads a feed; its events keep `bytes` (shared, not copied) for the descriptions they read later.
    public func parse(_ bytes: [UInt8]) -> CalendarDocument {
        bytes.withUnsafeBufferPointer { parse($0, source: bytes) }
    }

    /// The same over bytes held elsewhere (a file's `Data`): descriptions are read as strings at once.
    public func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> CalendarDocument {
        parse(buffer, source: nil)
    }

    /// `source`, when given, is `buffer`'s own array.
    private func parse(_ buffer: UnsafeBufferPointer<UInt8>, source: [UInt8]?) -> CalendarDocument {
        var warnings = Warnings(limit: limits.maxWarnings)
        var stack: [Component] = []
        var events: [CalendarEvent] = []
        var timeZones: [String: TimeZoneDefinition] = [:]
        var calendarName: String?
        var defaultZone: String?
        var isCalendar = false
        var components = 0
        var eventCount = 0
        var tooManyEvents = false
        var skippedDepth = 0  // nesting inside a component too deep (or over budget) to read
        var rules = RecurrenceRuleCache()

        func close(_ index: Int) {
            let closed = stack[index]
            stack.removeSubrange(index...)
            switch closed.name {
            case "VEVENT" where closed.reads:
                if let event = EventReader(limits: limits).event(closed.properties, line: closed.line, rules: &rules, warnings: &warnings) { events.append(event) }
            case "VTIMEZONE" where closed.reads:
                if let zone = Self.timeZone(closed, warnings: &warnings) { timeZones[zone.tzid] = zone }
            case "STANDARD", "DAYLIGHT":
                if let parent = stack.last, parent.name == "VTIMEZONE" { parent.children.append(closed) }
            case "VCALENDAR":
                calendarName = closed.properties.first { $0.name == "X-WR-CALNAME" }.map { CalendarValues.text($0.value) }
                defaultZone = closed.properties.first { $0.name == "X-WR-TIMEZONE" }?.value.trimmed
            default:
                break
            }
        }

        /// `raw` is where the line is in `buffer`, folded or not.
        func handle(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, raw: Range<Int>, folded: Bool) {
            if line.isEmpty { return }
            // BEGIN and END are checked on the bytes, so skipped components cost no strings.
            if let name = Self.marker(line, "BEGIN:") {
                components += 1
                if name == "VCALENDAR" { isCalendar = true }
                if skippedDepth > 0 || stack.count >= limits.maxDepth || components > limits.maxComponents || (name == "VEVENT" && tooManyEvents) {
                    if skippedDepth == 0 {
                        if stack.count >= limits.maxDepth {
                            warnings.add(number, "components nest more than \(limits.maxDepth) deep; \(name) was skipped")
                        } else if components == limits.maxComponents + 1 {
                            warnings.add(number, "the feed has more than \(limits.maxComponents) components; the rest was not read")
                        }
                    }
                    skippedDepth += 1
                    return
                }
                if name == "VEVENT" {
                    eventCount += 1
                    if eventCount > limits.maxEvents {
                        tooManyEvents = true
                        warnings.add(number, "the feed has more than \(limits.maxEvents) events; the rest was not read")
                        skippedDepth += 1
                        return
                    }
                }
                if name == "VEVENT", let open = stack.lastIndex(where: { $0.name == "VEVENT" }) {
                    // An event never holds another: the one open lacks its END.
                    warnings.add(stack[open].line, "BEGIN:VEVENT is not closed before the next one (line \(number)); it was read up to there")
                    close(open)
                }
                let reads = (stack.last?.reads ?? true) && Self.readComponents.contains(name)
                stack.append(Component(name: name, line: number, reads: reads))
                return
            }
            if let name = Self.marker(line, "END:") {
                if skippedDepth > 0 {
                    skippedDepth -= 1
                    return
                }
                guard let index = stack.lastIndex(where: { $0.name == name }) else {
                    warnings.add(number, "END:\(name) without a BEGIN:\(name)")
                    return
                }
                if index != stack.count - 1 {
                    warnings.add(number, "END:\(name) closes \(stack[(index + 1)...].map { "BEGIN:\($0.name)" }.joined(separator: ", ")) too (line \(stack[index + 1].line))")
                }
                close(index)
                return
            }
            guard skippedDepth == 0, let current = stack.last, current.reads else { return }
            // Only the properties something reads become strings (a feed is mostly X- and the like).
            guard Self.wanted(line, in: current.name) else { return }
            guard current.properties.count < limits.maxProperties else {
                if current.properties.count == limits.maxProperties {
                    warnings.add(number, "\(current.name) has more than \(limits.maxProperties) properties; the rest were skipped")
                    current.properties.append(ContentLine(name: "", parameters: [], value: "", line: number))
                }
                return
            }
            // A description stays in the feed's bytes until a meeting asks for it.
            let defers = source != nil && current.name == "VEVENT" && Self.isDescription(line)
            guard var content = Self.contentLine(line, number: number, readsValue: !defers) else {
                warnings.add(number, "'\(Self.preview(line))' is not a NAME:value line")
                return
            }
            if defers, let source { content.deferred = CalendarText(source: source, line: raw, folded: folded, skip: content.valueStart) }
            current.properties.append(content)
        }

        var lines = LineReader(buffer: buffer, maxLength: limits.maxLineBytes)
        var unfolded: [UInt8] = []  // one buffer for every folded line
        while let logical = lines.next() {
            let raw = UnsafeBufferPointer(rebasing: buffer[logical.range])
            if logical.tooLong {
                warnings.add(logical.number, "a line of more than \(limits.maxLineBytes / 1024) KB was skipped")
            } else if logical.folded {
                Self.unfold(raw, into: &unfolded)
                unfolded.withUnsafeBufferPointer { handle($0, logical.number, raw: logical.range, folded: true) }
            } else {
                handle(raw, logical.number, raw: logical.range, folded: false)
            }
        }
        // A feed cut short: what is open is read as far as it goes.
        while let open = stack.last {
            warnings.add(open.line, "BEGIN:\(open.name) is never closed; it was read to the end of the feed")
            close(stack.count - 1)
        }
        return CalendarDocument(
            events: events, timeZones: timeZones, name: calendarName, defaultTimeZone: defaultZone, warnings: warnings.kept,
            moreWarnings: warnings.dropped, isCalendar: isCalendar)
    }

    // MARK: - Lines

    /// Logical lines of a buffer: physical lines joined where the next begins with a space or a tab.
    struct LineReader {
        let buffer: UnsafeBufferPointer<UInt8>
        let maxLength: Int
        var position = 0
        var physicalLine = 0

        init(buffer: UnsafeBufferPointer<UInt8>, maxLength: Int) {
            self.buffer = buffer
            self.maxLength = maxLength
            // A UTF-8 byte order mark is not part of the first line.
            if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
        }

        /// A logical line: a range of the buffer, with the line breaks and leading blanks of its
        /// continuation lines still in it when folded.
        struct Logical {
            var range: Range<Int>
            var folded: Bool
            var number: Int
            var tooLong: Bool
        }

        /// The end of the physical line starting at `start` (without its CR LF or LF) and where the next begins.
        private func lineEnd(from start: Int) -> (end: Int, next: Int) {
            let count = buffer.count
            var index = count
            if start < count, let base = buffer.baseAddress, let found = memchr(base + start, 10, count - start) {
                index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            let next = index < count ? index + 1 : index
            var end = index
            if end > start && buffer[end - 1] == 13 { end -= 1 }
            return (end, next)
        }

        mutating func next() -> Logical? {
            guard position < buffer.count else { return nil }
            physicalLine += 1
            let number = physicalLine
            let start = position
            var (end, next) = lineEnd(from: start)
            position = next
            guard position < buffer.count, buffer[position] == 32 || buffer[position] == 9 else {
                return Logical(range: start..<end, folded: false, number: number, tooLong: end - start > maxLength)
            }
            var length = end - start
            while position < buffer.count, buffer[position] == 32 || buffer[position] == 9 {
                physicalLine += 1
                (end, next) = lineEnd(from: position + 1)
                length += end - position - 1
                position = next
            }
            return Logical(range: start..<end, folded: true, number: number, tooLong: length > maxLength)
        }
    }

    /// A folded logical line joined: each line break (CR LF or LF) and the blank after it left out.
    static func unfold(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        guard let base = raw.baseAddress else { return }
        var index = 0
        while index < raw.count {
            let found = memchr(base + index, 10, raw.count - index).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? raw.count
            var end = found
            if found < raw.count && end > index && raw[end - 1] == 13 { end -= 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[index..<end]))
            index = found + 2  // the LF and the space or tab that folds
        }
    }

    static func unfold(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        unfold(raw, into: &out)
        return out
    }

    /// The component name after `BEGIN:` or `END:` (case-insensitive), uppercased.
    static func marker(_ line: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> String? {
        let length = prefix.utf8CodeUnitCount
        guard line.count > length, line.count < 200 else { return nil }
        let pointer = prefix.utf8Start
        for index in 0..<length {
            let byte = line[index]
            let upper = byte >= 97 && byte <= 122 ? byte - 32 : byte
            if upper != pointer[index] { return nil }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: line[length...]), as: UTF8.self).trimmed.uppercased()
    }

    private static let eventProperties = names(["UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS",
                                                 "SEQUENCE", "SUMMARY", "DESCRIPTION", "LOCATION", "ORGANIZER", "ATTENDEE"])
    private static let zoneProperties = names(["TZID", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE", "RDATE"])
    private static let calendarProperties = names(["X-WR-CALNAME", "X-WR-TIMEZONE"])

    /// Property names as their bytes, by length: looked up for every line without making a string.
    private static func names(_ list: [String]) -> [Int: [[UInt8]]] {
        Dictionary(grouping: list.map { Array($0.utf8) }, by: \.count)
    }

    /// Whether a line's property is one the component's reader uses; a line without a name
    /// (no `;` or `:` within 64 bytes) is kept, to be warned about.
    static func wanted(_ line: UnsafeBufferPointer<UInt8>, in component: String) -> Bool {
        var end = 0
        let limit = min(line.count, 64)
        while end < limit && line[end] != 59 && line[end] != 58 { end += 1 }
        guard end < limit, end > 0 else { return true }
        let table: [Int: [[UInt8]]]
        switch component {
        case "VEVENT": table = eventProperties
        case "VTIMEZONE", "STANDARD", "DAYLIGHT": table = zoneProperties
        case "VCALENDAR": table = calendarProperties
        default: return false
        }
        guard let candidates = table[end] else { return false }
        return candidates.contains { name in
            for index in 0..<end where asciiUpper(line[index]) != name[index] { return false }
            return true
        }
    }

    @inline(__always)
    static func asciiUpper(_ byte: UInt8) -> UInt8 { byte >= 97 && byte <= 122 ? byte - 32 : byte }

    /// Names and parameter names uppercased as ASCII, as RFC 5545 has them (faster than Unicode's).
    static func upperName(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.allSatisfy({ $0 < 128 }) else { return String(decoding: bytes, as: UTF8.self).uppercased() }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            for index in bytes.indices { out[index] = asciiUpper(bytes[index]) }
            return bytes.count
        }
    }

    private static let description = Array("DESCRIPTION".utf8)

    /// Whether a line is a DESCRIPTION (its name in any case, then `;` or `:`).
    static func isDescription(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count > description.count, line[description.count] == 59 || line[description.count] == 58 else { return false }
        for index in description.indices where asciiUpper(line[index]) != description[index] { return false }
        return true
    }

    /// A parameter or keyword value uppercased the same way.
    static func upper(_ text: String) -> String {
        var text = text
        return text.withUTF8 { upperName($0) }
    }

    /// Splits a content line into name, parameters and value (an empty one unless `readsValue`); nil when it has no `:`.
    static func contentLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, readsValue: Bool = true) -> ContentLine? {
        var index = 0
        let count = line.count
        while index < count && line[index] != 59 && line[index] != 58 { index += 1 }  // ; :
        guard index < count, index > 0 else { return nil }
        let name = upperName(UnsafeBufferPointer(rebasing: line[0..<index]))
        var parameters: [(name: String, values: [String])] = []
        while index < count && line[index] == 59 {
            index += 1
            let nameStart = index
            while index < count && line[index] != 61 && line[index] != 58 && line[index] != 59 { index += 1 }  // = : ;
            let parameterName = upperName(UnsafeBufferPointer(rebasing: line[nameStart..<index]))
            var values: [String] = []
            if index < count && line[index] == 61 {
                index += 1
                while true {
                    if index < count && line[index] == 34 {  // a quoted value: anything but a quote
                        let valueStart = index + 1
                        index = valueStart
                        while index < count && line[index] != 34 { index += 1 }
                        values.append(String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<min(index, count)]), as: UTF8.self))
                        if index < count { index += 1 }
                    } else {
                        let valueStart = index
                        while index < count && line[index] != 44 && line[index] != 59 && line[index] != 58 { index += 1 }
                        values.append(String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<index]), as: UTF8.self))
                    }
                    if index < count && line[index] == 44 { index += 1; continue }
                    break
                }
            }
            if parameters.count < 64 { parameters.append((parameterName, values)) }
        }
        guard index < count, line[index] == 58 else { return nil }
        let value = readsValue ? String(decoding: UnsafeBufferPointer(rebasing: line[(index + 1)...]), as: UTF8.self) : ""
        return ContentLine(name: name, parameters: parameters, value: value, line: number, valueStart: index + 1)
    }

    static func preview(_ line: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: line[0..<min(line.count, 40)]), as: UTF8.self)
        return text.unicodeScalars.map { $0.value < 32 ? "?" : String($0) }.joined() + (line.count > 40 ? "…" : "")
    }

    // MARK: - Time zones

    private static func timeZone(_ component: Component, warnings: inout Warnings) -> TimeZoneDefinition? {
        guard let tzid = component.properties.first(where: { $0.name == "TZID" })?.value.trimmed, !tzid.isEmpty else {
            warnings.add(component.line, "VTIMEZONE without a TZID was skipped")
            return nil
        }
        var observances: [TimeZoneDefinition.Observance] = []
        for child in component.children {
            let property = { (name: String) in child.properties.first { $0.name == name } }
            guard let start = property("DTSTART").flatMap({ CalendarValues.time($0.value, tzid: nil, isDate: nil) }),
                  let from = property("TZOFFSETFROM").flatMap({ offset($0.value) }), let to = property("TZOFFSETTO").flatMap({ offset($0.value) })
            else {
                warnings.add(child.line, "\(child.name) of time zone '\(tzid)' lacks a DTSTART, TZOFFSETFROM or TZOFFSETTO; it was skipped")
                continue
            }
            var rule: RecurrenceRule? = nil
            if let text = property("RRULE")?.value {
                switch RecurrenceRule.parse(text) {
                case .success(let parsed): rule = parsed
                case .failure(let error): warnings.add(child.line, "RRULE of time zone '\(tzid)': \(error)")
                }
            }
            let dates = child.properties.filter { $0.name == "RDATE" }.flatMap { $0.value.split(separator: ",") }
                .compactMap { CalendarValues.time(String($0), tzid: nil, isDate: nil)?.civil }
            observances.append(.init(start: start.civil, offsetFrom: from, offsetTo: to, rule: rule, dates: dates))
        }
        guard !observances.isEmpty else {
            warnings.add(component.line, "time zone '\(tzid)' has no STANDARD or DAYLIGHT part; it was skipped")
            return nil
        }
        return TimeZoneDefinition(tzid: tzid, observances: observances)
    }

    /// `+0100`, `-0530`, `+013000` as seconds.
    static func offset(_ text: String) -> Int? {
        let value = text.trimmed
        guard let sign = value.first, sign == "+" || sign == "-" else { return nil }
        let digits = value.dropFirst()
        guard digits.count == 4 || digits.count == 6, digits.allSatisfy(\.isASCII), let number = Int(digits) else { return nil }
        let (hours, minutes, seconds) = digits.count == 4 ? (number / 100, number % 100, 0) : (number / 10000, number / 100 % 100, number % 100)
        guard hours < 24, minutes < 60, seconds < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds)
    }
}

/// Warnings, up to a number; the rest counted.
struct Warnings {
    let limit: Int
    var kept: [CalendarWarning] = []
    var dropped = 0

    init(limit: Int) {
        self.limit = limit
    }

    mutating func add(_ line: Int, _ message: String) {
        if kept.count < limit { kept.append(CalendarWarning(line: line, message: message)) } else { dropped += 1 }
    }
}
