import ArgumentParser

@main
struct RapportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "A networking coach: prepare for a meeting, then keep what you learn.",
        discussion: """
            Run `rapport` alone for what is coming up, or `rapport prep "Anna Berg"` to prepare for a meeting.
            During a conversation, type back, review, why (or ?), skip, pause or cancel at any question.
            """,
        version: "0.1.0",
        subcommands: [Home.self, Prep.self, Reflect.self, Followups.self, Done.self, Snooze.self, Log.self, Meetings.self, ContactCommand.self, CalendarCommand.self, Chat.self, Webhook.self, Nudge.self, Outbox.self, Flows.self, Speed.self, Serve.self],
        defaultSubcommand: Home.self
    )
}
