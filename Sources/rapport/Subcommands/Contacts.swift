import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Contacts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "List your contacts by name, or those a name finds.",
        discussion: "A query finds names by their start, without regard to case or accents; a typo finds the names it is close to."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The start of a name, e.g. ann.", valueName: "query"))
    var query: [String] = []

    @Option(help: "At most this many (0: no limit).")
    var limit = 50

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError(options.message("limit_negative")) }
    }

    func run() async throws {
        let session = try await options.session()
        let console = session.console
        let text = query.joined(separator: " ")
        let wanted = limit == 0 ? Int.max : limit + 1
        var contacts = try await reportingErrors { try await session.services.contacts.list(text.isEmpty ? nil : text, limit: wanted) }
        let more = limit > 0 && contacts.count > limit
        if more { contacts = Array(contacts.prefix(limit)) }
        if json {
            console.line(try JSONOutput.encode(contacts))
            return
        }
        guard !contacts.isEmpty else {
            console.say(text.isEmpty ? session.message("contacts_none") : session.message("contacts_none_match", ["query": text]))
            return
        }
        // A query that names nobody lists the names it is close to.
        if !text.isEmpty, !contacts.contains(where: { ContactName.matches(query: text, name: $0.name) }) {
            console.say(session.message("contacts_close_to", ["query": text]))
        }
        let formatter = try reportingErrors { try session.formatter() }
        let rows = contacts.map { contact -> [String] in
            let knows = contact.knowsWhatIDo.map {
                ["yes": session.message("knows_yes"), "partly": session.message("knows_partly"), "no": session.message("knows_no")][$0] ?? $0
            } ?? session.message("knows_not_asked")
            return [contact.name, session.message("contacts_knows", ["knows": knows]), contact.keepInTouch.map { formatter.format(cadence: $0) } ?? ""]
        }
        console.table(Table(rows: rows))
        if more { console.say(console.style.dim(session.message("contacts_more"))) }
    }
}
