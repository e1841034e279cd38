import Foundation
import RapportCore
import RapportStore

/// The use-cases a front end works with, wired to one store. The terminal and the server build
/// this once per run and call nothing below it.
public struct RapportServices: Sendable {
    public let settings: RapportSettings
    public let store: StorePorts
    public let library: FlowLibrary
    public let conversations: ConversationService
    public let meetings: MeetingService
    public let followUps: FollowUpService
    public let contacts: ContactService
    public let home: HomeService
    public let nudges: NudgeService
    public let outbox: OutboxService
    public let people: PeopleService
    public let webhooks: WebhookTester
    public let calendars: CalendarService

    /// The use-cases over a store already open (any adapter).
    public init(settings: RapportSettings, store: StorePorts, library: FlowLibrary) {
        self.settings = settings
        self.store = store
        self.library = library
        conversations = ConversationService(store: store, library: library, language: settings.language, timeZone: settings.timeZone)
        meetings = MeetingService(records: store.records)
        let conversations = self.conversations
        followUps = FollowUpService(records: store.records, timeZone: settings.timeZone) { try conversations.lexicon() }
        contacts = ContactService(records: store.records, timeZone: settings.timeZone)
        home = HomeService(meetings: meetings, followUps: followUps, conversations: conversations, timeZone: settings.timeZone)
        nudges = NudgeService(settings: settings, outbox: store.outbox)
        outbox = OutboxService(outbox: store.outbox)
        people = PeopleService(people: store.people, home: home)
        webhooks = WebhookTester(settings: settings)
        calendars = CalendarService(store: store.calendars, settings: settings)
    }

    /// Opens the configured store and brings its nudge plan in step with the config: the SQLite
    /// file (created when new; `concurrentReads` gives a server a pool of readers beside the
    /// writer), or a team store through `teamStore`, which only `rapport-server` provides.
    public static func open(
        _ settings: RapportSettings, concurrentReads: Bool = false, teamStore: (any TeamStoreOpening)? = RapportServices.teamStore
    ) async throws -> RapportServices {
        let library = FlowLibrary(directories: settings.promptDirectories, cacheDirectory: settings.paths.cacheDirectory)
        let planner = nudgePlanner(settings, library: library)
        let store: StorePorts
        if settings.storeIsTeamStore {
            guard let teamStore else { throw RapportError.teamStoreNeedsServer(settings.storePath) }
            store = try await teamStore.open(settings, planner: planner)
        } else {
            store = StorePorts(try GRDBStore.open(path: settings.storePath, planner: planner, concurrentReads: concurrentReads))
        }
        _ = try await store.outbox.refreshPlan(now: settings.now())
        return RapportServices(settings: settings, store: store, library: library)
    }

    /// How this process opens a team store: set by `rapport-server` around what it runs.
    @TaskLocal public static var teamStore: (any TeamStoreOpening)?

    /// The nudge plan the config describes, for a store adapter to plan its writes with.
    public static func nudgePlanner(_ settings: RapportSettings, library: FlowLibrary) -> any NudgePlanning {
        let language = settings.language
        return ConfiguredNudgePlanner(settings: settings.nudges, timeZone: settings.timeZone) { try library.lexicon(language: language) }
    }
}

/// Opens a team store (PostgreSQL) for a process that links its adapter.
public protocol TeamStoreOpening: Sendable {
    func open(_ settings: RapportSettings, planner: any NudgePlanning) async throws -> StorePorts
}
