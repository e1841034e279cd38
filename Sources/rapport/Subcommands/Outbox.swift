import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Nudges waiting to be sent, retrying, or given up on.",
        subcommands: [List.self, Retry.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the outbox (the default).")

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Also what was sent or cancelled.")
        var all = false

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let session = try await options.session()
            let settings = session.settings
            let statuses: Set<OutboxEntry.Status> = all ? [.pending, .dead, .sent, .cancelled] : [.pending, .dead]
            let entries = try await reportingErrors { try await session.services.outbox.entries(statuses: statuses) }
            let holds = try await reportingErrors { try await session.services.outbox.holds(now: settings.now()) }
            if json {
                session.console.line(try JSONOutput.encode(entries))
                return
            }
            let formatter = try reportingErrors { try session.formatter() }
            for hold in holds {
                session.console.line("\(hold.destination) asked to wait until \(formatter.format(WhenValue(date: hold.until, hasTime: true))): \(hold.reason)")
            }
            guard !entries.isEmpty else {
                session.console.line("The outbox is empty.")
                return
            }
            let rows = entries.map { entry -> [String] in
                let state: String
                switch entry.status {
                case .pending where entry.attempts > 0: state = "retrying (\(entry.attempts) tried)"
                case .pending: state = "waiting"
                case .dead: state = "given up"
                case .sent: state = "sent"
                case .cancelled: state = "cancelled"
                }
                let when = entry.status == .sent ? entry.sentAt ?? entry.nextAttemptAt : entry.nextAttemptAt
                let title = (try? JSONDecoder().decode([String: AnyDecodable].self, from: Data(entry.payload.utf8)))?["title"]?.text ?? entry.kind
                // The last error may quote a server's reply, stored raw by older versions.
                let error = entry.lastError.map { " — " + InputSanitizer.clean($0) } ?? ""
                return ["#\(entry.id)", state, formatter.format(WhenValue(date: when, hasTime: true)), entry.destination, title + error]
            }
            for line in Table(rows: rows).lines { session.console.line(line) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry", abstract: "Send a given-up message again at the next `rapport nudge`.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The message's number from `rapport outbox` (#3 or 3).", valueName: "id"))
        var id: String

        func run() async throws {
            guard let number = Int64(reference: id) else { throw ValidationError("'\(id)' is not an outbox number; `rapport outbox` lists them as #3.") }
            let session = try await options.session()
            guard let entry = try await reportingErrors({ try await session.services.outbox.retry(number, now: session.settings.now()) }) else {
                session.console.error("there is no message #\(number) in the outbox")
                throw ExitCode.failure
            }
            session.console.line(entry.status == .sent ? "#\(number) was already sent." : "#\(number) will be sent at the next rapport nudge.")
        }
    }
}

/// Just enough of a JSON value to read a title out of a stored message.
struct AnyDecodable: Decodable {
    let text: String?

    init(from decoder: any Decoder) throws {
        text = try? decoder.singleValueContainer().decode(String.self)
    }
}
