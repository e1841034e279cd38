import Foundation
import PostgresNIO

/// The statements of a chat turn, prepared once per connection: parsing and planning them
/// was half of PostgreSQL's work per turn under load (a profile of `make bench`'s chat turns),
/// and these two are nearly every turn. Their columns are named, not `*`, so a replica still
/// running while another migrates (a rolling deploy that adds a column) keeps its plans valid.
enum PostgresStatements {
    static let conversationColumns = "id, user_key, state, version, last_channel, created_at, updated_at"

    /// One owner's newest unfinished conversation.
    struct NewestOpenConversation: PostgresPreparedStatement {
        static let name = "rapport_newest_open_conversation_v1"
        static let sql = """
            SELECT \(conversationColumns) FROM conversations WHERE user_key = $1 AND status IN ('active', 'paused')
            ORDER BY updated_at DESC, id DESC LIMIT 1
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]
        typealias Row = PostgresRow

        var owner: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(owner)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// The answers of a turn, inserted in order from their JSON (`AnswerRow`s) for the
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

    /// A turn that finishes nothing: the state, if the version read is still current, and its
    /// answers in order, in one statement (atomic on its own).
    struct CommitAnswer: PostgresPreparedStatement {
        static let name = "rapport_commit_answer_v1"
        static let sql = """
            WITH updated AS (
                UPDATE conversations SET status = $1, current_step = $2, contact_name = $3, state = $4, updated_at = $5, last_channel = $6,
                    version = version + 1
                WHERE id = $7 AND version = $8 AND user_key = $9
                RETURNING id, created_at
            ), \(loggedAnswers(parent: "updated", now: "$5", json: "$10"))
            SELECT created_at FROM updated
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text, .timestamptz, .text, .int8, .int4, .text, .text]
        typealias Row = PostgresRow

        var status: String
        var currentStep: String?
        var contactName: String?
        var state: String
        var now: Date
        var channel: String
        var conversationID: Int64
        var readVersion: Int32
        var owner: String
        var answers: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 10)
            bindings.append(status)
            bindings.append(currentStep)
            bindings.append(contactName)
            bindings.append(state)
            bindings.append(now)
            bindings.append(channel)
            bindings.append(conversationID)
            bindings.append(readVersion)
            bindings.append(owner)
            bindings.append(answers)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// A conversation started with no platform message to claim, with its first answers.
    struct StartConversation: PostgresPreparedStatement {
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
        typealias Row = PostgresRow

        var flow: String
        var channel: String
        var owner: String
        var status: String
        var currentStep: String?
        var contactName: String?
        var state: String
        var now: Date
        var answers: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 9)
            bindings.append(flow)
            bindings.append(channel)
            bindings.append(owner)
            bindings.append(status)
            bindings.append(currentStep)
            bindings.append(contactName)
            bindings.append(state)
            bindings.append(now)
            bindings.append(answers)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
