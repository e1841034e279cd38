import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Meetings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meetings", abstract: "List the meetings you prepared, soonest first.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Only meetings from today on.")
    var upcoming = false

    @Option(help: "At most this many (0: no limit).")
    var limit = 100

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError(options.message("limit_negative")) }
    }

    func run() async throws {
        let session = try await options.session()
        let now = session.settings.now()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = session.settings.timeZone
        let from = upcoming ? calendar.startOfDay(for: now) : nil
        var meetings = try await reportingErrors {
            try await session.services.meetings.meetings(from: from, limit: limit == 0 ? Int.max : limit + 1)
        }
        let more = limit > 0 && meetings.count > limit
        if more { meetings = Array(meetings.prefix(limit)) }
        if json {
            session.console.line(try JSONOutput.encode(meetings))
            return
        }
        let console = session.console
        guard !meetings.isEmpty else {
            console.say(upcoming ? session.message("meetings_none_upcoming") : session.message("meetings_none"))
            return
        }
        let formatter = try reportingErrors { try session.formatter() }
        let rows = meetings.map { meeting in
            [
                "#\(meeting.id)",
                meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "—",
                meeting.contactName,
                (meeting.goal ?? "") + (meeting.goalWeak ? " " + session.message("weak_marker") : "")
                    + (meeting.cancelled ? " " + session.message("called_off_marker") : ""),
            ]
        }
        console.table(Table(rows: rows))
        if more { console.say(console.style.dim(session.message("meetings_more"))) }
    }
}

/// Aligned columns for listings; the last column is left ragged.
struct Table {
    let rows: [[String]]

    private var widths: [Int] {
        guard let columns = rows.first?.count else { return [] }
        return (0..<columns).map { column in rows.map { TextWrapper.columns($0[column]) }.max() ?? 0 }
    }

    /// Where the last column starts, for its continuation lines (after the rows' indentation).
    var lastColumn: Int {
        let widths = widths
        let indent = rows.first?.first.map { $0.prefix { $0 == " " }.count } ?? 0
        return widths.dropLast().reduce(0) { $0 + $1 + 2 } - indent
    }

    var lines: [String] {
        guard let columns = rows.first?.count else { return [] }
        let widths = widths
        return rows.map { row in
            var line = row.enumerated().map { column, cell in
                column == columns - 1 ? cell : cell + String(repeating: " ", count: widths[column] - TextWrapper.columns(cell))
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
