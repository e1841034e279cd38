import Foundation
import Foundation
import RapportCore
import RapportPostgres
import RapportStore
import RapportTestSupport

/// Every store adapter the contract suite runs against.
enum Adapter: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqliteInMemory
    case sqliteFile
    case inMemory
    case postgres

    var description: String { rawValue }

    typealias Store = any ConversationStore & RecordStore & OutboxQueue & PeopleStore & CalendarStore

    /// A new, empty store of this kind; a file one lives in `folder`, a PostgreSQL one in a schema
    /// of its own in the throw-away cluster `make test` starts.
    func make(planner: any NudgePlanning = Contract.planner(), in folder: TemporaryDirectory = TemporaryDirectory()) async throws -> Store {
        switch self {
        case .sqliteInMemory: return try GRDBStore.inMemory(planner: planner)
        case .sqliteFile: return try GRDBStore.open(path: folder.path("contract.sqlite"), planner: planner, concurrentReads: true)
        case .inMemory: return InMemoryStore(planner: planner)
        case .postgres: return try await PostgresStore.open(try Self.postgresLocation(), planner: planner, connections: 4)
        }
    }

    /// A schema of its own in the test cluster. Without the cluster the case fails and says why:
    /// nothing is skipped.
    static func postgresLocation(schema: String = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")) throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["RAPPORT_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw ContractFailure("RAPPORT_TEST_POSTGRES_URL is not set: run the tests with make test, which starts a throw-away PostgreSQL (scripts/postgres.sh)")
        }
        return try PostgresLocation(url: url + (url.contains("?") ? "&" : "?") + "sslmode=disable&schema=" + schema)
    }
}

/// What the contract cases share: a moment, a planner, and conversations as the engine leaves them.
enum Contract {
    static let now = Fixtures.moment("2026-11-24T17:00:00+01:00")
    static let everyKind = Dictionary(uniqueKeysWithValues: NudgeKind.allCases.map { ($0, "team") })

    static func planner(routes: [NudgeKind: String] = everyKind, leadTime: Duration = .seconds(3600)) -> NudgePlanner {
        NudgePlanner(settings: NudgeSettings(routes: routes, leadTime: leadTime), lexicon: Fixtures.english, now: now, timeZone: Fixtures.stockholm)
    }

    static var formatter: ValueFormatter { ValueFormatter(lexicon: Fixtures.english, now: now, timeZone: Fixtures.stockholm) }

    static func day(_ iso: String) -> WhenValue { WhenValue(date: Fixtures.moment(iso), hasTime: false) }

    /// A prep at its `when` step, as the engine starts one.
    static func openPrep(_ name: String = "Anna Berg") -> ConversationState {
        var state = ConversationState(flowID: "prep", language: "en", prefill: ["contact.name": .name(name)])
        state.currentStep = "when"
        return state
    }

    /// A finished prep's state.
    static func finishedPrep(_ name: String = "Anna Berg", goal: String = "An intro to their CFO", pitch: String? = nil, starts: String = "2026-11-25T14:00:00+01:00") -> ConversationState {
        var state = ConversationState(flowID: "prep", language: "en", prefill: ["contact.name": .name(name)])
        state.answers["when"] = .init(raw: "", value: .when(WhenValue(date: Fixtures.moment(starts), hasTime: true)), weak: false, slot: "meeting.when")
        state.answers["goal"] = .init(raw: goal, value: .text(goal), weak: true, slot: "meeting.goal")
        state.answers["knows"] = .init(raw: "no", value: .choice("no"), weak: false, slot: "contact.knows_what_i_do")
        state.path = ["when", "goal", "knows"]
        if let pitch {
            state.answers["pitch"] = .init(raw: pitch, value: .text(pitch), weak: false, slot: "me.pitch")
            state.path.append("pitch")
        }
        state.status = .finished
        return state
    }

    /// A finished reflection on a meeting with the given slots.
    static func finishedReflection(meetingID: Int64, slots: [String: SlotValue], reflectionID: Int64? = nil, name: String = "Anna Berg") -> ConversationState {
        var prefill: [String: SlotValue] = ["contact.name": .name(name), "meeting.id": .number(Int(meetingID))]
        if let reflectionID { prefill["reflection.id"] = .number(Int(reflectionID)) }
        var state = ConversationState(flowID: "reflect", language: "en", prefill: prefill)
        for (index, (slot, value)) in slots.sorted(by: { $0.key < $1.key }).enumerated() {
            state.answers["s\(index)"] = .init(raw: "", value: value, weak: false, slot: slot)
            state.path.append("s\(index)")
        }
        state.status = .finished
        return state
    }

    static let reflection: [String: SlotValue] = [
        "reflection.goal_reached": .choice("partly"), "reflection.outcome": .text("A name"),
        "contact.knows_what_i_do": .choice("yes"), "contact.keep_warm": .bool(true),
        "contact.keep_in_touch": .duration(DurationValue(amount: 6, unit: .week)),
        "followups": .many([.followUp(FollowUpValue(action: "send the deck", due: day("2026-11-27T00:00:00+01:00")))]),
        "referrals": .many([.followUp(FollowUpValue(action: "recommended Jan", due: day("2026-12-08T00:00:00+01:00")))]),
    ]

    /// Starts a conversation and commits its end in a second turn, as a front end does; returns
    /// the meeting it wrote.
    @discardableResult
    static func finish(_ state: ConversationState, in store: Adapter.Store, owner: UserKey = .local, now: Date = now) async throws -> Int64? {
        var open = state
        open.status = .active
        guard case .committed(let started, _) = try await store.start(ConversationStart(owner: owner, channel: .terminal, state: open, answers: [], now: now)) else {
            throw ContractFailure("the conversation did not start")
        }
        let turn = TurnCommit(
            conversationID: started.id, owner: owner, readVersion: started.version, channel: .terminal, state: state, answers: [],
            outcome: ConversationOutcome(state: state, card: nil, formatter: formatter), now: now)
        guard case .committed(_, let meetingID) = try await store.commit(turn) else { throw ContractFailure("the last turn did not commit") }
        return meetingID
    }
}

struct ContractFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
