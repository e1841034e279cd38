import ArgumentParser
import Foundation
import RapportApp
import RapportCore
import RapportStore

struct ContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Show one person: what they know about you and every meeting with them.",
        discussion: "Names match without regard to case or accents, and a first name is enough when it is unique."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The person's name, or the start of it.", valueName: "name"))
    var name: [String]

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// The JSON shape of `rapport contact --json`.
    struct Details: Encodable {
        var contact: Contact
        var meetings: [Meeting]
    }

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        let console = session.console
        let query = name.joined(separator: " ")
        let store = session.service.store
        let matches = try reportingErrors { try wrap { () throws(StoreError) in try store.contacts(matching: query) } }
        guard matches.count == 1, let contact = matches.first else {
            if matches.isEmpty {
                console.error("no contact matches '\(query)'; contacts are added by: rapport prep \"\(query)\"")
            } else {
                console.error("several contacts match '\(query)': \(matches.map(\.name).joined(separator: ", ")); type more of the name")
            }
            throw ExitCode.failure
        }
        let meetings = try reportingErrors { try wrap { () throws(StoreError) in try store.meetings(contactID: contact.id) } }
        if json {
            console.line(try JSONOutput.encode(Details(contact: contact, meetings: meetings)))
            return
        }
        let style = console.style
        let lexicon = try reportingErrors { try session.service.library.lexicon(language: settings.language) }
        let formatter = ValueFormatter(lexicon: lexicon, now: settings.now(), timeZone: settings.timeZone)
        console.line(style.bold(contact.name))
        let knows = contact.knowsWhatIDo.map { ["yes": "yes", "partly": "partly", "no": "not yet"][$0] ?? $0 } ?? "not asked yet"
        console.line("  Knows what you do: " + knows)
        if meetings.isEmpty {
            console.line("  No meetings yet.")
        }
        for meeting in meetings.reversed() {
            let when = meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "undated"
            console.line()
            console.line("  " + style.bold("Meeting #\(meeting.id), \(when)"))
            let details: [(String, String?)] = [
                ("Goal", meeting.goal.map { $0 + (meeting.goalWeak ? " (to revisit)" : "") }),
                ("Why them", meeting.whyThem), ("Your pitch", meeting.pitch), ("You give", meeting.give),
                ("You bring", meeting.question),
            ]
            let present = details.compactMap { label, value in value.map { (label, $0) } }
            for line in Table(rows: present.map { ["    " + $0.0 + ":", $0.1] }).lines { console.line("  " + line) }
        }
    }
}
