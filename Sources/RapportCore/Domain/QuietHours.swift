import Foundation

/// Hours of the day (local, 0–23) when nothing is posted: from `start` until `end`, which may
/// wrap past midnight (20–8). Applies to every attempt, first or retry.
public struct QuietHours: Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// A moment moved out of the quiet hours, to their end; a moment outside them is returned as it is.
    public func moving(_ moment: Date, calendar: Calendar) -> Date {
        guard start != end else { return moment }
        let hour = calendar.component(.hour, from: moment)
        let inQuiet = start > end ? (hour >= start || hour < end) : (hour >= start && hour < end)
        guard inQuiet else { return moment }
        let day = calendar.startOfDay(for: moment)
        guard let endToday = calendar.date(bySettingHour: end, minute: 0, second: 0, of: day) else { return moment }
        return endToday > moment ? endToday : calendar.date(byAdding: .day, value: 1, to: endToday) ?? moment
    }
}
