import Foundation
import RapportCore

/// The nudge plan the config describes, in the configured language. The lexicon (the largest
/// file a command reads) is read only when a nudge is first planned, so commands that plan none
/// start as fast as before.
final class ConfiguredNudgePlanner: NudgePlanning, @unchecked Sendable {
    // @unchecked: `planner` is set once, under `lock`.
    private let settings: NudgeSettings
    private let timeZone: TimeZone
    private let lexicon: @Sendable () throws -> Lexicon
    private let lock = NSLock()
    private var planner: NudgePlanner?

    init(settings: NudgeSettings, timeZone: TimeZone, lexicon: @escaping @Sendable () throws -> Lexicon) {
        self.settings = settings
        self.timeZone = timeZone
        self.lexicon = lexicon
    }

    /// The planner, with the lexicon read on first use; nil (nothing is planned) when it cannot be read.
    private func loaded() -> NudgePlanner? {
        lock.withLock {
            if planner == nil, let lexicon = try? lexicon() {
                planner = NudgePlanner(settings: settings, lexicon: lexicon, now: Date(timeIntervalSince1970: 0), timeZone: timeZone)
            }
            return planner
        }
    }

    /// A planner that needs no lexicon: keep-in-touch dates, when no nudge is routed.
    private var datesOnly: NudgePlanner {
        NudgePlanner(settings: NudgeSettings(routes: [:]), lexicon: Lexicon.wordless, now: Date(timeIntervalSince1970: 0), timeZone: timeZone)
    }

    private func routed(_ owner: UserKey) -> Bool { !settings.routes(for: owner).isEmpty }

    var fingerprint: String {
        NudgePlanner(settings: settings, lexicon: Lexicon.wordless, now: Date(timeIntervalSince1970: 0), timeZone: timeZone).fingerprint
    }

    func nudges(for meeting: Meeting, owner: UserKey, now: Date) -> [OutboxDraft] {
        guard routed(owner) else { return [] }
        return loaded()?.nudges(for: meeting, owner: owner, now: now) ?? []
    }

    func nudges(for followUp: FollowUp, owner: UserKey, now: Date) -> [OutboxDraft] {
        guard routed(owner) else { return [] }
        return loaded()?.nudges(for: followUp, owner: owner, now: now) ?? []
    }

    func keepInTouch(_ contact: Contact, owner: UserKey, lastInteraction: Date?, meetingStarts: [Date], now: Date) -> (due: Date, nudges: [OutboxDraft])? {
        guard settings.routes(for: owner)[.keepInTouch] != nil, let planner = loaded() else {
            return datesOnly.keepInTouch(contact, owner: owner, lastInteraction: lastInteraction, meetingStarts: meetingStarts, now: now)
        }
        return planner.keepInTouch(contact, owner: owner, lastInteraction: lastInteraction, meetingStarts: meetingStarts, now: now)
    }

    func digestWeek(now: Date) -> DigestWeek? {
        guard settings.routes[.digest] != nil else { return nil }
        return datesOnly.withRoutes(settings.routes).digestWeek(now: now)
    }

    func digest(_ week: DigestWeek, meetings: [Meeting], followUps: [FollowUp], now: Date) -> OutboxDraft? {
        loaded()?.digest(week, meetings: meetings, followUps: followUps, now: now)
    }
}

private extension Lexicon {
    /// No words at all: for the parts of planning that say nothing (dates, keys, the fingerprint).
    static let wordless = Lexicon(
        language: "en", commands: [:], yes: [], no: [], lists: [:],
        dates: DateWords(
            weekdays: [], months: [], today: [], tomorrow: [], dayAfterTomorrow: [], inWords: [], next: [], fillers: [], units: [:], numbers: [:],
            am: [], pm: [], noon: [], half: []),
        messages: [:])
}

private extension NudgePlanner {
    func withRoutes(_ routes: [NudgeKind: String]) -> NudgePlanner {
        var planner = self
        planner.settings.routes = routes
        return planner
    }
}
