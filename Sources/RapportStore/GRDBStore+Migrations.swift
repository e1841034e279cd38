import Foundation
import GRDB
import RapportCore

extension GRDBStore {
    /// Append-only migrations with string names: a shipped migration never changes.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: contacts, conversations, answers, meetings, profile") { db in
            try db.create(table: "contacts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("name_key", .text).notNull().unique()
                t.column("knows_what_i_do", .text)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "conversations") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("flow", .text).notNull()
                t.column("channel", .text).notNull()
                t.column("user_key", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("current_step", .text)
                t.column("contact_name", .text)
                t.column("state", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "answers") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("conversation_id", .integer).notNull().indexed().references("conversations", onDelete: .cascade)
                t.column("step", .text).notNull()
                t.column("slot", .text)
                t.column("raw", .text).notNull()
                t.column("value", .text)
                t.column("weak", .boolean).notNull().defaults(to: false)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "meetings") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("contact_id", .integer).notNull().indexed().references("contacts", onDelete: .restrict)
                t.column("conversation_id", .integer).references("conversations", onDelete: .setNull)
                t.column("starts_at", .datetime).indexed()
                t.column("has_time", .boolean).notNull().defaults(to: false)
                t.column("goal", .text)
                t.column("goal_weak", .boolean).notNull().defaults(to: false)
                t.column("why_them", .text)
                t.column("give", .text)
                t.column("question", .text)
                t.column("pitch", .text)
                t.column("knows_what_i_do", .text)
                t.column("existing_contacts_could", .text)
                t.column("extra", .text)
                t.column("card", .text)
                t.column("status", .text).notNull().defaults(to: "planned")
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "profile") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
                t.column("updated_at", .datetime).notNull()
            }
        }

        migrator.registerMigration("v2: reflections, follow-ups, interactions, keep-in-touch") { db in
            try db.alter(table: "contacts") { t in
                t.add(column: "keep_in_touch_amount", .integer)
                t.add(column: "keep_in_touch_unit", .text)
                t.add(column: "keep_in_touch_since", .datetime)
            }
            try db.create(table: "reflections") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("meeting_id", .integer).notNull().unique().references("meetings", onDelete: .cascade)
                t.column("conversation_id", .integer).references("conversations", onDelete: .setNull)
                t.column("goal_reached", .text)
                t.column("outcome", .text)
                t.column("gave", .text)
                t.column("got", .text)
                t.column("worth_it", .text)
                t.column("card", .text)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "followups") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("contact_id", .integer).notNull().indexed().references("contacts", onDelete: .cascade)
                t.column("meeting_id", .integer).indexed().references("meetings", onDelete: .setNull)
                t.column("kind", .text).notNull()
                t.column("text", .text).notNull()
                t.column("due_at", .datetime).notNull().indexed()
                t.column("has_time", .boolean).notNull().defaults(to: false)
                t.column("done_at", .datetime)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "interactions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("contact_id", .integer).notNull().indexed().references("contacts", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("note", .text)
                t.column("at", .datetime).notNull()
            }
        }

        migrator.registerMigration("v3: outbox") { db in
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()
                t.column("destination", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("due_at", .datetime).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("next_attempt_at", .datetime).notNull()
                t.column("status", .text).notNull().defaults(to: "pending")
                t.column("last_error", .text)
                t.column("sent_at", .datetime)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(index: "outbox_pending", on: "outbox", columns: ["status", "next_attempt_at"])
        }

        // `rapport serve` looks up each chat user's open conversation on every turn; by status
        // alone that scanned every open conversation of every user.
        migrator.registerMigration("v4: conversations by user") { db in
            try db.create(index: "conversations_by_user", on: "conversations", columns: ["user_key", "status"])
        }

        // Chat platforms retry a message they think was lost; its id is written with the turn it
        // caused, so a retry is answered from here, even after a restart, and applied once.
        migrator.registerMigration("v5: processed messages") { db in
            try db.create(table: "processed_messages") { t in
                t.primaryKey("id", .text)
                t.column("reply", .text).notNull()
                t.column("created_at", .datetime).notNull().indexed()
            }
        }

        // A team product: every record belongs to a person (the local profile or a chat user of one
        // platform), a conversation carries a version so one writer wins, the outbox leases what it
        // posts and knows which record each message is about (so a write re-plans only that
        // record's nudges), destinations can be held, and each listing has an index of its own.
        migrator.registerMigration("v6: owners, versions, leases, schedule") { db in
            let owners = try legacyOwners(db)
            for (old, new) in owners where old != new {
                try db.execute(sql: "UPDATE conversations SET user_key = ? WHERE user_key = ?", arguments: [new, old])
            }
            try db.alter(table: "conversations") { t in
                t.add(column: "version", .integer).notNull().defaults(to: 0)
                t.add(column: "last_channel", .text).notNull().defaults(to: "terminal")
            }
            for key in try String.fetchAll(db, sql: "SELECT DISTINCT user_key FROM conversations WHERE channel != 'terminal'") {
                let platform = UserKey(stored: key).map { [.slack, .mattermost].contains($0.platform) ? $0.platform : .web } ?? .web
                try db.execute(
                    sql: "UPDATE conversations SET last_channel = ? WHERE user_key = ? AND channel != 'terminal'",
                    arguments: [ConversationChannel.chat(platform).stored, key])
            }

            // The profile: one set of `me.*` answers per owner (they were keyed "owner/key").
            try db.create(table: "profile_v6") { t in
                t.column("owner", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.column("updated_at", .datetime).notNull()
                t.primaryKey(["owner", "key"])
            }
            for row in try Row.fetchAll(db, sql: "SELECT key, value, updated_at FROM profile") {
                let key: String = row["key"]
                var owner = UserKey.local.stored
                var name = key
                if let slash = key.firstIndex(of: "/") {
                    let old = String(key[..<slash])
                    owner = owners[old] ?? legacyOwner(old, platform: .web)
                    name = String(key[key.index(after: slash)...])
                }
                try db.execute(sql: "INSERT OR REPLACE INTO profile_v6 (owner, key, value, updated_at) VALUES (?, ?, ?, ?)",
                               arguments: [owner, name, row["value"] as String, row["updated_at"] as Date])
            }
            try db.drop(table: "profile")
            try db.rename(table: "profile_v6", to: "profile")

            // Contacts: unique per owner, with the dates listings and nudges need kept beside them.
            try db.create(table: "contacts_v6") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("owner", .text).notNull()
                t.column("name", .text).notNull()
                t.column("name_key", .text).notNull()
                t.column("knows_what_i_do", .text)
                t.column("keep_in_touch_amount", .integer)
                t.column("keep_in_touch_unit", .text)
                t.column("keep_in_touch_since", .datetime)
                t.column("last_interaction_at", .datetime)
                t.column("next_contact_due", .datetime)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.uniqueKey(["owner", "name_key"])
            }
            try db.execute(sql: """
                INSERT INTO contacts_v6 (id, owner, name, name_key, knows_what_i_do, keep_in_touch_amount, keep_in_touch_unit,
                    keep_in_touch_since, last_interaction_at, created_at, updated_at)
                SELECT id, 'local', name, name_key, knows_what_i_do, keep_in_touch_amount, keep_in_touch_unit, keep_in_touch_since,
                    (SELECT MAX(at) FROM interactions WHERE contact_id = contacts.id), created_at, updated_at
                FROM contacts
                """)
            try db.drop(table: "contacts")
            try db.rename(table: "contacts_v6", to: "contacts")
            try db.execute(sql: "CREATE INDEX contacts_keep_in_touch ON contacts(owner, next_contact_due) WHERE next_contact_due IS NOT NULL")

            try db.alter(table: "meetings") { t in t.add(column: "owner", .text).notNull().defaults(to: "local") }
            try db.execute(sql: """
                UPDATE meetings SET owner = (SELECT user_key FROM conversations WHERE conversations.id = meetings.conversation_id)
                WHERE conversation_id IS NOT NULL AND EXISTS (SELECT 1 FROM conversations WHERE conversations.id = meetings.conversation_id)
                """)
            try db.execute(sql: "CREATE INDEX meetings_by_owner ON meetings(owner, starts_at)")
            try db.execute(sql: "CREATE INDEX meetings_awaiting_reflection ON meetings(owner, starts_at) WHERE status = 'planned'")

            try db.alter(table: "followups") { t in t.add(column: "owner", .text).notNull().defaults(to: "local") }
            try db.execute(sql: "UPDATE followups SET owner = COALESCE((SELECT owner FROM meetings WHERE meetings.id = followups.meeting_id), 'local')")
            try db.execute(sql: "CREATE INDEX followups_open ON followups(owner, due_at) WHERE done_at IS NULL")
            try db.execute(sql: "CREATE INDEX followups_done ON followups(owner, done_at) WHERE done_at IS NOT NULL")

            try db.alter(table: "interactions") { t in t.add(column: "owner", .text).notNull().defaults(to: "local") }

            // A contact that chat users met too is theirs as well: each other owner gets a copy,
            // and their meetings and follow-ups move to it.
            for contactID in try Int64.fetchAll(db, sql: "SELECT DISTINCT contact_id FROM meetings WHERE owner != 'local'") {
                var meetingOwners = Set(try String.fetchAll(db, sql: "SELECT DISTINCT owner FROM meetings WHERE contact_id = ?", arguments: [contactID]))
                let notedLocally = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM interactions WHERE contact_id = ? AND kind = 'note')", arguments: [contactID]) ?? false
                let usedLocally = notedLocally || meetingOwners.contains("local")
                if !usedLocally, let first = meetingOwners.sorted().first {
                    try db.execute(sql: "UPDATE contacts SET owner = ? WHERE id = ?", arguments: [first, contactID])
                    meetingOwners.remove(first)
                }
                meetingOwners.remove("local")
                for owner in meetingOwners.sorted() {
                    try db.execute(sql: """
                        INSERT INTO contacts (owner, name, name_key, knows_what_i_do, created_at, updated_at)
                        SELECT ?, name, name_key, knows_what_i_do, created_at, updated_at FROM contacts WHERE id = ?
                        """, arguments: [owner, contactID])
                    let copy = db.lastInsertedRowID
                    try db.execute(sql: "UPDATE meetings SET contact_id = ? WHERE contact_id = ? AND owner = ?", arguments: [copy, contactID, owner])
                    try db.execute(sql: "UPDATE followups SET contact_id = ? WHERE contact_id = ? AND owner = ?", arguments: [copy, contactID, owner])
                }
            }
            try db.execute(sql: "UPDATE interactions SET owner = (SELECT owner FROM contacts WHERE contacts.id = interactions.contact_id)")

            // Each word of a contact's folded name, so "anna" finds "Anna Berg" through an index.
            try db.create(table: "contact_words") { t in
                t.column("contact_id", .integer).notNull().references("contacts", onDelete: .cascade)
                t.column("owner", .text).notNull()
                t.column("word", .text).notNull()
            }
            try db.execute(sql: "CREATE INDEX contact_words_by_word ON contact_words(owner, word)")
            try db.execute(sql: "CREATE INDEX contact_words_by_contact ON contact_words(contact_id)")
            for row in try Row.fetchAll(db, sql: "SELECT id, owner, name_key FROM contacts") {
                try insertWords(of: row["id"], owner: row["owner"], nameKey: row["name_key"], db)
            }

            try db.alter(table: "outbox") { t in
                t.add(column: "subject", .text)
                t.add(column: "lease_until", .datetime)
                t.add(column: "claimant", .text)
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, key FROM outbox") {
                let subject = legacySubject(ofKey: row["key"])
                try db.execute(sql: "UPDATE outbox SET subject = ? WHERE id = ?", arguments: [subject, row["id"] as Int64])
            }
            try db.execute(sql: "CREATE INDEX outbox_by_subject ON outbox(subject, status)")

            try db.create(table: "destination_holds") { t in
                t.primaryKey("destination", .text)
                t.column("until", .datetime).notNull()
                t.column("reason", .text).notNull()
            }
            // What the store knows about itself: the settings its nudges were last planned with.
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }

        // Issue 15: a prep does not ask again whether the contact knows what you do when it was
        // answered lately, so the store keeps when it was. Earlier answers take the date of the
        // latest meeting or reflection with that contact (when the question was asked).
        migrator.registerMigration("v7 (issue 15): when a contact's knowing what you do was asked") { db in
            try db.alter(table: "contacts") { t in t.add(column: "knows_what_i_do_at", .datetime) }
            try db.execute(sql: """
                UPDATE contacts SET knows_what_i_do_at = (
                    SELECT MAX(at) FROM (
                        SELECT m.created_at AS at FROM meetings m WHERE m.contact_id = contacts.id
                        UNION ALL
                        SELECT r.updated_at AS at FROM reflections r JOIN meetings m ON m.id = r.meeting_id WHERE m.contact_id = contacts.id))
                WHERE knows_what_i_do IS NOT NULL
                """)
        }

        // Issue 15: deleting a contact deletes the conversations that wrote their meetings and
        // reflections; each conversation's rows that point at it are found through these.
        migrator.registerMigration("v8 (issue 15): meetings and reflections by conversation") { db in
            try db.create(index: "meetings_by_conversation", on: "meetings", columns: ["conversation_id"])
            try db.create(index: "reflections_by_conversation", on: "reflections", columns: ["conversation_id"])
        }

        // Meetings from calendars: the feeds a person reads (with what the last read left for a
        // conditional request), and each occurrence that became a meeting, linked both ways.
        // A meeting can now be cancelled (its event was): kept for a prep done, listed nowhere.
        // v9 after issue 15's v7 and v8. GRDB knows migrations by name, and this one
        // needs only what v6 left (meetings), so it runs whichever of them come before it.
        migrator.registerMigration("v9: calendar feeds and events") { db in
            try db.create(table: "calendar_feeds") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("owner", .text).notNull()
                t.column("name", .text).notNull()
                t.column("source", .text).notNull()
                t.column("etag", .text)
                t.column("last_modified", .text)
                t.column("last_checked_at", .datetime)
                t.column("last_read_at", .datetime)
                t.column("last_error", .text)
                t.column("meeting_count", .integer).notNull().defaults(to: 0)
                t.column("warnings", .text)
                t.column("created_at", .datetime).notNull()
                t.uniqueKey(["owner", "name"])
            }
            try db.create(table: "calendar_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("feed_id", .integer).notNull().references("calendar_feeds", onDelete: .cascade)
                t.column("owner", .text).notNull()
                t.column("key", .text).notNull()
                t.column("uid", .text).notNull()
                t.column("title", .text)
                t.column("description", .text)
                t.column("location", .text)
                t.column("starts_at", .datetime).notNull()
                t.column("ends_at", .datetime).notNull()
                t.column("attendees", .text).notNull()
                t.column("meeting_id", .integer).references("meetings", onDelete: .setNull)
                t.column("cancelled", .boolean).notNull().defaults(to: false)
                t.column("updated_at", .datetime).notNull()
                t.uniqueKey(["feed_id", "key"])
            }
            try db.execute(sql: "CREATE INDEX calendar_events_by_start ON calendar_events(feed_id, starts_at)")
            try db.execute(sql: "CREATE INDEX calendar_events_by_meeting ON calendar_events(meeting_id)")
            try db.alter(table: "meetings") { t in
                t.add(column: "calendar_event_id", .integer)
            }
            // The soonest calendar meeting with a contact that has no prep yet (rapport prep NAME).
            try db.execute(sql: "CREATE INDEX meetings_from_calendar ON meetings(contact_id, starts_at) WHERE calendar_event_id IS NOT NULL")
        }

        // The events of a forgotten person, by a digest of their UID: a feed read again skips
        // them rather than writing the person back (issue 12's erasure).
        migrator.registerMigration("v10: calendar events of forgotten contacts") { db in
            try db.create(table: "forgotten_calendar_events") { t in
                t.column("feed_id", .integer).notNull().references("calendar_feeds", onDelete: .cascade)
                t.column("uid_digest", .text).notNull()
                t.primaryKey(["feed_id", "uid_digest"])
            }
        }

        return migrator
    }

    /// The owners conversations were stored under before v6, in their new form: `chat:U0ALICE`
    /// (any platform) becomes that user of the platform its retried messages name, else of the
    /// generic chat; a profile name from `server.users` becomes `profile:NAME`.
    private static func legacyOwners(_ db: Database) throws -> [String: String] {
        var owners: [String: String] = ["local": "local"]
        for key in try String.fetchAll(db, sql: "SELECT DISTINCT user_key FROM conversations") where key != "local" {
            let sample = try String.fetchOne(
                db, sql: "SELECT id FROM processed_messages WHERE substr(id, 1, ?) = ? LIMIT 1", arguments: [key.count + 1, key + "/"])
            let sent = sample.map { String($0.dropFirst(key.count + 1)) } ?? ""
            let platform: UserKey.Platform = sent.hasPrefix("slack:") ? .slack : sent.hasPrefix("mattermost:") ? .mattermost : .web
            owners[key] = legacyOwner(key, platform: platform)
        }
        return owners
    }

    private static func legacyOwner(_ key: String, platform: UserKey.Platform) -> String {
        key.hasPrefix("chat:") ? UserKey(platform: platform, user: String(key.dropFirst(5))).stored : UserKey.profile(key).stored
    }

    /// The record a pre-v6 outbox key is about: `reminder-m12-20261124` → `m12`, `followup-7-…` → `f7`.
    static func legacySubject(ofKey key: String) -> String? {
        let parts = key.split(separator: "-")
        guard parts.count >= 2 else { return nil }
        switch parts[0] {
        case "reminder", "reflect": return parts[1].hasPrefix("m") ? String(parts[1]) : nil
        case "followup", "referral": return Int64(parts[1]).map { "f\($0)" }
        case "keepintouch": return parts[1].hasPrefix("c") ? String(parts[1]) : nil
        case "digest": return NudgeSubject.digest.stored
        default: return nil
        }
    }

    /// Indexes a contact's name words for `contacts(matching:)`.
    static func insertWords(of contactID: Int64, owner: String, nameKey: String, _ db: Database) throws {
        for word in Set(nameKey.split(separator: " ")) {
            try db.cachedStatement(sql: "INSERT INTO contact_words (contact_id, owner, word) VALUES (?, ?, ?)")
                .execute(arguments: [contactID, owner, String(word)])
        }
    }
}
