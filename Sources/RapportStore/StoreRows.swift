import Foundation
import GRDB
import RapportCore

/// Rows to core values. Written out rather than through Codable: these run on every listing and
/// every chat turn, and the Codable path costs several times as much.
enum StoreRows {
    /// The columns `meeting(_:)` reads, with the contact's name joined in as `contact_name`.
    static let meetingColumns = """
        m.id, m.contact_id, c.name AS contact_name, m.starts_at, m.has_time, m.goal, m.goal_weak, m.why_them, m.give, m.question,
        m.pitch, m.knows_what_i_do, m.existing_contacts_could, m.card, m.status, m.created_at, m.owner, m.calendar_event_id,
        (SELECT e.title FROM calendar_events e WHERE e.id = m.calendar_event_id) AS calendar_title
        """

    static func meeting(_ row: Row) -> Meeting {
        Meeting(
            id: row["id"], contactID: row["contact_id"], contactName: row["contact_name"] ?? "?", startsAt: row["starts_at"],
            hasTime: row["has_time"], goal: row["goal"], goalWeak: row["goal_weak"], whyThem: row["why_them"], give: row["give"],
            question: row["question"], pitch: row["pitch"], knowsWhatIDo: row["knows_what_i_do"],
            existingContactsCould: row["existing_contacts_could"], card: row["card"], reflected: row["status"] == "reflected",
            cancelled: row["status"] == "cancelled", createdAt: row["created_at"], calendarEventID: row["calendar_event_id"],
            calendarTitle: row["calendar_title"])
    }

    static let followUpColumns = "f.id, f.contact_id, c.name AS contact_name, f.meeting_id, f.kind, f.text, f.due_at, f.has_time, f.done_at, f.created_at, f.owner"

    /// Whose record a row (with an `owner` column) is.
    static func owner(_ row: Row) -> UserKey {
        let stored: String = row["owner"]
        return UserKey(stored: stored) ?? .profile(stored)
    }

    static func followUp(_ row: Row) -> FollowUp {
        FollowUp(
            id: row["id"], contactID: row["contact_id"], contactName: row["contact_name"] ?? "?", meetingID: row["meeting_id"],
            kind: FollowUp.Kind(rawValue: row["kind"]) ?? .action, text: row["text"], due: row["due_at"], hasTime: row["has_time"],
            doneAt: row["done_at"], createdAt: row["created_at"])
    }

    static let contactColumns = "id, name, knows_what_i_do, keep_in_touch_amount, keep_in_touch_unit, keep_in_touch_since, knows_what_i_do_at, created_at"

    static func contact(_ row: Row) -> Contact {
        Contact(
            id: row["id"], name: row["name"], knowsWhatIDo: row["knows_what_i_do"], keepInTouch: cadence(row),
            keepInTouchSince: row["keep_in_touch_since"], knowsWhatIDoAt: row["knows_what_i_do_at"], createdAt: row["created_at"])
    }

    static func cadence(_ row: Row) -> DurationValue? {
        guard let amount: Int = row["keep_in_touch_amount"], let unit = (row["keep_in_touch_unit"] as String?).flatMap(DurationValue.Unit.init) else {
            return nil
        }
        return DurationValue(amount: amount, unit: unit)
    }

    static func reflection(_ row: Row) -> Reflection {
        Reflection(
            id: row["id"], meetingID: row["meeting_id"], conversationID: row["conversation_id"], goalReached: row["goal_reached"],
            outcome: row["outcome"], gave: row["gave"], got: row["got"], worthIt: row["worth_it"], card: row["card"],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func interaction(_ row: Row) -> Interaction {
        Interaction(contactID: row["contact_id"], kind: Interaction.Kind(rawValue: row["kind"]) ?? .note, note: row["note"], at: row["at"])
    }

    static func outboxEntry(_ row: Row) -> OutboxEntry {
        OutboxEntry(
            id: row["id"], key: row["key"], destination: row["destination"], kind: row["kind"], payload: row["payload"], dueAt: row["due_at"],
            attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"], status: OutboxEntry.Status(rawValue: row["status"]) ?? .pending,
            lastError: row["last_error"], sentAt: row["sent_at"], createdAt: row["created_at"])
    }

    static func conversation(_ row: Row, path: String) throws -> StoredConversation {
        let id: Int64 = row["id"]
        let text: String = row["state"]
        let state: ConversationState
        do {
            state = try JSONDecoder().decode(ConversationState.self, from: Data(text.utf8))
        } catch {
            throw StoreError.failed(path: path, reason: "conversation \(id) has a state this version cannot read (\(error))")
        }
        let owner: String = row["user_key"]
        return StoredConversation(
            id: id, owner: UserKey(stored: owner) ?? .profile(owner), state: state, version: row["version"],
            lastChannel: ConversationChannel(stored: row["last_channel"]) ?? .terminal, createdAt: row["created_at"],
            updatedAt: row["updated_at"])
    }
}

extension JSONEncoder {
    /// Stable output: the same value always encodes to the same text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
