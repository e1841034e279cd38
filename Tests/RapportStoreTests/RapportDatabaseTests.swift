import Foundation
import GRDB
import RapportCore
@testable import RapportStore
import RapportTestSupport
import Testing

struct RapportDatabaseTests {
    private let now = Fixtures.monday

    /// A prep state as the engine leaves it, finished with the given slots.
    private func finishedState(name: String, goal: String, pitch: String? = nil) -> ConversationState {
        var state = ConversationState(flowID: "prep", language: "en", prefill: [:])
        state.answers["who"] = .init(raw: name, value: .name(name), weak: false, slot: "contact.name")
        state.answers["when"] = .init(raw: "tomorrow 14:00", value: .when(WhenValue(date: now.addingTimeInterval(86400), hasTime: true)), weak: false, slot: "meeting.when")
        state.answers["goal"] = .init(raw: goal, value: .text(goal), weak: true, slot: "meeting.goal")
        state.answers["knows"] = .init(raw: "no", value: .choice("no"), weak: false, slot: "contact.knows_what_i_do")
        state.path = ["who", "when", "goal", "knows"]
        if let pitch {
            state.answers["pitch"] = .init(raw: pitch, value: .text(pitch), weak: false, slot: "me.pitch")
            state.path.append("pitch")
        }
        state.status = .finished
        return state
    }

    private func outcome(_ state: ConversationState) -> ConversationOutcome {
        ConversationOutcome(state: state, card: SummaryCard(title: "Card", lines: [], footer: nil), formatter: ValueFormatter(lexicon: Fixtures.english, now: now, timeZone: Fixtures.stockholm))
    }

    @Test(arguments: [false, true])
    func aNewFileStoreIsWALWithFullSyncAndOwnerOnly(concurrentReads: Bool) throws {
        let folder = TemporaryDirectory()
        let path = folder.path("nested/dir/rapport.sqlite")
        let store = try RapportDatabase.open(path: path, concurrentReads: concurrentReads)
        let settings = try store.durabilitySettings()
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
        #expect(throws: StoreError.notADatabase(path: path)) { try RapportDatabase.open(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func saysWhenTheFolderCannotBeCreated() throws {
        let folder = TemporaryDirectory()
        let blocker = folder.path("a-file")
        try Data().write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/store/rapport.sqlite"
        #expect {
            try RapportDatabase.open(path: path)
        } throws: { error in
            guard case .cannotCreateDirectory(let reported, _)? = error as? StoreError else { return false }
            return reported == path
        }
    }

    @Test func savesEachTurnAndListsOpenConversations() throws {
        let store = try RapportDatabase.inMemory()
        var state = ConversationState(flowID: "prep", language: "en", prefill: ["contact.name": .name("Anna Berg")])
        state.currentStep = "when"
        let id = try store.createConversation(state: state, channel: "terminal", userKey: "local", now: now)
        state.answers["when"] = .init(raw: "fri", value: .when(WhenValue(date: now, hasTime: false)), weak: false, slot: "meeting.when")
        state.path = ["when"]
        state.currentStep = "goal"
        let answer = RecordedAnswer(stepID: "when", slot: "meeting.when", raw: "fri", value: .when(WhenValue(date: now, hasTime: false)), weak: false)
        try store.saveTurn(conversationID: id, state: state, answers: [answer], now: now)

        let loaded = try #require(try store.conversation(id: id))
        #expect(loaded.state == state)
        #expect(loaded.summary.contactName == "Anna Berg")
        #expect(loaded.summary.currentStep == "goal")
        #expect(try store.answers(conversationID: id) == [answer])
        #expect(try store.openConversations(flow: "prep").map(\.id) == [id])
        #expect(try store.openConversations(flow: "other").isEmpty)
    }

    @Test func finishingWritesContactMeetingAndProfileTogether() throws {
        let store = try RapportDatabase.inMemory()
        let state = finishedState(name: "Łukasz Wójcik", goal: "a chat", pitch: "I make windows for builders")
        let id = try store.createConversation(state: ConversationState(flowID: "prep", language: "en", prefill: [:]), channel: "terminal", userKey: "local", now: now)
        let meetingID = try store.finishConversation(conversationID: id, state: state, answers: [], outcome: outcome(state), now: now)

        let meetings = try store.meetings()
        #expect(meetings.map(\.id) == [try #require(meetingID)])
        let meeting = try #require(meetings.first)
        #expect(meeting.contactName == "Łukasz Wójcik")
        #expect(meeting.goal == "a chat")
        #expect(meeting.goalWeak)
        #expect(meeting.pitch == "I make windows for builders")
        #expect(meeting.startsAt == now.addingTimeInterval(86400))
        #expect(meeting.hasTime)
        #expect(try store.profile() == ["pitch": "I make windows for builders"])
        #expect(try store.contacts().map(\.knowsWhatIDo) == ["no"])
        #expect(try store.openConversations().isEmpty)
    }

    @Test func contactsAreOnePersonWhateverTheCaseOrAccents() throws {
        let store = try RapportDatabase.inMemory()
        for name in ["Łukasz Wójcik", "lukasz wojcik"] {
            let state = finishedState(name: name, goal: "advice on tenders")
            let id = try store.createConversation(state: state, channel: "terminal", userKey: "local", now: now)
            try store.finishConversation(conversationID: id, state: state, answers: [], outcome: outcome(state), now: now)
        }
        let contacts = try store.contacts()
        #expect(contacts.map(\.name) == ["Łukasz Wójcik"])
        #expect(try store.meetings(contactID: contacts[0].id).count == 2)
        #expect(try store.contacts(matching: "LUKASZ").map(\.name) == ["Łukasz Wójcik"])
        #expect(try store.contacts(matching: "wójcik").map(\.name) == ["Łukasz Wójcik"])
        #expect(try store.contacts(matching: "anna").isEmpty)
    }

    @Test func aFailedFinishLeavesNothingHalfWritten() throws {
        let store = try RapportDatabase.inMemory()
        let state = finishedState(name: "Anna Berg", goal: "an intro to their CFO", pitch: "I build software")
        #expect(throws: StoreError.self) {
            try store.finishConversation(conversationID: 999, state: state, answers: [], outcome: outcome(state), now: now)
        }
        #expect(try store.contacts().isEmpty)
        #expect(try store.meetings().isEmpty)
        #expect(try store.profile().isEmpty)
    }

    @Test func reopeningAStoreKeepsItsData() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("rapport.sqlite")
        do {
            let store = try RapportDatabase.open(path: path)
            let state = finishedState(name: "Anna Berg", goal: "an intro")
            let id = try store.createConversation(state: state, channel: "terminal", userKey: "local", now: now)
            try store.finishConversation(conversationID: id, state: state, answers: [], outcome: outcome(state), now: now)
        }
        let reopened = try RapportDatabase.open(path: path)
        #expect(try reopened.meetings().map(\.contactName) == ["Anna Berg"])
        // The migration is recorded once, by name.
        let queue = try DatabaseQueue(path: path)
        let migrations = try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == ["v1: contacts, conversations, answers, meetings, profile", "v2: reflections, follow-ups, interactions, keep-in-touch", "v3: outbox", "v4: conversations by user", "v5: processed messages"])
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM conversations WHERE user_key = 'chat:U1' AND status IN ('active', 'paused')").map { $0["detail"] as String }
        }
        #expect(plan.joined().contains("conversations_by_user"), "a chat user's open conversations are found by index: \(plan)")
    }

    @Test func aStoreFromTheFirstVersionIsMigratedWithItsDataKept() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try RapportDatabase.migrator.migrate(queue, upTo: "v1: contacts, conversations, answers, meetings, profile")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO contacts (name, name_key, knows_what_i_do, created_at, updated_at) VALUES ('Anna Berg', 'anna berg', 'partly', '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')")
                try db.execute(sql: "INSERT INTO meetings (contact_id, goal, status, created_at) VALUES (1, 'An intro', 'planned', '2026-11-01 10:00:00.000')")
            }
        }
        let store = try RapportDatabase.open(path: path)
        #expect(try store.contacts().map(\.name) == ["Anna Berg"])
        #expect(try store.contacts().first?.keepInTouch == nil)
        #expect(try store.meetings().map(\.goal) == ["An intro"])
        #expect(try store.meetings().first?.reflected == false)
        #expect(try store.followUps().isEmpty)
    }
}
