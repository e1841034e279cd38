import Foundation
import RapportCore
import RapportPostgres
import RapportStore
import RapportTestSupport
import Testing

/// A store opened again with other plan settings plans every record once, on the adapters that
/// outlive a process; more records than the PostgreSQL store plans per round trip, so its
/// batches meet at their edges.
struct PlanRefreshContractTests {
    private let now = Contract.now

    /// Opens the same store (file or schema) again with `planner`.
    private func opener(_ adapter: Adapter) throws -> @Sendable (NudgePlanner) async throws -> Adapter.Store {
        switch adapter {
        case .sqliteFile:
            let folder = TemporaryDirectory()
            return { planner in try GRDBStore.open(path: folder.path("plan.sqlite"), planner: planner) }
        case .postgres:
            let location = try Adapter.postgresLocation()
            return { planner in try await PostgresStore.open(location, planner: planner, connections: 2) }
        case .sqliteInMemory, .inMemory:
            throw ContractFailure("\(adapter) does not outlive its process")
        }
    }

    @Test(arguments: [Adapter.sqliteFile, .postgres])
    func reopeningWithOtherPlanSettingsPlansEveryRecordOnce(_ adapter: Adapter) async throws {
        let open = try opener(adapter)
        let count = 1_050
        do {
            let store = try await open(Contract.planner())
            _ = try await store.refreshPlan(now: now)
            // Sixteen at a time: the stores commit what arrives together in one transaction.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<16 {
                    group.addTask {
                        for index in stride(from: lane, to: count, by: 16) {
                            _ = try await Contract.finish(Contract.finishedPrep("Person \(index)", starts: "2026-11-25T14:00:00+01:00"), in: store)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.entries(statuses: [.pending], limit: 5_000).count == 2 * count)
        }
        let later = try await open(Contract.planner(leadTime: .seconds(7200)))
        let refresh = try await later.refreshPlan(now: now)
        #expect(refresh.replannedAll)
        #expect(refresh.added == 0 && refresh.cancelled == 0, "the same keys, moved: \(refresh)")
        let pending = try await later.entries(statuses: [.pending], limit: 5_000)
        let reminders = pending.filter { $0.kind == "reminder" }
        #expect(reminders.count == count)
        #expect(reminders.allSatisfy { $0.nextAttemptAt == Fixtures.moment("2026-11-25T12:00:00+01:00") }, "every reminder two hours ahead now")
        #expect(try await later.refreshPlan(now: now) == PlanRefresh(), "planned once")

        let quiet = try await open(Contract.planner(routes: [:]))
        #expect(try await quiet.refreshPlan(now: now).cancelled == 2 * count, "with nothing routed, everything waiting is cancelled")
        #expect(try await quiet.entries(statuses: [.pending], limit: 10).isEmpty)

        let again = try await open(Contract.planner())
        let back = try await again.refreshPlan(now: now)
        #expect(back.added == 0, "cancelled messages come back as they were, not as new ones")
        #expect(try await again.entries(statuses: [.pending], limit: 5_000).count == 2 * count)
    }
}
