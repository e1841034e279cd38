import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Followups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followups",
        abstract: "Open follow-ups and contacts to keep in touch with, soonest first.",
        discussion: "Mark one done with `rapport done ID`, move it with `rapport snooze ID WHEN`; `rapport log NAME NOTE` counts as being in touch."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Only what is due now.")
    var due = false

    @Flag(help: "Also the follow-ups already done.")
    var all = false

    @Option(help: "At most this many lines of each kind (0: no limit).")
    var limit = 50

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    /// The JSON shape of one row.
    struct Row: Encodable {
        var id: Int64?
        var kind: String
        var contact: String
        var text: String
        var due: Date
        var hasTime: Bool
        var isDue: Bool
        var doneAt: Date?
    }

    func validate() throws {
        if due && all { throw ValidationError(options.message("flags_contradict", ["first": "--due", "second": "--all"])) }
        if limit < 0 { throw ValidationError(options.message("limit_negative")) }
    }

    func run() async throws {
        let session = try await options.session()
        let now = session.settings.now()
        let followUps = session.services.followUps
        // One more than is shown, to know whether there are more.
        let wanted = limit == 0 ? Int.max : limit + 1
        var (items, done) = try await reportingErrors {
            (
                try await (due ? followUps.due(now: now, limit: wanted) : followUps.items(now: now, before: nil, limit: wanted)),
                all ? try await followUps.done(limit: wanted) : []
            )
        }
        let more = items.count > limit && limit > 0 || done.count > limit && limit > 0
        if limit > 0 {
            items = Array(items.prefix(limit))
            done = Array(done.prefix(limit))
        }

        if json {
            let rows = items.map { Row(id: $0.followUpID, kind: $0.kind.rawValue, contact: $0.contactName, text: $0.text, due: $0.due, hasTime: $0.hasTime, isDue: $0.isDue, doneAt: nil) }
                + done.map { Row(id: $0.id, kind: $0.kind.rawValue, contact: $0.contactName, text: $0.text, due: $0.due, hasTime: $0.hasTime, isDue: false, doneAt: $0.doneAt) }
            session.console.line(try JSONOutput.encode(rows))
            return
        }
        let console = session.console
        let formatter = try reportingErrors { try session.formatter() }
        let lines = DueLines(formatter: formatter, style: console.style, session: session)
        if items.isEmpty && done.isEmpty {
            console.say(due ? session.message("followups_none_due") : session.message("followups_none"))
            return
        }
        console.table(Table(rows: lines.rows(items)))
        if !done.isEmpty {
            console.line()
            console.line(console.style.bold(session.message("followups_done")))
            let rows = done.map { ["#\($0.id)", formatter.format(WhenValue(date: $0.doneAt ?? $0.due, hasTime: false)), $0.contactName, $0.text] }
            console.table(Table(rows: rows), style: console.style.dim)
        }
        if more { console.say(console.style.dim(session.message("followups_more"))) }
    }
}
