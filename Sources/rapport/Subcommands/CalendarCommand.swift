import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The calendars your meetings come from: list them (the default), add one, read them now.",
        discussion: """
            A meeting in the next two weeks with someone outside your own addresses (calendar.mine in the config) shows on the home \
            screen as not prepared yet, and rapport prep NAME fills it. rapport nudge and rapport serve read each calendar again every \
            30 minutes (calendar.refresh_minutes).
            """,
        subcommands: [List.self, Add.self, Sync.self, Remove.self, Parse.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The calendars added, and when each was last read (the default).")

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Print JSON instead of lines.")
        var json = false

        func run() async throws {
            let session = try await options.session()
            let calendars = session.services.calendars
            let feeds = try await reportingErrors { try await calendars.feeds() }
            if json {
                var shown = feeds
                for index in shown.indices { shown[index].source = calendars.shown(shown[index].source) }
                session.console.line(try JSONOutput.encode(shown))
                return
            }
            guard !feeds.isEmpty else {
                session.console.line("No calendar is added yet. Add one with: rapport calendar add URL (its private iCal address) or FILE.ics")
                return
            }
            let formatter = try reportingErrors { try session.formatter() }
            for feed in feeds {
                session.console.line(session.console.style.bold(feed.name) + "  " + calendars.shown(feed.source))
                for line in CalendarLines(formatter: formatter).status(of: feed) { session.console.line("  " + line) }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a calendar: its private iCal address (or env:NAME), or an .ics file, and read it once.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("An https:// or webcal:// address, env:NAME to read one from the environment, or a file.", valueName: "url-or-file"))
        var source: String

        @Option(help: "What to call it (default: from where it lives, e.g. google).")
        var name: String?

        func run() async throws {
            let session = try await options.session()
            let calendars = session.services.calendars
            let read = try await reportingErrors { try await calendars.add(source, name: name, now: session.settings.now()) }
            session.console.line("Added \(read.feed.name) (\(calendars.shown(read.feed.source))).")
            try CalendarLines(formatter: try session.formatter()).report(read, console: session.console)
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sync", abstract: "Read every calendar now (or the one named).")

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("Only this calendar.", valueName: "name"))
        var name: String?

        func run() async throws {
            let session = try await options.session()
            let reads = try await reportingErrors { try await session.services.calendars.sync(named: name, now: session.settings.now()) }
            if reads.isEmpty { session.console.line("No calendar is added yet. Add one with: rapport calendar add URL") }
            var failed = false
            for read in reads {
                try CalendarLines(formatter: try session.formatter()).report(read, console: session.console)
                if case .failed = read.outcome { failed = true }
            }
            if failed { throw ExitCode.failure }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Stop reading a calendar; its meetings still ahead are dropped.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The calendar's name, as `rapport calendar` lists it.", valueName: "name"))
        var name: String

        func run() async throws {
            let session = try await options.session()
            let feed = try await reportingErrors { try await session.services.calendars.remove(name: name, now: session.settings.now()) }
            session.console.line("Removed \(feed.name). Meetings that have happened stay; those ahead without a prep are gone.")
        }
    }

    /// Reads a file and prints its occurrences (or, with --timing, what the parse and the
    /// expansion cost): for a look at a feed, and for `make bench`.
    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse", abstract: "Read an .ics file and print its occurrences over a window, storing nothing.", shouldDisplay: false)

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The .ics file.", valueName: "file"))
        var file: String

        @Option(help: "The window's start, ISO 8601 (default: now).")
        var from: String?

        @Option(help: "The window's length in days.")
        var days = 14

        @Flag(help: "Print only how long parsing and expanding took.")
        var timing = false

        @Flag(help: "Also the occurrences that are not meetings (all-day, cancelled, without anyone from outside).")
        var all = false

        func run() async throws {
            let settings = try options.settings()
            var start = settings.now()
            if let from {
                guard let moment = try? Date(from, strategy: .iso8601) else { throw ValidationError("--from '\(from)' is not an ISO 8601 moment such as 2026-03-23T00:00:00Z") }
                start = moment
            }
            let parsed = try reportingErrors { try CalendarService.parse(file: file, from: start, days: days, settings: settings) }
            let console = Console(colorAllowed: false)
            let reading = parsed.reading
            if timing {
                console.line(String(
                    format: "parsed %d bytes, %d events in %.1f ms; expanded %d occurrences (%d meetings) over %d days in %.1f ms; %.1f ms in all",
                    parsed.bytes, reading.document.events.count, parsed.parseSeconds * 1000, reading.occurrences.count, reading.meetings.count, days,
                    parsed.expandSeconds * 1000, (parsed.parseSeconds + parsed.expandSeconds) * 1000))
                return
            }
            let utc = Date.ISO8601FormatStyle()
            if all {
                for occurrence in reading.occurrences {
                    var marks: [String] = []
                    if occurrence.allDay { marks.append("all-day") }
                    if occurrence.cancelled { marks.append("cancelled") }
                    console.line("\(occurrence.start.formatted(utc))  \(occurrence.end.formatted(utc))  \(occurrence.key)  \(occurrence.event.summary ?? "")\(marks.isEmpty ? "" : "  (" + marks.joined(separator: ", ") + ")")")
                }
            } else {
                for meeting in reading.meetings {
                    console.line("\(meeting.start.formatted(utc))  \(meeting.contactName)  \(meeting.title ?? "")")
                }
            }
            for warning in reading.warnings { console.error("\(file):\(warning.line): \(warning.message)") }
        }
    }
}

/// How a calendar's state and a read are said.
struct CalendarLines {
    let formatter: ValueFormatter

    func when(_ date: Date) -> String { formatter.format(WhenValue(date: date, hasTime: true)) }

    func status(of feed: CalendarFeed) -> [String] {
        var lines: [String] = []
        if let read = feed.lastReadAt {
            let meetings = feed.meetingCount == 1 ? "1 meeting" : "\(feed.meetingCount) meetings"
            lines.append("read \(when(read)): \(meetings) ahead" + (feed.warnings.isEmpty ? "" : ", \(feed.warnings.count) warning\(feed.warnings.count == 1 ? "" : "s")"))
        } else {
            lines.append("never read")
        }
        if let checked = feed.lastCheckedAt, checked != feed.lastReadAt {
            lines.append(feed.lastError.map { "the last try, \(when(checked)), failed: \($0)" } ?? "checked \(when(checked)): unchanged")
        }
        return lines
    }

    func report(_ read: CalendarService.FeedRead, console: Console) throws {
        switch read.outcome {
        case .read(let result, let meetings, let warnings):
            var changes: [String] = []
            if result.added > 0 { changes.append("\(result.added) new") }
            if result.moved > 0 { changes.append("\(result.moved) moved") }
            if result.cancelled > 0 { changes.append("\(result.cancelled) cancelled") }
            if result.restored > 0 { changes.append("\(result.restored) back") }
            let count = meetings == 1 ? "1 meeting" : "\(meetings) meetings"
            console.line("\(read.feed.name): \(count) to prepare for in the next two weeks" + (changes.isEmpty ? "." : " (" + changes.joined(separator: ", ") + ")."))
            for warning in warnings { console.error("\(read.feed.name): \(warning)") }
        case .unchanged:
            console.line("\(read.feed.name): unchanged since \(read.feed.lastReadAt.map(when) ?? "the last read").")
        case .failed(let reason):
            console.error("calendar '\(read.feed.name)' could not be read: \(reason); its meetings stay as the last read left them")
        }
    }
}
