import Foundation
import GRDB
import RapportApp
import RapportAppTestSupport
import RapportCore
import RapportTestSupport
import Synchronization
import Testing

/// `ChatService` over a real SQLite file: many users at once, their turns committed in groups.
struct ChatServiceTests {
    /// A chat user's first prep (their pitch is asked for: they have none saved yet).
    static func prepAnswers(_ index: Int) -> [String] {
        [
            "prep Person \(index)", "tomorrow 14:00", "An introduction to the CFO of firm \(index)", "no",
            "She chairs the CFO network in Karlstad", "partly", "I help builders cut heating costs, \(index)", "A speaker for her network",
            "Who decides on the pilot budget?",
        ]
    }

    /// A store with the local profile's pitch saved, and a chat service over it as
    /// `rapport-server` builds one.
    private func chat(store path: String, seedPitch: Bool = true, clock: Clock? = nil) async throws -> ChatService {
        let services = try await TestServices.open(store: path)
        if seedPitch {
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO profile (owner, key, value, updated_at) VALUES ('local', 'pitch', 'I help builders cut heating costs', '2026-11-01 10:00:00.000')")
            }
            try queue.close()
        }
        return ChatService(services: services, clock: { clock?.now ?? Fixtures.monday })
    }

    /// After a pause or a long silence: `hi` resumes and re-asks the goal question, and the next
    /// message is taken as its answer; only real answers are in the store.
    private func expectResumeThenAnswer(_ chat: ChatService, userKey: String, store path: String, hi: String) async throws {
        let back = try await Self.send(chat, hi, as: userKey)
        #expect(back.replies.first == "Welcome back. Let's carry on with “Prepare for a meeting”.", "\(back.replies)")
        #expect(back.replies.last?.hasPrefix("What do you actually want from this meeting with Anna?") == true, "\(back.replies)")
        let goal = try await Self.send(chat, "An introduction to their CFO", as: userKey)
        #expect(goal.replies.first?.hasPrefix("Could you get this through the contacts you already have?") == true, "\(goal.replies)")
        let queue = try DatabaseQueue(path: path)
        #expect(try await queue.read { db in try String.fetchAll(db, sql: "SELECT raw FROM answers ORDER BY id") } == ["tomorrow 14:00", "An introduction to their CFO"])
    }

    @Test func manyUsersAtOnceEachFinishTheirOwnPrepWithEveryAnswerOnce() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let chat = try await chat(store: path)
        let users = 24
        let lastReplies = try await withThrowingTaskGroup(of: (Int, ChatService.Reply).self) { group in
            for index in 1...users {
                group.addTask {
                    var last: ChatService.Reply? = nil
                    for text in Self.prepAnswers(index) { last = try await Self.send(chat, text, as: "chat:U\(index)") }
                    return (index, last!)
                }
            }
            var replies: [Int: ChatService.Reply] = [:]
            for try await (index, reply) in group { replies[index] = reply }
            return replies
        }
        for index in 1...users {
            let reply = try #require(lastReplies[index])
            #expect(reply.ended)
            #expect(reply.replies.last?.hasPrefix("Prep card: Person \(index), Tue 24 Nov 14:00") == true, "\(reply.replies)")
        }
        let queue = try DatabaseQueue(path: path)
        let goals = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT c.user_key, m.goal FROM meetings m JOIN conversations c ON c.id = m.conversation_id")
                .map { ($0["user_key"] as String, $0["goal"] as String) }
        }
        #expect(goals.count == users, "one meeting per user")
        for (userKey, goal) in goals { #expect(goal == "An introduction to the CFO of firm \(userKey.dropFirst("web::U".count))") }
        let answersPerConversation = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT count(*) AS n, count(DISTINCT step) AS steps FROM answers GROUP BY conversation_id").map { ($0["n"] as Int, $0["steps"] as Int) }
        }
        #expect(answersPerConversation.count == users)
        #expect(answersPerConversation.allSatisfy { $0.0 == $0.1 && $0.0 == Self.prepAnswers(0).count - 1 }, "each step answered once: \(answersPerConversation)")
    }

    @Test func aTurnThatFailsDoesNotTakeTheOthersWithIt() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let before = try await chat(store: path)
        for index in 1...8 { _ = try await Self.send(before, "prep Person \(index)", as: "chat:U\(index)") }
        // U1's saved state becomes unreadable (as after a downgrade, so in a server started
        // anew, which remembers no conversation): its turns fail, the others' do not.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "UPDATE conversations SET state = '{' WHERE user_key = 'web::U1'") }
        let chat = try await chat(store: path)
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 1...8 {
                group.addTask { (index, (try? await Self.send(chat, "tomorrow 14:00", as: "chat:U\(index)")) != nil) }
            }
            var outcomes: [Int: Bool] = [:]
            for await (index, succeeded) in group { outcomes[index] = succeeded }
            return outcomes
        }
        #expect(outcomes == [1: false, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true])
        let stored = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM answers WHERE step = 'when'") }
        #expect(stored == 7)
    }

    @Test func theFirstMessageAfterAPauseCarriesOnWithoutBeingTakenAsTheAnswer() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let chat = try await chat(store: path)
        _ = try await Self.send(chat, "prep Anna Berg", as: "local")
        _ = try await Self.send(chat, "tomorrow 14:00", as: "local")
        let paused = try await Self.send(chat, "pause", as: "local")
        #expect(paused.replies == ["Paused. Send any message to carry on."])
        try await expectResumeThenAnswer(chat, userKey: "local", store: path, hi: "hi again")
    }

    /// With `allow_anyone`, a colleague talks under a key of their own: they get their own pitch,
    /// reflections and "status", and never see or overwrite the store owner's.
    @Test func aChatUserOfTheirOwnNeitherSeesNorChangesTheOwnersRecords() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let clock = Clock(Fixtures.monday)
        let chat = try await chat(store: path, seedPitch: false, clock: clock)
        func say(_ text: String, as user: String) async throws -> ChatService.Reply { try await Self.send(chat, text, as: user) }

        // The owner (the local profile) preps with their pitch; a colleague preps with theirs.
        for text in ["prep Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no", "She chairs the CFO network", "partly",
                     "I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?"] {
            _ = try await say(text, as: "local")
        }
        var colleagueLast: ChatService.Reply? = nil
        for text in ["prep Bo Ek", "tomorrow 15:00", "Advice on pricing a course", "no", "He ran a language school", "no",
                     "I teach Swedish to engineers", "A contact at the university", "What should a pilot cost?"] {
            colleagueLast = try await say(text, as: "chat:U9")
        }
        #expect(colleagueLast?.ended == true)
        let store = try await TestServices.open(store: path).store.records
        #expect(try await store.profile(owner: .local) == ["pitch": "I help builders cut heating costs"], "the owner's pitch is untouched")
        #expect(try await store.profile(owner: UserKey(platform: .web, user: "U9")) == ["pitch": "I teach Swedish to engineers"])

        // A second prep offers each their own pitch back.
        let again = try await say("prep Cecilia Dahl", as: "chat:U9")
        #expect(again.ended == false)
        for text in ["tomorrow 16:00", "A pilot with her school", "no", "She runs a school", "partly"] { colleagueLast = try await say(text, as: "chat:U9") }
        let offered = colleagueLast?.replies.joined() ?? ""
        #expect(offered.contains("I teach Swedish to engineers") && !offered.contains("heating"), "\(offered)")
        _ = try await say("cancel", as: "chat:U9")
        _ = try await say("yes", as: "chat:U9")

        // Two days on, both meetings have happened: each is asked about their own.
        clock.now = Fixtures.monday.addingTimeInterval(2 * 86_400)
        let ownerStatus = try await say("status", as: "local").replies.joined()
        let colleagueStatus = try await say("status", as: "chat:U9").replies.joined()
        #expect(ownerStatus.contains("How did it go with Anna Berg?"), "\(ownerStatus)")
        #expect(colleagueStatus.contains("How did it go with Bo Ek?"), "\(colleagueStatus)")
        #expect(!colleagueStatus.contains("Anna Berg"), "\(colleagueStatus)")
        // "reflect Anna" from the colleague does not open the owner's meeting or quote its goal.
        let reflect = try await say("reflect Anna", as: "chat:U9").replies.joined()
        #expect(!reflect.contains("An introduction to their CFO"), "\(reflect)")
        #expect(reflect.contains("When did you meet"), "the colleague has no meeting with an Anna: a reflection of their own starts: \(reflect)")
        _ = try await say("cancel", as: "chat:U9")
        _ = try await say("yes", as: "chat:U9")
        let ownReflect = try await say("reflect Bo", as: "chat:U9").replies.joined()
        #expect(ownReflect.contains("Advice on pricing a course"), "\(ownReflect)")
    }

    /// One message from a test's user: `local` (mapped to the terminal's profile) or `chat:ID`
    /// (a user of the generic chat), with an optional `webhook:ID` message id.
    static func send(_ chat: ChatService, _ text: String, as userKey: String, messageID: String? = nil) async throws -> ChatService.Reply {
        let user = userKey == "local" ? UserKey.local : UserKey(platform: .web, user: String(userKey.dropFirst("chat:".count)))
        return try await chat.handle(text: text, user: user, platform: .web, messageID: messageID.map { MessageID(platform: .web, value: String($0.dropFirst("webhook:".count))) })
    }

    /// A clock a test can move.
    final class Clock: Sendable {
        private let moment: Mutex<Date>
        init(_ start: Date) { moment = Mutex(start) }
        var now: Date {
            get { moment.withLock { $0 } }
            set { moment.withLock { $0 = newValue } }
        }
    }

    @Test func afterAnHoursSilenceTheNextMessageResumesInsteadOfAnswering() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let clock = Clock(Fixtures.monday)
        let chat = try await chat(store: path, seedPitch: false, clock: clock)
        _ = try await Self.send(chat, "prep Anna Berg", as: "chat:U1")
        clock.now = Fixtures.monday.addingTimeInterval(50 * 60)  // fifty minutes to think: still an answer
        let goalAsked = try await Self.send(chat, "tomorrow 14:00", as: "chat:U1")
        #expect(goalAsked.replies.first == "→ Tue 24 Nov 14:00", "the moment read is said back: \(goalAsked.replies)")
        #expect(goalAsked.replies.dropFirst().first?.hasPrefix("What do you actually want from this meeting with Anna?") == true, "\(goalAsked.replies)")
        clock.now = Fixtures.monday.addingTimeInterval(3 * 3600)  // then silence until after lunch
        try await expectResumeThenAnswer(chat, userKey: "chat:U1", store: path, hi: "hi")
    }

    /// Six people sending a seeded random mix of commands, answers, conversation commands and
    /// junk, all at once: every message gets a reply, nothing throws, and every stored
    /// conversation can be read back.
    @Test func randomMixedTrafficAlwaysGetsRepliesAndLeavesReadableConversations() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let chat = try await chat(store: path)
        let vocabulary = [
            "prep Anna Berg", "prep", "reflect Anna", "reflect", "reflect Nobody", "help", "status", "followups", "back", "review", "why", "?",
            "skip", "pause", "cancel", "yes", "no", "partly", "1", "2", "3", "tomorrow 14:00", "yesterday", "fri 9:30", "in 3 weeks",
            "An introduction to their CFO", "coffee", "send the proposal by friday", "call in 2 weeks", "done", "", " ", "every 6 weeks",
            "🙂", "\u{202E}evil", "<@channel>", String(repeating: "x", count: 3_000), "prep Łukasz Wójcik", "99999999999999999999",
        ]
        var generator = SplitMix64(seed: 11)
        let scripts: [[String]] = (0..<6).map { _ in (0..<60).map { _ in vocabulary.randomElement(using: &generator)! } }
        let empties = try await withThrowingTaskGroup(of: Int.self) { group in
            for (user, script) in scripts.enumerated() {
                group.addTask {
                    var empty = 0
                    for text in script where try await Self.send(chat, text, as: user == 0 ? "local" : "chat:U\(user)").replies.isEmpty { empty += 1 }
                    return empty
                }
            }
            var total = 0
            for try await empty in group { total += empty }
            return total
        }
        #expect(empties == 0, "every message gets an answer")
        let store = try await TestServices.open(store: path).store.conversations
        let queue = try DatabaseQueue(path: path)
        let ids = try await queue.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM conversations") }
        #expect(!ids.isEmpty)
        for id in ids { #expect(try await store.conversation(id: id) != nil) }
    }

    @Test func aRetriedMessageGetsTheFirstReplyAndIsAppliedOnceEvenAfterARestart() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let first = try await chat(store: path)
        _ = try await Self.send(first, "prep Anna Berg", as: "chat:U1", messageID: "webhook:msg_1")
        let when = try await Self.send(first, "tomorrow 14:00", as: "chat:U1", messageID: "webhook:msg_2")
        // The platform did not see the reply and sends msg_2 again, to a restarted server.
        let restarted = try await chat(store: path, seedPitch: false)
        let retried = try await Self.send(restarted, "tomorrow 14:00", as: "chat:U1", messageID: "webhook:msg_2")
        #expect(retried == when)
        // The same id from another user is another message.
        let other = try await Self.send(restarted, "help", as: "chat:U2", messageID: "webhook:msg_2")
        #expect(other != when)
        let goal = try await Self.send(restarted, "coffee", as: "chat:U1", messageID: "webhook:msg_3")
        #expect(goal.replies.first?.contains("1,000 kr under the mat") == true, "had msg_2 been applied twice, this would be a later step: \(goal.replies)")
        let queue = try DatabaseQueue(path: path)
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM answers WHERE step = 'when'") } == 1)
    }
}
