import ArgumentParser
import Foundation
import RapportApp
import RapportCore
import RapportStore

struct Followups: ParsableCommand {
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
        if due && all { throw ValidationError("--due and --all contradict each other; use one of them.") }
    }

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        let now = settings.now()
        var items = try reportingErrors { try session.service.dueItems(now: now) }
        if due { items = items.filter(\.isDue) }
        let done = all ? try reportingErrors { try wrap { () throws(StoreError) in try session.service.store.followUps(includeDone: true) } }.filter { $0.doneAt != nil } : []

        if json {
            let rows = items.map { Row(id: $0.followUpID, kind: $0.kind.rawValue, contact: $0.contactName, text: $0.text, due: $0.due, hasTime: $0.hasTime, isDue: $0.isDue, doneAt: nil) }
                + done.map { Row(id: $0.id, kind: $0.kind.rawValue, contact: $0.contactName, text: $0.text, due: $0.due, hasTime: $0.hasTime, isDue: false, doneAt: $0.doneAt) }
            session.console.line(try JSONOutput.encode(rows))
            return
        }
        let console = session.console
        let lexicon = try reportingErrors { try session.service.lexicon() }
        let formatter = ValueFormatter(lexicon: lexicon, now: now, timeZone: settings.timeZone)
        let lines = DueLines(formatter: formatter, style: console.style)
        if items.isEmpty && done.isEmpty {
            console.line(due ? "Nothing is due." : "No follow-ups yet. They come from: rapport reflect NAME")
            return
        }
        for line in Table(rows: lines.rows(items)).lines { console.line(line) }
        if !done.isEmpty {
            console.line()
            console.line(console.style.bold("Done"))
            let rows = done.map { ["#\($0.id)", formatter.format(WhenValue(date: $0.doneAt!, hasTime: false)), $0.contactName, $0.text] }
            for line in Table(rows: rows).lines { console.line(console.style.dim(line)) }
        }
    }
}
