import Foundation

/// A `VTIMEZONE` as a feed defines it: its observances (STANDARD and DAYLIGHT), each an offset
/// that starts at DTSTART (wall clock in the offset before it) and again at each instance of
/// its RRULE or RDATE.
public struct TimeZoneDefinition: Sendable, Hashable {
    public struct Observance: Sendable, Hashable {
        public var start: CivilTime
        public var offsetFrom: Int
        public var offsetTo: Int
        public var rule: RecurrenceRule?
        public var dates: [CivilTime]
    }

    public var tzid: String
    public var observances: [Observance]
}

/// Turns the times a feed writes into moments: UTC as it is, floating times and dates in the
/// person's own zone, and `TZID` zones by name. A name is looked up as an IANA zone first
/// (`Europe/Stockholm`, also inside a prefix such as `/mozilla.org/20050126_1/Europe/Berlin`),
/// then as a Windows zone name (`W. Europe Standard Time`, from CLDR's table), then in the feed's
/// own `VTIMEZONE`; the IANA rules know every past change, which a feed's definition seldom does.
/// One per feed read; not for sharing between threads.
final class CalendarZoneResolver {
    enum Zone {
        case system(TimeZone)
        case defined(DefinedZone)
    }

    let home: TimeZone
    private let definitions: [String: TimeZoneDefinition]
    private var zones: [String: Zone?] = [:]
    /// Zone names that could not be found, each warned about once.
    private(set) var unknown: Set<String> = []

    init(home: TimeZone, definitions: [String: TimeZoneDefinition]) {
        self.home = home
        self.definitions = definitions
    }

    /// The zone a TZID names; nil when none is known (the time is then read in the home zone).
    func zone(_ tzid: String) -> Zone? {
        if let known = zones[tzid] { return known }
        let found = Self.system(tzid).map(Zone.system) ?? definitions[tzid].map { Zone.defined(DefinedZone($0)) }
        zones[tzid] = found
        if found == nil { unknown.insert(tzid) }
        return found
    }

    /// An IANA zone by name, a Windows name or a prefixed IANA name.
    static func system(_ tzid: String) -> TimeZone? {
        let name = tzid.trimmed
        guard !name.isEmpty, name.utf8.count < 200 else { return nil }
        if name.contains("/"), let zone = TimeZone(identifier: name) { return zone }
        if ["UTC", "GMT", "Z", "Etc/UTC"].contains(name.uppercased()) { return TimeZone(identifier: "UTC") }
        if let iana = WindowsZones.ianaName(for: name), let zone = TimeZone(identifier: iana) { return zone }
        var parts = name.split(separator: "/").map(String.init)
        while parts.count > 1 {
            parts.removeFirst()
            if parts.count <= 3, let zone = TimeZone(identifier: parts.joined(separator: "/")) { return zone }
        }
        return nil
    }

    /// The UTC moment (seconds since 1970) of a time as written.
    func instant(_ time: CalendarTime) -> Int64 {
        switch time {
        case .utc(let civil): return civil.seconds
        case .date(let civil), .floating(let civil): return Self.utc(fromLocal: civil.seconds) { self.offset(self.home, $0) }
        case .zoned(let civil, let tzid):
            guard let zone = zone(tzid) else { return Self.utc(fromLocal: civil.seconds) { self.offset(self.home, $0) } }
            return utc(fromLocal: civil, in: zone)
        }
    }

    func utc(fromLocal civil: CivilTime, in zone: Zone) -> Int64 {
        switch zone {
        case .system(let timeZone): return Self.utc(fromLocal: civil.seconds) { self.offset(timeZone, $0) }
        case .defined(let defined): return Self.utc(fromLocal: civil.seconds) { defined.offset(atUTC: $0) }
        }
    }

    /// The wall clock of a moment in a zone.
    func civil(_ instant: Int64, in zone: Zone?) -> CivilTime {
        switch zone {
        case .system(let timeZone)?: return CivilTime(seconds: instant + Int64(offset(timeZone, instant)))
        case .defined(let defined)?: return CivilTime(seconds: instant + Int64(defined.offset(atUTC: instant)))
        case nil: return CivilTime(seconds: instant + Int64(offset(home, instant)))
        }
    }

    /// A zone's offset on a UTC day, when it is the same all day (nil when it changes that day).
    private struct DayKey: Hashable {
        var zone: String
        var day: Int64
    }
    private var dayOffsets: [DayKey: Int?] = [:]

    /// Foundation's offset costs microseconds a call and a feed needs tens of thousands; a day
    /// without a change is looked up once.
    private func offset(_ zone: TimeZone, _ instant: Int64) -> Int {
        let key = DayKey(zone: zone.identifier, day: CivilTime.floorDiv(instant, 86_400))
        if let known = dayOffsets[key] {
            if let known { return known }
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        }
        let start = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(key.day * 86_400)))
        let end = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(key.day * 86_400 + 86_399)))
        dayOffsets[key] = start == end ? start : nil
        return start == end ? start : zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// A wall-clock time to UTC as RFC 5545 3.3.5 says: a time that occurs twice (the hour
    /// summer time ends) is the first of them; a time that does not exist (skipped when it
    /// begins) is read with the offset before the gap, so 02:30 becomes 03:30.
    static func utc(fromLocal local: Int64, offset: (Int64) -> Int) -> Int64 {
        let before = Int64(offset(local - 86_400))
        let after = Int64(offset(local + 86_400))
        if before == after {
            let guess = local - before
            let actual = Int64(offset(guess))
            return actual == before ? guess : local - actual
        }
        let early = local - before
        let late = local - after
        let earlyFits = Int64(offset(early)) == before
        let lateFits = Int64(offset(late)) == after
        switch (earlyFits, lateFits) {
        case (true, true): return min(early, late)
        case (true, false): return early
        case (false, true): return late
        case (false, false): return early
        }
    }
}

/// The offsets of a feed's own VTIMEZONE, computed from its observances and kept per year.
final class DefinedZone {
    private let definition: TimeZoneDefinition
    /// Onsets (UTC moment, offset from then on) of the years asked about, sorted.
    private var onsetsByYear: [Int: [(at: Int64, offset: Int)]] = [:]

    init(_ definition: TimeZoneDefinition) {
        self.definition = definition
    }

    func offset(atUTC instant: Int64) -> Int {
        guard let first = definition.observances.min(by: { $0.start < $1.start }) else { return 0 }
        let year = CivilTime(seconds: instant).date.year
        let onsets = self.onsets(year - 1) + self.onsets(year)
        guard let last = onsets.last(where: { $0.at <= instant }) else {
            // Before any onset of the last two years: the latest onset of any earlier year, or
            // the first observance's offset before it began.
            if instant < first.start.seconds - Int64(first.offsetFrom) { return first.offsetFrom }
            return definition.observances.filter { $0.start.seconds - Int64($0.offsetFrom) <= instant }
                .max(by: { $0.start < $1.start })?.offsetTo ?? first.offsetFrom
        }
        return last.offset
    }

    private func onsets(_ year: Int) -> [(at: Int64, offset: Int)] {
        if let known = onsetsByYear[year] { return known }
        var onsets: [(at: Int64, offset: Int)] = []
        let from = CivilTime(year: year, month: 1, day: 1).adding(seconds: -86_400)
        let to = CivilTime(year: year + 1, month: 1, day: 1).adding(seconds: 86_400)
        for observance in definition.observances {
            var locals: [CivilTime] = observance.dates + [observance.start]
            if let rule = observance.rule {
                var budget = ExpansionBudget(periods: 10_000, periodsPerRule: 10_000, occurrencesPerRule: 400)
                var until: CivilTime? = nil
                switch rule.until {
                case .date(let day)?: until = day.adding(seconds: 86_399)
                case .moment(let moment)?:
                    if case .utc(let utc) = moment { until = utc.adding(seconds: Int64(observance.offsetFrom)) } else { until = moment.civil }
                case nil: break
                }
                locals += RecurrenceExpander.expand(rule, start: observance.start, until: until, from: from, to: to, budget: &budget).times
            }
            for local in locals where local >= from && local < to {
                onsets.append((local.seconds - Int64(observance.offsetFrom), observance.offsetTo))
            }
        }
        onsets.sort { $0.at < $1.at }
        onsetsByYear[year] = onsets
        return onsets
    }
}
