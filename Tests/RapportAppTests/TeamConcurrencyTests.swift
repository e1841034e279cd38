import Foundation
import GRDB
import RapportApp
import RapportAppTestSupport
import RapportCore
import RapportTestSupport
import Testing

/// Two of anything at once on one store: two `rapport nudge` runs, two front ends on one
/// conversation, eight processes opening a new store. One writer wins; nothing is done twice.
@Suite(.serialized)
struct TeamConcurrencyTests {
    @Test func twoNudgeRunsAtOncePostEachDueMessageOnce() throws {
        for round in 0..<3 {
            let server = try LoopbackHTTPServer()
            // A receiver that takes a moment per post, so the two runs overlap.
            server.enqueue(contentsOf: Array(repeating: .slow(seconds: 0.01), count: 50))
            var rapport = RapportBinary()
            rapport.now = "2026-11-27T10:00:00+01:00"
            let config = rapport.folder.path("config.yaml")
            try "destinations:\n  team: { kind: generic, url: \"\(server.url)/hook\" }\nnudges:\n  routes: { followup: team }\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            let environment = ["RAPPORT_CONFIG": config]
            #expect(try rapport.run(["meetings"], extraEnvironment: environment).status == 0)
            let queue = try DatabaseQueue(path: rapport.storePath)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO contacts (owner, name, name_key, created_at, updated_at) VALUES ('local', 'Anna Berg', 'anna berg', '2026-11-01 10:00:00.000', '2026-11-01 10:00:00.000')")
                for index in 1...50 {
                    try db.execute(sql: "INSERT INTO followups (contact_id, kind, text, due_at, has_time, created_at) VALUES (1, 'action', ?, '2026-11-25 23:00:00.000', 0, '2026-11-20 10:00:00.000')", arguments: ["task \(index)"])
                }
                try db.execute(sql: "DELETE FROM meta WHERE key = 'plan_fingerprint'")  // written behind the store's back: plan it all once
            }
            try queue.close()
            #expect(try rapport.run(["outbox"], extraEnvironment: environment).stdout.split(separator: "\n").count == 50)

            let runs = try (0..<2).map { _ in try rapport.start(["nudge"], extraEnvironment: environment) }
            let outputs = runs.map { process in
                let out = String(decoding: (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                return (process.terminationStatus, out)
            }
            #expect(outputs.allSatisfy { $0.0 == 0 }, "\(outputs)")
            let keys = server.requests.compactMap { $0.headers["webhook-id"] }
            #expect(keys.count == 50, "round \(round): each due message posted exactly once, not \(keys.count) posts")
            #expect(Set(keys).count == 50)
            let sent = outputs.map { Int($0.1.split(separator: " ")[1].trimmingCharacters(in: CharacterSet(charactersIn: ".,\n"))) ?? -1 }
            #expect(sent.reduce(0, +) == 50, "\(outputs)")
            #expect(sent.allSatisfy { $0 > 0 }, "both runs delivered, so they did overlap: \(outputs)")
        }
    }

    @Test func eightProcessesOpeningANewStoreAllSucceed() throws {
        for _ in 0..<20 {
            let rapport = RapportBinary()
            let processes = try (0..<8).map { _ in try rapport.start(["meetings"]) }
            for process in processes {
                let stderr = String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                _ = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "\(stderr)")
                #expect(stderr.isEmpty, "\(stderr)")
            }
        }
    }

    @Test func aStoreANewerRapportWroteIsRefusedInOneSentence() throws {
        let rapport = RapportBinary()
        #expect(try rapport.run(["meetings"]).status == 0)
        let queue = try DatabaseQueue(path: rapport.storePath)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        try queue.close()
        let result = try rapport.run(["followups"])
        #expect(result.status == 1)
        #expect(result.stderr == "rapport: the store at \(rapport.storePath) was written by a newer rapport; upgrade rapport, or open it with the version that wrote it (nothing was changed)\n")
    }

    /// Two terminals on one prep, one after the other: the answer typed to a question the other
    /// terminal already answered is not stored against the next question.
    @Test func anAnswerToAQuestionAnsweredElsewhereIsNotStoredAgainstTheNextOne() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let now = Fixtures.monday
        let first = try await TestServices.open(store: path, concurrentReads: false)
        let second = try await TestServices.open(store: path, concurrentReads: false)
        let prefill = try await first.conversations.prefill(contactName: "Anna Berg", owner: .local)
        let started = try await first.conversations.start(flowID: "prep", prefill: prefill, now: now)
        let resumed = try await second.conversations.handle(.resume, conversationID: started.conversationID, seen: nil, now: now)
        #expect(resumed.state.currentStep == "when")

        let one = try await first.conversations.handle(.answer("tomorrow 14:00"), conversationID: started.conversationID, seen: started.seen, now: now)
        #expect(one.state.currentStep == "goal")
        // The second terminal still shows "When do you meet Anna Berg?": its answer is not the goal.
        let two = try await second.conversations.handle(.answer("friday 10:00"), conversationID: started.conversationID, seen: resumed.seen, now: now)
        #expect(two.movedOn)
        #expect(two.outputs.first == .say(.note("This conversation (“Prepare for a meeting”) went on elsewhere while you were typing; your answer was not used. The question now is:")))
        #expect(two.outputs.contains { if case .ask(let question) = $0 { return question.stepID == "goal" } else { return false } })
        let answers = try await first.store.conversations.answers(conversationID: started.conversationID)
        #expect(answers.map(\.raw) == ["tomorrow 14:00"])
        // Now it has seen the goal question: its next answer counts.
        let three = try await second.conversations.handle(.answer("An introduction to their CFO"), conversationID: started.conversationID, seen: two.seen, now: now)
        #expect(!three.movedOn)
        #expect(try await first.store.conversations.answers(conversationID: started.conversationID).map(\.stepID) == ["when", "goal"])
    }

    /// Two front ends answering every question of one prep at the same moment, twenty times:
    /// each step is answered once, and the prep finishes once, with one meeting.
    @Test func twoFrontEndsAnsweringAtOnceNeverAnswerTwiceOrFinishTwice() async throws {
        let answers = ["tomorrow 14:00", "An introduction to their CFO", "no", "She chairs the CFO network in Karlstad", "partly",
                       "I help mid-size builders cut heating costs with better windows", "A speaker for her network", "Who decides on the pilot budget?"]
        for attempt in 0..<20 {
            let folder = TemporaryDirectory()
            let path = folder.path("r.sqlite")
            let now = Fixtures.monday
            let terminal = try await TestServices.open(store: path, concurrentReads: false)
            let other = try await TestServices.open(store: path, concurrentReads: false)
            let prefill = try await terminal.conversations.prefill(contactName: "Anna Berg", owner: .local)
            let started = try await terminal.conversations.start(flowID: "prep", prefill: prefill, now: now)
            var seenA = started.seen
            var seenB = started.seen
            var finishedTurns = 0
            for answer in answers {
                let (shownA, shownB) = (seenA, seenB)
                async let a = terminal.conversations.handle(.answer(answer), conversationID: started.conversationID, seen: shownA, now: now)
                async let b = other.conversations.handle(.answer(answer), conversationID: started.conversationID, seen: shownB, now: now)
                let (turnA, turnB) = try await (a, b)
                seenA = turnA.seen
                seenB = turnB.seen
                finishedTurns += [turnA, turnB].filter { !$0.movedOn && $0.meetingID != nil }.count
                // Both now show the same question, whoever won.
                let current = try #require(try await terminal.store.conversations.conversation(id: started.conversationID))
                if current.state.isOpen { #expect(seenA == seenB || seenA.step == seenB.step) }
            }
            let log = try await terminal.store.conversations.answers(conversationID: started.conversationID)
            #expect(log.map(\.stepID) == ["when", "goal", "already", "why_them", "knows", "pitch", "give", "question"], "attempt \(attempt): \(log.map(\.stepID))")
            #expect(finishedTurns == 1, "attempt \(attempt)")
            #expect(try await terminal.meetings.meetings(limit: 10).count == 1, "attempt \(attempt): one meeting from one conversation")
        }
    }

    /// Begin in the terminal, go on in chat: the first chat message shows where the prep stands
    /// instead of answering a question chat never showed; the next one answers it.
    @Test func chatPicksUpAPrepTheTerminalWentOnWith() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let services = try await TestServices.open(store: path)
        let prefill = try await services.conversations.prefill(contactName: "Anna Berg", owner: .local)
        let started = try await services.conversations.start(flowID: "prep", prefill: prefill, now: Fixtures.monday)
        _ = try await services.conversations.handle(.answer("tomorrow 14:00"), conversationID: started.conversationID, seen: started.seen, now: Fixtures.monday)
        let chat = ChatService(services: services, clock: { Fixtures.monday })
        let first = try await chat.handle(text: "A pilot with her firm", user: .local, platform: .slack)
        #expect(first.replies.first?.hasPrefix("This conversation (“Prepare for a meeting”) went on elsewhere") == true, "\(first.replies)")
        #expect(first.replies.last?.hasPrefix("What do you actually want from this meeting with Anna?") == true, "\(first.replies)")
        let second = try await chat.handle(text: "An introduction to their CFO", user: .local, platform: .slack)
        #expect(second.replies.first?.hasPrefix("Could you get this through the contacts you already have?") == true, "\(second.replies)")
        #expect(try await services.store.conversations.answers(conversationID: started.conversationID).map(\.raw) == ["tomorrow 14:00", "An introduction to their CFO"])
    }

    /// Two replicas answering one person in turn, each remembering the conversation its last
    /// turn left: neither answers that one once the other moved it on, or began another.
    @Test func aReplicaThatRemembersAConversationAnswersWhatTheOtherMovedOnTo() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let other = try await TestServices.open(store: path, concurrentReads: false)
        let a = ChatService(services: try await TestServices.open(store: path, concurrentReads: false), clock: { Fixtures.monday })
        let b = ChatService(services: other, clock: { Fixtures.monday })
        let alice = UserKey(platform: .slack, workspace: "T1", user: "U0ALICE")
        _ = try await a.handle(text: "prep Anna Berg", user: alice, platform: .slack)
        _ = try await a.handle(text: "tomorrow 14:00", user: alice, platform: .slack)
        let goal = try await b.handle(text: "An introduction to their CFO", user: alice, platform: .slack)
        #expect(goal.replies.first?.hasPrefix("Could you get this through the contacts you already have?") == true, "\(goal.replies)")
        // A remembers the goal question; the answer is to the question asked now.
        let already = try await a.handle(text: "no", user: alice, platform: .slack)
        #expect(already.replies.first?.hasPrefix("Why Anna?") == true, "\(already.replies)")
        let anna = try #require(try await other.conversations.openConversations(owner: alice).first)
        #expect(try await other.store.conversations.answers(conversationID: anna.id).map(\.stepID) == ["when", "goal", "already"])

        // Another front end begins a second prep, leaving the first as it was: A, which last
        // left the first, answers the second.
        let bob = try await other.conversations.startPrep(contactName: "Bob Lind", owner: alice, channel: .chat(.slack), now: Fixtures.monday)
        guard case .turn(let started) = bob else {
            Issue.record("the second prep did not start")
            return
        }
        let when = try await a.handle(text: "friday 10:00", user: alice, platform: .slack)
        #expect(when.replies.contains { $0.hasPrefix("What do you actually want from this meeting with Bob?") }, "\(when.replies)")
        #expect(try await other.store.conversations.answers(conversationID: started.conversation.id).map(\.stepID) == ["when"])
        #expect(try await other.store.conversations.answers(conversationID: anna.id).map(\.stepID) == ["when", "goal", "already"], "nothing more on the first")
    }

    /// Inside a conversation, an answer that starts with a command's word is an answer.
    @Test func anAnswerStartingWithPrepIsAnAnswer() async throws {
        let folder = TemporaryDirectory()
        let services = try await TestServices.open(store: folder.path("r.sqlite"))
        let chat = ChatService(services: services, clock: { Fixtures.monday })
        let alice = UserKey(platform: .slack, workspace: "T1", user: "U0ALICE")
        _ = try await chat.handle(text: "prep Anna Berg", user: alice, platform: .slack)
        _ = try await chat.handle(text: "tomorrow 14:00", user: alice, platform: .slack)
        let goal = try await chat.handle(text: "Prep work for her board meeting", user: alice, platform: .slack)
        #expect(goal.replies.first?.hasPrefix("Could you get this through the contacts you already have?") == true, "\(goal.replies)")
        let open = try await services.conversations.openConversations(owner: alice)
        #expect(open.count == 1, "no second prep was started")
        let answers = try await services.store.conversations.answers(conversationID: try #require(open.first).id)
        #expect(answers.map(\.raw) == ["tomorrow 14:00", "Prep work for her board meeting"])

        // The same for the other conversation word: "reflect anna" here is an answer (not a yes or
        // no, so the question is asked again), and no reflection starts.
        let other = try await chat.handle(text: "reflect anna", user: alice, platform: .slack)
        #expect(other.replies.joined().hasPrefix("Please pick one: 1) Yes  2) No"), "\(other.replies)")
        let still = try await services.conversations.openConversations(owner: alice)
        #expect(still.map(\.flowID) == ["prep"], "no reflection was started: \(still)")
    }
}
