import Foundation
import GRDB
import RapportCore
@testable import RapportStore
import RapportTestSupport
import Synchronization
import Testing

/// What only the SQLite store has: a file with its modes, migrations, a group commit.
struct GRDBStoreTests {
    private let now = Contract.now

    @Test(arguments: [false, true])
    func aNewFileStoreIsWALWithFullSyncAndOwnerOnly(concurrentReads: Bool) async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("nested/dir/rapport.sqlite")
        let store = try GRDBStore.open(path: path, planner: Contract.planner(), concurrentReads: concurrentReads)
        let settings = try await store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)  // FULL
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func refusesAFileThatIsNotADatabaseAndLeavesItUntouched() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("notes.sqlite")
        let original = Data("my shopping list, not a database\n".utf8)
        try original.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try GRDBStore.open(path: path, planner: Contract.planner()) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func saysWhenTheFolderCannotBeCreated() throws {
        let folder = TemporaryDirectory()
        let blocker = folder.path("a-file")
        try Data().write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/store/rapport.sqlite"
        #expect {
            try GRDBStore.open(path: path, planner: Contract.planner())
        } throws: { error in
            guard case .cannotCreateDirectory(let reported, _)? = error as? StoreError else { return false }
            return reported == path
        }
    }

    @Test func aStoreANewerRapportWroteIsRefusedUnchanged() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("newer.sqlite")
        _ = try GRDBStore.open(path: path, planner: Contract.planner())
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: something from the future')") }
        let before = try queue.read { db in try db.schemaVersion() }
        #expect(throws: StoreError.newerStore(path: path)) { try GRDBStore.open(path: path, planner: Contract.planner()) }
        #expect(try queue.read { db in try db.schemaVersion() } == before)
        #expect(StoreError.newerStore(path: path).description.contains("written by a newer rapport; upgrade rapport, or open it with the version that wrote it"))
    }

    @Test func reopeningKeepsTheDataAndEveryListingHasItsIndex() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("rapport.sqlite")
        do {
            let store = try GRDBStore.open(path: path, planner: Contract.planner())
            try await Contract.finish(Contract.finishedPrep(), in: store)
        }
        let reopened = try GRDBStore.open(path: path, planner: Contract.planner())
        #expect(try await reopened.meetings(owner: .local, startingFrom: nil, limit: 5).map(\.contactName) == ["Anna Berg"])
        let queue = try DatabaseQueue(path: path)
        let migrations = try await queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == GRDBStore.migrator.migrations)
        #expect(migrations.last == "v10: calendar events of forgotten contacts")
        // The queries a command runs on every start name their index: none reads every row.
        let queries = [
            "SELECT * FROM conversations WHERE user_key = 'slack::U1' AND status IN ('active', 'paused') ORDER BY updated_at DESC": "conversations_by_user",
            "SELECT id FROM contacts WHERE owner = 'local' AND name_key = 'anna berg'": "sqlite_autoindex_contacts",
            "SELECT * FROM contact_words WHERE owner = 'local' AND word >= 'an' AND word < 'ao'": "contact_words_by_word",
            "SELECT * FROM meetings WHERE owner = 'local' AND starts_at >= '2026' ORDER BY starts_at": "meetings_by_owner",
            "SELECT * FROM meetings INDEXED BY meetings_awaiting_reflection WHERE owner = 'local' AND status = 'planned' AND starts_at <= '2026'": "meetings_awaiting_reflection",
            "SELECT * FROM followups INDEXED BY followups_open WHERE owner = 'local' AND done_at IS NULL AND due_at < '2026' ORDER BY due_at": "followups_open",
            "SELECT * FROM contacts INDEXED BY contacts_keep_in_touch WHERE owner = 'local' AND next_contact_due IS NOT NULL ORDER BY next_contact_due": "contacts_keep_in_touch",
            "SELECT id, key FROM outbox WHERE subject = 'm1' AND status = 'pending'": "outbox_by_subject",
            "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= '2026'": "outbox_pending",
            "SELECT * FROM calendar_feeds WHERE owner = 'local' ORDER BY name": "sqlite_autoindex_calendar_feeds",
            "SELECT id, meeting_id FROM calendar_events WHERE feed_id = 1 AND key = 'a'": "sqlite_autoindex_calendar_events",
            "SELECT id, key FROM calendar_events WHERE feed_id = 1 AND starts_at >= '2026' AND cancelled = 0": "calendar_events_by_start",
            "SELECT * FROM calendar_events WHERE meeting_id = 1 AND owner = 'local'": "calendar_events_by_meeting",
        ]
        for (sql, index) in queries {
            let plan = try await queue.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ") }
            #expect(plan.contains(index) && !plan.contains("SCAN"), "\(sql) → \(plan)")
        }
    }

    @Test func reopeningWithOtherPlanSettingsPlansEverythingOnce() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("rapport.sqlite")
        let meetingID: Int64
        do {
            let store = try GRDBStore.open(path: path, planner: Contract.planner())
            _ = try await store.refreshPlan(now: now)
            meetingID = try #require(try await Contract.finish(Contract.finishedPrep(), in: store))
        }
        let reopened = try GRDBStore.open(path: path, planner: Contract.planner(leadTime: .seconds(7200)))
        let refresh = try await reopened.refreshPlan(now: now)
        #expect(refresh.replannedAll)
        let pending = try await reopened.entries(statuses: [.pending], limit: 10)
        let reminder = try #require(pending.first { $0.kind == "reminder" })
        #expect(reminder.nextAttemptAt == Fixtures.moment("2026-11-25T12:00:00+01:00"), "two hours ahead now")
        #expect(reminder.key == "reminder-m\(meetingID)-20261125", "the same nudge: its key is stable")
        #expect(try await reopened.refreshPlan(now: now) == PlanRefresh())
        // With nothing routed any more, what waits is cancelled.
        let quiet = try GRDBStore.open(path: path, planner: Contract.planner(routes: [:]))
        #expect(try await quiet.refreshPlan(now: now).cancelled == 2)
        #expect(try await quiet.entries(statuses: [.pending], limit: 10).isEmpty)
    }

    @Test func aStoreFromTheFirstVersionIsMigratedWithItsDataKept() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try GRDBStore.migrator.migrate(queue, upTo: "v1: contacts, conversations, answers, meetings, profile")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO contacts (name, name_key, knows_what_i_do, created_at, updated_at) VALUES ('Anna Berg', 'anna berg', 'partly', '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')")
                try db.execute(sql: "INSERT INTO meetings (contact_id, goal, status, created_at) VALUES (1, 'An intro', 'planned', '2026-11-01 10:00:00.000')")
                try db.execute(sql: "INSERT INTO profile (key, value, updated_at) VALUES ('pitch', 'I build software', '2026-11-01 10:00:00.000')")
            }
        }
        let store = try GRDBStore.open(path: path, planner: Contract.planner())
        let anna = try await store.contacts(matching: "anna", owner: .local, limit: 5)
        #expect(anna.map(\.name) == ["Anna Berg"])
        #expect(anna.first?.keepInTouch == nil)
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 5).map(\.goal) == ["An intro"])
        #expect(try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 5).isEmpty)
        #expect(try await store.profile(owner: .local) == ["pitch": "I build software"])
    }

    @Test func aStoreWithChatUsersIsMigratedToOwnersByPlatform() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("v5.sqlite")
        var finished = ConversationState(flowID: "prep", language: "en", prefill: [:])
        finished.status = .finished
        let state = String(decoding: try JSONEncoder().encode(finished), as: UTF8.self)
        do {
            let queue = try DatabaseQueue(path: path)
            try GRDBStore.migrator.migrate(queue, upTo: "v5: processed messages")
            try await queue.write { db in
                let at = "2026-11-01 10:00:00.000"
                // Anna is met by the terminal's user and by a Slack user; Jan only by the Slack user.
                try db.execute(sql: "INSERT INTO contacts (id, name, name_key, created_at, updated_at) VALUES (1, 'Anna Berg', 'anna berg', ?, ?), (2, 'Jan Nowak', 'jan nowak', ?, ?)", arguments: [at, at, at, at])
                try db.execute(sql: """
                    INSERT INTO conversations (id, flow, channel, user_key, status, state, created_at, updated_at) VALUES
                        (1, 'prep', 'terminal', 'local', 'finished', ?, ?, ?), (2, 'prep', 'chat', 'chat:U0ALICE', 'finished', ?, ?, ?),
                        (3, 'prep', 'chat', 'chat:U0ALICE', 'finished', ?, ?, ?)
                    """, arguments: [state, at, at, state, at, at, state, at, at])
                try db.execute(sql: """
                    INSERT INTO meetings (id, contact_id, conversation_id, goal, status, created_at) VALUES
                        (1, 1, 1, 'local goal', 'planned', ?), (2, 1, 2, 'alice goal', 'planned', ?), (3, 2, 3, 'alice on jan', 'planned', ?)
                    """, arguments: [at, at, at])
                try db.execute(sql: "INSERT INTO followups (contact_id, meeting_id, kind, text, due_at, created_at) VALUES (1, 2, 'action', 'alice sends', ?, ?)", arguments: [at, at])
                try db.execute(sql: "INSERT INTO profile (key, value, updated_at) VALUES ('pitch', 'mine', ?), ('chat:U0ALICE/pitch', 'alices', ?)", arguments: [at, at])
                try db.execute(sql: "INSERT INTO processed_messages (id, reply, created_at) VALUES ('chat:U0ALICE/slack:trigger-9', '{}', ?)", arguments: [at])
            }
        }
        let store = try GRDBStore.open(path: path, planner: Contract.planner())
        let alice = UserKey(platform: .slack, user: "U0ALICE")
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 10).map(\.goal) == ["local goal"])
        #expect(try await store.meetings(owner: alice, startingFrom: nil, limit: 10).compactMap(\.goal).sorted() == ["alice goal", "alice on jan"])
        let hers = try await store.contacts(matching: "anna", owner: alice, limit: 5)
        let mine = try await store.contacts(matching: "anna", owner: .local, limit: 5)
        #expect(hers.count == 1 && mine.count == 1 && hers[0].id != mine[0].id, "Anna is now one contact each")
        #expect(try await store.contacts(matching: "jan", owner: alice, limit: 5).map(\.name) == ["Jan Nowak"])
        #expect(try await store.contacts(matching: "jan", owner: .local, limit: 5).isEmpty)
        #expect(try await store.openFollowUps(owner: alice, dueBefore: nil, limit: 5).map(\.contactID) == [hers[0].id])
        #expect(try await store.profile(owner: alice) == ["pitch": "alices"])
        #expect(try await store.profile(owner: .local) == ["pitch": "mine"])
        #expect(try await store.conversation(id: 2)?.owner == alice)
        #expect(try await store.conversation(id: 2)?.lastChannel == .chat(.slack))
    }

    @Test func aGroupCommitUndoesAFailingTurnAloneAndCommitsTheRest() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let store = try GRDBStore.open(path: path, planner: Contract.planner(), concurrentReads: true)
        // Twenty people start at once; one sends a turn for a conversation that does not exist.
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let owner = UserKey(platform: .web, user: "u\(index)")
                    if index == 7 {
                        let bad = TurnCommit(conversationID: 9999, owner: owner, readVersion: 1, channel: .chat(.web), state: Contract.openPrep(), answers: [], now: Contract.now)
                        return (try? await store.commit(bad)) != nil
                    }
                    let start = ConversationStart(owner: owner, channel: .chat(.web), state: Contract.openPrep(), answers: [], now: Contract.now)
                    return (try? await store.start(start)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 19)
        let reopened = try GRDBStore.open(path: path, planner: Contract.planner())
        for index in 0..<20 where index != 7 {
            #expect(try await reopened.openConversations(owner: UserKey(platform: .web, user: "u\(index)"), flowID: nil, limit: 5).count == 1)
        }
    }

    /// Every statement the commands run, as they run them (traced), read through an index: no
    /// table is scanned, and only what one person, contact or conversation has is ever sorted.
    @Test func everyStatementACommandRunsUsesAnIndex() async throws {
        let traced = Mutex<[String]>([])
        var configuration = GRDBStore.configuration
        configuration.prepareDatabase { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { traced.withLock { $0.append(statement.sql) } }
            }
        }
        let folder = TemporaryDirectory()
        let queue = try DatabaseQueue(path: folder.path("traced.sqlite"), configuration: configuration)
        let store = try GRDBStore(queue, path: folder.path("traced.sqlite"), planner: Contract.planner())
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(starts: "2026-11-24T10:00:00+01:00"), in: store))
        try await Contract.finish(Contract.finishedPrep("Jan Kowalski"), in: store)
        try await store.enqueue([OutboxDraft(key: "x", destination: "team", kind: "followup", payload: "{}", dueAt: now)], now: now)
        _ = try await store.refreshPlan(now: now)  // the first plan reads everything once, by design
        let feed = try await store.addCalendarFeed(name: "work", source: "work.ics", owner: .local, now: now)
        func occurrence(_ key: String, _ start: String, _ name: String) -> CalendarMeetingDraft {
            CalendarMeetingDraft(key: key, uid: key, start: Fixtures.moment(start), end: Fixtures.moment(start).addingTimeInterval(3600), title: "t",
                                 description: nil, location: nil, contactName: name, contactEmail: nil, attendees: [])
        }
        let window = DateInterval(start: now, duration: 14 * 86_400)
        _ = try await store.syncCalendar(CalendarSnapshot(feedID: feed.id, window: window, meetings: [
            occurrence("a", "2026-12-01T10:00:00+01:00", "Anna Berg"), occurrence("b", "2026-12-02T10:00:00+01:00", "Sara Nyström"),
        ], etag: nil, lastModified: nil, warnings: [], readAt: now), owner: .local, now: now)
        traced.withLock { $0.removeAll() }

        // What the commands and chat turns do, each once.
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store)
        let anna = try #require(try await store.contacts(matching: "Anna Berg", owner: .local, limit: 5).first)
        _ = try await store.contacts(matching: "an", owner: .local, limit: 5)
        _ = try await store.profile(owner: .local)
        _ = try await store.openConversations(owner: .local, flowID: "prep", limit: 5)
        _ = try await store.openConversations(owner: .local, flowID: nil, limit: 5)
        _ = try await store.meeting(id: meetingID, owner: .local)
        _ = try await store.meetings(contactID: anna.id, owner: .local)
        _ = try await store.meetings(owner: .local, startingFrom: now, limit: 10)
        _ = try await store.meetings(owner: .local, startingFrom: nil, limit: 100)
        _ = try await store.awaitingReflection(owner: .local, now: now, limit: 5)
        _ = try await store.reflection(meetingID: meetingID, owner: .local)
        _ = try await store.openFollowUps(owner: .local, dueBefore: now.addingTimeInterval(7 * 86400), limit: 8)
        _ = try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 50)
        _ = try await store.doneFollowUps(owner: .local, limit: 50)
        _ = try await store.followUps(contactID: anna.id, meetingID: nil, owner: .local, includeDone: true)
        _ = try await store.keepInTouch(owner: .local, now: now, dueBefore: now.addingTimeInterval(7 * 86400), limit: 8)
        _ = try await store.interactions(contactID: anna.id, owner: .local)
        let open = try #require(try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 1).first)
        _ = try await store.snooze(followUpID: open.id, owner: .local, until: Contract.day("2026-12-20T00:00:00+01:00"), now: now)
        _ = try await store.markDone(followUpID: open.id, owner: .local, now: now)
        _ = try await store.logInteraction(contactName: "Anna Berg", note: "called", owner: .local, now: now)
        _ = try await store.logInteraction(contactName: "Eva Lind", note: "met at the fair", owner: .local, now: now)
        _ = try await store.refreshPlan(now: now)
        _ = try await store.plannedByTime(now: now)
        _ = try await store.planTimeDriven(now: now)
        _ = try await store.due(now: now, limit: 200)
        let leased = try await store.claimDue(now: now, lease: .seconds(60), limit: 20, claimant: "c", excluding: ["other"])
        for entry in leased { try await store.settle(entry.id, claimant: "c", as: .sent, now: now) }
        _ = try await store.processedReply(MessageID(platform: .web, value: "m1"), sender: .local)
        // Issue 15: the contacts listing, names close to a typo, and the changes to contacts and meetings.
        _ = try await store.contacts(owner: .local, limit: 50)
        _ = try await store.contacts(closeTo: "anan", owner: .local, limit: 5)
        let jan = try #require(try await store.contacts(matching: "Jan Kowalski", owner: .local, limit: 1).first)
        let janMeeting = try #require(try await store.meetings(contactID: jan.id, owner: .local).first)
        _ = try await store.moveMeeting(id: janMeeting.id, to: Contract.day("2026-12-03T00:00:00+01:00"), owner: .local, now: now)
        _ = try await store.cancelMeeting(id: janMeeting.id, owner: .local, now: now)
        _ = try await store.renameContact(id: jan.id, to: "Jan Kowalsky", owner: .local, now: now)
        let eva = try #require(try await store.contacts(matching: "Eva Lind", owner: .local, limit: 1).first)
        _ = try await store.mergeContact(id: eva.id, into: jan.id, owner: .local, now: now)
        _ = try await store.deleteContact(id: jan.id, owner: .local, now: now)
        // A calendar read that moves one meeting, cancels one and adds one; the looks the commands take.
        _ = try await store.addCalendarFeed(name: "home", source: "home.ics", owner: .local, now: now)
        _ = try await store.calendarFeeds(owner: .local)
        _ = try await store.syncCalendar(CalendarSnapshot(feedID: feed.id, window: window, meetings: [
            occurrence("a", "2026-12-03T10:00:00+01:00", "Anna Berg"), occurrence("c", "2026-12-04T10:00:00+01:00", "Nils Holm"),
        ], etag: "\"v2\"", lastModified: nil, warnings: [], readAt: now), owner: .local, now: now)
        try await store.recordCalendarCheck(CalendarCheck(feedID: feed.id, at: now, error: nil), owner: .local)
        let fromCalendar = try #require(try await store.meetings(owner: .local, startingFrom: now, limit: 10).first { $0.fromCalendar })
        _ = try await store.calendarEvent(meetingID: fromCalendar.id, owner: .local)
        _ = try await store.meetings(contactID: fromCalendar.contactID, owner: .local)
        _ = try await store.removeCalendarFeed(id: feed.id, owner: .local, now: now)

        let statements = Set(traced.withLock { $0 }).filter { sql in
            let verb = sql.prefix(6).uppercased()
            return (verb == "SELECT" || verb == "UPDATE" || verb == "DELETE") && !sql.contains("sqlite_master") && !sql.contains("grdb_migrations") && !sql.hasPrefix("SELECT value FROM meta")
        }
        #expect(statements.count > 20, "the trace saw the commands' statements: \(statements.count)")
        for sql in statements.sorted() {
            let unbound = StatementArguments(Array(repeating: DatabaseValue.null, count: sql.filter { $0 == "?" }.count))
            let plan = try await queue.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: unbound).map { $0["detail"] as String }.joined(separator: "; ")
            }
            // An EXISTS reads one constant row; destinations on hold are one row per destination.
            let scans = plan.replacingOccurrences(of: "SCAN CONSTANT ROW", with: "").replacingOccurrences(of: "SCAN destination_holds", with: "")
            #expect(!scans.contains("SCAN"), "a table is read whole: \(sql) → \(plan)")
            let onePersons = ["contact_id = ?", "meeting_id = ?", "conversation_id = ?", "user_key = ?"].contains { sql.contains($0) }
            #expect(!plan.contains("TEMP B-TREE") || onePersons, "sorts more than one person's rows: \(sql) → \(plan)")
            if plan.contains("TEMP B-TREE") && !onePersons { print("TEMP: \(sql)") }
        }
    }
}
