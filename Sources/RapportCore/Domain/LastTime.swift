import Foundation

/// What the next prep with someone opens with: the goal of the last meeting with them, whether
/// it was reached, and what is still open with them, so the new goal can build on it.
public struct LastTime: Sendable, Hashable {
    public var meeting: Meeting
    public var reflection: Reflection?
    public var openFollowUps: [FollowUp]

    public init(meeting: Meeting, reflection: Reflection?, openFollowUps: [FollowUp]) {
        self.meeting = meeting
        self.reflection = reflection
        self.openFollowUps = openFollowUps
    }

    /// The meeting a new prep recalls: the latest that has begun by `now`, was not called off, and
    /// is not the one being prepared again.
    public static func recalledMeeting(among meetings: [Meeting], now: Date, excluding editing: Int64? = nil) -> Meeting? {
        meetings
            .filter { !$0.cancelled && $0.id != editing && ($0.startsAt.map { $0 <= now } ?? false) }
            .max { ($0.startsAt ?? .distantPast, $0.id) < ($1.startsAt ?? .distantPast, $1.id) }
    }

    /// The lines said before the first question: one about the goal (when there was one), one
    /// about what is still open (when anything is).
    public func lines(lexicon: Lexicon, formatter: ValueFormatter) -> [String] {
        var lines: [String] = []
        if let goal = meeting.goal, !goal.isEmpty {
            let when = meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: false)) } ?? ""
            let values = ["when": when, "goal": goal]
            switch reflection?.goalReached {
            case "yes"?: lines.append(lexicon.message("last_time_reached_yes", values))
            case "partly"?: lines.append(lexicon.message("last_time_reached_partly", values))
            case "no"?: lines.append(lexicon.message("last_time_reached_no", values))
            default: lines.append(lexicon.message("last_time_goal", values))
            }
        }
        if !openFollowUps.isEmpty {
            let items = openFollowUps.map { "\($0.text) (\(formatter.format(WhenValue(date: $0.due, hasTime: $0.hasTime))))" }
            lines.append(lexicon.message("last_time_open", ["items": items.joined(separator: "; ")]))
        }
        return lines
    }
}
