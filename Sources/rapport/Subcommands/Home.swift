import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Home: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "What is coming up, what is unfinished, and what to do next (the default).",
        shouldDisplay: false
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let session = try await options.session()
        let console = session.console
        let style = console.style
        let now = session.settings.now()
        let formatter = try reportingErrors { try session.formatter() }
        let overview = try await reportingErrors { try await session.services.home.overview(now: now) }

        console.line(style.bold("rapport") + style.dim(" · " + session.message("home_tagline")))
        if overview.isEmpty {
            console.line()
            console.say(session.message("home_empty"))
        }
        if !overview.upcoming.isEmpty {
            console.line()
            console.line(style.bold(session.message("home_upcoming")))
            let rows = overview.upcoming.map { meeting -> [String] in
                // A meeting the calendar brought in and nobody prepared says how to.
                guard meeting.fromCalendar, !meeting.prepared else {
                    return ["  " + session.when(meeting, formatter), style.bold(meeting.contactName), style.dim(meeting.goal ?? "")]
                }
                let first = meeting.contactName.split(separator: " ").first.map(String.init) ?? meeting.contactName
                return ["  " + session.when(meeting, formatter), style.bold(meeting.contactName), style.dim(session.message("home_not_prepared", ["first": first.lowercased()]))]
            }
            console.table(Table(rows: rows))
        }
        if !overview.awaitingReflection.isEmpty {
            console.line()
            console.line(style.bold(session.message("home_how_did_it_go")))
            for meeting in overview.awaitingReflection {
                let first = meeting.contactName.split(separator: " ").first.map(String.init) ?? meeting.contactName
                console.say("  \(meeting.contactName), \(session.when(meeting, formatter))" + style.dim("   → rapport reflect \(first.lowercased())"), hanging: 2)
            }
        }
        if !overview.due.isEmpty {
            console.line()
            console.line(style.bold(session.message("home_followups")))
            let lines = DueLines(formatter: formatter, style: style, session: session)
            console.table(Table(rows: lines.rows(overview.due).map { ["  " + $0[0]] + $0.dropFirst() }))
        }
        if !overview.unfinished.isEmpty {
            console.line()
            console.line(style.bold(session.message("home_unfinished")))
            for conversation in overview.unfinished {
                console.say("  " + session.summary(of: conversation) + style.dim("   → " + session.resumeCommand(flowID: conversation.flowID)), hanging: 2)
            }
        }
        console.line()
        console.line(style.bold(overview.isEmpty ? session.message("home_start_with") : session.message("home_next")))
        let name = session.message("placeholder_name")
        var hints = [["  rapport prep \(name)", session.message("home_hint_prep")]]
        if !overview.isEmpty {
            hints += [
                ["  rapport reflect \(name)", session.message("home_hint_reflect")],
                ["  rapport followups", session.message("home_hint_followups")],
                ["  rapport contact \(name)", session.message("home_hint_contact")],
            ]
        }
        console.table(Table(rows: hints))

        // In a terminal, offer to start right away.
        guard console.isInteractive else { return }
        console.line()
        let resumeWord = session.message("home_resume_word")
        console.say(overview.unfinished.isEmpty ? session.message("home_who_next") : session.message("home_who_next_or_resume", ["resume": resumeWord]))
        guard case .line(let text) = session.reader.read(prompt: "> ") else { return }
        let answer = InputSanitizer.clean(text)
        if answer.isEmpty { return }
        if let unfinished = overview.unfinished.first, TextFolding.fold(answer) == TextFolding.fold(resumeWord) || answer.lowercased() == "resume" {
            try await session.continueConversation(unfinished)
        } else {
            try await session.prep(named: answer, resume: false, startNew: false)
        }
    }
}
