import ArgumentParser
import Foundation
import RapportApp
import RapportCore
import RapportStore

struct Reflect: ParsableCommand {
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

    func run() throws {
        let session = try TerminalSession(try options.settings())
        let text = target.joined(separator: " ")
        let meetingNumber = Int64(reference: text)
        let name = text.isEmpty || meetingNumber != nil ? nil : text
        if try session.offerToResume(flowID: "reflect", contactName: name, resume: resume, startNew: new) { return }
        guard let choice = try pick(session, meetingNumber: meetingNumber, name: name) else { return }
        switch choice {
        case .adHoc(let contactName):
            try session.start(flowID: "reflect", contactName: contactName)
        case .meeting(let meeting):
            let service = session.service
            var prefill = try reportingErrors { try service.reflectionPrefill(for: meeting) }
            var remembered: [String: SlotValue] = [:]
            if meeting.reflected {
                guard let existing = try reportingErrors({ try wrap { () throws(StoreError) in try service.store.reflection(meetingID: meeting.id) } }) else { break }
                let when = Self.format(existing.updatedAt, session)
                guard session.ask("You reflected on meeting #\(meeting.id) with \(meeting.contactName) on \(when). Edit that reflection? (yes/no)") == true else {
                    session.console.line("Nothing changed.")
                    return
                }
                prefill["reflection.id"] = .number(Int(existing.id))
                remembered = try reportingErrors { try service.rememberedReflection(for: meeting) }
            }
            try session.start(flowID: "reflect", contactName: meeting.contactName, prefill: prefill, remembered: remembered)
        }
    }

    enum Choice {
        case meeting(Meeting)
        case adHoc(contactName: String?)
    }

    /// Which meeting to reflect on; nil when the user's input ended while choosing.
    private func pick(_ session: TerminalSession, meetingNumber: Int64?, name: String?) throws -> Choice? {
        let service = session.service
        let now = session.settings.now()
        if let meetingNumber {
            guard let meeting = try reportingErrors({ try wrap { () throws(StoreError) in try service.store.meeting(id: meetingNumber) } }) else {
                session.console.error("there is no meeting #\(meetingNumber); rapport meetings lists them")
                throw ExitCode.failure
            }
            return .meeting(meeting)
        }
        guard let name else {
            let waiting = try reportingErrors { try service.awaitingReflection(now: now) }
            if waiting.count <= 1 { return waiting.first.map(Choice.meeting) ?? .adHoc(contactName: nil) }
            let labels = waiting.map { describe($0, session) } + ["Another meeting"]
            guard let index = session.choose("Which meeting?", labels) else { return nil }
            return index < waiting.count ? .meeting(waiting[index]) : .adHoc(contactName: nil)
        }
        let contacts = try reportingErrors { try wrap { () throws(StoreError) in try service.store.contacts(matching: name) } }
        var contact = contacts.first
        if contacts.count > 1 {
            guard let index = session.choose("Several people match “\(name)”. Whom did you meet?", contacts.map(\.name)) else { return nil }
            contact = contacts[index]
        }
        guard let contact else { return .adHoc(contactName: name) }
        let meetings = try reportingErrors { try wrap { () throws(StoreError) in try service.store.meetings(contactID: contact.id) } }
            .sorted { ($0.startsAt ?? .distantPast) > ($1.startsAt ?? .distantPast) }
        let unreflected = meetings.filter { !$0.reflected }
        // Prefer meetings that have happened; a planned one in the future is offered only when alone.
        let happened = unreflected.filter { ($0.startsAt ?? .distantPast) <= now }
        let candidates = happened.isEmpty ? unreflected : happened
        if candidates.count == 1 { return .meeting(candidates[0]) }
        if candidates.count > 1 {
            let labels = candidates.map { describe($0, session) } + ["Another meeting with \(contact.name)"]
            guard let index = session.choose("Which meeting?", labels) else { return nil }
            return index < candidates.count ? .meeting(candidates[index]) : .adHoc(contactName: contact.name)
        }
        guard let latest = meetings.first else { return .adHoc(contactName: contact.name) }
        let labels = ["Edit the reflection on \(describe(latest, session))", "Reflect on another meeting with \(contact.name)"]
        guard let index = session.choose("Every meeting with \(contact.name) has a reflection.", labels) else { return nil }
        return index == 0 ? .meeting(latest) : .adHoc(contactName: contact.name)
    }

    private func describe(_ meeting: Meeting, _ session: TerminalSession) -> String {
        let when = meeting.startsAt.map { Self.format($0, session, hasTime: meeting.hasTime) } ?? "undated"
        return "#\(meeting.id) \(meeting.contactName), \(when)" + (meeting.goal.map { ": \($0)" } ?? "")
    }

    static func format(_ date: Date, _ session: TerminalSession, hasTime: Bool = false) -> String {
        guard let lexicon = try? session.service.lexicon() else { return "\(date)" }
        return ValueFormatter(lexicon: lexicon, now: session.settings.now(), timeZone: session.settings.timeZone)
            .format(WhenValue(date: date, hasTime: hasTime))
    }
}
