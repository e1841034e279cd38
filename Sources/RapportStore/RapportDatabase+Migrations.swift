import GRDB

extension RapportDatabase {
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

        return migrator
    }
}
