import Foundation
import PostgresNIO

extension PostgresStore {
    /// A named migration: statements run in order, in the migrating transaction.
    struct Migration {
        var identifier: String
        var statements: [String]
    }

    /// Append-only, as the SQLite store's: a shipped migration never changes. The first creates the
    /// schema the SQLite store has from its v6 (a team store starts there), under the same name.
    static let migrations: [Migration] = [
        Migration(identifier: "v6: owners, versions, leases, schedule", statements: [
            """
            CREATE TABLE conversations (
                id BIGSERIAL PRIMARY KEY, flow TEXT NOT NULL, channel TEXT NOT NULL, user_key TEXT NOT NULL, status TEXT NOT NULL,
                current_step TEXT, contact_name TEXT, state TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
                version INTEGER NOT NULL DEFAULT 0, last_channel TEXT NOT NULL DEFAULT 'terminal')
            """,
            "CREATE INDEX conversations_by_user ON conversations (user_key, status)",
            """
            CREATE TABLE answers (
                id BIGSERIAL PRIMARY KEY, conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                step TEXT NOT NULL, slot TEXT, raw TEXT NOT NULL, value TEXT, weak BOOLEAN NOT NULL DEFAULT FALSE, created_at TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX answers_by_conversation ON answers (conversation_id)",
            "CREATE TABLE profile (owner TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (owner, key))",
            """
            CREATE TABLE contacts (
                id BIGSERIAL PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT COLLATE "C" NOT NULL, knows_what_i_do TEXT,
                keep_in_touch_amount INTEGER, keep_in_touch_unit TEXT, keep_in_touch_since TIMESTAMPTZ, last_interaction_at TIMESTAMPTZ,
                next_contact_due TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL, UNIQUE (owner, name_key))
            """,
            "CREATE INDEX contacts_keep_in_touch ON contacts (owner, next_contact_due) WHERE next_contact_due IS NOT NULL",
            """
            CREATE TABLE contact_words (
                contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE, owner TEXT NOT NULL, word TEXT COLLATE "C" NOT NULL)
            """,
            "CREATE INDEX contact_words_by_word ON contact_words (owner, word)",
            "CREATE INDEX contact_words_by_contact ON contact_words (contact_id)",
            """
            CREATE TABLE meetings (
                id BIGSERIAL PRIMARY KEY, contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE RESTRICT,
                conversation_id BIGINT REFERENCES conversations (id) ON DELETE SET NULL, owner TEXT NOT NULL, starts_at TIMESTAMPTZ,
                has_time BOOLEAN NOT NULL DEFAULT FALSE, goal TEXT, goal_weak BOOLEAN NOT NULL DEFAULT FALSE, why_them TEXT, give TEXT,
                question TEXT, pitch TEXT, knows_what_i_do TEXT, existing_contacts_could TEXT, extra TEXT, card TEXT,
                status TEXT NOT NULL DEFAULT 'planned', created_at TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX meetings_by_contact ON meetings (contact_id)",
            "CREATE INDEX meetings_by_owner ON meetings (owner, starts_at)",
            "CREATE INDEX meetings_awaiting_reflection ON meetings (owner, starts_at) WHERE status = 'planned'",
            """
            CREATE TABLE reflections (
                id BIGSERIAL PRIMARY KEY, meeting_id BIGINT NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
                conversation_id BIGINT REFERENCES conversations (id) ON DELETE SET NULL, goal_reached TEXT, outcome TEXT, gave TEXT, got TEXT,
                worth_it TEXT, card TEXT, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)
            """,
            """
            CREATE TABLE followups (
                id BIGSERIAL PRIMARY KEY, contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                meeting_id BIGINT REFERENCES meetings (id) ON DELETE SET NULL, owner TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
                due_at TIMESTAMPTZ NOT NULL, has_time BOOLEAN NOT NULL DEFAULT FALSE, done_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX followups_by_contact ON followups (contact_id)",
            "CREATE INDEX followups_by_meeting ON followups (meeting_id)",
            "CREATE INDEX followups_open ON followups (owner, due_at) WHERE done_at IS NULL",
            "CREATE INDEX followups_done ON followups (owner, done_at) WHERE done_at IS NOT NULL",
            """
            CREATE TABLE interactions (
                id BIGSERIAL PRIMARY KEY, contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE, owner TEXT NOT NULL,
                kind TEXT NOT NULL, note TEXT, at TIMESTAMPTZ NOT NULL)
            """,
            "CREATE INDEX interactions_by_contact ON interactions (contact_id, at)",
            """
            CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, destination TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
                due_at TIMESTAMPTZ NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TIMESTAMPTZ NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending', last_error TEXT, sent_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL, subject TEXT,
                lease_until TIMESTAMPTZ, claimant TEXT)
            """,
            "CREATE INDEX outbox_pending ON outbox (status, next_attempt_at)",
            "CREATE INDEX outbox_by_subject ON outbox (subject, status)",
            "CREATE TABLE processed_messages (id TEXT PRIMARY KEY, reply TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)",
            "CREATE INDEX processed_messages_by_age ON processed_messages (created_at)",
            "CREATE TABLE destination_holds (destination TEXT PRIMARY KEY, until TIMESTAMPTZ NOT NULL, reason TEXT NOT NULL)",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
        // As the SQLite store's v7: when knowing what you do was last answered, earlier answers
        // dated by the latest meeting or reflection with that contact.
        Migration(identifier: "v7 (issue 15): when a contact's knowing what you do was asked", statements: [
            "ALTER TABLE contacts ADD COLUMN knows_what_i_do_at TIMESTAMPTZ",
            """
            UPDATE contacts SET knows_what_i_do_at = (
                SELECT MAX(at) FROM (
                    SELECT m.created_at AS at FROM meetings m WHERE m.contact_id = contacts.id
                    UNION ALL
                    SELECT r.updated_at AS at FROM reflections r JOIN meetings m ON m.id = r.meeting_id WHERE m.contact_id = contacts.id) AS asked)
            WHERE knows_what_i_do IS NOT NULL
            """,
        ]),
        // As the SQLite store's v8: deleting a contact finds the conversations behind their records.
        Migration(identifier: "v8 (issue 15): meetings and reflections by conversation", statements: [
            "CREATE INDEX meetings_by_conversation ON meetings (conversation_id)",
            "CREATE INDEX reflections_by_conversation ON reflections (conversation_id)",
        ]),
        // The SQLite store's v9 (v7 and v8 are issue 15's): calendar feeds with what the
        // last read left for a conditional request, each occurrence linked to its meeting, and a
        // meeting that can be cancelled with its event.
        Migration(identifier: "v9: calendar feeds and events", statements: [
            """
            CREATE TABLE calendar_feeds (
                id BIGSERIAL PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL, etag TEXT, last_modified TEXT,
                last_checked_at TIMESTAMPTZ, last_read_at TIMESTAMPTZ, last_error TEXT, meeting_count INTEGER NOT NULL DEFAULT 0, warnings TEXT,
                created_at TIMESTAMPTZ NOT NULL, UNIQUE (owner, name))
            """,
            """
            CREATE TABLE calendar_events (
                id BIGSERIAL PRIMARY KEY, feed_id BIGINT NOT NULL REFERENCES calendar_feeds (id) ON DELETE CASCADE, owner TEXT NOT NULL,
                key TEXT NOT NULL, uid TEXT NOT NULL, title TEXT, description TEXT, location TEXT, starts_at TIMESTAMPTZ NOT NULL,
                ends_at TIMESTAMPTZ NOT NULL, attendees TEXT NOT NULL, meeting_id BIGINT REFERENCES meetings (id) ON DELETE SET NULL,
                cancelled BOOLEAN NOT NULL DEFAULT FALSE, updated_at TIMESTAMPTZ NOT NULL, UNIQUE (feed_id, key))
            """,
            "CREATE INDEX calendar_events_by_start ON calendar_events (feed_id, starts_at)",
            "CREATE INDEX calendar_events_by_meeting ON calendar_events (meeting_id)",
            "ALTER TABLE meetings ADD COLUMN calendar_event_id BIGINT",
            "CREATE INDEX meetings_from_calendar ON meetings (contact_id, starts_at) WHERE calendar_event_id IS NOT NULL",
        ]),
        // As the SQLite store's v10: a forgotten person's calendar events, by a digest of their UID.
        Migration(identifier: "v10: calendar events of forgotten contacts", statements: [
            """
            CREATE TABLE forgotten_calendar_events (
                feed_id BIGINT NOT NULL REFERENCES calendar_feeds (id) ON DELETE CASCADE, uid_digest TEXT NOT NULL, PRIMARY KEY (feed_id, uid_digest))
            """,
        ]),
        // PostgreSQL only: the open follow-ups are read in (due_at, id) order with a limit, and
        // without the id in the index PostgreSQL read every due row and sorted them (335 at
        // 100,000 contacts) to keep 8. SQLite's index already ends in the rowid, which is the id.
        Migration(identifier: "v11 (PostgreSQL): open follow-ups in due order to the limit", statements: [
            "CREATE INDEX followups_open_in_order ON followups (owner, due_at, id) WHERE done_at IS NULL",
            "DROP INDEX followups_open",
        ]),
    ]

    /// Any number of replicas may start at once: each takes a transaction-scoped advisory lock,
    /// so one migrates and the others find it done. A database with a migration this build does
    /// not know is refused before anything is written.
    func migrate() async throws {
        let logger = self.logger
        let known = Self.migrations.map(\.identifier)
        try await transaction { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(Self.migrationLock), \(self.schemaLockKey))", logger)
            // Under the lock: replicas creating a new schema together would collide on its name.
            if let schema = self.location.schema {
                try await connection.run(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(Self.quoted(schema))"), logger)
            }
            try await connection.run("CREATE TABLE IF NOT EXISTS rapport_migrations (identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())", logger)
            let applied = Set(try await connection.rows("SELECT identifier FROM rapport_migrations", logger).map { try $0.value("identifier", as: String.self) })
            guard applied.isSubset(of: Set(known)) else { throw PostgresStoreError.newerStore(location: self.location.redacted) }
            for migration in Self.migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger)
                }
                try await connection.run("INSERT INTO rapport_migrations (identifier) VALUES (\(migration.identifier))", logger)
            }
        }
    }

    /// The advisory locks replicas take turns on: one kind for migrating, one for planning,
    /// each taken per schema (the second key), so stores in other schemas of one database — a
    /// second team, or the tests — never wait for each other.
    static let migrationLock: Int32 = 0x7261_6D69  // "rami"

    /// The schema's half of an advisory lock's key: FNV-1a of its name, folded to 32 bits.
    var schemaLockKey: Int32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in (location.schema ?? "public").utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return Int32(bitPattern: hash)
    }
}
