import Foundation
import RapportApp
import RapportCore
import RapportDelivery
import RapportStore
import RapportTestSupport
import Testing

/// The outbox drained against a real HTTP server on 127.0.0.1 and a real (in-memory) SQLite
/// store, with the clock and the sleeps injected.
struct OutboxDelivererTests {
    /// A clock that moves only when told to, or when the deliverer sleeps.
    final class TestClock: @unchecked Sendable {
        private let lock = NSLock()
        private var moment = Date(timeIntervalSince1970: 1_800_000_000)  // Fri 15 Jan 2027, 09:00 in Stockholm
        private var sleeps: [Duration] = []
        var now: Date { lock.withLock { moment } }
        var slept: [Duration] { lock.withLock { sleeps } }
        func advance(_ seconds: TimeInterval) { lock.withLock { moment = moment.addingTimeInterval(seconds) } }
        func set(_ date: Date) { lock.withLock { moment = date } }
        func sleep(_ duration: Duration) {
            lock.withLock {
                sleeps.append(duration)
                moment = moment.addingTimeInterval(RetrySchedule.seconds(duration))
            }
        }
    }

    private func store() throws -> GRDBStore {
        try GRDBStore.inMemory(planner: NudgePlanner(settings: NudgeSettings(), lexicon: Fixtures.english, now: Fixtures.monday, timeZone: Fixtures.stockholm))
    }

    private func draft(_ key: String, to destination: String = "team", dueIn seconds: TimeInterval = 0, clock: TestClock) throws -> OutboxDraft {
        let message = ChatMessage(idempotencyKey: key, kind: "followup", title: "Follow up with Anna Berg", lines: ["send the deck"])
        return OutboxDraft(key: key, destination: destination, kind: "followup", payload: String(decoding: try JSONEncoder().encode(message), as: UTF8.self), dueAt: clock.now.addingTimeInterval(seconds))
    }

    private func deliverer(
        _ store: GRDBStore, _ destinations: [Destination], _ clock: TestClock, pacing: Bool = false, postTimes: PostPacing = PostPacing(),
        quietHours: QuietHours? = nil, budget: Duration = .seconds(240), timeouts: CurlHTTPClient.Timeouts = .init(connect: .seconds(2), total: .seconds(2))
    ) -> OutboxDeliverer {
        OutboxDeliverer(
            outbox: store, destinations: destinations, schedule: RetrySchedule(delays: [.seconds(5), .seconds(300)], jitter: 0.2),
            quietHours: quietHours, timeZone: Fixtures.stockholm, timeouts: timeouts, pacing: pacing, postTimes: postTimes, budget: budget, clock: { clock.now },
            sleep: { clock.sleep($0) }, random: { 0.5 })
    }

    @Test func deliversWhatIsDueAndLeavesTheRest() async throws {
        let server = try LoopbackHTTPServer()
        let clock = TestClock()
        let store = try store()
        try await store.enqueue([try draft("now", clock: clock), try draft("later", dueIn: 3600, clock: clock)], now: clock.now)
        let report = try await deliverer(store, [Destination(name: "team", kind: .generic, url: server.url)], clock).deliverDue()
        #expect(report.sent == 1)
        #expect(server.requests.map { $0.headers["webhook-id"] } == ["now"])
        #expect(try await store.entries(statuses: [.sent], limit: 10).map(\.key) == ["now"])
        #expect(try await store.entries(statuses: [.pending], limit: 10).map(\.key) == ["later"])
    }

    @Test func enqueuingTheSameKeyTwiceKeepsOneMessage() async throws {
        let clock = TestClock()
        let store = try store()
        #expect(try await store.enqueue([try draft("a", clock: clock)], now: clock.now) == 1)
        #expect(try await store.enqueue([try draft("a", clock: clock), try draft("b", clock: clock)], now: clock.now) == 1)
        #expect(try await store.entries(statuses: [.pending], limit: 10).count == 2)
    }

    @Test func aServerErrorIsRetriedLaterWithTheSameKey() async throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 500, body: "rollup_error"))
        let clock = TestClock()
        let store = try store()
        try await store.enqueue([try draft("k1", clock: clock)], now: clock.now)
        let delivery = deliverer(store, [Destination(name: "team", kind: .generic, url: server.url)], clock)

        let first = try await delivery.deliverDue()
        #expect(first.retrying == 1)
        let waiting = try #require(try await store.entries(statuses: [.pending], limit: 1).first)
        #expect(waiting.attempts == 1)
        #expect(waiting.nextAttemptAt == clock.now.addingTimeInterval(5))
        #expect(waiting.lastError == "server error 500: rollup_error")

        clock.advance(4)
        #expect(try await delivery.deliverDue() == OutboxDeliverer.Report())  // not yet
        clock.advance(1)
        #expect(try await delivery.deliverDue().sent == 1)
        #expect(server.requests.map { $0.headers["webhook-id"] } == ["k1", "k1"])
    }

    @Test func aDroppedConnectionIsRetriedAndRunningOutOfAttemptsDeadLetters() async throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.drop, .respond(status: 502), .respond(status: 503))
        let clock = TestClock()
        let store = try store()
        try await store.enqueue([try draft("k1", clock: clock)], now: clock.now)
        let delivery = deliverer(store, [Destination(name: "team", kind: .generic, url: server.url)], clock)
        #expect(try await delivery.deliverDue().retrying == 1)
        clock.advance(10)
        #expect(try await delivery.deliverDue().retrying == 1)
        clock.advance(400)
        let last = try await delivery.deliverDue()
        #expect(last.dead == 1)
        let dead = try #require(try await store.entries(statuses: [.dead], limit: 1).first)
        #expect(dead.attempts == 3)
        #expect(dead.lastError == "server error 503; gave up after 3 attempts")
        clock.advance(100_000)
        #expect(try await delivery.deliverDue() == OutboxDeliverer.Report())
        #expect(server.requests.count == 3)
    }

    @Test func aPermanentRefusalIsDeadLetteredAndTheDestinationLeftAloneForTheRun() async throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 404, body: "channel_not_found"))
        let other = try LoopbackHTTPServer()
        let clock = TestClock()
        let store = try store()
        try await store.enqueue([try draft("a", clock: clock), try draft("b", clock: clock), try draft("c", to: "other", clock: clock)], now: clock.now)
        let report = try await deliverer(store, [
            Destination(name: "team", kind: .slack, url: server.url), Destination(name: "other", kind: .generic, url: other.url),
        ], clock).deliverDue()
        #expect(report.dead == 1)
        #expect(report.held == 1)
        #expect(report.sent == 1)
        #expect(server.requests.count == 1)
        let dead = try #require(try await store.entries(statuses: [.dead], limit: 1).first)
        #expect(dead.lastError == "refused with 404: channel_not_found")
        // `rapport outbox retry` puts it back.
        #expect(try await store.retry(id: dead.id, now: clock.now)?.status == .pending)
        #expect(try await store.due(now: clock.now, limit: 10).map(\.key).sorted() == ["a", "b"])
    }

    @Test func anUnconfiguredDestinationIsDeadLettered() async throws {
        let clock = TestClock()
        let store = try store()
        try await store.enqueue([try draft("a", to: "gone", clock: clock)], now: clock.now)
        let report = try await deliverer(store, [], clock).deliverDue()
        #expect(report.problems == ["#1 to gone: destination 'gone' is not configured; see rapport outbox"])
    }

    @Test func postsToOneSlackWebhookAreSpacedASecondApart() async throws {
        let server = try LoopbackHTTPServer()
        let clock = TestClock()
        let store = try store()
        try await store.enqueue(try (1...3).map { try draft("m\($0)", clock: clock) }, now: clock.now)
        let report = try await deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock, pacing: true).deliverDue()
        #expect(report.sent == 3)
        #expect(clock.slept == [.seconds(1), .seconds(1)])
    }

    @Test func aThrottleHoldsTheWholeDestinationAcrossRunsWithoutUsingAttempts() async throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 429, headers: ["Retry-After": "120"]))
        let clock = TestClock()
        let store = try store()
        try await store.enqueue(try (1...5).map { try draft("m\($0)", clock: clock) }, now: clock.now)
        let destination = Destination(name: "team", kind: .slack, url: server.url)

        let first = try await deliverer(store, [destination], clock).deliverDue()
        #expect(server.requests.count == 1, "the rest of the queue is not posted into the limit")
        #expect(first.retrying == 1)
        #expect(first.held == 4)
        #expect(try await store.holds(now: clock.now).map(\.until) == [clock.now.addingTimeInterval(120)])
        let throttled = try #require(try await store.entries(statuses: [.pending], limit: 10).first { $0.key == "m1" })
        #expect(throttled.attempts == 0, "asking to slow down is not a failed attempt")
        #expect(throttled.nextAttemptAt == clock.now.addingTimeInterval(120))

        // A later run (cron, or the server's loop) before the time is up posts nothing.
        clock.advance(60)
        #expect(try await deliverer(store, [destination], clock).deliverDue().sent == 0)
        #expect(server.requests.count == 1)
        clock.advance(61)
        #expect(try await deliverer(store, [destination], clock).deliverDue().sent == 5)
        #expect(try await store.entries(statuses: [.sent], limit: 10).allSatisfy { $0.attempts == 1 })
    }

    @Test func retriesKeepQuietHours() async throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 500))
        let clock = TestClock()
        clock.set(Fixtures.moment("2027-01-15T19:59:58+01:00"))
        let store = try store()
        try await store.enqueue([try draft("k1", clock: clock)], now: clock.now)
        _ = try await deliverer(store, [Destination(name: "team", kind: .generic, url: server.url)], clock, quietHours: QuietHours(start: 20, end: 8)).deliverDue()
        // Five seconds later would be 20:00:03, inside the quiet hours: the retry waits for the morning.
        #expect(try await store.entries(statuses: [.pending], limit: 1).first?.nextAttemptAt == Fixtures.moment("2027-01-16T08:00:00+01:00"))
    }

    /// A receiver's wait that ends inside the quiet hours does not bring the message back then.
    @Test func aThrottleEndingInTheQuietHoursWaitsForTheMorning() async throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 429, headers: ["Retry-After": "7200"]))
        let clock = TestClock()
        clock.set(Fixtures.moment("2027-01-15T19:00:00+01:00"))
        let store = try store()
        try await store.enqueue([try draft("k1", clock: clock)], now: clock.now)
        _ = try await deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock, quietHours: QuietHours(start: 20, end: 8)).deliverDue()
        let waiting = try #require(try await store.entries(statuses: [.pending], limit: 1).first)
        #expect(waiting.nextAttemptAt == Fixtures.moment("2027-01-16T08:00:00+01:00"), "not at 21:00, inside the quiet hours: \(waiting.nextAttemptAt)")
        clock.set(Fixtures.moment("2027-01-15T21:00:01+01:00"))
        let evening = try await deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock, quietHours: QuietHours(start: 20, end: 8)).deliverDue()
        #expect(evening.sent == 0 && server.requests.count == 1, "nothing posted in the evening after the hold ended")
    }

    @Test func aRoundStopsWithinItsBudgetAndGivesTheRestBack() async throws {
        let server = try LoopbackHTTPServer()
        let clock = TestClock()
        let store = try store()
        try await store.enqueue(try (1...6).map { try draft("m\($0)", clock: clock) }, now: clock.now)
        // Pacing at one a second (the clock moves as the deliverer waits) against a 2.5 s budget.
        let report = try await deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock, pacing: true, budget: .milliseconds(2500)).deliverDue()
        #expect(report.sent == 3)
        #expect(report.held == 3)
        #expect(try await store.due(now: clock.now, limit: 10).count == 3, "what was not posted is due again at once, not leased")

        let stopping = try await deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock).deliverDue(shouldStop: { true })
        #expect(stopping.sent == 0)
        #expect(try await store.due(now: clock.now, limit: 10).count == 3)
    }

    /// A receiver asking to wait 1e20 seconds (or forever) once stopped every run: the wait is
    /// taken up to a day, for the whole destination, and the next runs go on without it.
    @Test func anAbsurdRetryAfterHoldsTheDestinationForADayAndNothingTraps() async throws {
        for header in ["1e20", "inf", "9.3e15"] {
            let server = try LoopbackHTTPServer()
            server.enqueue(.respond(status: 429, headers: ["Retry-After": header]))
            let clock = TestClock()
            let store = try store()
            try await store.enqueue([try draft("a", clock: clock), try draft("b", clock: clock)], now: clock.now)
            let report = try await deliverer(store, [Destination(name: "team", kind: .slack, url: server.url)], clock).deliverDue()
            #expect(report.retrying == 1)
            let holds = try await store.holds(now: clock.now)
            if header == "inf" {
                // Not a number of seconds: a bare 429's hold.
                #expect(holds.map(\.until) == [clock.now.addingTimeInterval(60)], "\(header)")
            } else {
                #expect(holds.map(\.until) == [clock.now.addingTimeInterval(86_400)], "\(header)")
            }
            #expect(server.requests.count == 1)
        }
    }

    // MARK: - The Slack app's bot (chat.postMessage), against the fake Slack

    private func reply(_ key: String, channel: String, text: String, clock: TestClock) throws -> OutboxDraft {
        let message = ChatMessage(idempotencyKey: key, kind: "reply", title: "", lines: [text], channel: channel)
        return OutboxDraft(key: key, destination: "slack-bot", kind: "reply", payload: String(decoding: try JSONEncoder().encode(message), as: UTF8.self),
                           dueAt: clock.now, subject: .reply)
    }

    @Test func aBotsRepliesArePostedInOrderAndAFailedOneHoldsTheOnesBehindIt() async throws {
        let slack = try FakeSlack()
        let clock = TestClock()
        let store = try store()
        let bot = Destination.slackBot(name: "slack-bot", token: slack.botToken, apiBase: slack.apiURL)
        try await store.enqueue((1...3).map { try reply("r\($0)", channel: "D024BE91L", text: "reply \($0)", clock: clock) }, now: clock.now)
        slack.fail(.error("internal_error"))
        let first = try await deliverer(store, [bot], clock).deliverDue()
        #expect(first.sent == 0 && first.retrying == 1)
        #expect(slack.posts.isEmpty, "reply 2 did not overtake reply 1")
        clock.advance(10)
        let second = try await deliverer(store, [bot], clock).deliverDue()
        #expect(second.sent == 3)
        #expect(slack.posts(in: "D024BE91L").map(\.text) == ["reply 1", "reply 2", "reply 3"])
        #expect(slack.refused == ["internal_error: told to"])
    }

    @Test func aBotsRepliesToOneConversationAreASecondApartAcrossRoundsAndOtherConversationsDoNotWait() async throws {
        let slack = try FakeSlack()
        let clock = TestClock()
        let store = try store()
        let bot = Destination.slackBot(name: "slack-bot", token: slack.botToken, apiBase: slack.apiURL)
        let postTimes = PostPacing()  // the reply loop's, kept from one round to the next
        try await store.enqueue([try reply("a1", channel: "D1", text: "one", clock: clock), try reply("b1", channel: "D2", text: "one", clock: clock)], now: clock.now)
        #expect(try await deliverer(store, [bot], clock, pacing: true, postTimes: postTimes).deliverDue().sent == 2)
        #expect(clock.slept.isEmpty, "two conversations: no wait")
        clock.advance(0.25)
        try await store.enqueue([try reply("a2", channel: "D1", text: "two", clock: clock)], now: clock.now)
        // The next turn's round: the conversation was posted to a quarter of a second ago.
        #expect(try await deliverer(store, [bot], clock, pacing: true, postTimes: postTimes).deliverDue().sent == 1)
        #expect(clock.slept == [.milliseconds(750)], "\(clock.slept)")
        #expect(slack.posts(in: "D1").map(\.text) == ["one", "two"])
    }

    @Test func invalidAuthIsDeadLetteredAndNotRetriedAndA429HoldsTheBot() async throws {
        let slack = try FakeSlack()
        let clock = TestClock()
        let store = try store()
        let wrong = Destination.slackBot(name: "slack-bot", token: "xoxb-revoked", apiBase: slack.apiURL)
        try await store.enqueue([try reply("a", channel: "D1", text: "one", clock: clock), try reply("b", channel: "D1", text: "two", clock: clock)], now: clock.now)
        let refused = try await deliverer(store, [wrong], clock).deliverDue()
        #expect(refused.dead == 1 && refused.held == 1, "the second waits rather than knocking with the same token")
        #expect(refused.problems.first?.contains("Slack refused it: invalid_auth") == true, "\(refused.problems)")
        #expect(slack.postMessageCalls == 1)
        let dead = try #require(try await store.entries(statuses: [.dead], limit: 10).first)
        #expect(dead.key == "a")

        let bot = Destination.slackBot(name: "slack-bot", token: slack.botToken, apiBase: slack.apiURL)
        slack.fail(.rateLimited(seconds: 30))
        let throttled = try await deliverer(store, [bot], clock).deliverDue()
        #expect(throttled.retrying == 1)
        #expect(try await store.holds(now: clock.now).map(\.destination) == ["slack-bot"])
        #expect(try await deliverer(store, [bot], clock).deliverDue().sent == 0, "held for 30 s")
        clock.advance(31)
        #expect(try await deliverer(store, [bot], clock).deliverDue().sent == 1)
        #expect(slack.posts.map(\.text) == ["two"])
        #expect(slack.postMessageCalls == 3, "the dead one was never tried again")
    }
}
