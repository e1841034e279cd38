import ArgumentParser
import RapportApp
import RapportCore

/// Who a typed name means, asked where it is not clear; a meeting's cards; a change that asks first.
extension TerminalSession {
    /// What the person settled on for a typed name.
    enum Named {
        /// A contact of theirs.
        case contact(Contact)
        /// Someone new, by this name.
        case new(String)
    }

    /// Who `query` means: the one contact it names; one of several it names (asked); the contact
    /// a typo meant (asked); or a new person. Nil when the input ended before an answer.
    /// - Parameter whom: the question for several people ("Whom are you meeting?").
    func resolve(_ query: String, whom: String) async throws -> Named? {
        let name = InputSanitizer.clean(query)
        switch try await reportingErrors({ try await services.contacts.find(name) }) {
        case .one(let contact):
            return .contact(contact)
        case .nobody:
            return .new(name)
        case .several(let contacts):
            let question = message("several_are_called", ["query": name]) + " " + whom
            guard let index = choose(question, contacts.map(\.name) + [message("someone_new", ["name": Self.capitalised(name)])]) else { return nil }
            return index < contacts.count ? .contact(contacts[index]) : .new(name)
        case .close(let contacts):
            let typed = Self.capitalised(name)
            if contacts.count == 1 {
                switch ask(message("did_you_mean_contact", ["query": typed, "name": contacts[0].name])) {
                case true?: return .contact(contacts[0])
                case false?: return .new(name)
                case nil: return nil
                }
            }
            let question = message("nobody_called", ["query": typed]) + " " + whom
            guard let index = choose(question, contacts.map(\.name) + [message("someone_new", ["name": typed])]) else { return nil }
            return index < contacts.count ? .contact(contacts[index]) : .new(name)
        }
    }

    /// "anan" → "Anan": a name typed in lower case, as a name is written.
    static func capitalised(_ name: String) -> String {
        guard name == name.lowercased() else { return name }
        return name.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// The one contact a typed name finds, or a clear error: nobody (with the name a typo
    /// meant), or several.
    func existingContact(_ query: String) async throws -> Contact {
        let name = InputSanitizer.clean(query)
        switch try await reportingErrors({ try await services.contacts.find(name) }) {
        case .one(let contact):
            return contact
        case .several(let contacts):
            throw fail(message("several_contacts_match", ["query": name, "names": contacts.map(\.name).joined(separator: ", ")]))
        case .close(let contacts):
            throw fail(message("no_contact_close", ["query": name, "names": contacts.map(\.name).joined(separator: ", ")]))
        case .nobody:
            throw fail(message("no_contact_matches", ["query": name]))
        }
    }

    /// Asks before a change that cannot be undone, unless `yes`. False (and "Nothing changed.")
    /// on a no; when the input ends without an answer, an error that says to pass --yes.
    func confirm(_ question: String, yes: Bool) throws -> Bool {
        if yes { return true }
        switch ask(question) {
        case true?:
            return true
        case false?:
            console.say(message("nothing_changed"))
            return false
        case nil:
            throw fail(message("confirm_needs_yes"))
        }
    }

    /// "0 meetings, 0 follow-ups and 1 note", in the person's language.
    func describe(_ extent: ContactService.Extent) -> String {
        guard let lexicon = try? conversations.lexicon() else { return "" }
        return message("extent", [
            "meetings": lexicon.counted("count_meetings", extent.meetings), "followups": lexicon.counted("count_followups", extent.followUps),
            "notes": lexicon.counted("count_notes", extent.notes),
        ])
    }

    /// A meeting's prep card, and its reflection's when there is one, as they were saved.
    func showCards(of number: Int64) async throws {
        guard let (meeting, reflection) = try await reportingErrors({ try await services.meetings.cards(number) }) else {
            throw fail(message("no_such_meeting", ["id": String(number)]))
        }
        let cards = [meeting.card, reflection?.card].compactMap { $0 }
        guard !cards.isEmpty else { throw fail(message("no_card", ["id": String(number)])) }
        // A meeting first met in a reflection has that reflection as its only card.
        for (index, card) in cards.enumerated() where index == 0 || card != cards[0] {
            if index > 0 { console.line() }
            printStoredCard(card)
        }
    }

    /// A card as saved (its title, "  Label:   text" lines, its footer), wrapped as one shown at
    /// the end of a conversation is.
    func printStoredCard(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            if index == lines.count - 1 && line.isEmpty { break }
            if index == 0 {
                console.say(console.style.good(console.style.bold(line)))
            } else if line.hasPrefix("  "), let colon = line.firstIndex(of: ":") {
                let afterColon = line[line.index(after: colon)...]
                let column = line.distance(from: line.startIndex, to: colon) + 1 + afterColon.prefix { $0 == " " }.count
                console.say("  " + console.style.bold(String(line[line.index(line.startIndex, offsetBy: 2)...colon])) + String(afterColon), hanging: column - 2)
            } else {
                console.say(console.style.dim(line))
            }
        }
    }
}
