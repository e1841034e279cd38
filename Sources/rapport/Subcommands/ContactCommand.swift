import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct ContactCommand: AsyncParsableCommand {
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

    func run() async throws {
        let session = try await options.session()
        let console = session.console
        let query = name.joined(separator: " ")
        let now = session.settings.now()
        let details: ContactService.Details
        switch try await reportingErrors({ try await session.services.contacts.lookup(query, now: now) }) {
        case .found(let found):
            details = found
        case .none:
            console.error("no contact matches '\(query)'; contacts are added by: rapport prep \"\(query)\"")
            throw ExitCode.failure
        case .several(let matches):
            console.error("several contacts match '\(query)': \(matches.map(\.name).joined(separator: ", ")); type more of the name")
            throw ExitCode.failure
        }
        if json {
            console.line(try JSONOutput.encode(details))
            return
        }
        let (contact, meetings, reflections, followUps, interactions) = (details.contact, details.meetings, details.reflections, details.followUps, details.interactions)
        let style = console.style
        let formatter = try reportingErrors { try session.formatter() }
        console.line(style.bold(contact.name))
        let knows = contact.knowsWhatIDo.map { ["yes": "yes", "partly": "partly", "no": "not yet"][$0] ?? $0 } ?? "not asked yet"
        console.line("  Knows what you do: " + knows)
        if let cadence = contact.keepInTouch, let due = details.nextContactDue {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = session.settings.timeZone
            let next = formatter.format(WhenValue(date: due, hasTime: false))
            let isDue = DueSchedule.isDue(due, hasTime: false, now: now, calendar: calendar)
            console.line("  Keep in touch:     every \(formatter.format(cadence)); next by \(next)" + (isDue ? "  " + style.coach("due") : ""))
        }
        let open = followUps.filter { $0.doneAt == nil }
        if !open.isEmpty {
            console.line()
            console.line("  " + style.bold("Open follow-ups"))
            let rows = open.map { ["    #\($0.id)", formatter.format(WhenValue(date: $0.due, hasTime: $0.hasTime)), $0.kind == .referralFeedback ? "ask how it turned out: \($0.text)" : $0.text] }
            for line in Table(rows: rows).lines { console.line("  " + line) }
        }
        if meetings.isEmpty {
            console.line("  No meetings yet.")
        }
        for meeting in meetings.reversed() {
            let when = meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "undated"
            console.line()
            console.line("  " + style.bold("Meeting #\(meeting.id), \(when)"))
            let reflection = reflections.first { $0.meetingID == meeting.id }
            let reached = reflection?.goalReached.map { ["yes": "got it", "partly": "partly", "no": "did not get it"][$0] ?? $0 }
            let details: [(String, String?)] = [
                ("Goal", meeting.goal.map { $0 + (meeting.goalWeak ? " (to revisit)" : "") + (reached.map { " — \($0)" } ?? "") }),
                ("Why them", meeting.whyThem), ("Your pitch", meeting.pitch), ("You give", meeting.give),
                ("You bring", meeting.question), ("Came of it", reflection?.outcome), ("You gave", reflection?.gave),
                ("You got", reflection?.got),
                ("Worth it", reflection?.worthIt.map { ["yes": "yes", "partly": "partly", "no": "no"][$0] ?? $0 }),
            ]
            let present = details.compactMap { label, value in value.map { (label, $0) } }
            for line in Table(rows: present.map { ["    " + $0.0 + ":", $0.1] }).lines { console.line("  " + line) }
        }
        let notes = interactions.filter { $0.kind == .note }
        if !notes.isEmpty {
            console.line()
            console.line("  " + style.bold("Notes"))
            for note in notes.reversed() {
                console.line("    \(formatter.format(WhenValue(date: note.at, hasTime: false)))  \(note.note ?? "")")
            }
        }
    }
}
