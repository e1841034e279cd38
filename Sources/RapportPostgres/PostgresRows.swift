import Foundation
import PostgresNIO
import RapportCore

/// Rows to core values, by column name.
enum PostgresRows {
    static let meetingColumns = """
        m.id, m.contact_id, c.name AS contact_name, m.starts_at, m.has_time, m.goal, m.goal_weak, m.why_them, m.give, m.question,
        m.pitch, m.knows_what_i_do, m.existing_contacts_could, m.card, m.status, m.created_at, m.owner, m.calendar_event_id,
        (SELECT e.title FROM calendar_events e WHERE e.id = m.calendar_event_id) AS calendar_title
        """

    static func meeting(_ row: PostgresRandomAccessRow) throws -> Meeting {
        Meeting(
            id: try row.value("id"), contactID: try row.value("contact_id"), contactName: try row.value("contact_name", as: String?.self) ?? "?",
            startsAt: try row.value("starts_at"), hasTime: try row.value("has_time"), goal: try row.value("goal"), goalWeak: try row.value("goal_weak"),
            whyThem: try row.value("why_them"), give: try row.value("give"), question: try row.value("question"), pitch: try row.value("pitch"),
            knowsWhatIDo: try row.value("knows_what_i_do"), existingContactsCould: try row.value("existing_contacts_could"),
            card: try row.value("card"), reflected: try row.value("status", as: String.self) == "reflected",
            cancelled: try row.value("status", as: String.self) == "cancelled", createdAt: try row.value("created_at"),
            calendarEventID: try row.value("calendar_event_id"), calendarTitle: try row.value("calendar_title"))
    }

    static let followUpColumns = "f.id, f.contact_id, c.name AS contact_name, f.meeting_id, f.kind, f.text, f.due_at, f.has_time, f.done_at, f.created_at, f.owner"

    /// Whose record a row (with an `owner` column, named with `prefix`) is.
    static func owner(_ row: PostgresRandomAccessRow, prefix: String = "") throws -> UserKey {
        let stored: String = try row.value(prefix + "owner")
        return UserKey(stored: stored) ?? .profile(stored)
    }

    static func followUp(_ row: PostgresRandomAccessRow) throws -> FollowUp {
        FollowUp(
            id: try row.value("id"), contactID: try row.value("contact_id"), contactName: try row.value("contact_name", as: String?.self) ?? "?",
            meetingID: try row.value("meeting_id"), kind: FollowUp.Kind(rawValue: try row.value("kind")) ?? .action, text: try row.value("text"),
            due: try row.value("due_at"), hasTime: try row.value("has_time"), doneAt: try row.value("done_at"), createdAt: try row.value("created_at"))
    }

    static let contactColumns = "id, name, knows_what_i_do, keep_in_touch_amount, keep_in_touch_unit, keep_in_touch_since, knows_what_i_do_at, created_at"

    /// The contact columns of a table named `alias` in a join.
    static func contactColumns(of alias: String) -> String {
        contactColumns.split(separator: ", ").map { alias + "." + $0 }.joined(separator: ", ")
    }

    static func contact(_ row: PostgresRandomAccessRow) throws -> Contact {
        try contact(row, prefix: "")
    }

    /// `prefix`: of the column names, in a row that holds a contact beside another record.
    static func contact(_ row: PostgresRandomAccessRow, prefix: String) throws -> Contact {
        var cadence: DurationValue?
        if let amount = try row.value(prefix + "keep_in_touch_amount", as: Int32?.self),
           let unit = try row.value(prefix + "keep_in_touch_unit", as: String?.self).flatMap(DurationValue.Unit.init) {
            cadence = DurationValue(amount: Int(amount), unit: unit)
        }
        return Contact(
            id: try row.value(prefix + "id"), name: try row.value(prefix + "name"), knowsWhatIDo: try row.value(prefix + "knows_what_i_do"),
            keepInTouch: cadence, keepInTouchSince: try row.value(prefix + "keep_in_touch_since"),
            knowsWhatIDoAt: try row.value(prefix + "knows_what_i_do_at"), createdAt: try row.value(prefix + "created_at"))
    }

    /// A contact as its keep-in-touch nudge is planned: the columns of `ContactToPlan`.
    struct ContactToPlan {
        var contact: Contact
        var owner: UserKey
        var lastInteraction: Date?
        var nextContactDue: Date?

        init(_ row: PostgresRandomAccessRow, prefix: String = "") throws {
            contact = try PostgresRows.contact(row, prefix: prefix)
            owner = try PostgresRows.owner(row, prefix: prefix)
            lastInteraction = try row.value(prefix + "last_interaction_at")
            nextContactDue = try row.value(prefix + "next_contact_due")
        }
    }

    static func reflection(_ row: PostgresRandomAccessRow) throws -> Reflection {
        Reflection(
            id: try row.value("id"), meetingID: try row.value("meeting_id"), conversationID: try row.value("conversation_id"),
            goalReached: try row.value("goal_reached"), outcome: try row.value("outcome"), gave: try row.value("gave"), got: try row.value("got"),
            worthIt: try row.value("worth_it"), card: try row.value("card"), createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"))
    }

    static func interaction(_ row: PostgresRandomAccessRow) throws -> Interaction {
        Interaction(
            contactID: try row.value("contact_id"), kind: Interaction.Kind(rawValue: try row.value("kind")) ?? .note, note: try row.value("note"),
            at: try row.value("at"))
    }

    static func outboxEntry(_ row: PostgresRandomAccessRow) throws -> OutboxEntry {
        OutboxEntry(
            id: try row.value("id"), key: try row.value("key"), destination: try row.value("destination"), kind: try row.value("kind"),
            payload: try row.value("payload"), dueAt: try row.value("due_at"), attempts: Int(try row.value("attempts", as: Int32.self)),
            nextAttemptAt: try row.value("next_attempt_at"), status: OutboxEntry.Status(rawValue: try row.value("status")) ?? .pending,
            lastError: try row.value("last_error"), sentAt: try row.value("sent_at"), createdAt: try row.value("created_at"))
    }

    static func conversation(_ row: PostgresRandomAccessRow, location: String) throws -> StoredConversation {
        let id: Int64 = try row.value("id")
        let text: String = try row.value("state")
        let state: ConversationState
        do {
            state = try JSONDecoder().decode(ConversationState.self, from: Data(text.utf8))
        } catch {
            throw PostgresStoreError.failed(location: location, reason: "conversation \(id) has a state this version cannot read (\(error))")
        }
        let owner: String = try row.value("user_key")
        return StoredConversation(
            id: id, owner: UserKey(stored: owner) ?? .profile(owner), state: state, version: Int(try row.value("version", as: Int32.self)),
            lastChannel: ConversationChannel(stored: try row.value("last_channel")) ?? .terminal, createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"))
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
