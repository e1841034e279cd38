import Foundation

/// Splits a follow-up into its action and its due date: "send the proposal by friday",
/// "call Anna in 2 weeks", "tomorrow: book the venue".
///
/// The longest run of words at the end (or, failing that, at the start) that reads as a date is
/// the due date; what remains, without a trailing "by"/"on", is the action.
public struct FollowUpParser: Sendable {
    public var when: WhenParser

    public init(when: WhenParser) {
        self.when = when
    }

    /// The action and its due date, or nil when no date is found (and no default applies) or no
    /// action is left.
    public func parse(_ text: String, defaultDue: DurationValue? = nil) -> FollowUpValue? {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return nil }
        // Longest suffix first: "by friday" rather than "friday".
        for start in 1..<max(words.count, 1) {
            if let due = when.parse(words[start...].joined(separator: " ")), let action = action(words[..<start]) {
                return FollowUpValue(action: action, due: due)
            }
        }
        for end in stride(from: words.count - 1, through: 1, by: -1) {
            let prefix = words[..<end].joined(separator: " ").trimmingCharacters(in: ":-–,")
            if let due = when.parse(prefix), let action = action(words[end...]) {
                return FollowUpValue(action: action, due: due)
            }
        }
        guard let defaultDue, let due = due(after: defaultDue), let action = action(words[...]) else { return nil }
        return FollowUpValue(action: action, due: due)
    }

    /// The day a length of time from now ends (the moment, for minutes and hours).
    private func due(after length: DurationValue) -> WhenValue? {
        if let minutes = length.minutes, minutes < 24 * 60 {
            return WhenValue(date: when.now.addingTimeInterval(TimeInterval(minutes * 60)), hasTime: true)
        }
        let calendar = when.calendar
        let today = calendar.startOfDay(for: when.now)
        let moved = length.unit == .month
            ? calendar.date(byAdding: .month, value: length.amount, to: today)
            : calendar.date(byAdding: .day, value: (length.minutes ?? 0) / (24 * 60), to: today)
        return moved.map { WhenValue(date: calendar.startOfDay(for: $0), hasTime: false) }
    }

    /// The action words without trailing connectives and punctuation.
    private func action(_ words: ArraySlice<String>) -> String? {
        var words = Array(words)
        let connectives = Set((when.words.fillers + when.words.inWords + when.words.at + when.words.dayOfMonth).map(TextFolding.fold))
        while let last = words.last, connectives.contains(TextFolding.fold(last)) { words.removeLast() }
        let action = words.joined(separator: " ").trimmingCharacters(in: ":-–,;")
        return action.contains(where: \.isLetter) ? action : nil
    }
}

extension String {
    /// The string without the given characters at either end.
    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) || first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) || last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
