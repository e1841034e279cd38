import ArgumentParser
import Foundation
import RapportApp
import RapportCore
import RapportStore

struct Nudge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nudge",
        abstract: "Post every nudge that is due to team chat, once, and exit (for cron or a systemd timer).",
        discussion: "Messages that fail are retried by later runs with backoff; see them with `rapport outbox`."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print what would be sent now, and change nothing.")
    var dryRun = false

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        let console = session.console
        let nudges = NudgeService(settings: settings, service: session.service)
        if settings.nudges.routes.isEmpty {
            console.line("No nudges are routed to team chat (see nudges: in config/rapport.yaml); what is due shows on the home screen.")
            return
        }
        if dryRun {
            let now = settings.now()
            let plan = try reportingErrors { try nudges.plan(now: now) }
            let sent = Set(try reportingErrors { try wrap { () throws(StoreError) in try session.service.store.outbox(statuses: [.sent, .dead]) } }.map(\.key))
            let due = plan.filter { $0.dueAt <= now && !sent.contains($0.key) }
            if due.isEmpty { console.line("Nothing is due to be sent.") }
            for nudge in due {
                console.line("→ \(nudge.destination) (\(nudge.kind.rawValue)): \(nudge.title)")
                for line in nudge.lines { console.line("    \(line)") }
            }
            return
        }
        let result = try reportingErrors { try nudges.run(now: { settings.now() }) }
        let report = result.report
        var summary = "Sent \(report.sent)"
        if report.retrying > 0 { summary += ", \(report.retrying) to retry" }
        if report.dead > 0 { summary += ", \(report.dead) given up" }
        if report.held > 0 { summary += ", \(report.held) held back" }
        console.line(summary + ".")
        // A problem may quote what a server answered: cleaned again here, for rows stored before
        // replies were cleaned as they came in.
        for problem in report.problems { console.error(InputSanitizer.clean(problem)) }
    }
}
