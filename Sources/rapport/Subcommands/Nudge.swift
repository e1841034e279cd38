import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Nudge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nudge",
        abstract: "Post every nudge that is due to team chat, once, and exit (for cron or a systemd timer).",
        discussion: "Messages that fail are retried by later runs with backoff; see them with `rapport outbox`. Two runs at once never post the same message."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print what would be sent now, and change nothing.")
    var dryRun = false

    func run() async throws {
        let session = try await options.session()
        let settings = session.settings
        let console = session.console
        // Calendars first, on their own schedule: a moved meeting moves its nudges before they go.
        if !dryRun {
            for read in try await reportingErrors({ try await session.services.calendars.syncDue(now: settings.now()) }) {
                if case .failed(let reason) = read.outcome {
                    console.error("calendar '\(read.feed.name)' could not be read: \(reason); its meetings stay as the last read left them")
                }
            }
        }
        if settings.nudges.routes.isEmpty {
            console.line("No nudges are routed to team chat (see nudges: in config/rapport.yaml); what is due shows on the home screen.")
            return
        }
        if dryRun {
            let due = try await reportingErrors { try await session.services.nudges.dryRun(now: settings.now()) }
            if due.isEmpty { console.line("Nothing is due to be sent.") }
            for nudge in due {
                console.line("→ \(nudge.destination) (\(nudge.kind)): \(nudge.title)")
                for line in nudge.lines { console.line("    \(line)") }
            }
            return
        }
        let (_, report) = try await reportingErrors { try await session.services.nudges.run(now: { settings.now() }) }
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
