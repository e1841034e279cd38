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
        if !settings.nudges.routesAnything {
            console.say(session.message("nudge_not_routed"))
            return
        }
        if dryRun {
            let due = try await reportingErrors { try await session.services.nudges.dryRun(now: settings.now()) }
            if due.isEmpty { console.say(session.message("nudge_nothing_due")) }
            for nudge in due {
                console.say("→ \(nudge.destination) (\(nudge.kind)): \(nudge.title)", hanging: 2)
                for line in nudge.lines { console.say("    \(line)") }
            }
            return
        }
        let (_, report) = try await reportingErrors { try await session.services.nudges.run(now: { settings.now() }) }
        var parts = [session.message("nudge_sent", ["count": String(report.sent)])]
        if report.retrying > 0 { parts.append(session.message("nudge_retrying", ["count": String(report.retrying)])) }
        if report.dead > 0 { parts.append(session.message("nudge_given_up", ["count": String(report.dead)])) }
        if report.held > 0 { parts.append(session.message("nudge_held", ["count": String(report.held)])) }
        console.say(parts.joined(separator: ", ") + ".")
        // A problem may quote what a server answered: cleaned again here, for rows stored before
        // replies were cleaned as they came in.
        for problem in report.problems { console.error(InputSanitizer.clean(problem)) }
    }
}
