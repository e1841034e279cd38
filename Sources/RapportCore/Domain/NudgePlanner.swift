import Foundation

/// The kinds of nudge rapport posts to team chat.
public enum NudgeKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Before a prepared meeting.
    case reminder
    /// "How did it go?" after a meeting without a reflection.
    case reflect
    /// A follow-up action on its due date.
    case followup
    /// Asking how a recommendation turned out (P0.8).
    case referral
    /// A contact past its keep-in-touch cadence.
    case keepInTouch = "keep_in_touch"
    /// Monday morning: what the week holds (P0.7, P0.9).
    case digest
}

/// How nudges are planned: where each kind goes, when, and what may be shared.
public struct NudgeSettings: Sendable, Hashable {
    /// The destination for each kind; a kind without one stays on the terminal's home screen.
    public var routes: [NudgeKind: String]
    /// How long before a meeting its reminder goes out.
    public var leadTime: Duration
    /// How long after a meeting's start "how did it go?" is asked.
    public var reflectAfter: Duration
    /// Hours (local, 0–23) when nothing is posted: from `start` until `end`; nil for none.
    public var quietHours: (start: Int, end: Int)?
    /// The hour a nudge about a date without a time goes out.
    public var morningHour: Int
    /// Whether a reminder may show the meeting's goal to the channel (private by default).
    public var shareGoals: Bool

    public init(
        routes: [NudgeKind: String] = [:], leadTime: Duration = .seconds(3600), reflectAfter: Duration = .seconds(7200),
        quietHours: (start: Int, end: Int)? = (20, 8), morningHour: Int = 9, shareGoals: Bool = false
    ) {
        self.routes = routes
        self.leadTime = leadTime
        self.reflectAfter = reflectAfter
        self.quietHours = quietHours
        self.morningHour = morningHour
        self.shareGoals = shareGoals
    }

    public static func == (lhs: NudgeSettings, rhs: NudgeSettings) -> Bool {
        lhs.routes == rhs.routes && lhs.leadTime == rhs.leadTime && lhs.reflectAfter == rhs.reflectAfter
            && lhs.quietHours?.start == rhs.quietHours?.start && lhs.quietHours?.end == rhs.quietHours?.end
            && lhs.morningHour == rhs.morningHour && lhs.shareGoals == rhs.shareGoals
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(leadTime)
        hasher.combine(morningHour)
    }
}

/// One nudge as planned: what, where, when, and a key that stays the same for the same nudge.
public struct PlannedNudge: Sendable, Hashable {
    public var key: String
    public var kind: NudgeKind
    public var destination: String
    public var dueAt: Date
    public var title: String
    public var lines: [String]
}

/// Pure scheduling of team-chat nudges from the records and a moment. Every nudge has a stable
/// key built from what it is about and its date, so planning again (every `rapport nudge` run)
/// finds the same nudges, and a moved date makes a new one.
public struct NudgePlanner: Sendable {
    public var settings: NudgeSettings
    public var lexicon: Lexicon
    public var calendar: Calendar
    public var now: Date

    public init(settings: NudgeSettings, lexicon: Lexicon, now: Date, timeZone: TimeZone) {
        self.settings = settings
        self.lexicon = lexicon
        self.now = now
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.calendar = calendar
    }

    /// Every nudge the records call for, routed; kinds without a destination are left out.
    public func plan(meetings: [Meeting], followUps: [FollowUp], contacts: [Contact], interactions: [Interaction]) -> [PlannedNudge] {
        var nudges: [PlannedNudge] = []
        let format = ValueFormatter(lexicon: lexicon, now: now, timeZone: calendar.timeZone)
        func add(_ kind: NudgeKind, key: String, at moment: Date, title: String, lines: [String] = []) {
            guard let destination = settings.routes[kind] else { return }
            nudges.append(PlannedNudge(key: key, kind: kind, destination: destination, dueAt: outsideQuietHours(moment), title: title, lines: lines))
        }

        for meeting in meetings {
            guard let start = meeting.startsAt else { continue }
            let when = format.format(WhenValue(date: start, hasTime: meeting.hasTime))
            let values = ["name": meeting.contactName, "when": when, "first": firstName(meeting.contactName)]
            if meeting.hasTime, start > now {
                var lines: [String] = []
                if settings.shareGoals, let goal = meeting.goal { lines.append(lexicon.message("nudge_goal", ["goal": goal])) }
                add(.reminder, key: "reminder-m\(meeting.id)-\(stamp(start))", at: start.addingTimeInterval(-RetrySchedule.seconds(settings.leadTime)),
                    title: lexicon.message("nudge_reminder", values), lines: lines)
            }
            if !meeting.reflected {
                let after = meeting.hasTime ? start.addingTimeInterval(RetrySchedule.seconds(settings.reflectAfter)) : morning(of: start, plusDays: 1)
                add(.reflect, key: "reflect-m\(meeting.id)", at: after, title: lexicon.message("nudge_reflect", values),
                    lines: [lexicon.message("nudge_reflect_how", values)])
            }
        }

        for followUp in followUps where followUp.doneAt == nil {
            let due = followUp.hasTime ? followUp.due : morning(of: followUp.due, plusDays: 0)
            let values = ["name": followUp.contactName, "text": followUp.text, "when": format.format(WhenValue(date: followUp.due, hasTime: followUp.hasTime))]
            switch followUp.kind {
            case .action:
                add(.followup, key: "followup-\(followUp.id)-\(stamp(followUp.due))", at: due, title: lexicon.message("nudge_followup", values),
                    lines: [lexicon.message("nudge_followup_line", values)])
            case .referralFeedback:
                add(.referral, key: "referral-\(followUp.id)-\(stamp(followUp.due))", at: due, title: lexicon.message("nudge_referral", values),
                    lines: [lexicon.message("nudge_referral_line", values)])
            }
        }

        let last = DueSchedule.lastInteractions(meetings: meetings, interactions: interactions, now: now)
        for contact in contacts {
            guard let cadence = contact.keepInTouch, let since = contact.keepInTouchSince else { continue }
            let due = DueSchedule.nextContact(lastInteraction: last[contact.id], since: since, cadence: cadence, calendar: calendar)
            let lastText = last[contact.id].map { format.format(WhenValue(date: $0, hasTime: false)) } ?? "—"
            let values = ["name": contact.name, "every": format.format(cadence), "last": lastText]
            add(.keepInTouch, key: "keepintouch-c\(contact.id)-\(stamp(due))", at: morning(of: due, plusDays: 0),
                title: lexicon.message("nudge_keep_in_touch", values), lines: [lexicon.message("nudge_keep_in_touch_line", values)])
        }

        if settings.routes[.digest] != nil {
            nudges.append(contentsOf: digest(meetings: meetings, followUps: followUps))
        }
        return nudges.sorted { ($0.dueAt, $0.key) < ($1.dueAt, $1.key) }
    }

    /// This week's digest, due Monday at the morning hour: the meetings and follow-ups of the week.
    private func digest(meetings: [Meeting], followUps: [FollowUp]) -> [PlannedNudge] {
        // Weeks as ISO 8601 numbers them, as calendars in Sweden, Denmark and Poland do.
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = calendar.timeZone
        guard let destination = settings.routes[.digest],
            let week = iso.dateInterval(of: .weekOfYear, for: now)
        else { return [] }
        let format = ValueFormatter(lexicon: lexicon, now: now, timeZone: calendar.timeZone)
        let inWeek = { (date: Date) in week.contains(date) }
        var lines: [String] = []
        for meeting in meetings.filter({ $0.startsAt.map(inWeek) ?? false }).sorted(by: { $0.startsAt! < $1.startsAt! }) {
            lines.append(lexicon.message("nudge_digest_meeting", ["name": meeting.contactName, "when": format.format(WhenValue(date: meeting.startsAt!, hasTime: meeting.hasTime))]))
        }
        for followUp in followUps.filter({ $0.doneAt == nil && ($0.due < week.end) }).sorted(by: { $0.due < $1.due }) {
            lines.append(lexicon.message("nudge_digest_followup", ["name": followUp.contactName, "text": followUp.text, "when": format.format(WhenValue(date: followUp.due, hasTime: followUp.hasTime))]))
        }
        guard !lines.isEmpty else { return [] }
        let year = iso.component(.yearForWeekOfYear, from: now)
        let number = iso.component(.weekOfYear, from: now)
        return [PlannedNudge(
            key: "digest-\(year)-w\(number)", kind: .digest, destination: destination, dueAt: morning(of: week.start, plusDays: 0),
            title: lexicon.message("nudge_digest", ["week": String(number)]), lines: lines)]
    }

    /// A moment moved out of the quiet hours, to their end.
    public func outsideQuietHours(_ moment: Date) -> Date {
        guard let quiet = settings.quietHours, quiet.start != quiet.end else { return moment }
        let hour = calendar.component(.hour, from: moment)
        let inQuiet = quiet.start > quiet.end ? (hour >= quiet.start || hour < quiet.end) : (hour >= quiet.start && hour < quiet.end)
        guard inQuiet else { return moment }
        let day = calendar.startOfDay(for: moment)
        let endToday = calendar.date(bySettingHour: quiet.end, minute: 0, second: 0, of: day)!
        return endToday > moment ? endToday : calendar.date(byAdding: .day, value: 1, to: endToday)!
    }

    private func morning(of date: Date, plusDays days: Int) -> Date {
        let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: date))!
        return calendar.date(bySettingHour: settings.morningHour, minute: 0, second: 0, of: day)!
    }

    /// yyyymmdd in the user's zone: part of a key, so a moved date is a new nudge.
    private func stamp(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
    }

    private func firstName(_ name: String) -> String {
        name.split(separator: " ").first.map(String.init) ?? name
    }
}
