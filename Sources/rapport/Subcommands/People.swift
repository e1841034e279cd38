import ArgumentParser
import Foundation
import RapportApp
import RapportCore

/// A team admin's commands: whose records the store holds, one person's view, and forgetting
/// everything of someone who left. Every other command shows the local profile's records only.
struct People: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "For an admin: the people a (team) store holds, one person's view, forgetting someone who left.",
        subcommands: [List.self, Show.self, Forget.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The people the store holds anything of (the default).")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let session = try await options.session()
            let people = try await reportingErrors { try await session.services.people.list() }
            guard !people.isEmpty else {
                session.console.line(session.message("people_none"))
                return
            }
            for person in people { session.console.line("  " + InputSanitizer.clean(person.stored)) }
            session.console.line()
            session.console.line(session.console.style.dim(session.message("people_hint")))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One person's meetings, follow-ups and unfinished conversations.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The person, as `rapport people` lists them (slack:T0TEAM:U0ALICE, local).", valueName: "person"))
        var person: String

        func run() async throws {
            let session = try await options.session()
            let key = try reportingErrors { try PeopleService.person(person) }
            let now = session.settings.now()
            let overview = try await reportingErrors { try await session.services.people.overview(of: key, now: now) }
            let formatter = try reportingErrors { try session.formatter() }
            let console = session.console
            console.line(console.style.bold(InputSanitizer.clean(key.stored)))
            guard !overview.isEmpty else {
                console.line(session.message("people_nothing"))
                return
            }
            func when(_ meeting: Meeting) -> String {
                meeting.startsAt.map { formatter.format(WhenValue(date: $0, hasTime: meeting.hasTime)) } ?? "—"
            }
            if !overview.upcoming.isEmpty {
                console.line(session.message("people_upcoming"))
                for meeting in overview.upcoming { console.line("  \(when(meeting))  \(meeting.contactName)") }
            }
            if !overview.awaitingReflection.isEmpty {
                console.line(session.message("people_awaiting_reflection"))
                for meeting in overview.awaitingReflection { console.line("  \(when(meeting))  \(meeting.contactName)") }
            }
            if !overview.due.isEmpty {
                console.line(session.message("people_due"))
                for line in Table(rows: DueLines(formatter: formatter, style: console.style).rows(overview.due)).lines { console.line("  " + line) }
            }
            if !overview.unfinished.isEmpty {
                console.line(session.message("people_unfinished"))
                for conversation in overview.unfinished { console.line("  " + session.summary(of: conversation)) }
            }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget",
            abstract: "Remove everything of one person who left: contacts, meetings, reflections, follow-ups, notes, conversations, their nudges.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("The person, as `rapport people` lists them (slack:T0TEAM:U0ALICE).", valueName: "person"))
        var person: String

        @Flag(help: "Do not ask first (for scripts).")
        var yes = false

        func run() async throws {
            let session = try await options.session()
            let key = try reportingErrors { try PeopleService.person(person) }
            let shown = InputSanitizer.clean(key.stored)
            if !yes {
                // Asked through the same reader as every answer, so a script can pipe its yes too.
                session.console.line(session.message("people_forget_confirm", ["person": shown]))
                let lexicon = try reportingErrors { try session.conversations.lexicon() }
                guard case .line(let text) = session.reader.readAnswer(session.console),
                      lexicon.yes.contains(InputSanitizer.clean(text).lowercased().trimmingCharacters(in: .whitespaces)) else {
                    session.console.line(session.message("people_forget_kept", ["person": shown]))
                    throw ExitCode.failure
                }
            }
            let forgotten = try await reportingErrors { try await session.services.people.forget(key) }
            if forgotten.isEmpty {
                session.console.line(session.message("people_forget_nothing", ["person": shown]))
                return
            }
            session.console.line(session.message("people_forgotten", [
                "person": shown, "contacts": String(forgotten.contacts), "meetings": String(forgotten.meetings),
                "followups": String(forgotten.followUps), "conversations": String(forgotten.conversations),
                "messages": String(forgotten.outboxMessages),
            ]))
        }
    }
}
