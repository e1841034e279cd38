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

        console.line(style.bold("rapport") + style.dim(" · your networking coach"))
        if overview.isEmpty {
            console.line()
            console.line(TextWrapper.forStandardOutput().wrap(
                "No meetings yet. Before your next one, take three minutes: rapport asks what you want from it, "
                    + "whether they know what you do and what you can give them, and leaves you a card to read on the way in."))
        }
        if !overview.upcoming.isEmpty {
            console.line()
            console.line(style.bold("Upcoming"))
            let rows = overview.upcoming.map { meeting -> (String, String, String) in
                let when = meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "—"
                guard meeting.fromCalendar, !meeting.prepared else { return (when, meeting.contactName, meeting.goal ?? "") }
                let first = meeting.contactName.split(separator: " ").first.map(String.init) ?? meeting.contactName
                return (when, meeting.contactName, session.message("home_not_prepared", ["first": first.lowercased()]))
            }
            let whenWidth = rows.map(\.0.count).max() ?? 0
            let nameWidth = rows.map(\.1.count).max() ?? 0
            for row in rows {
                console.line("  " + row.0.padding(toLength: whenWidth, withPad: " ", startingAt: 0) + "  "
                    + style.bold(row.1.padding(toLength: nameWidth, withPad: " ", startingAt: 0)) + "  " + style.dim(row.2))
            }
        }
        if !overview.awaitingReflection.isEmpty {
            console.line()
            console.line(style.bold("How did it go?"))
            for meeting in overview.awaitingReflection {
                let when = meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? ""
                let first = meeting.contactName.split(separator: " ").first.map(String.init) ?? meeting.contactName
                console.line("  \(meeting.contactName), \(when)" + style.dim("   → rapport reflect \(first.lowercased())"))
            }
        }
        if !overview.due.isEmpty {
            console.line()
            console.line(style.bold("Follow-ups"))
            let lines = DueLines(formatter: formatter, style: style)
            for line in Table(rows: lines.rows(overview.due)).lines { console.line("  " + line) }
        }
        if !overview.unfinished.isEmpty {
            console.line()
            console.line(style.bold("Unfinished"))
            for conversation in overview.unfinished {
                console.line("  " + session.summary(of: conversation) + style.dim("   → " + session.resumeCommand(flowID: conversation.flowID)))
            }
        }
        console.line()
        console.line(style.bold(overview.isEmpty ? "Start with" : "Next"))
        console.line("  rapport prep \"Name\"     prepare for a meeting (2–4 minutes)")
        if !overview.isEmpty {
            console.line("  rapport reflect NAME    after a meeting: did you get what you wanted?")
            console.line("  rapport followups       what to follow up, and when")
            console.line("  rapport contact NAME    everything about one person")
        }

        // In a terminal, offer to start right away.
        guard console.isInteractive else { return }
        console.line()
        let resumeWord = overview.unfinished.isEmpty ? "" : ", 'resume' to continue the unfinished one"
        console.line("Who are you meeting next? Type a name to prepare\(resumeWord), or press Enter to leave.")
        guard case .line(let text) = session.reader.read(prompt: "> ") else { return }
        let answer = InputSanitizer.clean(text)
        if answer.isEmpty { return }
        if let unfinished = overview.unfinished.first, answer.lowercased() == "resume" {
            try await session.continueConversation(unfinished)
        } else {
            try await session.converse(flowID: "prep", contactName: answer, resume: false, startNew: false)
        }
    }
}
