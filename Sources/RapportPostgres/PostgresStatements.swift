import Foundation
import PostgresNIO

/// The statements of chat turns and of what a finished prep writes, prepared once per
/// connection: parsing and planning them was half of PostgreSQL's work per turn under load (a
/// profile of `make bench`'s chat turns), and each is one round trip where a turn used to make
/// several. Their columns are named, not `*`, so a replica still running while another migrates
/// (a rolling deploy that adds a column) keeps its plans valid.
enum PostgresStatements {
    static let conversationColumns = "id, user_key, state, version, last_channel, created_at, updated_at"

    /// One owner's newest unfinished conversation: owner.
    enum NewestOpenConversation: PreparedSQL {
        static let name = "rapport_newest_open_conversation_v1"
        static let sql = """
            SELECT \(conversationColumns) FROM conversations WHERE user_key = $1 AND status IN ('active', 'paused')
            ORDER BY updated_at DESC, id DESC LIMIT 1
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]
    }

    /// The answers of a turn, inserted in order from their JSON (`answersJSON`) for the
    /// conversation the CTE `parent` yields: a step of both statements below.
    static func loggedAnswers(parent: String, now: String, json: String) -> String {
        """
        logged AS (
            INSERT INTO answers (conversation_id, step, slot, raw, value, weak, created_at)
            SELECT \(parent).id, a.step, a.slot, a.raw, a.value, a.weak, \(now)
            FROM \(parent), ROWS FROM (json_to_recordset(\(json)::json) AS (step text, slot text, raw text, value text, weak boolean))
                WITH ORDINALITY AS a(step, slot, raw, value, weak, n)
            ORDER BY a.n
            RETURNING 1
        )
        """
    }

    /// That the row being updated is its owner's newest open conversation, as
    /// `NewestOpenConversation` orders them.
    static let newestOpen = """
        status IN ('active', 'paused') AND NOT EXISTS (
            SELECT 1 FROM conversations newer WHERE newer.user_key = conversations.user_key AND newer.status IN ('active', 'paused')
                AND (newer.updated_at, newer.id) > (conversations.updated_at, conversations.id))
        """

    /// A turn's state, if the version read is still current (and, when asked, the conversation
    /// still its owner's newest open one), and its answers in order, in one statement (atomic on
    /// its own, and the first step of a finishing turn's transaction): status, current step,
    /// contact name, state, now, channel, id, version read, owner, answers, only if newest.
    enum CommitAnswer: PreparedSQL {
        static let name = "rapport_commit_answer_v2"
        static let sql = """
            WITH \(turn)
            SELECT created_at FROM updated
            """
        static let bindingDataTypes = turnTypes

        /// The CTEs of the turn, `updated` (its row, if the version still stood) and `logged`: $1–$11.
        static let turn = """
            updated AS (
                UPDATE conversations SET status = $1, current_step = $2, contact_name = $3, state = $4, updated_at = $5, last_channel = $6,
                    version = version + 1
                WHERE id = $7 AND version = $8 AND user_key = $9 AND (NOT $11 OR \(newestOpen))
                RETURNING id, created_at
            ), \(loggedAnswers(parent: "updated", now: "$5", json: "$10"))
            """
        static let turnTypes: [PostgresDataType] = [.text, .text, .text, .text, .timestamptz, .text, .int8, .int4, .text, .text, .bool]
    }

    /// Several people's answers as one statement (`AnswerBatches`), each turn as `CommitAnswer`
    /// commits it: the turns (`turnsJSON`, numbered from 1, one per conversation) and their
    /// answers (`answersJSON`, each naming its turn). Yields the numbers of the turns committed.
    /// A time is microseconds since 2000, as PostgresNIO binds a `Date`, so a batch stores the
    /// same instants as a turn alone.
    enum CommitAnswers: PreparedSQL {
        static let name = "rapport_commit_answers_v1"
        static let sql = """
            WITH turns AS (
                SELECT * FROM json_to_recordset($1::json) AS t(turn int8, conversation int8, read_version int4, owner text, new_status text,
                    new_step text, new_contact text, new_state text, at_micros int8, channel text, only_if_newest boolean)
            ), updated AS (
                UPDATE conversations SET status = t.new_status, current_step = t.new_step, contact_name = t.new_contact, state = t.new_state,
                    updated_at = \(time("t.at_micros")), last_channel = t.channel, version = conversations.version + 1
                FROM turns t
                -- The ids again as an array, so the rows are found by key: the planner guesses
                -- 100 rows of json_to_recordset and would otherwise scan the whole table.
                WHERE conversations.id = ANY (ARRAY(SELECT conversation FROM turns)) AND conversations.id = t.conversation AND conversations.version = t.read_version AND conversations.user_key = t.owner
                    AND (NOT t.only_if_newest OR \(newestOpen))
                RETURNING t.turn, t.at_micros, conversations.id, conversations.created_at
            ), logged AS (
                INSERT INTO answers (conversation_id, step, slot, raw, value, weak, created_at)
                SELECT u.id, a.step, a.slot, a.raw, a.value, a.weak, \(time("u.at_micros"))
                FROM updated u JOIN ROWS FROM (json_to_recordset($2::json) AS (turn int8, step text, slot text, raw text, value text, weak boolean))
                    WITH ORDINALITY AS a(turn, step, slot, raw, value, weak, n) ON a.turn = u.turn
                ORDER BY u.turn, a.n
                RETURNING 1
            )
            SELECT turn, created_at FROM updated
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text]

        /// The instant of microseconds since 2000-01-01 UTC.
        private static func time(_ micros: String) -> String {
            "(timestamptz '2000-01-01 00:00:00+00' + \(micros) * interval '1 microsecond')"
        }

        /// A time as this statement reads it: what PostgresNIO binds for a `Date`.
        static func micros(_ date: Date) -> Int {
            Int(date.timeIntervalSince(Date(timeIntervalSince1970: 946_684_800)) * 1_000_000)
        }
    }

    /// A conversation started with no platform message to claim, with its first answers: flow,
    /// channel, owner, status, current step, contact name, state, now, answers.
    enum StartConversation: PreparedSQL {
        static let name = "rapport_start_conversation_v1"
        static let sql = """
            WITH created AS (
                INSERT INTO conversations (flow, channel, user_key, status, current_step, contact_name, state, created_at, updated_at, version, last_channel)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1, $2)
                RETURNING id
            ), \(loggedAnswers(parent: "created", now: "$8", json: "$9"))
            SELECT id FROM created
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .text, .text, .text, .timestamptz, .text]
    }

    /// A platform's message claimed with the reply it got, unless a turn on any replica has it:
    /// id, reply, now.
    enum ClaimMessage: PreparedSQL {
        static let name = "rapport_claim_message_v1"
        static let sql = "INSERT INTO processed_messages (id, reply, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING 1"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .timestamptz]
    }

    /// An owner's profile: owner.
    enum Profile: PreparedSQL {
        static let name = "rapport_profile_v1"
        static let sql = "SELECT key, value FROM profile WHERE owner = $1"
        static let bindingDataTypes: [PostgresDataType] = [.text]
    }

    /// The contact of exactly this name key, else those a bounded range of the word index finds
    /// for the first typed word, in one round trip: owner, name key, first word, the word's
    /// upper bound, how many word rows at most.
    enum ContactsMatching: PreparedSQL {
        static let name = "rapport_contacts_matching_v2"
        static let sql = "WITH \(matched) SELECT * FROM matched"

        /// The CTEs, ending in `matched`.
        static let matched = """
            exact AS (SELECT \(PostgresRows.contactColumns) FROM contacts WHERE owner = $1 AND name_key = $2),
            matched AS (
                SELECT *, TRUE AS exact FROM exact
                UNION ALL
                (SELECT \(PostgresRows.contactColumns(of: "c")), FALSE FROM contact_words w JOIN contacts c ON c.id = w.contact_id
                    WHERE NOT EXISTS (SELECT 1 FROM exact) AND w.owner = $1 AND w.word >= $3 AND w.word < $4 LIMIT $5)
            )
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .int8]
    }

    /// `ContactsMatching` with the owner's profile (as a JSON object) on every row, and one row
    /// with no contact when the name finds none (or no name is given: name key, first word and
    /// bound null): owner, name key, first word, the word's upper bound, how many word rows at most.
    enum ProfileAndContactsMatching: PreparedSQL {
        static let name = "rapport_profile_and_contacts_matching_v1"
        static let sql = """
            WITH \(ContactsMatching.matched)
            SELECT (SELECT json_object_agg(key, value) FROM profile WHERE owner = $1)::text AS profile, matched.*
            FROM (SELECT 1) AS one LEFT JOIN matched ON TRUE
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .int8]
    }

    /// The owner's contact of that name key, added (with its words) when new, and what the
    /// conversation learnt of whether they know what you do, in one statement; two replicas
    /// adding the same person at once make one. An existing contact is updated first, so its
    /// name does not use up an id. Owner, name, name key, now, knows what I do, words.
    enum UpsertContact: PreparedSQL {
        static let name = "rapport_upsert_contact_v3"
        static let sql = """
            WITH \(upsertedContact(owner: "$1", name: "$2", key: "$3", now: "$4", knows: "$5", words: "$6"))
            SELECT * FROM contact
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .timestamptz, .text, .textArray]
    }

    /// The CTEs of a contact upsert, ending in `contact`: its `ContactToPlan.columns` and whether
    /// this statement added it. With `when`, only when that condition holds (nothing otherwise).
    static func upsertedContact(owner: String, name: String, key: String, now: String, knows: String, words: String, when: String = "TRUE") -> String {
        """
        found AS (
            UPDATE contacts SET updated_at = \(now), knows_what_i_do = COALESCE(\(knows), knows_what_i_do),
                knows_what_i_do_at = CASE WHEN \(knows) IS NULL THEN knows_what_i_do_at ELSE \(now) END
            WHERE owner = \(owner) AND name_key = \(key) AND \(when)
            RETURNING \(ContactToPlan.columns)
        ), made AS (
            INSERT INTO contacts (owner, name, name_key, knows_what_i_do, knows_what_i_do_at, created_at, updated_at)
            SELECT \(owner), \(name), \(key), \(knows), CASE WHEN \(knows) IS NULL THEN NULL ELSE \(now) END, \(now), \(now)
            WHERE \(when) AND NOT EXISTS (SELECT 1 FROM found)
            ON CONFLICT (owner, name_key) DO UPDATE SET updated_at = EXCLUDED.updated_at,
                knows_what_i_do = COALESCE(EXCLUDED.knows_what_i_do, contacts.knows_what_i_do),
                knows_what_i_do_at = COALESCE(EXCLUDED.knows_what_i_do_at, contacts.knows_what_i_do_at)
            RETURNING \(ContactToPlan.columns), (xmax = 0) AS inserted
        ), words AS (
            INSERT INTO contact_words (contact_id, owner, word)
            SELECT made.id, \(owner), word FROM made, unnest(\(words)::text[]) AS word WHERE made.inserted
        ), contact AS (
            SELECT *, FALSE AS inserted FROM found UNION ALL SELECT * FROM made
        )
        """
    }

    /// A finished prep's meeting: contact, conversation, owner, then `meetingColumns` from $4, now.
    enum InsertMeeting: PreparedSQL {
        static let name = "rapport_insert_meeting_v3"
        static let sql = """
            WITH m AS (
                INSERT INTO meetings (contact_id, conversation_id, owner, \(meetingColumns), created_at)
                VALUES ($1, $2, $3, \(placeholders(from: 4, count: meetingValueTypes.count)), $\(4 + meetingValueTypes.count))
                RETURNING *
            )
            SELECT \(PostgresRows.meetingColumns) FROM m JOIN contacts c ON c.id = m.contact_id
            """
        static let bindingDataTypes: [PostgresDataType] = [.int8, .int8, .text] + meetingValueTypes + [.timestamptz]
    }

    /// A new meeting's own columns, in the order `PostgresStore.appendMeeting` binds them.
    static let meetingColumns = """
        starts_at, has_time, goal, goal_weak, why_them, give, question, pitch, knows_what_i_do, existing_contacts_could, extra, card, status
        """
    static let meetingValueTypes: [PostgresDataType] = [.timestamptz, .bool, .text, .bool, .text, .text, .text, .text, .text, .text, .text, .text, .text]

    static func placeholders(from first: Int, count: Int) -> String {
        (first..<first + count).map { "$\($0)" }.joined(separator: ", ")
    }

    /// A prep that finishes with a new meeting, in one statement: the turn as `CommitAnswer`
    /// commits it ($1–$11), then, only if it did, the contact as `UpsertContact` writes it (name,
    /// name key, knows what I do, words: $12–$15) and the meeting (`meetingColumns` from $16).
    /// Yields nothing when the turn did not commit, else the meeting as `MeetingByID` reads it,
    /// `conversation_created_at`, and the contact's `ContactToPlan.columns` and `inserted` as
    /// `c_…` (`contact_id` and `contact_name` are the meeting's). A finish is three round trips
    /// (BEGIN, this, COMMIT) where it was five: under load each round trip waits for a core, and
    /// the finishes were most of the slowest turns.
    enum FinishWithMeeting: PreparedSQL {
        static let contactPrefix = "c_"
        static let name = "rapport_finish_with_meeting_v1"
        static let sql = """
            WITH \(CommitAnswer.turn),
            \(upsertedContact(owner: "$9", name: "$12", key: "$13", now: "$5", knows: "$14", words: "$15", when: "EXISTS (SELECT 1 FROM updated)")),
            m AS (
                INSERT INTO meetings (contact_id, conversation_id, owner, \(meetingColumns), created_at)
                SELECT contact.id, $7, $9, \(placeholders(from: 16, count: meetingValueTypes.count)), $5 FROM contact
                RETURNING *
            )
            SELECT m.id, m.contact_id, contact.name AS contact_name, m.starts_at, m.has_time, m.goal, m.goal_weak, m.why_them, m.give, m.question,
                m.pitch, m.knows_what_i_do, m.existing_contacts_could, m.card, m.status, m.created_at, m.owner, m.calendar_event_id,
                NULL::text AS calendar_title, updated.created_at AS conversation_created_at,
                \(ContactToPlan.columns.split(separator: ", ").map { "contact.\($0) AS \(contactPrefix)\($0)" }.joined(separator: ", ")),
                contact.inserted AS \(contactPrefix)inserted
            FROM updated, contact, m
            """
        static let bindingDataTypes: [PostgresDataType] =
            CommitAnswer.turnTypes + [.text, .text, .text, .textArray] + meetingValueTypes
    }

    /// One owner's meetings with a contact, but those their calendar called off, soonest first
    /// (a new prep with someone known reads them): contact, owner.
    enum MeetingsOfContact: PreparedSQL {
        static let name = "rapport_meetings_of_contact_v1"
        static let sql = """
            SELECT \(PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id
            WHERE m.contact_id = $1 AND m.owner = $2 AND (m.status != 'cancelled' OR m.calendar_event_id IS NULL) ORDER BY m.starts_at ASC NULLS LAST, m.id
            """
        static let bindingDataTypes: [PostgresDataType] = [.int8, .text]
    }

    /// A meeting as its nudges are planned from it: id.
    enum MeetingByID: PreparedSQL {
        static let name = "rapport_meeting_by_id_v1"
        static let sql = "SELECT \(PostgresRows.meetingColumns) FROM meetings m JOIN contacts c ON c.id = m.contact_id WHERE m.id = $1"
        static let bindingDataTypes: [PostgresDataType] = [.int8]
    }

    /// A contact as its keep-in-touch nudge is planned from it: id.
    enum ContactToPlan: PreparedSQL {
        static let name = "rapport_contact_to_plan_v1"
        static let columns = "\(PostgresRows.contactColumns), last_interaction_at, owner, next_contact_due"
        static let sql = "SELECT \(columns) FROM contacts WHERE id = $1"
        static let bindingDataTypes: [PostgresDataType] = [.int8]
    }

    /// The waiting and cancelled nudges of one subject: subject.
    enum NudgesOfSubject: PreparedSQL {
        static let name = "rapport_nudges_of_subject_v1"
        static let sql = """
            SELECT id, key, status, destination, payload, due_at, attempts FROM outbox WHERE subject = $1 AND status IN ('pending', 'cancelled')
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]
    }

    /// A planned message, unless its key is there already (planned by this replica or another);
    /// looked up first, so the ids people type are not used up by keys already planned. Key,
    /// destination, kind, payload, due, now, subject.
    enum Enqueue: PreparedSQL {
        static let name = "rapport_enqueue_v1"
        static let sql = """
            INSERT INTO outbox (key, destination, kind, payload, due_at, attempts, next_attempt_at, status, created_at, subject)
            SELECT $1, $2, $3, $4, $5, 0, $5, 'pending', $6, $7 WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE key = $1)
            ON CONFLICT (key) DO NOTHING RETURNING 1
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .timestamptz, .timestamptz, .text]
    }
}
