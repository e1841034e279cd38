import ArgumentParser
import Foundation
import RapportApp
import RapportCore
import RapportStore

struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "What is coming up, what is unfinished, and what to do next (the default).",
        shouldDisplay: false
    )

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let settings = try options.settings()
        let session = try TerminalSession(settings)
        let console = session.console
        let style = console.style
        let now = settings.now()
        let lexicon = try reportingErrors { try session.service.lexicon() }
        let formatter = ValueFormatter(lexicon: lexicon, now: now, timeZone: settings.timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = settings.timeZone

        let upcoming = try reportingErrors {
            try wrap { () throws(StoreError) in try session.service.store.meetings(startingFrom: calendar.startOfDay(for: now), limit: 5) }
        }.filter { !($0.hasTime && ($0.startsAt ?? now) < now) }  // one that started earlier today has happened
        let unfinished = try reportingErrors { try session.service.openConversations() }
        let waiting = try reportingErrors { try session.service.awaitingReflection(now: now) }
        // Due now, and what comes within the week.
        let weekAhead = calendar.date(byAdding: .day, value: 7, to: calendar.startOfDay(for: now))!
        let due = try reportingErrors { try session.service.dueItems(now: now) }.filter { $0.isDue || $0.due < weekAhead }

        console.line(style.bold("rapport") + style.dim(" · your networking coach"))
        let isNew = upcoming.isEmpty && unfinished.isEmpty && waiting.isEmpty && due.isEmpty
        if isNew {
            console.line()
            console.line(TextWrapper.forStandardOutput().wrap(
                "No meetings yet. Before your next one, take three minutes: rapport asks what you want from it, "
                    + "whether they know what you do and what you can give them, and leaves you a card to read on the way in."))
        }
        if !upcoming.isEmpty {
            console.line()
            console.line(style.bold("Upcoming"))
            let rows = upcoming.map { meeting -> (String, String, String) in
                let when = meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "—"
                return (when, meeting.contactName, meeting.goal ?? "")
            }
            let whenWidth = rows.map(\.0.count).max() ?? 0
            let nameWidth = rows.map(\.1.count).max() ?? 0
            for row in rows {
                console.line("  " + row.0.padding(toLength: whenWidth, withPad: " ", startingAt: 0) + "  "
                    + style.bold(row.1.padding(toLength: nameWidth, withPad: " ", startingAt: 0)) + "  " + style.dim(row.2))
            }
        }
        if !waiting.isEmpty {
            console.line()
            console.line(style.bold("How did it go?"))
            for meeting in waiting.prefix(5) {
                let when = meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? ""
                let first = meeting.contactName.split(separator: " ").first.map(String.init) ?? meeting.contactName
                console.line("  \(meeting.contactName), \(when)" + style.dim("   → rapport reflect \(first.lowercased())"))
            }
        }
        if !due.isEmpty {
            console.line()
            console.line(style.bold("Follow-ups"))
            let lines = DueLines(formatter: formatter, style: style)
            for line in Table(rows: lines.rows(Array(due.prefix(8)))).lines { console.line("  " + line) }
        }
        if !unfinished.isEmpty {
            console.line()
            console.line(style.bold("Unfinished"))
            for conversation in unfinished.prefix(5) {
                console.line("  " + session.summary(of: conversation) + style.dim("   → " + session.resumeCommand(flowID: conversation.flowID)))
            }
        }
        console.line()
        console.line(style.bold(isNew ? "Start with" : "Next"))
        console.line("  rapport prep \"Name\"     prepare for a meeting (2–4 minutes)")
        if !isNew {
            console.line("  rapport reflect NAME    after a meeting: did you get what you wanted?")
            console.line("  rapport followups       what to follow up, and when")
            console.line("  rapport contact NAME    everything about one person")
        }

        // In a terminal, offer to start right away.
        guard console.isInteractive else { return }
        console.line()
        let resumeWord = unfinished.isEmpty ? "" : ", 'resume' to continue the unfinished one"
        console.line("Who are you meeting next? Type a name to prepare\(resumeWord), or press Enter to leave.")
        guard case .line(let text) = session.reader.read(prompt: "> ") else { return }
        let answer = InputSanitizer.clean(text)
        if answer.isEmpty { return }
        if !unfinished.isEmpty, answer.lowercased() == "resume" {
            try session.continueConversation(unfinished[0])
        } else {
            try session.converse(flowID: "prep", contactName: answer, resume: false, startNew: false)
        }
    }
}
