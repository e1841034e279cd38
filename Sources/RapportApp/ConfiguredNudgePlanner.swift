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

    private func routed(_ owner: UserKey) -> Bool { !settings.routes(for: owner).isEmpty || !settings.directKinds(for: owner).isEmpty }

    /// Stored as a digest: the settings name people (`nudges.people`), and a forgotten person's
    /// key must not stay readable in the store's meta table. FNV-1a, written out here: it only
    /// has to tell settings apart, and OpenSSL's SHA-256 would cost every command the ~20 ms of
    /// loading and initialising libcrypto.
    var fingerprint: String {
        let description = NudgePlanner(settings: settings, lexicon: Lexicon.wordless, now: Date(timeIntervalSince1970: 0), timeZone: timeZone).fingerprint
        // Two 64-bit FNV-1a lanes with different offsets: 128 bits, no collision in practice.
        var lanes: [UInt64] = [0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142]
        for byte in description.utf8 {
            for lane in lanes.indices { lanes[lane] = (lanes[lane] ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        return "fnv1a:" + lanes.map { String($0, radix: 16) }.joined(separator: ".")
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
        guard settings.routes(for: owner)[.keepInTouch] != nil || settings.directKinds(for: owner).contains(.keepInTouch), let planner = loaded() else {
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
