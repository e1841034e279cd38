import Foundation
import RapportCore
import RapportDelivery
import RapportStore

/// The nudge use-cases: plan what the records call for, keep the outbox in step with the plan,
/// and deliver what is due. `rapport nudge` runs all three; the server will run them on a timer.
public struct NudgeService {
    public let settings: RapportSettings
    public let service: ConversationService

    public init(settings: RapportSettings, service: ConversationService) {
        self.settings = settings
        self.service = service
    }

    /// The store's nudge plan: the records and a moment in, outbox rows out. Run inside the
    /// store's write transactions, so a finished conversation or a follow-up done updates the
    /// outbox in the same commit. The lexicon is read only when a plan is made.
    static func plan(settings: NudgeSettings, library: FlowLibrary, language: String, timeZone: TimeZone) -> RapportDatabase.NudgePlan {
        { records, now in
            let lexicon = try library.lexicon(language: language)
            let planner = NudgePlanner(settings: settings, lexicon: lexicon, now: now, timeZone: timeZone)
            return try drafts(planner.plan(meetings: records.meetings, followUps: records.followUps, contacts: records.contacts, interactions: records.interactions))
        }
    }

    /// Every nudge the records call for now, routed by the config.
    public func plan(now: Date) throws(RapportError) -> [PlannedNudge] {
        let store = service.store
        let lexicon = try service.library.lexicon(language: settings.language)
        let planner = NudgePlanner(settings: settings.nudges, lexicon: lexicon, now: now, timeZone: settings.timeZone)
        return try wrap { () throws(StoreError) in
            planner.plan(meetings: try store.meetings(), followUps: try store.followUps(), contacts: try store.contacts(), interactions: try store.interactions())
        }
    }

    /// The plan as outbox rows: each message as JSON with its stable key.
    public static func drafts(_ plan: [PlannedNudge]) throws(RapportError) -> [OutboxDraft] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var drafts: [OutboxDraft] = []
        for nudge in plan {
            let message = ChatMessage(idempotencyKey: nudge.key, kind: nudge.kind.rawValue, title: nudge.title, lines: nudge.lines)
            guard let data = try? encoder.encode(message) else { continue }
            drafts.append(OutboxDraft(key: nudge.key, destination: nudge.destination, kind: nudge.kind.rawValue, payload: String(decoding: data, as: UTF8.self), dueAt: nudge.dueAt))
        }
        return drafts
    }

    /// Plans, brings the outbox up to date and delivers everything due.
    public func run(now: @escaping () -> Date, pacing: Bool = true) throws(RapportError) -> (added: Int, cancelled: Int, report: OutboxDeliverer.Report) {
        let drafts = try Self.drafts(try plan(now: now()))
        let store = service.store
        let synced = try wrap { () throws(StoreError) in try store.syncOutbox(drafts, now: now()) }
        let (usable, unusable) = settings.usableDestinations()
        let deliverer = OutboxDeliverer(store: store, destinations: usable, unusable: unusable, pacing: pacing, clock: now)
        return (synced.added, synced.cancelled, try deliverer.deliverDue())
    }
}
