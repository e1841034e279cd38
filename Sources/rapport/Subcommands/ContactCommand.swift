import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct ContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "One person: show them (the default), rename, merge or delete them.",
        discussion: "Names match without regard to case or accents, and a first name is enough when it is unique.",
        subcommands: [Show.self, Rename.self, Merge.self, Delete.self],
        defaultSubcommand: Show.self
    )
}

extension ContactCommand {
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one person: what they know about you and every meeting with them (the default)."
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
            _ = try await session.existingContact(query)  // says whom a typo meant, or that nobody matches
            throw ExitCode.failure
        case .several(let matches):
            throw session.fail(session.message("several_contacts_match", ["query": query, "names": matches.map(\.name).joined(separator: ", ")]))
        }
        if json {
            console.line(try JSONOutput.encode(details))
            return
        }
        let (contact, meetings, reflections, followUps, interactions) = (details.contact, details.meetings, details.reflections, details.followUps, details.interactions)
        let style = console.style
        let formatter = try reportingErrors { try session.formatter() }
        console.line(style.bold(contact.name))
        var facts: [(String, String)] = []
        let knows = contact.knowsWhatIDo.map {
            ["yes": session.message("knows_yes"), "partly": session.message("knows_partly"), "no": session.message("knows_no")][$0] ?? $0
        } ?? session.message("knows_not_asked")
        facts.append((session.message("contact_knows_label"), knows))
        if let cadence = contact.keepInTouch, let due = details.nextContactDue {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = session.settings.timeZone
            let next = formatter.format(WhenValue(date: due, hasTime: false))
            let isDue = DueSchedule.isDue(due, hasTime: false, now: now, calendar: calendar)
            let line = session.message("contact_keep_in_touch", ["every": formatter.format(cadence: cadence), "next": next])
            facts.append((session.message("contact_keep_in_touch_label"), line + (isDue ? "  " + style.coach(session.message("due_marker")) : "")))
        }
        // "  Knows what you do: partly", the values one space past the longest label.
        let labelWidth = facts.map { TextWrapper.columns($0.0) }.max() ?? 0
        for (label, value) in facts {
            console.say("  " + label + String(repeating: " ", count: labelWidth - TextWrapper.columns(label) + 1) + value, hanging: labelWidth + 1)
        }
        let open = followUps.filter { $0.doneAt == nil }
        if !open.isEmpty {
            console.line()
            console.line("  " + style.bold(session.message("contact_open_followups")))
            let rows = open.map {
                ["    #\($0.id)", formatter.format(WhenValue(date: $0.due, hasTime: $0.hasTime)),
                 $0.kind == .referralFeedback ? session.message("due_referral", ["text": $0.text]) : $0.text]
            }
            console.table(Table(rows: rows))
        }
        if meetings.isEmpty {
            console.say("  " + session.message("contact_no_meetings"))
        }
        for meeting in meetings.reversed() {
            console.line()
            let heading = session.message("contact_meeting", ["id": String(meeting.id), "when": session.when(meeting, formatter)])
            console.say("  " + style.bold(heading) + (meeting.cancelled ? " " + session.message("called_off_marker") : ""))
            let reflection = reflections.first { $0.meetingID == meeting.id }
            let reached = reflection?.goalReached.map {
                ["yes": session.message("reached_yes"), "partly": session.message("reached_partly"), "no": session.message("reached_no")][$0] ?? $0
            }
            let details: [(String, String?)] = [
                (session.message("label_goal"), meeting.goal.map { $0 + (meeting.goalWeak ? " " + session.message("weak_marker") : "") + (reached.map { " — \($0)" } ?? "") }),
                (session.message("label_why_them", ["first": contact.name.split(separator: " ").first.map(String.init) ?? contact.name]), meeting.whyThem), (session.message("label_pitch"), meeting.pitch), (session.message("label_give"), meeting.give),
                (session.message("label_bring"), meeting.question), (session.message("label_came_of_it"), reflection?.outcome),
                (session.message("label_gave"), reflection?.gave), (session.message("label_got"), reflection?.got),
                (session.message("label_worth_it"), reflection?.worthIt.map {
                    ["yes": session.message("worth_yes"), "partly": session.message("worth_partly"), "no": session.message("worth_no")][$0] ?? $0
                }),
            ]
            let present = details.compactMap { label, value in value.map { (label, $0) } }
            console.table(Table(rows: present.map { ["    " + $0.0 + ":", $0.1] }))
        }
        let notes = interactions.filter { $0.kind == .note }
        if !notes.isEmpty {
            console.line()
            console.line("  " + style.bold(session.message("contact_notes")))
            console.table(Table(rows: notes.reversed().map { ["    " + formatter.format(WhenValue(date: $0.at, hasTime: false)), $0.note ?? ""] }))
        }
    }
}
}
