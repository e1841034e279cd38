import Foundation
import Logging
import RapportApp
import ServiceLifecycle

/// Posts the bot's replies from the outbox as soon as a turn queues one (the bell), and looks
/// again shortly after a round that left some waiting (a 429's `Retry-After`, a retry) or, at
/// the latest, every few seconds: replies a restart left behind go out at start. Only this loop
/// posts the bot's replies in `rapport serve`, one at a time, so a conversation's stay in order.
public struct ReplyLoop: Service {
    let bell: ReplyBell
    let nudges: NudgeService
    let settings: RapportSettings
    let logger: Logger
    /// When each conversation was last posted to, across rounds: one a second per DM.
    let postTimes = PostPacing()
    /// How long an idle loop waits for the bell before it looks anyway.
    static let idle: Duration = .seconds(5)
    /// How soon it looks again when replies are waiting for their time.
    static let waiting: Duration = .seconds(1)

    public init(bell: ReplyBell, services: RapportServices, logger: Logger) {
        self.bell = bell
        self.nudges = services.nudges
        self.settings = services.settings
        self.logger = logger
    }

    public func run() async throws {
        let settings = self.settings
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var next = Self.idle
            do {
                let report = try await nudges.deliverReplies(now: { settings.now() }, budget: .seconds(60), postTimes: postTimes) {
                    Task.isShuttingDownGracefully || Task.isCancelled
                }
                if report.retrying + report.held > 0 { next = Self.waiting }
                if report.sent + report.retrying + report.dead > 0 {
                    logger.info("replies delivered", metadata: ["sent": "\(report.sent)", "retrying": "\(report.retrying)", "dead": "\(report.dead)", "held": "\(report.held)"])
                }
                for problem in report.problems { logger.warning("\(problem)") }
            } catch {
                logger.error("reply round failed: \(error)")
            }
            let wait = next
            await cancelWhenGracefulShutdown { await bell.wait(upTo: wait) }
        }
    }
}
