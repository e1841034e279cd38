import Foundation
import RapportApp
import RapportCore
import RapportDelivery
import RapportStore
import RapportTestSupport
import Testing

/// The outbox drained against a real HTTP server on 127.0.0.1, with the clock and the sleeps injected.
struct OutboxDelivererTests {
    /// A clock that moves only when told to, or when the deliverer sleeps.
    final class TestClock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        var slept: [Duration] = []
        func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }
    }

    private func draft(_ key: String, to destination: String = "team", dueIn seconds: TimeInterval = 0, clock: TestClock) throws -> OutboxDraft {
        let message = ChatMessage(idempotencyKey: key, kind: "followup", title: "Follow up with Anna Berg", lines: ["send the deck"])
        return OutboxDraft(key: key, destination: destination, kind: "followup", payload: String(decoding: try JSONEncoder().encode(message), as: UTF8.self), dueAt: clock.now.addingTimeInterval(seconds))
    }

    private func deliverer(_ store: RapportDatabase, _ destinations: [Destination], _ clock: TestClock, pacing: Bool = false) -> OutboxDeliverer {
        OutboxDeliverer(
            store: store, destinations: destinations, schedule: RetrySchedule(delays: [.seconds(5), .seconds(300)], jitter: 0.2),
            timeouts: .init(connect: .seconds(2), total: .seconds(2)), pacing: pacing, clock: { clock.now },
            sleep: { clock.slept.append($0); clock.advance(RetrySchedule.seconds($0)) }, random: { 0.5 })
    }

    @Test func deliversWhatIsDueAndLeavesTheRest() throws {
        let server = try LoopbackHTTPServer()
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        try store.enqueue([try draft("now", clock: clock), try draft("later", dueIn: 3600, clock: clock)], now: clock.now)
        let report = try deliverer(store, [Destination(name: "team", kind: .generic, url: server.url)], clock).deliverDue()
        #expect(report.sent == 1)
        #expect(server.requests.map { $0.headers["webhook-id"] } == ["now"])
        #expect(try store.outbox(statuses: [.sent]).map(\.key) == ["now"])
        #expect(try store.outbox(statuses: [.pending]).map(\.key) == ["later"])
    }

    @Test func enqueuingTheSameKeyTwiceKeepsOneMessage() throws {
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        #expect(try store.enqueue([try draft("a", clock: clock)], now: clock.now) == 1)
        #expect(try store.enqueue([try draft("a", clock: clock), try draft("b", clock: clock)], now: clock.now) == 1)
        #expect(try store.outbox().count == 2)
    }

    @Test func aServerErrorIsRetriedLaterWithTheSameKey() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 500, body: "rollup_error"))
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        try store.enqueue([try draft("k1", clock: clock)], now: clock.now)
        let delivery = deliverer(store, [Destination(name: "team", kind: .generic, url: server.url)], clock)

        let first = try delivery.deliverDue()
        #expect(first.retrying == 1)
        let waiting = try #require(try store.outbox().first)
        #expect(waiting.attempts == 1)
        #expect(waiting.nextAttemptAt == clock.now.addingTimeInterval(5))
        #expect(waiting.lastError == "server error 500: rollup_error")

        clock.advance(4)
        #expect(try delivery.deliverDue() == OutboxDeliverer.Report())  // not yet
        clock.advance(1)
        #expect(try delivery.deliverDue().sent == 1)
        #expect(server.requests.map { $0.headers["webhook-id"] } == ["k1", "k1"])
    }

    @Test func retryAfterIsHonoured() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 429, headers: ["Retry-After": "120"]))
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        try store.enqueue([try draft("k1", clock: clock)], now: clock.now)
        _ = try deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock).deliverDue()
        #expect(try store.outbox().first?.nextAttemptAt == clock.now.addingTimeInterval(120))
    }

    @Test func aDroppedConnectionIsRetriedAndRunningOutOfAttemptsDeadLetters() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.drop, .respond(status: 502), .respond(status: 503))
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        try store.enqueue([try draft("k1", clock: clock)], now: clock.now)
        let delivery = deliverer(store, [Destination(name: "team", kind: .generic, url: server.url)], clock)
        #expect(try delivery.deliverDue().retrying == 1)
        clock.advance(10)
        #expect(try delivery.deliverDue().retrying == 1)
        clock.advance(400)
        let last = try delivery.deliverDue()
        #expect(last.dead == 1)
        let dead = try #require(try store.outbox(statuses: [.dead]).first)
        #expect(dead.attempts == 3)
        #expect(dead.lastError == "server error 503; gave up after 3 attempts")
        clock.advance(100_000)
        #expect(try delivery.deliverDue() == OutboxDeliverer.Report())
        #expect(server.requests.count == 3)
    }

    @Test func aPermanentRefusalIsDeadLetteredAndTheDestinationLeftAloneForTheRun() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 404, body: "channel_not_found"))
        let other = try LoopbackHTTPServer()
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        try store.enqueue([try draft("a", clock: clock), try draft("b", clock: clock), try draft("c", to: "other", clock: clock)], now: clock.now)
        let report = try deliverer(store, [
            Destination(name: "team", kind: .slack, url: server.url), Destination(name: "other", kind: .generic, url: other.url),
        ], clock).deliverDue()
        #expect(report.dead == 1)
        #expect(report.held == 1)
        #expect(report.sent == 1)
        #expect(server.requests.count == 1)
        #expect(try store.outbox(statuses: [.dead]).first?.lastError == "refused with 404: channel_not_found")
        // `rapport outbox retry` puts it back.
        let dead = try #require(try store.outbox(statuses: [.dead]).first)
        #expect(try store.retryOutbox(id: dead.id, now: clock.now)?.status == .pending)
        #expect(try store.dueOutbox(now: clock.now).map(\.key).sorted() == ["a", "b"])
    }

    @Test func anUnconfiguredDestinationIsDeadLettered() throws {
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        try store.enqueue([try draft("a", to: "gone", clock: clock)], now: clock.now)
        let report = try deliverer(store, [], clock).deliverDue()
        #expect(report.problems == ["#1 to gone: destination 'gone' is not configured; see rapport outbox"])
    }

    @Test func postsToOneSlackWebhookAreSpacedASecondApart() throws {
        let server = try LoopbackHTTPServer()
        let clock = TestClock()
        let store = try RapportDatabase.inMemory()
        try store.enqueue(try (1...3).map { try draft("m\($0)", clock: clock) }, now: clock.now)
        let report = try deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock, pacing: true).deliverDue()
        #expect(report.sent == 3)
        #expect(clock.slept == [.seconds(1), .seconds(1)])
    }
}
