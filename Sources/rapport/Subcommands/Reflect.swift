import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Reflect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reflect",
        abstract: "After a meeting: did you get what you wanted? Follow-ups, referrals, keeping in touch.",
        discussion: """
            With a name, reflects on the most recent unreflected meeting with that person; with #ID, on that meeting; \
            alone, on the meeting that has just happened. A meeting you did not prepare in rapport is asked about first.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("A person's name, or a meeting as #ID.", valueName: "name-or-meeting"))
    var target: [String] = []

    @Flag(help: "Continue the unfinished reflection where it stopped.")
    var resume = false

    @Flag(help: "Start a new reflection without offering an unfinished one.")
    var new = false

    func run() async throws {
        let session = try await options.session()
        let text = target.joined(separator: " ")
        let meetingNumber = Int64(reference: text)
        var name = text.isEmpty || meetingNumber != nil ? nil : text
        // A name that finds nobody but is a typo away from someone asks whether they were meant.
        if let typed = name, case .close = try await reportingErrors({ try await session.services.contacts.find(typed) }) {
            switch try await session.resolve(typed, whom: session.message("reflect_whom")) {
            case .contact(let contact)?: name = contact.name
            case .new?: break
            case nil: return
            }
        }
        if try await session.offerToResume(flowID: "reflect", contactName: name, resume: resume, startNew: new) { return }
        let now = session.settings.now()
        let decided = try await reportingErrors {
            try await session.services.meetings.reflectionTarget(meetingNumber: meetingNumber, name: name, now: now)
        }
        guard let (meeting, earlier, contactName) = try await choose(decided, session) else { return }
        try await reportingErrors {
            let outcome = try await session.conversations.startReflection(on: meeting, editing: earlier, contactName: contactName, now: now)
            if case .turn(let turn) = outcome { try await session.run(turn) }
        }
    }

    /// What to reflect on, asking the person where the decision is theirs; nil when nothing is
    /// to be started (they said no, the input ended, or there is nothing to reflect on yet).
    private func choose(_ target: ReflectionTarget, _ session: TerminalSession) async throws -> (Meeting?, Reflection?, String?)? {
        switch target {
        case .meeting(let meeting, nil):
            return (meeting, nil, nil)
        case .meeting(let meeting, let earlier?):
            return editing(meeting, earlier, session)
        case .adHoc(let contactName):
            return (nil, nil, contactName)
        case .noSuchMeeting(let id):
            throw session.fail(session.message("no_such_meeting", ["id": String(id)]))
        case .notYet(let meeting):
            session.console.say(session.message("reflect_not_yet", ["name": meeting.contactName, "when": format(meeting, session)]))
            return nil
        case .chooseContact(let contacts, let query):
            guard let index = session.choose(session.message("reflect_which_person", ["query": query]), contacts.map(\.name)) else { return nil }
            let next = try await reportingErrors {
                try await session.services.meetings.reflectionTarget(name: contacts[index].name, now: session.settings.now())
            }
            return try await choose(next, session)
        case .chooseMeeting(let meetings, let contact):
            let another = contact.map { session.message("reflect_another_meeting_with", ["name": $0.name]) } ?? session.message("reflect_another_meeting")
            guard let index = session.choose(session.message("reflect_which_meeting"), meetings.map { describe($0, session) } + [another]) else { return nil }
            return index < meetings.count ? (meetings[index], nil, nil) : (nil, nil, contact?.name)
        case .allReflected(let latest, let earlier, let contact):
            let labels = [
                session.message("reflect_edit_on", ["meeting": describe(latest, session)]),
                session.message("reflect_on_another", ["name": contact.name]),
            ]
            guard let index = session.choose(session.message("reflect_all_reflected", ["name": contact.name]), labels) else { return nil }
            return index == 0 ? (latest, earlier, nil) : (nil, nil, contact.name)
        }
    }

    /// Asked once: edit the reflection written before?
    private func editing(_ meeting: Meeting, _ earlier: Reflection, _ session: TerminalSession) -> (Meeting?, Reflection?, String?)? {
        let when = (try? session.formatter())?.format(WhenValue(date: earlier.updatedAt, hasTime: false)) ?? ""
        let question = session.message("reflect_edit_question", ["id": String(meeting.id), "name": meeting.contactName, "when": when])
        guard session.ask(question) == true else {
            session.console.say(session.message("nothing_changed"))
            return nil
        }
        return (meeting, earlier, nil)
    }

    private func describe(_ meeting: Meeting, _ session: TerminalSession) -> String {
        "#\(meeting.id) \(meeting.contactName), \(format(meeting, session))" + (meeting.goal.map { ": \($0)" } ?? "")
    }

    private func format(_ meeting: Meeting, _ session: TerminalSession) -> String {
        guard let formatter = try? session.formatter() else { return "" }
        return session.when(meeting, formatter)
    }
}
