import ArgumentParser
import Foundation
import RapportApp
import RapportCore
import RapportStore

struct Meetings: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meetings", abstract: "List the meetings you prepared, soonest first.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Only meetings from today on.")
    var upcoming = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        let now = settings.now()
        var meetings = try reportingErrors { try wrap { () throws(StoreError) in try session.service.store.meetings() } }
        if upcoming {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = settings.timeZone
            let today = calendar.startOfDay(for: now)
            meetings = meetings.filter { ($0.startsAt ?? .distantPast) >= today }
        }
        if json {
            session.console.line(try JSONOutput.encode(meetings))
            return
        }
        let console = session.console
        guard !meetings.isEmpty else {
            console.line(upcoming ? "No upcoming meetings." : "No meetings yet. Prepare one with: rapport prep \"Anna Berg\"")
            return
        }
        let lexicon = try reportingErrors { try session.service.lexicon() }
        let formatter = ValueFormatter(lexicon: lexicon, now: now, timeZone: settings.timeZone)
        let rows = meetings.map { meeting in
            [
                "#\(meeting.id)",
                meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "—",
                meeting.contactName,
                (meeting.goal ?? "") + (meeting.goalWeak ? " (to revisit)" : ""),
            ]
        }
        for line in Table(rows: rows).lines { console.line(line) }
    }
}

/// Aligned columns for listings; the last column is left ragged.
struct Table {
    let rows: [[String]]

    var lines: [String] {
        guard let columns = rows.first?.count else { return [] }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            var line = row.enumerated().map { column, cell in
                column == columns - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}

/// JSON for `--json`: sorted keys, ISO 8601 dates, so scripts can rely on the shape.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
