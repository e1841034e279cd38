/// How much expanding a feed may cost: a hostile feed (a rule every second since 1900, a
/// thousand rules that never match) must not hang the process. Shared by every rule of a feed.
public struct ExpansionBudget: Sendable, Hashable {
    /// Periods (years, months, weeks, days …) every rule together may step through.
    public var periods: Int
    /// Periods one rule may step through.
    public var periodsPerRule: Int
    /// Instances one rule may yield inside the window.
    public var occurrencesPerRule: Int

    public init(periods: Int = 2_000_000, periodsPerRule: Int = 200_000, occurrencesPerRule: Int = 1_000) {
        self.periods = periods
        self.periodsPerRule = periodsPerRule
        self.occurrencesPerRule = occurrencesPerRule
    }
}

/// Expands a recurrence rule in wall-clock time (RFC 5545 3.3.10 and 3.8.5.3): the instances
/// from DTSTART on, COUNT and UNTIL counted from DTSTART, but only those inside a window are
/// produced. A rule without COUNT starts stepping just before the window, so a weekly meeting
/// since 2015 costs the same as one since last week; so does one with COUNT whose periods all
/// have as many instances (no BY part that a period may or may not match), counted in closed form.
enum RecurrenceExpander {
    struct Result {
        var times: [CivilTime]
        /// The rule's budget ran out before the window's end.
        var truncated: Bool
    }

    /// Instances of `rule` starting at `start`, with `from <= t < to`; `until` is inclusive.
    static func expand(_ rule: RecurrenceRule, start: CivilTime, until: CivilTime?, from: CivilTime, to: CivilTime, budget: inout ExpansionBudget) -> Result {
        var times: [CivilTime] = []
        if let until, until < from { return Result(times: [], truncated: false) }
        if to <= start { return Result(times: [], truncated: false) }
        let context = Context(rule: rule, start: start)
        var period = 0
        if rule.count == nil { period = context.firstPeriod(near: from) }
        var produced = 0
        var stepped = 0
        while true {
            guard budget.periods > 0, stepped < budget.periodsPerRule else { return Result(times: times, truncated: true) }
            budget.periods -= 1
            stepped += 1
            let (index, overflow) = period.multipliedReportingOverflow(by: rule.interval)
            guard !overflow, let periodStart = context.periodStart(index) else { return Result(times: times, truncated: false) }
            if periodStart >= to { return Result(times: times, truncated: false) }
            let candidates = context.candidates(index)
            for candidate in candidates {
                if candidate < start { continue }
                if let until, candidate > until { return Result(times: times, truncated: false) }
                if let count = rule.count {
                    produced += 1
                    if produced > count { return Result(times: times, truncated: false) }
                }
                if candidate >= to { return Result(times: times, truncated: false) }
                if candidate >= from {
                    guard times.count < budget.occurrencesPerRule else { return Result(times: times, truncated: true) }
                    times.append(candidate)
                }
            }
            period += 1
            if period == 1, let count = rule.count, let perPeriod = context.instancesPerPeriod() {
                // Every period after the first (which DTSTART may cut short) has `perPeriod`
                // instances, all before the window up to `target`: counted, not stepped through.
                let target = context.firstPeriod(near: from)
                if target > 1 {
                    let (skipped, overflow) = (target - 1).multipliedReportingOverflow(by: perPeriod)
                    let (total, sumOverflow) = produced.addingReportingOverflow(skipped)
                    guard !overflow, !sumOverflow, total < count else { return Result(times: times, truncated: false) }
                    produced = total
                    period = target
                }
            }
        }
    }

    /// What one rule's periods are made of.
    private struct Context {
        let rule: RecurrenceRule
        let start: CivilTime
        let startDate: (year: Int, month: Int, day: Int)
        let startDay: Int64
        /// The first day of DTSTART's week, counted from WKST.
        let weekStartDay: Int64
        let times: [Int]  // seconds of the day, for day-based frequencies

        init(rule: RecurrenceRule, start: CivilTime) {
            self.rule = rule
            self.start = start
            startDate = start.date
            startDay = start.dayNumber
            weekStartDay = startDay - Int64((start.weekday - rule.weekStart + 7) % 7)
            let hours = rule.byHour.isEmpty ? [start.hour] : rule.byHour
            let minutes = rule.byMinute.isEmpty ? [start.minute] : rule.byMinute
            let seconds = rule.bySecond.isEmpty ? [start.second] : rule.bySecond
            var times: [Int] = []
            for hour in hours { for minute in minutes { for second in seconds { times.append(hour * 3600 + minute * 60 + second) } } }
            self.times = Array(Set(times)).sorted()
        }

        /// The period index (before INTERVAL) to begin with so that the window is not missed.
        func firstPeriod(near from: CivilTime) -> Int {
            guard from > start else { return 0 }
            let fromDate = from.date
            let elapsed: Int64
            switch rule.frequency {
            case .yearly: elapsed = Int64(fromDate.year - startDate.year)
            case .monthly: elapsed = Int64((fromDate.year - startDate.year) * 12 + fromDate.month - startDate.month)
            case .weekly: elapsed = (from.dayNumber - weekStartDay) / 7
            case .daily: elapsed = from.dayNumber - startDay
            case .hourly: elapsed = (from.seconds - start.seconds) / 3600
            case .minutely: elapsed = (from.seconds - start.seconds) / 60
            case .secondly: elapsed = from.seconds - start.seconds
            }
            return max(0, Int(clamping: elapsed / Int64(rule.interval)) - 1)
        }

        /// How many instances each period after the first has, when it is the same for every one:
        /// nil when a BY part may or may not match a period (BYMONTH, BYMONTHDAY, BYYEARDAY,
        /// BYWEEKNO, BYDAY outside weeks, a limiting BYHOUR or BYMINUTE) or a month may lack the day.
        func instancesPerPeriod() -> Int? {
            let limitsDays = !rule.byMonth.isEmpty || !rule.byMonthDay.isEmpty || !rule.byYearDay.isEmpty || !rule.byWeekNo.isEmpty
            guard !limitsDays else { return nil }
            switch rule.frequency {
            case .yearly, .monthly: guard rule.byDay.isEmpty, startDate.day <= 28 else { return nil }
            case .weekly: break
            case .daily: guard rule.byDay.isEmpty else { return nil }
            case .hourly: guard rule.byDay.isEmpty, rule.byHour.isEmpty else { return nil }
            case .minutely: guard rule.byDay.isEmpty, rule.byHour.isEmpty, rule.byMinute.isEmpty else { return nil }
            case .secondly: guard rule.byDay.isEmpty, rule.byHour.isEmpty, rule.byMinute.isEmpty, rule.bySecond.isEmpty else { return nil }
            }
            let count = candidates(rule.interval).count  // the second period: as many as any after it
            return count > 0 ? count : nil
        }

        /// Where a period begins, or nil past the year 9999.
        func periodStart(_ index: Int) -> CivilTime? {
            let limit = Int64(CivilTime.days(year: 10000, month: 1, day: 1)) * 86_400
            let seconds: Int64
            switch rule.frequency {
            case .yearly:
                let year = startDate.year + index
                guard year < 10000 else { return nil }
                seconds = CivilTime.days(year: year, month: 1, day: 1) * 86_400
            case .monthly:
                let months = startDate.year * 12 + startDate.month - 1 + index
                guard months / 12 < 10000 else { return nil }
                seconds = CivilTime.days(year: months / 12, month: months % 12 + 1, day: 1) * 86_400
            case .weekly:
                let (weeks, overflow) = Int64(index).multipliedReportingOverflow(by: 7)
                guard !overflow, weeks < 4_000_000 else { return nil }
                seconds = (weekStartDay + weeks) * 86_400
            case .daily:
                guard index < 4_000_000 else { return nil }
                seconds = (startDay + Int64(index)) * 86_400
            case .hourly:
                let (hours, overflow) = Int64(index).multipliedReportingOverflow(by: 3600)
                guard !overflow else { return nil }
                seconds = start.seconds - Int64(start.minute * 60 + start.second) + hours
            case .minutely:
                let (minutes, overflow) = Int64(index).multipliedReportingOverflow(by: 60)
                guard !overflow else { return nil }
                seconds = start.seconds - Int64(start.second) + minutes
            case .secondly:
                seconds = start.seconds + Int64(index)
            }
            return seconds < limit ? CivilTime(seconds: seconds) : nil
        }

        /// Every instance of one period, sorted, after BYSETPOS.
        func candidates(_ index: Int) -> [CivilTime] {
            var moments: [CivilTime]
            switch rule.frequency {
            case .yearly, .monthly, .weekly, .daily:
                let days = self.days(index)
                moments = []
                moments.reserveCapacity(days.count * times.count)
                for day in days { for time in times { moments.append(CivilTime(seconds: day * 86_400 + Int64(time))) } }
            case .hourly, .minutely, .secondly:
                guard let base = periodStart(index) else { return [] }
                moments = subDaily(base)
            }
            guard !rule.bySetPos.isEmpty, !moments.isEmpty else { return moments }
            var chosen: Set<Int> = []
            for position in rule.bySetPos {
                let at = position > 0 ? position - 1 : moments.count + position
                if moments.indices.contains(at) { chosen.insert(at) }
            }
            return chosen.sorted().map { moments[$0] }
        }

        /// The instances of an hour, minute or second: BY lists of smaller units expand, larger ones limit.
        private func subDaily(_ base: CivilTime) -> [CivilTime] {
            let day = base.dayNumber
            guard dayMatches(day) else { return [] }
            if !rule.byHour.isEmpty && !rule.byHour.contains(base.hour) { return [] }
            var moments: [CivilTime] = []
            switch rule.frequency {
            case .hourly:
                let minutes = rule.byMinute.isEmpty ? [start.minute] : rule.byMinute.sorted()
                let seconds = rule.bySecond.isEmpty ? [start.second] : rule.bySecond.sorted()
                for minute in minutes { for second in seconds { moments.append(base.adding(seconds: Int64(minute * 60 + second))) } }
            case .minutely:
                if !rule.byMinute.isEmpty && !rule.byMinute.contains(base.minute) { return [] }
                let seconds = rule.bySecond.isEmpty ? [start.second] : rule.bySecond.sorted()
                for second in seconds { moments.append(base.adding(seconds: Int64(second))) }
            default:
                if !rule.byMinute.isEmpty && !rule.byMinute.contains(base.minute) { return [] }
                if !rule.bySecond.isEmpty && !rule.bySecond.contains(base.second) { return [] }
                moments = [base]
            }
            return moments
        }

        /// Whether a day passes the BY rules that only limit (for daily and shorter periods).
        private func dayMatches(_ day: Int64) -> Bool {
            let date = CivilTime.civil(fromDays: day)
            if !rule.byMonth.isEmpty && !rule.byMonth.contains(date.month) { return false }
            if !rule.byMonthDay.isEmpty && !monthDays(year: date.year, month: date.month).contains(date.day) { return false }
            if !rule.byYearDay.isEmpty && !yearDays(date.year).contains(day) { return false }
            if !rule.byDay.isEmpty && !rule.byDay.contains(where: { $0.weekday == CivilTime.weekday(ofDay: day) }) { return false }
            return true
        }

        /// The days (day numbers) of one period, sorted.
        private func days(_ index: Int) -> [Int64] {
            switch rule.frequency {
            case .yearly:
                let year = startDate.year + index
                return yearly(year)
            case .monthly:
                let months = startDate.year * 12 + startDate.month - 1 + index
                let (year, month) = (months / 12, months % 12 + 1)
                if !rule.byMonth.isEmpty && !rule.byMonth.contains(month) { return [] }
                return inMonth(year: year, month: month, defaultDay: !rule.byMonthDay.isEmpty || !rule.byDay.isEmpty ? nil : startDate.day)
                    .filter(yearDayMatches)
            case .weekly:
                let first = weekStartDay + Int64(index) * 7
                let weekdays = rule.byDay.isEmpty ? [start.weekday] : rule.byDay.map(\.weekday)
                var days: [Int64] = []
                for offset in 0..<7 {
                    let day = first + Int64(offset)
                    guard weekdays.contains(CivilTime.weekday(ofDay: day)) else { continue }
                    let date = CivilTime.civil(fromDays: day)
                    if !rule.byMonth.isEmpty && !rule.byMonth.contains(date.month) { continue }
                    if !rule.byMonthDay.isEmpty && !monthDays(year: date.year, month: date.month).contains(date.day) { continue }
                    days.append(day)
                }
                return days
            case .daily:
                let day = startDay + Int64(index)
                return dayMatches(day) ? [day] : []
            default:
                return []
            }
        }

        private func yearDayMatches(_ day: Int64) -> Bool {
            rule.byYearDay.isEmpty || yearDays(CivilTime.civil(fromDays: day).year).contains(day)
        }

        private func yearly(_ year: Int) -> [Int64] {
            let months = rule.byMonth.sorted()
            if !rule.byYearDay.isEmpty {
                return yearDays(year).sorted().filter { day in
                    let date = CivilTime.civil(fromDays: day)
                    if !months.isEmpty && !months.contains(date.month) { return false }
                    if !rule.byMonthDay.isEmpty && !monthDays(year: year, month: date.month).contains(date.day) { return false }
                    if !rule.byDay.isEmpty && !rule.byDay.contains(where: { $0.weekday == CivilTime.weekday(ofDay: day) }) { return false }
                    return weekNumberMatches(day)
                }
            }
            if !rule.byWeekNo.isEmpty && rule.byMonthDay.isEmpty {
                // The weeks' days (BYDAY picks weekdays as in a weekly rule, else DTSTART's),
                // those in this year and in BYMONTH.
                let weekdays = rule.byDay.isEmpty ? [start.weekday] : rule.byDay.map(\.weekday)
                let first = CivilTime.days(year: year, month: 1, day: 1)
                return (first..<(first + Int64(CivilTime.daysIn(year: year)))).filter { day in
                    guard weekdays.contains(CivilTime.weekday(ofDay: day)), weekNumberMatches(day) else { return false }
                    return months.isEmpty || months.contains(CivilTime.civil(fromDays: day).month)
                }
            }
            if !rule.byMonthDay.isEmpty || !rule.byDay.isEmpty {
                if months.isEmpty && rule.byMonthDay.isEmpty {
                    // BYDAY alone in a year: ordinals count within the year.
                    let first = CivilTime.days(year: year, month: 1, day: 1)
                    return weekdayDays(first: first, count: CivilTime.daysIn(year: year))
                }
                var days: [Int64] = []
                for month in months.isEmpty ? Array(1...12) : months {
                    days += inMonth(year: year, month: month, defaultDay: nil)
                }
                return rule.byWeekNo.isEmpty ? days : days.filter(weekNumberMatches)
            }
            if months.isEmpty {
                guard startDate.day <= CivilTime.daysIn(month: startDate.month, year: year) else { return [] }
                return [CivilTime.days(year: year, month: startDate.month, day: startDate.day)]
            }
            return months.compactMap { month in
                startDate.day <= CivilTime.daysIn(month: month, year: year) ? CivilTime.days(year: year, month: month, day: startDate.day) : nil
            }
        }

        /// Whether a day's week is one BYWEEKNO names (every day is, without BYWEEKNO). A week
        /// belongs to the year that has four of its days; -1 is that year's last week.
        private func weekNumberMatches(_ day: Int64) -> Bool {
            guard !rule.byWeekNo.isEmpty else { return true }
            let weekStart = day - Int64((CivilTime.weekday(ofDay: day) - rule.weekStart + 7) % 7)
            let year = CivilTime.civil(fromDays: weekStart + 3).year
            let firstWeek = firstWeekStart(year)
            let number = Int((weekStart - firstWeek) / 7) + 1
            let weeks = Int((firstWeekStart(year + 1) - firstWeek) / 7)
            return rule.byWeekNo.contains { $0 > 0 ? $0 == number : weeks + $0 + 1 == number }
        }

        /// Where week 1 of a year begins: the week (from WKST) that holds 4 January.
        private func firstWeekStart(_ year: Int) -> Int64 {
            let fourth = CivilTime.days(year: year, month: 1, day: 4)
            return fourth - Int64((CivilTime.weekday(ofDay: fourth) - rule.weekStart + 7) % 7)
        }

        /// A month's days by BYMONTHDAY and BYDAY (ordinals within the month), or one default day.
        private func inMonth(year: Int, month: Int, defaultDay: Int?) -> [Int64] {
            let first = CivilTime.days(year: year, month: month, day: 1)
            let length = CivilTime.daysIn(month: month, year: year)
            if let defaultDay {
                return defaultDay <= length ? [first + Int64(defaultDay - 1)] : []
            }
            var days: [Int64]
            if !rule.byMonthDay.isEmpty {
                days = monthDays(year: year, month: month).sorted().map { first + Int64($0 - 1) }
                if !rule.byDay.isEmpty {
                    let weekdays = Set(weekdayDays(first: first, count: length))
                    days = days.filter(weekdays.contains)
                }
            } else {
                days = weekdayDays(first: first, count: length)
            }
            return days
        }

        /// The days of a span (a month or a year) that BYDAY names, ordinals counted within the span.
        private func weekdayDays(first: Int64, count: Int) -> [Int64] {
            var chosen: Set<Int64> = []
            for entry in rule.byDay {
                let offset = (entry.weekday - CivilTime.weekday(ofDay: first) + 7) % 7
                let all = stride(from: offset, to: count, by: 7).map { first + Int64($0) }
                if let ordinal = entry.ordinal {
                    let at = ordinal > 0 ? ordinal - 1 : all.count + ordinal
                    if all.indices.contains(at) { chosen.insert(all[at]) }
                } else {
                    chosen.formUnion(all)
                }
            }
            return chosen.sorted()
        }

        /// BYMONTHDAY resolved in a month (negative days count from its end).
        private func monthDays(year: Int, month: Int) -> Set<Int> {
            let length = CivilTime.daysIn(month: month, year: year)
            var days: Set<Int> = []
            for day in rule.byMonthDay {
                let resolved = day > 0 ? day : length + day + 1
                if (1...length).contains(resolved) { days.insert(resolved) }
            }
            return days
        }

        /// BYYEARDAY resolved in a year, as day numbers.
        private func yearDays(_ year: Int) -> Set<Int64> {
            let first = CivilTime.days(year: year, month: 1, day: 1)
            let length = CivilTime.daysIn(year: year)
            var days: Set<Int64> = []
            for day in rule.byYearDay {
                let resolved = day > 0 ? day : length + day + 1
                if (1...length).contains(resolved) { days.insert(first + Int64(resolved - 1)) }
            }
            return days
        }
    }
}
