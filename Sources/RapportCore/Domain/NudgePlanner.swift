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
    /// A meeting from the calendar that is not prepared yet, some time before it.
    case prep
}

/// When the "not prepared yet" nudge of a calendar meeting goes out.
public enum PrepTiming: Sendable, Hashable, CustomStringConvertible {
    /// The morning of the meeting's day (at the morning hour), or this long before it when the
    /// morning is later than that.
    case morning(orBefore: Duration)
    /// This long before the meeting.
    case before(Duration)

    public static let standard = PrepTiming.morning(orBefore: .seconds(7200))

    public var description: String {
        switch self {
        case .morning(let lead): return "morning or \(lead)"
        case .before(let lead): return "\(lead)"
        }
    }
}

/// How nudges are planned: where each kind goes, when, and what may be shared.
public struct NudgeSettings: Sendable, Hashable {
    /// The destination for each kind; a kind without one stays on the terminal's home screen.
    public var routes: [NudgeKind: String]
    /// How long before a meeting its reminder goes out.
    public var leadTime: Duration
    /// How long after a meeting's start "how did it go?" is asked.
    public var reflectAfter: Duration
    /// When nothing is posted; nil for never quiet.
    public var quietHours: QuietHours?
    /// The hour a nudge about a date without a time goes out.
    public var morningHour: Int
    /// Whether a reminder may show the meeting's goal to the channel (private by default).
    public var shareGoals: Bool
    /// When a calendar meeting's "not prepared yet" goes out.
    public var prepTiming: PrepTiming
    /// Whether nudges about calendar meetings may show what the calendar says: the other
    /// person's name and the event's title. Off, a meeting not prepared in rapport is named by
    /// its time only; one prepared here is rapport's own record and named like any other.
    public var shareCalendar: Bool
    /// Where the nudges about a colleague's own records go (their DM, their channel); a chat user
    /// not named here gets none, so one person's follow-ups never reach another's channel.
    public var people: [UserKey: [NudgeKind: String]] = [:]
    /// The kinds that go to their owner's own DM with the bot (`dm` in `routes`), for every chat
    /// user's records on a platform with a bot; for the local profile only the channel route counts.
    public var direct: Set<NudgeKind> = []
    /// A colleague's own DM kinds (`dm` in their `people` routes), added to `direct`.
    public var peopleDirect: [UserKey: Set<NudgeKind>] = [:]
    /// The outbox destination that posts as each platform's bot (the Slack app's, the Mattermost
    /// bot account's); a platform without one has no DM nudges.
    public var directDestinations: [UserKey.Platform: String] = [:]

    /// Whether any nudge is routed anywhere: a channel of the local profile's, or a DM.
    public var routesAnything: Bool {
        !routes.isEmpty || (!directDestinations.isEmpty && !(direct.isEmpty && peopleDirect.isEmpty))
    }

    /// The kinds an owner's nudges go to their DM with: none but for a chat user on a platform with a bot.
    public func directKinds(for owner: UserKey) -> Set<NudgeKind> {
        guard owner != .local, directDestinations[owner.platform] != nil else { return [] }
        let own = peopleDirect[owner] ?? peopleDirect[UserKey(platform: owner.platform, user: owner.user)] ?? []
        return direct.union(own).subtracting([.digest])
    }

    /// The routes for the nudges of an owner's records: `routes` for the local profile (the
    /// store's owner), the owner's own from `people` for anyone else.
    public func routes(for owner: UserKey) -> [NudgeKind: String] {
        guard owner != .local else { return routes }
        // Named with the workspace, or by platform and id alone.
        return people[owner] ?? people[UserKey(platform: owner.platform, user: owner.user)] ?? [:]
    }

    public init(
        routes: [NudgeKind: String] = [:], leadTime: Duration = .seconds(3600), reflectAfter: Duration = .seconds(7200),
        quietHours: QuietHours? = QuietHours(start: 20, end: 8), morningHour: Int = 9, shareGoals: Bool = false,
        prepTiming: PrepTiming = .standard, shareCalendar: Bool = false
    ) {
        self.prepTiming = prepTiming
        self.shareCalendar = shareCalendar
        self.routes = routes
        self.leadTime = leadTime
        self.reflectAfter = reflectAfter
        self.quietHours = quietHours
        self.morningHour = morningHour
        self.shareGoals = shareGoals
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
    /// The record it is about.
    public var subject: NudgeSubject
    /// The owner's Slack user id, for a nudge posted in their DM; nil for a channel's.
    public var channel: String? = nil
    /// The buttons of a nudge in a DM.
    public var actions: [NudgeAction] = []

    /// As an outbox row: the message as JSON with its stable key.
    public var draft: OutboxDraft {
        let message = ChatMessage(
            idempotencyKey: key, kind: kind.rawValue, title: title, lines: lines, channel: channel, actions: actions.isEmpty ? nil : actions)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = String(decoding: (try? encoder.encode(message)) ?? Data(), as: UTF8.self)
        return OutboxDraft(key: key, destination: destination, kind: kind.rawValue, payload: payload, dueAt: dueAt, subject: subject)
    }
}

/// Pure scheduling of team-chat nudges, one record at a time. Every nudge has a stable key built
/// from what it is about and its date, so planning a record again finds the same nudges, and a
/// moved date makes a new one.
public struct NudgePlanner: Sendable {
    public var settings: NudgeSettings
    public var lexicon: Lexicon
    public var calendar: Calendar
    public var now: Date
    /// Whose records are planned: a Slack chat user's DM nudges go to them by this id.
    public var owner: UserKey = .local

    /// Bump when the planning rules change, so stores plan everything again with the new rules.
    static let rulesVersion = 3

    public init(settings: NudgeSettings, lexicon: Lexicon, now: Date, timeZone: TimeZone) {
        self.settings = settings
        self.lexicon = lexicon
        self.now = now
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.calendar = calendar
    }

    private var format: ValueFormatter { ValueFormatter(lexicon: lexicon, now: now, timeZone: calendar.timeZone) }

    /// A meeting's reminder (while it is still ahead), its "how did it go?" (until reflected),
    /// and for one from the calendar not prepared yet, "not prepared yet" before it.
    public func nudges(for meeting: Meeting) -> [PlannedNudge] {
        guard let start = meeting.startsAt, !meeting.cancelled else { return [] }
        var nudges: [PlannedNudge] = []
        let when = format.format(WhenValue(date: start, hasTime: meeting.hasTime))
        // What the calendar says stays private unless shared, or until a prep makes it rapport's own.
        let named = !meeting.fromCalendar || meeting.prepared || settings.shareCalendar
        let values = ["name": meeting.contactName, "when": when, "first": firstName(meeting.contactName)]
        var shared: [String] = []
        if meeting.fromCalendar, settings.shareCalendar, let title = meeting.calendarTitle, !title.isEmpty {
            shared.append(lexicon.message("nudge_calendar_title", ["title": title]))
        }
        // The owner's own DM may say what the channel may not: the person, the event, the goal.
        var own: [String] = []
        if meeting.fromCalendar, let title = meeting.calendarTitle, !title.isEmpty { own.append(lexicon.message("nudge_calendar_title", ["title": title])) }
        if meeting.hasTime, start > now {
            var lines: [String] = shared
            if settings.shareGoals, let goal = meeting.goal { lines.append(lexicon.message("nudge_goal", ["goal": goal])) }
            let goal = meeting.goal.map { [lexicon.message("nudge_goal", ["goal": $0])] } ?? []
            nudges += nudge(.reminder, key: "reminder-m\(meeting.id)-\(stamp(start))", at: start.addingTimeInterval(-RetrySchedule.seconds(settings.leadTime)),
                            title: lexicon.message(named ? "nudge_reminder" : "nudge_reminder_private", values), lines: lines, about: .meeting(meeting.id),
                            direct: (lexicon.message("nudge_reminder", values), own + goal, [(.prep, "nudge_button_prep")]))
        }
        if meeting.fromCalendar, !meeting.prepared, meeting.hasTime, start > now, let due = prepDue(start) {
            let how = lexicon.message(named ? "nudge_prep_how" : "nudge_prep_how_private", values)
            nudges += nudge(.prep, key: "prep-m\(meeting.id)-\(stamp(start))", at: due,
                            title: lexicon.message(named ? "nudge_prep" : "nudge_prep_private", values), lines: shared + [how], about: .meeting(meeting.id),
                            direct: (lexicon.message("nudge_prep", values), own, [(.prep, "nudge_button_prep")]))
        }
        if !meeting.reflected {
            let after = meeting.hasTime ? start.addingTimeInterval(RetrySchedule.seconds(settings.reflectAfter)) : morning(of: start, plusDays: 1)
            nudges += nudge(.reflect, key: "reflect-m\(meeting.id)", at: after, title: lexicon.message(named ? "nudge_reflect" : "nudge_reflect_private", values),
                            lines: [lexicon.message(named ? "nudge_reflect_how" : "nudge_reflect_how_private", values)], about: .meeting(meeting.id),
                            direct: (lexicon.message("nudge_reflect", values), own, [(.reflect, "nudge_button_reflect"), (.later, "nudge_button_later")]))
        }
        return nudges
    }

    /// When "not prepared yet" goes out: by the timing, out of the quiet hours; nil when that
    /// would be once the meeting has begun.
    func prepDue(_ start: Date) -> Date? {
        let due: Date
        switch settings.prepTiming {
        case .morning(let lead):
            due = min(morning(of: start, plusDays: 0), start.addingTimeInterval(-RetrySchedule.seconds(lead)))
        case .before(let lead):
            due = start.addingTimeInterval(-RetrySchedule.seconds(lead))
        }
        return outsideQuietHours(due) < start ? due : nil
    }

    /// An open follow-up's nudge, the morning of its date or at its time.
    public func nudges(for followUp: FollowUp) -> [PlannedNudge] {
        guard followUp.doneAt == nil else { return [] }
        let due = followUp.hasTime ? followUp.due : morning(of: followUp.due, plusDays: 0)
        let values = ["name": followUp.contactName, "text": followUp.text, "when": format.format(WhenValue(date: followUp.due, hasTime: followUp.hasTime))]
        switch followUp.kind {
        case .action:
            return nudge(.followup, key: "followup-\(followUp.id)-\(stamp(followUp.due))", at: due, title: lexicon.message("nudge_followup", values),
                         lines: [lexicon.message("nudge_followup_line", values)], about: .followUp(followUp.id),
                         actions: [(.done, "nudge_button_done"), (.snooze, "nudge_button_snooze")])
        case .referralFeedback:
            return nudge(.referral, key: "referral-\(followUp.id)-\(stamp(followUp.due))", at: due, title: lexicon.message("nudge_referral", values),
                         lines: [lexicon.message("nudge_referral_line", values)], about: .followUp(followUp.id))
        }
    }

    /// The nudge for a contact kept warm, the morning it is due.
    public func nudges(forKeepingInTouchWith contact: Contact, due: Date, lastInteraction: Date?) -> [PlannedNudge] {
        guard let cadence = contact.keepInTouch else { return [] }
        let lastText = lastInteraction.map { format.format(WhenValue(date: $0, hasTime: false)) } ?? "—"
        let every = format.format(cadence: cadence)  // "every month", "var sjätte vecka"
        let values = ["name": contact.name, "every": every.prefix(1).uppercased() + every.dropFirst(), "last": lastText]
        return nudge(.keepInTouch, key: "keepintouch-c\(contact.id)-\(stamp(due))", at: morning(of: due, plusDays: 0),
                     title: lexicon.message("nudge_keep_in_touch", values), lines: [lexicon.message("nudge_keep_in_touch_line", values)],
                     about: .contact(contact.id))
    }

    /// Every nudge the records call for, routed; kinds without a destination are left out.
    public func plan(meetings: [Meeting], followUps: [FollowUp], contacts: [Contact], interactions: [Interaction]) -> [PlannedNudge] {
        var nudges = meetings.flatMap(nudges(for:)) + followUps.flatMap(nudges(for:))
        let last = DueSchedule.lastInteractions(meetings: [], interactions: interactions, now: now)
        for contact in contacts {
            guard let cadence = contact.keepInTouch, let since = contact.keepInTouchSince else { continue }
            let starts = meetings.filter { $0.contactID == contact.id }.compactMap(\.startsAt)
            let due = DueSchedule.nextContact(lastInteraction: last[contact.id], since: since, cadence: cadence, meetingStarts: starts, now: now, calendar: calendar)
            let lastSeen = DueSchedule.latest(last[contact.id], starts, upTo: now)
            nudges += self.nudges(forKeepingInTouchWith: contact, due: due, lastInteraction: lastSeen)
        }
        if let week = digestWeek(), let digest = digest(week, meetings: meetings, followUps: followUps) {
            nudges.append(digest)
        }
        return nudges.sorted { ($0.dueAt, $0.key) < ($1.dueAt, $1.key) }
    }

    // MARK: - The weekly digest

    /// The most lines a digest lists; the rest are counted, not listed.
    public static let digestLines = 15

    /// Weeks as ISO 8601 numbers them, as calendars in Sweden, Denmark and Poland do.
    private var weeks: Calendar {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = calendar.timeZone
        return iso
    }

    /// This week (Monday to Monday), and its digest's key; nil when no digest is routed.
    public func digestWeek() -> DigestWeek? {
        guard settings.routes[.digest] != nil, let week = weeks.dateInterval(of: .weekOfYear, for: now) else { return nil }
        let year = weeks.component(.yearForWeekOfYear, from: now)
        let number = weeks.component(.weekOfYear, from: now)
        return DigestWeek(key: "digest-\(year)-w\(number)", interval: week)
    }

    /// This week's digest, due Monday at the morning hour: the meetings of the week and the
    /// follow-ups due by its end (at most `digestLines` lines).
    public func digest(_ week: DigestWeek, meetings: [Meeting], followUps: [FollowUp]) -> PlannedNudge? {
        guard let destination = settings.routes[.digest] else { return nil }
        var lines: [String] = []
        let inWeek = meetings.compactMap { meeting in meeting.startsAt.map { (meeting, $0) } }
            .filter { week.interval.contains($0.1) }.sorted { $0.1 < $1.1 }
        for (meeting, start) in inWeek where !meeting.cancelled {
            let named = !meeting.fromCalendar || meeting.prepared || settings.shareCalendar
            lines.append(lexicon.message(named ? "nudge_digest_meeting" : "nudge_digest_meeting_private",
                                         ["name": meeting.contactName, "when": format.format(WhenValue(date: start, hasTime: meeting.hasTime))]))
        }
        for followUp in followUps.filter({ $0.doneAt == nil && $0.due < week.interval.end }).sorted(by: { $0.due < $1.due }) {
            lines.append(lexicon.message("nudge_digest_followup", ["name": followUp.contactName, "text": followUp.text, "when": format.format(WhenValue(date: followUp.due, hasTime: followUp.hasTime))]))
        }
        guard !lines.isEmpty else { return nil }
        if lines.count > Self.digestLines {
            lines = Array(lines.prefix(Self.digestLines)) + ["…"]
        }
        let number = weeks.component(.weekOfYear, from: now)
        return PlannedNudge(
            key: week.key, kind: .digest, destination: destination, dueAt: settings.quietHours?.moving(morning(of: week.interval.start, plusDays: 0), calendar: calendar) ?? morning(of: week.interval.start, plusDays: 0),
            title: lexicon.message("nudge_digest", ["week": String(number)]), lines: lines, subject: .digest)
    }

    // MARK: - Moments

    /// A moment moved out of the quiet hours, to their end.
    public func outsideQuietHours(_ moment: Date) -> Date {
        settings.quietHours?.moving(moment, calendar: calendar) ?? moment
    }

    /// What a nudge says in its owner's DM, and its buttons (each with its label's lexicon key).
    typealias Direct = (title: String, lines: [String], actions: [(NudgeAction.Kind, String)])

    /// A nudge to its kind's channel, and to its owner's DM when the kind is routed there (the
    /// DM's title and lines given by `direct`, else the channel's; its key the channel's + `-dm`).
    private func nudge(
        _ kind: NudgeKind, key: String, at moment: Date, title: String, lines: [String], about subject: NudgeSubject, direct: Direct? = nil,
        actions: [(NudgeAction.Kind, String)] = []
    ) -> [PlannedNudge] {
        var planned: [PlannedNudge] = []
        let due = outsideQuietHours(moment)
        if let destination = settings.routes[kind] {
            planned.append(PlannedNudge(key: key, kind: kind, destination: destination, dueAt: due, title: title, lines: lines, subject: subject))
        }
        if let destination = settings.directDestinations[owner.platform], settings.directKinds(for: owner).contains(kind) {
            let said = direct ?? (title, lines, actions)
            let id: Int64
            switch subject {
            case .meeting(let number), .followUp(let number), .contact(let number): id = number
            case .digest, .reply: id = 0
            }
            let buttons = id > 0 ? said.actions.map { NudgeAction(kind: $0.0, subjectID: id, owner: owner.user, label: lexicon.message($0.1)) } : []
            planned.append(PlannedNudge(
                key: key + "-dm", kind: kind, destination: destination, dueAt: due, title: said.title, lines: said.lines, subject: subject, channel: Self.directChannel(of: owner),
                actions: buttons))
        }
        return planned
    }

    /// Where a DM nudge is posted: Slack's `chat.postMessage` opens the DM with a user id; on
    /// Mattermost a DM must be opened first, so the post names its owner as `@<user id>`.
    static func directChannel(of owner: UserKey) -> String {
        owner.platform == .mattermost ? "@" + owner.user : owner.user
    }

    private func morning(of date: Date, plusDays days: Int) -> Date {
        let start = calendar.startOfDay(for: date)
        let day = calendar.date(byAdding: .day, value: days, to: start) ?? start
        return calendar.date(bySettingHour: settings.morningHour, minute: 0, second: 0, of: day) ?? day
    }

    /// yyyymmdd in the user's zone: part of a key, so a moved date is a new nudge.
    private func stamp(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    private func firstName(_ name: String) -> String {
        name.split(separator: " ").first.map(String.init) ?? name
    }
}

extension NudgePlanner: NudgePlanning {
    public var fingerprint: String {
        let routes = settings.routes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ",")
        let quiet = settings.quietHours.map { "\($0.start)-\($0.end)" } ?? "off"
        let people = settings.people.sorted { $0.key.stored < $1.key.stored }.map { person, routes in
            person.stored + "{" + routes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ",") + "}"
        }.joined(separator: ",")
        let direct = settings.direct.map(\.rawValue).sorted().joined(separator: ",")
        let peopleDirect = settings.peopleDirect.sorted { $0.key.stored < $1.key.stored }
            .map { $0.key.stored + "{" + $0.value.map(\.rawValue).sorted().joined(separator: ",") + "}" }.joined(separator: ",")
        return ["rules \(Self.rulesVersion)", routes, "people \(people)", "dm \(direct) \(peopleDirect) \(settings.directDestinations.isEmpty ? "-" : settings.directDestinations.sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value).joined(separator: ","))", "lead \(settings.leadTime)", "after \(settings.reflectAfter)", "quiet \(quiet)",
                "morning \(settings.morningHour)", "goals \(settings.shareGoals)", "prep \(settings.prepTiming)", "calendar \(settings.shareCalendar)",
                calendar.timeZone.identifier].joined(separator: "; ")
    }

    private func at(_ moment: Date, for owner: UserKey = .local) -> NudgePlanner {
        var planner = self
        planner.now = moment
        planner.settings.routes = settings.routes(for: owner)
        planner.owner = owner
        return planner
    }

    public func nudges(for meeting: Meeting, owner: UserKey, now: Date) -> [OutboxDraft] {
        at(now, for: owner).nudges(for: meeting).map(\.draft)
    }

    public func nudges(for followUp: FollowUp, owner: UserKey, now: Date) -> [OutboxDraft] {
        at(now, for: owner).nudges(for: followUp).map(\.draft)
    }

    public func keepInTouch(_ contact: Contact, owner: UserKey, lastInteraction: Date?, meetingStarts: [Date], now: Date) -> (due: Date, nudges: [OutboxDraft])? {
        guard let cadence = contact.keepInTouch, let since = contact.keepInTouchSince else { return nil }
        let due = DueSchedule.nextContact(lastInteraction: lastInteraction, since: since, cadence: cadence, meetingStarts: meetingStarts, now: now, calendar: calendar)
        let lastSeen = DueSchedule.latest(lastInteraction, meetingStarts, upTo: now)
        return (due, at(now, for: owner).nudges(forKeepingInTouchWith: contact, due: due, lastInteraction: lastSeen).map(\.draft))
    }

    public func digestWeek(now: Date) -> DigestWeek? {
        at(now).digestWeek()
    }

    public func digest(_ week: DigestWeek, meetings: [Meeting], followUps: [FollowUp], now: Date) -> OutboxDraft? {
        at(now).digest(week, meetings: meetings, followUps: followUps)?.draft
    }
}
