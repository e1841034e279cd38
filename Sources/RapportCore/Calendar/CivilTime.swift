/// A wall-clock moment with no zone: seconds since 1970-01-01 00:00 on the proleptic Gregorian
/// calendar. Recurrence rules are expanded in these (RFC 5545 expands in the local time of
/// DTSTART), with integer arithmetic only: Foundation's Calendar costs microseconds per call,
/// and a feed has thousands of rules.
public struct CivilTime: Hashable, Comparable, Sendable {
    public var seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        seconds = CivilTime.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public static func < (lhs: CivilTime, rhs: CivilTime) -> Bool { lhs.seconds < rhs.seconds }

    /// Days since 1970-01-01 of the day this moment falls on.
    public var dayNumber: Int64 { Self.floorDiv(seconds, 86_400) }
    /// Seconds since midnight.
    public var secondOfDay: Int { Int(seconds - dayNumber * 86_400) }

    public var date: (year: Int, month: Int, day: Int) { Self.civil(fromDays: dayNumber) }
    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay % 3600 / 60 }
    public var second: Int { secondOfDay % 60 }
    /// ISO weekday: 1 Monday … 7 Sunday.
    public var weekday: Int { Self.weekday(ofDay: dayNumber) }

    public func adding(seconds delta: Int64) -> CivilTime { CivilTime(seconds: seconds &+ delta) }

    // MARK: - Calendar arithmetic (Howard Hinnant's days_from_civil and civil_from_days)

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Days since 1970-01-01 of a date (month and day may be out of range by a little: normalised).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    /// ISO weekday of a day number: 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public static func weekday(ofDay day: Int64) -> Int {
        Int((day % 7 + 7 + 3) % 7) + 1
    }

    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func daysIn(year: Int) -> Int { isLeap(year) ? 366 : 365 }
}
