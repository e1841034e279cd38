import Foundation
import Logging
import RapportApp

/// One `rapport nudge` run, logged. Only NudgeLoop's queue calls it, one round at a time.
public final class NudgeRound: @unchecked Sendable {
    private let nudges: NudgeService
    private let settings: RapportSettings
    private let logger: Logger

    public init(settings: RapportSettings, logger: Logger) throws(RapportError) {
        self.settings = settings
        self.logger = logger
        nudges = NudgeService(settings: settings, service: try settings.openService())
    }

    public func run() {
        let settings = self.settings
        switch Result(catching: { () throws(RapportError) in try nudges.run(now: { settings.now() }) }) {
        case .success(let result):
            let report = result.report
            guard report.sent + report.retrying + report.dead + report.held > 0 else { return }
            logger.info("nudges delivered", metadata: ["sent": "\(report.sent)", "retrying": "\(report.retrying)", "dead": "\(report.dead)", "held": "\(report.held)"])
            for problem in report.problems { logger.warning("\(problem)") }
        case .failure(let error):
            logger.error("nudge round failed: \(error)")
        }
    }
}
