import Foundation

/// One occurrence of an event: a single event, an instance of a series, or a changed instance.
public struct CalendarOccurrence: Sendable, Hashable {
    /// Stays the same for the same occurrence across reads, also when it is moved: the UID, and
    /// for an instance of a series the day it was due on (and its time, for a series of several
    /// a day), in the series' own zone.
    public var key: String
    public var start: Date
    public var end: Date
    public var allDay: Bool
    /// The event it comes from: the series, or the changed instance that replaced it.
    public var event: CalendarEvent {
        get { shared.event }
        set { shared = SharedEvent(newValue) }
    }
    /// One copy per event, however many occurrences it has: an occurrence stays small to copy and sort.
    private var shared: SharedEvent

    init(key: String, start: Date, end: Date, allDay: Bool, shared: SharedEvent) {
        self.key = key
        self.start = start
        self.end = end
        self.allDay = allDay
        self.shared = shared
    }

    /// The same for every occurrence of one event as read.
    var eventIdentity: ObjectIdentifier { ObjectIdentifier(shared) }
    public var uid: String { event.uid }
    public var cancelled: Bool { event.cancelled }
}

/// An event held by reference, compared by value.
final class SharedEvent: Sendable, Hashable {
    let event: CalendarEvent

    init(_ event: CalendarEvent) {
        self.event = event
    }

    static func == (lhs: SharedEvent, rhs: SharedEvent) -> Bool { lhs === rhs || lhs.event == rhs.event }
    func hash(into hasher: inout Hasher) { hasher.combine(event) }
}

/// What expanding a feed over a window gave.
public struct CalendarExpansionResult: Sendable {
    public var occurrences: [CalendarOccurrence]
    public var warnings: [CalendarWarning]
}

/// A feed's events turned into the occurrences that start inside a window: series expanded
/// (RRULE, RDATE, EXDATE), changed instances (RECURRENCE-ID) put in place of the ones they
/// change, wherever they were moved to, and all-day events as days in the person's zone.
/// Cancelled occurrences are kept, marked, so a reader can tell a cancelled meeting from one
/// that was never there.
public struct CalendarExpansion: Sendable {
    public var timeZone: TimeZone
    public var limits: CalendarLimits

    public init(timeZone: TimeZone, limits: CalendarLimits = CalendarLimits()) {
        self.timeZone = timeZone
        self.limits = limits
    }

    public func occurrences(of document: CalendarDocument, in window: DateInterval) -> CalendarExpansionResult {
        var warnings = Warnings(limit: limits.maxWarnings)
        // Floating times and days are the person's, unless the calendar names its own zone.
        var home = timeZone
        if let name = document.defaultTimeZone, let zone = CalendarZoneResolver.system(name) { home = zone }
        let zones = CalendarZoneResolver(home: home, definitions: document.timeZones)
        let windowStart = Int64(window.start.timeIntervalSince1970.rounded(.down))
        let windowEnd = Int64(window.end.timeIntervalSince1970.rounded(.up))
        var budget = limits.expansion
        var occurrences: [CalendarOccurrence] = []
        var seen: Set<String> = []

        // One event per UID and RECURRENCE-ID: a later SEQUENCE wins, then the later in the file.
        var masters: [String: CalendarEvent] = [:]
        var overrides: [String: [CalendarEvent]] = [:]
        masters.reserveCapacity(document.events.count)
        seen.reserveCapacity(document.events.count)
        for event in document.events {
            if event.recurrenceID != nil {
                overrides[event.uid, default: []].append(event)
            } else if let earlier = masters[event.uid], earlier.sequence > event.sequence {
                continue
            } else {
                masters[event.uid] = event
            }
        }

        func emit(_ key: String, start: Int64, end: Int64, event: SharedEvent) {
            guard start < windowEnd, start >= windowStart else { return }
            guard occurrences.count < limits.maxOccurrences else { return }
            var unique = key
            var suffix = 2
            while !seen.insert(unique).inserted { unique = key + "#\(suffix)"; suffix += 1 }
            occurrences.append(CalendarOccurrence(
                key: unique, start: Date(timeIntervalSince1970: TimeInterval(start)), end: Date(timeIntervalSince1970: TimeInterval(max(end, start))),
                allDay: event.event.allDay, shared: event))
        }

        for uid in masters.keys.sorted() {
            guard let master = masters[uid] else { continue }
            let shared = SharedEvent(master)
            let zone = zoneOf(master.start, zones)
            let changed = (overrides[uid] ?? []).map { (event: $0, instant: zones.instant($0.recurrenceID!)) }
            let changedInstants = Set(changed.map(\.instant))
            let changedDays = Set(changed.compactMap { $0.event.recurrenceID!.isDate ? $0.event.recurrenceID!.civil.dayNumber : nil })
            guard master.recurs else {
                let start = zones.instant(master.start)
                if changed.isEmpty { emit(uid, start: start, end: end(of: master, startingAt: master.start, zones: zones), event: shared) }
                continue
            }
            let excluded = Set(master.exceptionDates.map { zones.instant(align($0, to: master.start)) })
            let excludedDays = Set(master.exceptionDates.filter(\.isDate).map { $0.civil.dayNumber })
            var starts: [CivilTime] = []
            let civilStart = master.start.civil
            // The window in the series' wall clock, a day wider on each side for the zone's offset.
            let from = zones.civil(windowStart, in: zone).adding(seconds: -2 * 86_400)
            let to = zones.civil(windowEnd, in: zone).adding(seconds: 2 * 86_400)
            // Shift the window back by the event's length, so one that began before it and runs
            // into it is not lost; only starts inside the window are emitted.
            if let rule = master.rule {
                let until: CivilTime?
                switch rule.until {
                case .date(let day)?: until = day.adding(seconds: 86_399)
                case .moment(let moment)?:
                    until = master.start.isDate ? moment.civil.adding(seconds: 0) : zones.civil(zones.instant(moment), in: zone)
                case nil: until = nil
                }
                let expanded = RecurrenceExpander.expand(rule, start: civilStart, until: until, from: from, to: to, budget: &budget)
                if expanded.truncated {
                    warnings.add(master.line, "the recurrence of '\((master.summary ?? uid).prefix(40))' was cut off: it would take too long to expand")
                }
                starts = expanded.times
            }
            // DTSTART is always the first instance, whether or not the rule matches it.
            if civilStart >= from && civilStart < to && !starts.contains(civilStart) { starts.insert(civilStart, at: 0) }
            for date in master.recurrenceDates {
                let aligned = align(date, to: master.start)
                let local = aligned.isDate ? aligned.civil : zones.civil(zones.instant(aligned), in: zone)
                if local >= from && local < to && !starts.contains(local) { starts.append(local) }
            }
            let subDaily = master.rule.map { $0.frequency < .daily || !$0.byHour.isEmpty || !$0.byMinute.isEmpty } ?? false
            for local in starts.sorted() {
                let value = retimed(master.start, civil: local)
                let instant = zones.instant(value)
                if changedInstants.contains(instant) || excluded.contains(instant) { continue }
                if master.start.isDate && (excludedDays.contains(local.dayNumber) || changedDays.contains(local.dayNumber)) { continue }
                let periodEnd = master.recurrencePeriodEnds.first { zones.instant(align($0.key, to: master.start)) == instant }?.value
                let endInstant = periodEnd.map { zones.instant($0) } ?? end(of: master, startingAt: value, zones: zones)
                emit(Self.key(uid, local: local, subDaily: subDaily), start: instant, end: endInstant, event: shared)
            }
        }

        // Changed instances, wherever they were moved to.
        for uid in overrides.keys.sorted() {
            var latest: [Int64: CalendarEvent] = [:]
            for event in overrides[uid]! {
                let instant = zones.instant(event.recurrenceID!)
                if let earlier = latest[instant], earlier.sequence > event.sequence { continue }
                latest[instant] = event
            }
            let master = masters[uid]
            let zone = master.map { zoneOf($0.start, zones) } ?? zoneOf(latest.values.first!.recurrenceID!, zones)
            let subDaily = master?.rule.map { $0.frequency < .daily || !$0.byHour.isEmpty || !$0.byMinute.isEmpty } ?? false
            for (instant, event) in latest.sorted(by: { $0.key < $1.key }) {
                let original = event.recurrenceID!.isDate ? event.recurrenceID!.civil : zones.civil(instant, in: zone)
                let start = zones.instant(event.start)
                emit(Self.key(uid, local: original, subDaily: subDaily), start: start, end: end(of: event, startingAt: event.start, zones: zones), event: SharedEvent(event))
            }
        }
        for tzid in zones.unknown.sorted() {
            let line = document.events.first { zoneName($0.start) == tzid }?.line ?? 0
            warnings.add(line, "the time zone '\(tzid.prefix(60))' is unknown; its times were read in \(home.identifier)")
        }
        if occurrences.count >= limits.maxOccurrences {
            warnings.add(0, "more than \(limits.maxOccurrences) occurrences in the window; the rest were left out")
        }
        occurrences.sort { ($0.start, $0.key) < ($1.start, $1.key) }
        return CalendarExpansionResult(occurrences: occurrences, warnings: warnings.kept)
    }

    /// `uid@20261124` (or `uid@20261124T0930` for a series of several a day).
    static func key(_ uid: String, local: CivilTime, subDaily: Bool) -> String {
        let date = local.date
        var key = uid + "@" + String(format4: date.year) + String(format2: date.month) + String(format2: date.day)
        if subDaily { key += "T" + String(format2: local.hour) + String(format2: local.minute) }
        return key
    }

    private func zoneName(_ time: CalendarTime) -> String? {
        if case .zoned(_, let tzid) = time { return tzid }
        return nil
    }

    private func zoneOf(_ time: CalendarTime, _ zones: CalendarZoneResolver) -> CalendarZoneResolver.Zone? {
        switch time {
        case .utc: return .system(TimeZone(identifier: "UTC")!)
        case .zoned(_, let tzid): return zones.zone(tzid)
        case .date, .floating: return nil
        }
    }

    /// A start with its wall clock replaced, keeping its kind and zone.
    private func retimed(_ time: CalendarTime, civil: CivilTime) -> CalendarTime {
        switch time {
        case .date: return .date(civil)
        case .floating: return .floating(civil)
        case .utc: return .utc(civil)
        case .zoned(_, let tzid): return .zoned(civil, tzid: tzid)
        }
    }

    /// An EXDATE or RDATE written as a date for a series of times means that day at the series' time.
    private func align(_ time: CalendarTime, to start: CalendarTime) -> CalendarTime {
        guard time.isDate, !start.isDate else { return time }
        return retimed(start, civil: time.civil.adding(seconds: Int64(start.civil.secondOfDay)))
    }

    /// When an occurrence starting at `start` ends: DTEND's exact length after it, DURATION's
    /// days on the same wall clock, a day for an all-day event, else at its start.
    private func end(of event: CalendarEvent, startingAt start: CalendarTime, zones: CalendarZoneResolver) -> Int64 {
        let startInstant = zones.instant(start)
        if let end = event.end {
            let length = zones.instant(end) - zones.instant(event.start)
            return startInstant + max(0, length)
        }
        if let duration = event.duration {
            let days = Int64(duration.nominalDays)
            let rest = duration.seconds - days * 86_400
            let dayShifted = zones.instant(EventReader.shift(start, by: days * 86_400))
            return dayShifted + rest
        }
        return start.isDate ? zones.instant(EventReader.shift(start, by: 86_400)) : startInstant
    }
}
