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
        var reflections: [Reflection]
        var followUps: [FollowUp]
        var interactions: [Interaction]
        var nextContactDue: Date?
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
        let now = settings.now()
        let (meetings, reflections, followUps, interactions) = try reportingErrors {
            try wrap { () throws(StoreError) in
                let meetings = try store.meetings(contactID: contact.id)
                var reflections: [Reflection] = []
                for meeting in meetings {
                    if let reflection = try store.reflection(meetingID: meeting.id) { reflections.append(reflection) }
                }
                return (
                    meetings, reflections,
                    try store.followUps(includeDone: true, contactID: contact.id), try store.interactions(contactID: contact.id)
                )
            }
        }
        let keepInTouch = DueSchedule.items(followUps: [], contacts: [contact], meetings: meetings, interactions: interactions, now: now, timeZone: settings.timeZone).first
        if json {
            console.line(try JSONOutput.encode(Details(
                contact: contact, meetings: meetings, reflections: reflections, followUps: followUps, interactions: interactions,
                nextContactDue: keepInTouch?.due)))
            return
        }
        let style = console.style
        let lexicon = try reportingErrors { try session.service.lexicon() }
        let formatter = ValueFormatter(lexicon: lexicon, now: now, timeZone: settings.timeZone)
        console.line(style.bold(contact.name))
        let knows = contact.knowsWhatIDo.map { ["yes": "yes", "partly": "partly", "no": "not yet"][$0] ?? $0 } ?? "not asked yet"
        console.line("  Knows what you do: " + knows)
        if let keepInTouch, let cadence = keepInTouch.cadence {
            let next = formatter.format(WhenValue(date: keepInTouch.due, hasTime: false))
            console.line("  Keep in touch:     every \(formatter.format(cadence)); next by \(next)" + (keepInTouch.isDue ? "  " + style.coach("due") : ""))
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
