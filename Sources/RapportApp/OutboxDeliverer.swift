import Foundation
import RapportCore
import RapportDelivery

/// Drains the outbox: every message whose time has come is leased, posted, then settled as
/// sent, retried later, or dead-lettered by what its platform answered. At-least-once: a crash
/// between a post and its settling sends that one message again after its lease runs out, with
/// the same idempotency key. Two deliverers at once never post the same message.
public final class OutboxDeliverer: @unchecked Sendable {
    // @unchecked: a deliverer runs one round at a time; its client lives on `posting`.
    /// What one run did, for `rapport nudge` to print.
    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var retrying = 0
        public var dead = 0
        /// Left for a later run: their destination refused for good or asked to wait during this
        /// run, is misconfigured or on hold, or the run ran out of time.
        public var held = 0
        /// One line per message that did not go out, saying why.
        public var problems: [String] = []

        public init() {}
    }

    let outbox: any OutboxQueue
    let destinations: [String: Destination]
    /// Configured destinations that cannot be used now, with the reason: their messages wait.
    let unusable: [String: String]
    let schedule: RetrySchedule
    let quietHours: QuietHours?
    let calendar: Calendar
    let timeouts: CurlHTTPClient.Timeouts
    let clock: @Sendable () -> Date
    let sleep: @Sendable (Duration) async -> Void
    let random: @Sendable () -> Double
    /// Space posts to one destination by its platform's limit (off for benchmarks and sinks).
    var pacing: Bool
    /// The last posts the pacing counts from: this round's own, or a loop's across its rounds.
    let postTimes: PostPacing
    /// The most a round may take; it stops posting then, and what is left waits for the next.
    var budget: Duration
    /// Who holds this deliverer's leases.
    let claimant: String
    /// How many messages one lease covers, and for how long.
    static let batch = 20
    public static let defaultLease: Duration = .seconds(300)
    /// How long a claim lasts: a killed deliverer's messages are due again after it. Replies a
    /// person waits for take a short one, so a restart does not keep them for five minutes.
    let lease: Duration
    /// A wait asked for without a time (a bare 429): hold the destination this long.
    static let defaultHold: Duration = .seconds(60)
    private let posting = DispatchQueue(label: "rapport.delivery")
    private var client: CurlHTTPClient?

    public init(
        outbox: any OutboxQueue, destinations: [Destination], unusable: [String: String] = [:], schedule: RetrySchedule = RetrySchedule(),
        quietHours: QuietHours? = nil, timeZone: TimeZone = .current, timeouts: CurlHTTPClient.Timeouts = .init(), pacing: Bool = true,
        postTimes: PostPacing = PostPacing(), budget: Duration = .seconds(240), lease: Duration = OutboxDeliverer.defaultLease, clock: @escaping @Sendable () -> Date,
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.outbox = outbox
        self.destinations = Dictionary(uniqueKeysWithValues: destinations.map { ($0.name, $0) })
        self.unusable = unusable
        self.schedule = schedule
        self.quietHours = quietHours
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.timeouts = timeouts
        self.pacing = pacing
        self.postTimes = postTimes
        self.budget = budget
        self.lease = lease
        self.clock = clock
        self.sleep = sleep
        self.random = random
        self.claimant = "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8))"
    }

    /// Delivers everything due now, once, within the round's budget, but for the destinations
    /// `excluding` names (another loop's); `shouldStop` (a shutdown) ends the round between two posts.
    public func deliverDue(excluding: Set<String> = [], shouldStop: @Sendable () -> Bool = { false }) async throws -> Report {
        var report = Report()
        let started = clock()
        var refusing: Set<String> = []  // refused for good during this run: do not keep knocking
        var waiting: Set<String> = []  // asked to wait during this run
        var reported: Set<String> = []
        let deadline = started.addingTimeInterval(RetrySchedule.seconds(budget))
        rounds: while true {
            let leased = clock()
            let skipped = refusing.union(waiting).union(reported).union(excluding)
            let claimed = try await outbox.claimDue(now: leased, lease: lease, limit: Self.batch, claimant: claimant, excluding: skipped)
            guard !claimed.isEmpty else { break }
            let entries = inWrittenOrder(claimed)
            let leaseEnds = leased.addingTimeInterval(RetrySchedule.seconds(lease))
            var unposted: [Int64] = []
            for (index, entry) in entries.enumerated() {
                // Out of time, shutting down, or too close to the lease's end to post safely: give the rest back.
                if shouldStop() || clock() >= deadline || clock().addingTimeInterval(RetrySchedule.seconds(timeouts.total) + 10) >= leaseEnds {
                    let rest = entries[index...].map(\.id)
                    try await outbox.release(rest + unposted, claimant: claimant)
                    report.held += rest.count
                    break rounds
                }
                if refusing.contains(entry.destination) || waiting.contains(entry.destination) {
                    unposted.append(entry.id)
                    report.held += 1
                    continue
                }
                if let reason = unusable[entry.destination] {
                    // Misconfigured, not refused: the messages wait for the config to be fixed.
                    unposted.append(entry.id)
                    report.held += 1
                    if reported.insert(entry.destination).inserted { report.problems.append("\(reason); its messages wait") }
                    continue
                }
                guard let destination = destinations[entry.destination] else {
                    try await dead(entry, "destination '\(entry.destination)' is not configured", &report)
                    continue
                }
                guard let message = try? JSONDecoder().decode(ChatMessage.self, from: Data(entry.payload.utf8)) else {
                    try await dead(entry, "the stored message cannot be read", &report)
                    continue
                }
                // A bot's replies are paced per conversation (its limit), webhooks per destination.
                let paced = destination.kind.isBot ? destination.name + "/" + (message.channel ?? "") : destination.name
                if pacing, let last = postTimes.lastPost(to: paced) {
                    let wait = RetrySchedule.seconds(destination.kind.minimumInterval) - clock().timeIntervalSince(last)
                    if wait > 0 { await sleep(.milliseconds(Int64((wait * 1000).rounded(.up)))) }  // up: never a millisecond short
                }
                if shouldStop() || clock() >= deadline {
                    let rest = entries[index...].map(\.id)
                    try await outbox.release(rest + unposted, claimant: claimant)
                    report.held += rest.count
                    break rounds
                }
                let now = clock()
                let (verdict, status) = await post(message, to: destination, now: now)
                // Counted from the answer: a post that took long to arrive must not let the next arrive within the interval.
                postTimes.posted(to: paced, at: clock())
                switch verdict {
                case .delivered:
                    try await outbox.settle(entry.id, claimant: claimant, as: .sent, now: clock())
                    report.sent += 1
                case .retry(let after, let reason) where after != nil || status == 429:
                    // The receiver asked to slow down: that is about the destination, not this message.
                    let until = now.addingTimeInterval(RetrySchedule.seconds(after ?? Self.defaultHold))
                    try await outbox.hold(destination: destination.name, until: until, reason: reason)
                    waiting.insert(destination.name)
                    let retryAt = destination.kind.isBot ? until : outsideQuietHours(until)  // a reply is awaited, quiet hours or not
                    try await outbox.settle(entry.id, claimant: claimant, as: .retry(at: retryAt, error: reason, countsAsAttempt: false), now: clock())
                    report.retrying += 1
                    report.problems.append("#\(entry.id) to \(entry.destination): \(reason); its messages wait until \(Self.timeText(until, calendar))")
                case .retry(let after, let reason) where destination.kind.keepsOrder:
                    // A conversation's replies go in order: the ones behind this one wait with it.
                    guard let next = schedule.nextAttempt(after: entry.attempts + 1, now: clock(), retryAfter: after, random: random()) else {
                        try await dead(entry, "\(reason); gave up after \(entry.attempts + 1) attempts", &report)
                        continue
                    }
                    try await outbox.hold(destination: destination.name, until: next, reason: reason)
                    waiting.insert(destination.name)
                    try await outbox.settle(entry.id, claimant: claimant, as: .retry(at: next, error: reason, countsAsAttempt: true), now: clock())
                    report.retrying += 1
                    report.problems.append("#\(entry.id) to \(entry.destination): \(reason); its messages wait until \(Self.timeText(next, calendar))")
                case .retry(let after, let reason):
                    if let next = schedule.nextAttempt(after: entry.attempts + 1, now: clock(), retryAfter: after, random: random()) {
                        try await outbox.settle(entry.id, claimant: claimant, as: .retry(at: outsideQuietHours(next), error: reason, countsAsAttempt: true), now: clock())
                        report.retrying += 1
                        report.problems.append("#\(entry.id) to \(entry.destination): \(reason); trying again later")
                    } else {
                        try await dead(entry, "\(reason); gave up after \(entry.attempts + 1) attempts", &report)
                    }
                case .permanent(let reason):
                    try await dead(entry, reason, &report)
                    refusing.insert(entry.destination)
                }
            }
            try await outbox.release(unposted, claimant: claimant)
        }
        return report
    }

    /// Posts on the deliverer's own thread: libcurl blocks, and the async threads are better
    /// spent elsewhere. Returns the verdict and the status (0 when no answer came).
    private func post(_ message: ChatMessage, to destination: Destination, now: Date) async -> (DeliveryVerdict, Int) {
        let timeouts = self.timeouts
        return await withCheckedContinuation { continuation in
            posting.async {
                do {
                    if self.client == nil { self.client = try CurlHTTPClient(timeouts: timeouts) }  // libcurl is loaded only now
                    var message = message
                    if destination.kind == .mattermostBot, let channel = message.channel, channel.hasPrefix("@") {
                        switch try self.directChannel(of: String(channel.dropFirst()), destination, client: self.client!, now: now) {
                        case .channel(let id): message.channel = id
                        case .failed(let verdict, let status): return continuation.resume(returning: (verdict, status))
                        }
                    }
                    let payload = try WebhookPayload(
                        kind: destination.kind, url: destination.url, message: message, signer: destination.signer, bearerToken: destination.bearerToken,
                        buttonActions: destination.buttonActions, timestamp: Int(now.timeIntervalSince1970))
                    let response = try self.client!.post(url: payload.url, headers: payload.headers, body: payload.body)
                    continuation.resume(returning: (DeliveryVerdict(kind: destination.kind, response: response, now: now), response.status))
                } catch {
                    continuation.resume(returning: (.retry(after: nil, reason: "\(error)"), 0))
                }
            }
        }
    }

    /// What opening a Mattermost DM came to: its channel, or the verdict of the request that failed.
    private enum OpenedChannel {
        case channel(String)
        case failed(DeliveryVerdict, Int)
    }

    /// The Mattermost bot's own user id and the DMs opened this round, by user: each asked once.
    private var mattermostBotID: String?
    private var directChannels: [String: String] = [:]

    /// The DM channel of the bot and `user` (on the posting queue): the bot's id from `users/me`,
    /// then `channels/direct`, which answers the existing channel when there is one.
    private func directChannel(of user: String, _ destination: Destination, client: CurlHTTPClient, now: Date) throws -> OpenedChannel {
        if let known = directChannels[user] { return .channel(known) }
        let base = MattermostDirectChannel.apiBase(postsURL: destination.url)
        let headers = [("Authorization", "Bearer " + (destination.bearerToken ?? "")), ("Content-Type", "application/json")]
        func failed(_ response: HTTPResponse, _ what: String) -> OpenedChannel {
            let verdict = DeliveryVerdict(kind: .mattermostBot, response: response, now: now)
            return .failed(verdict == .delivered ? .permanent(reason: "Mattermost's answer to \(what) named no id") : verdict, response.status)
        }
        if mattermostBotID == nil {
            let me = try client.get(url: MattermostDirectChannel.meURL(apiBase: base), headers: headers, maximumBodyBytes: 64 * 1024, redirects: 0)
            guard let id = MattermostDirectChannel.id(in: me) else { return failed(me, "users/me") }
            mattermostBotID = id
        }
        guard let bot = mattermostBotID, let request = MattermostDirectChannel.openRequest(apiBase: base, bot: bot, user: user) else {
            return .failed(.permanent(reason: "'\(InputSanitizer.clean(String(user.prefix(64))))' is not a Mattermost user id"), 0)
        }
        let opened = try client.post(url: request.url, headers: headers, body: request.body)
        guard let channel = MattermostDirectChannel.id(in: opened) else { return failed(opened, "channels/direct") }
        directChannels[user] = channel
        return .channel(channel)
    }

    /// The messages of destinations that keep order (a bot's replies) in the order they were
    /// written, in the places the lease gave them: a retried reply's later time must not let the
    /// replies behind it overtake it once its hold is over.
    private func inWrittenOrder(_ entries: [OutboxEntry]) -> [OutboxEntry] {
        let ordered = entries.indices.filter { destinations[entries[$0].destination]?.kind.keepsOrder == true }
        guard ordered.count > 1 else { return entries }
        var result = entries
        for (index, entry) in zip(ordered, ordered.map { entries[$0] }.sorted { $0.id < $1.id }) { result[index] = entry }
        return result
    }

    /// Quiet hours hold for every attempt, retries too.
    private func outsideQuietHours(_ moment: Date) -> Date {
        quietHours?.moving(moment, calendar: calendar) ?? moment
    }

    private func dead(_ entry: OutboxEntry, _ reason: String, _ report: inout Report) async throws {
        try await outbox.settle(entry.id, claimant: claimant, as: .dead(error: reason), now: clock())
        report.dead += 1
        report.problems.append("#\(entry.id) to \(entry.destination): \(reason); see rapport outbox")
    }

    private static func timeText(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
