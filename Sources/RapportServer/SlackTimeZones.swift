import Dispatch
import Foundation
import Logging
import RapportApp
import RapportCore
import RapportDelivery

/// Slack users' own time zones, from `users.info` with the bot token (the `users:read` scope),
/// kept a day per person so that only a person's first message in a day waits for Slack. A
/// lookup is bounded (Slack retries an event after 3 s; this waits at most 1.5 s) and runs off
/// the server's threads, since libcurl blocks. When Slack does not say, the configured time
/// zone is used and Slack is asked again ten minutes on.
public actor SlackTimeZones: PersonTimeZones {
    static let keptFor: TimeInterval = 24 * 3600
    static let unknownKeptFor: TimeInterval = 600
    /// More people than a team has; beyond it the cache starts again rather than growing.
    static let capacity = 10_000
    static let timeouts = CurlHTTPClient.Timeouts(connect: .milliseconds(700), total: .milliseconds(1_500))

    private let apiBase: String
    private let token: String
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private var known: [UserKey: (zone: TimeZone?, until: Date)] = [:]
    private var asking: [UserKey: Task<TimeZone?, Never>] = [:]

    public init(apiBase: String, token: String, clock: @escaping @Sendable () -> Date, logger: Logger) {
        self.apiBase = apiBase
        self.token = token
        self.clock = clock
        self.logger = logger
    }

    public func timeZone(of sender: UserKey) async -> TimeZone? {
        guard sender.platform == .slack else { return nil }
        if let entry = known[sender], entry.until > clock() { return entry.zone }
        // One question to Slack per person at a time, however many of their messages wait on it.
        if let pending = asking[sender] { return await pending.value }
        let (apiBase, token, logger) = (apiBase, token, logger)
        let lookup = Task { await Self.lookUp(sender.user, apiBase: apiBase, token: token, logger: logger) }
        asking[sender] = lookup
        let zone = await lookup.value
        asking[sender] = nil
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[sender] = (zone, clock().addingTimeInterval(zone == nil ? Self.unknownKeptFor : Self.keptFor))
        return zone
    }

    private static func lookUp(_ user: String, apiBase: String, token: String, logger: Logger) async -> TimeZone? {
        guard let url = SlackUserInfo.url(apiBase: apiBase, user: user) else { return nil }
        let answer: Result<HTTPResponse, DeliveryError> = await withCheckedContinuation { done in
            DispatchQueue.global().async {
                done.resume(returning: Result { () throws(DeliveryError) -> HTTPResponse in
                    try CurlHTTPClient(timeouts: timeouts).get(
                        url: url, headers: [("Authorization", "Bearer " + token)], maximumBodyBytes: 64 * 1024, redirects: 0)
                })
            }
        }
        switch answer {
        case .success(let response) where response.status == 200:
            switch SlackUserInfo.read(response.body) {
            case .timeZone(let zone): return zone
            case .unknown(let error):
                logger.warning("users.info has no time zone for a user; dates are read in the configured one", metadata: ["slack.error": .string(error ?? "no tz")])
                return nil
            }
        case .success(let response):
            logger.warning("users.info answered \(response.status); dates are read in the configured time zone")
            return nil
        case .failure(let error):
            logger.warning("users.info did not answer (\(error)); dates are read in the configured time zone")
            return nil
        }
    }
}
