import RapportCore
import Synchronization

/// Group commit for plain answers (a turn that finishes nothing and claims no message). While a
/// batch is on its way to PostgreSQL, the answers that arrive wait, and then go together as one
/// statement in one transaction. A busy replica thus pays PostgreSQL's per-statement and
/// per-commit work, most of what an answer costs it, once for several people. A lone answer goes
/// at once: an answer only ever waits where it would have waited for the batch ahead anyway.
///
/// Each batch holds at most one turn per owner, so no two of its turns touch the same
/// conversation or ask which of them is the newest open one. Whoever's turn is first in a batch
/// leads it: its task runs the statement and hands out the outcomes, so batching makes no task
/// of its own.
final class AnswerBatches: Sendable {
    typealias Outcome = Result<CommitResult, any Error>

    private let inFlight: Int
    private let largest: Int
    private let state = Mutex(Queue())

    /// `inFlight` batches at most are on their way at once, each of at most `largest` turns.
    init(inFlight: Int = 1, largest: Int = 32) {
        precondition(inFlight >= 1 && largest >= 1)
        self.inFlight = inFlight
        self.largest = largest
    }

    /// Commits `turn` alone or with others: `commitTogether` (the leader's) commits each turn it
    /// is given and says how each went, in their order.
    func commit(_ turn: TurnCommit, together commitTogether: @escaping @Sendable ([TurnCommit]) async -> [Outcome]) async throws -> CommitResult {
        let (inFlight, largest) = (self.inFlight, self.largest)
        let role = await withCheckedContinuation { (waiter: CheckedContinuation<Role, Never>) in
            let batch = state.withLock { queue in
                queue.waiting.append(Waiting(turn: turn, waiter: waiter))
                return queue.running < inFlight ? queue.nextBatch(largest: largest) : nil
            }
            batch?.start()
        }
        switch role {
        case .done(let outcome):
            return try outcome.get()
        case .lead(let batch):
            let turns = batch.map(\.turn)
            // A batch of others' answers must not fail because the leading request was
            // cancelled (its client went away): it runs in a task of its own.
            let outcomes = turns.count == 1 ? await commitTogether(turns) : await Task { await commitTogether(turns) }.value
            for (waiting, outcome) in zip(batch.dropFirst(), outcomes.dropFirst()) {
                waiting.waiter.resume(returning: .done(outcome))
            }
            let next = state.withLock { queue in
                queue.running -= 1
                return queue.nextBatch(largest: largest)
            }
            next?.start()
            return try outcomes[0].get()
        }
    }

    /// A waiting turn learns either its outcome or that it leads a batch (itself first).
    private enum Role: Sendable {
        case lead([Waiting])
        case done(Outcome)
    }

    private struct Waiting: Sendable {
        let turn: TurnCommit
        let waiter: CheckedContinuation<Role, Never>
    }

    private struct Batch {
        let turns: [Waiting]

        func start() {
            turns[0].waiter.resume(returning: .lead(turns))
        }
    }

    /// How many batches have gone, and the most turns one held (for tests and profiling).
    var sent: (batches: Int, largest: Int) {
        state.withLock { ($0.batches, $0.largestSent) }
    }

    private struct Queue: ~Copyable {
        var waiting: [Waiting] = []
        var running = 0
        var batches = 0
        var largestSent = 0

        /// The oldest waiting turns, one per owner, counted as running; nil when none wait.
        mutating func nextBatch(largest: Int) -> Batch? {
            guard !waiting.isEmpty else { return nil }
            var owners = Set<UserKey>()
            var batch: [Waiting] = []
            var later: [Waiting] = []
            for turn in waiting {
                if batch.count < largest, owners.insert(turn.turn.owner).inserted {
                    batch.append(turn)
                } else {
                    later.append(turn)
                }
            }
            waiting = later
            running += 1
            batches += 1
            largestSent = max(largestSent, batch.count)
            return Batch(turns: batch)
        }
    }
}
