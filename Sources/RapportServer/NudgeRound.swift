import Foundation
import Logging
import RapportApp

/// One `rapport nudge` run, logged. Only NudgeLoop calls it, one round at a time.
public struct NudgeRound: Sendable {
    private let nudges: NudgeService
    private let settings: RapportSettings
    private let logger: Logger

    public init(services: RapportServices, logger: Logger) {
        self.settings = services.settings
        self.logger = logger
        nudges = services.nudges
    }

    /// Delivers what is due, within `budget`; `shouldStop` (a shutdown) ends it between two posts.
    public func run(budget: Duration, shouldStop: @escaping @Sendable () -> Bool) async {
        let settings = self.settings
        do {
            // The bot's replies are ReplyLoop's: two deliverers could post a conversation out of order.
            let (_, report) = try await nudges.run(
                now: { settings.now() }, budget: budget, excluding: RapportSettings.botDestinations, shouldStop: shouldStop)
            guard report.sent + report.retrying + report.dead + report.held > 0 else { return }
            logger.info("nudges delivered", metadata: ["sent": "\(report.sent)", "retrying": "\(report.retrying)", "dead": "\(report.dead)", "held": "\(report.held)"])
            for problem in report.problems { logger.warning("\(problem)") }
        } catch {
            logger.error("nudge round failed: \(error)")
        }
    }
}
