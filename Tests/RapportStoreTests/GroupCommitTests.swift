import Foundation
import GRDB
import RapportCore
import RapportStore
import RapportTestSupport
import Testing

/// Many turns in one transaction (`inOneTransaction`), each in its own savepoint, against a real file.
struct GroupCommitTests {
    private let now = Fixtures.monday

    private struct Refused: Error, Equatable {}

    private func state(step: String) -> ConversationState {
        var state = ConversationState(flowID: "prep", language: "en", prefill: ["contact.name": .name("Anna Berg")])
        state.currentStep = step
        return state
    }

    @Test func aFailedTurnIsUndoneAndTheOthersInItsGroupAreKept() throws {
        let folder = TemporaryDirectory()
        let store = try RapportDatabase.open(path: folder.path("r.sqlite"))
        let joined = store.joiningOpenTransactions()
        let results = try store.inOneTransaction {
            (1...3).map { index in
                (try? joined.savepoint { () -> Result<Int64, Refused> in
                    let created = Result { try joined.createConversation(state: state(step: "when"), channel: "chat", userKey: "u\(index)", now: now) }
                    // The second turn writes, then fails: what it wrote must go with it.
                    return index == 2 ? .failure(Refused()) : created.mapError { _ in Refused() }
                }) ?? .failure(Refused())
            }
        }
        #expect(results.map { (try? $0.get()) != nil } == [true, false, true])
        // Read back through a new connection: only what was committed is there.
        let reopened = try RapportDatabase.open(path: folder.path("r.sqlite"))
        #expect(try reopened.openConversations(userKey: "u1").count == 1)
        #expect(try reopened.openConversations(userKey: "u2").isEmpty)
        #expect(try reopened.openConversations(userKey: "u3").count == 1)
    }

    @Test func readsInsideTheGroupSeeItsEarlierTurns() throws {
        let folder = TemporaryDirectory()
        let store = try RapportDatabase.open(path: folder.path("r.sqlite"))
        let joined = store.joiningOpenTransactions()
        let seen = try store.inOneTransaction { () -> [Int] in
            var counts: [Int] = []
            for _ in 0..<3 {
                _ = try? joined.savepoint { Result { try joined.createConversation(state: state(step: "when"), channel: "chat", userKey: "u", now: now) } }
                counts.append((try? joined.openConversations(userKey: "u").count) ?? -1)
            }
            return counts
        }
        #expect(seen == [1, 2, 3])
    }

    @Test func nothingInAGroupIsWrittenUntilItCommits() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let store = try RapportDatabase.open(path: path)
        let joined = store.joiningOpenTransactions()
        let observer = try DatabaseQueue(path: path)
        let duringGroup = try store.inOneTransaction { () -> Int in
            _ = try? joined.savepoint { Result { try joined.createConversation(state: state(step: "when"), channel: "chat", userKey: "u", now: now) } }
            // Another connection (another process, a crash) sees none of it yet.
            return (try? observer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM conversations") ?? -1 }) ?? -1
        }
        #expect(duringGroup == 0)
        #expect(try observer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM conversations") } == 1)
    }

    @Test func processedMessagesAreRememberedUntilForgotten() throws {
        let folder = TemporaryDirectory()
        let store = try RapportDatabase.open(path: folder.path("r.sqlite"))
        #expect(try store.processedReply(messageID: "u/webhook:1") == nil)
        try store.recordProcessed(messageID: "u/webhook:1", reply: #"{"ended":false,"replies":["Hi"]}"#, now: now)
        try store.recordProcessed(messageID: "u/webhook:2", reply: "{}", now: now.addingTimeInterval(3600))
        let reopened = try RapportDatabase.open(path: folder.path("r.sqlite"))
        #expect(try reopened.processedReply(messageID: "u/webhook:1") == #"{"ended":false,"replies":["Hi"]}"#)
        #expect(try reopened.forgetProcessed(before: now.addingTimeInterval(60)) == 1)
        #expect(try reopened.processedReply(messageID: "u/webhook:1") == nil)
        #expect(try reopened.processedReply(messageID: "u/webhook:2") == "{}")
    }
}
