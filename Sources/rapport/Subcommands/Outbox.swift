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
                let until = formatter.format(WhenValue(date: hold.until, hasTime: true))
                session.console.say(session.message("outbox_hold", ["destination": hold.destination, "until": until, "reason": hold.reason]))
            }
            guard !entries.isEmpty else {
                session.console.say(session.message("outbox_empty"))
                return
            }
            let rows = entries.map { entry -> [String] in
                let state: String
                switch entry.status {
                case .pending where entry.attempts > 0: state = session.message("outbox_retrying", ["count": String(entry.attempts)])
                case .pending: state = session.message("outbox_waiting")
                case .dead: state = session.message("outbox_dead")
                case .sent: state = session.message("outbox_sent")
                case .cancelled: state = session.message("outbox_cancelled")
                }
                let when = entry.status == .sent ? entry.sentAt ?? entry.nextAttemptAt : entry.nextAttemptAt
                let title = (try? JSONDecoder().decode([String: AnyDecodable].self, from: Data(entry.payload.utf8)))?["title"]?.text ?? entry.kind
                // The last error may quote a server's reply, stored raw by older versions.
                let error = entry.lastError.map { " — " + InputSanitizer.clean($0) } ?? ""
                return ["#\(entry.id)", state, formatter.format(WhenValue(date: when, hasTime: true)), entry.destination, title + error]
            }
            session.console.table(Table(rows: rows))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry", abstract: "Send a given-up message again at the next `rapport nudge`.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The message's number from `rapport outbox` (#3 or 3).", valueName: "id"))
        var id: String

        func run() async throws {
            let session = try await options.session()
            guard let number = Int64(reference: id) else { throw session.fail(session.message("not_an_outbox_number", ["id": id])) }
            guard let entry = try await reportingErrors({ try await session.services.outbox.retry(number, now: session.settings.now()) }) else {
                throw session.fail(session.message("no_such_outbox_message", ["id": String(number)]))
            }
            let values = ["id": String(number)]
            session.console.say(entry.status == .sent ? session.message("outbox_already_sent", values) : session.message("outbox_will_retry", values))
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
