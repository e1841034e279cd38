import Foundation
import RapportCore
import RapportPostgres
import RapportStore
import RapportTestSupport
import Testing

/// The contract every store adapter keeps, run against each of them: the SQLite store (in
/// memory and on disk) and the in-memory one. A new adapter passes this suite.
struct ConversationStoreContractTests {
    private let now = Contract.now

    @Test(arguments: Adapter.allCases)
    func aTurnCommitsOnlyAgainstTheVersionItRead(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        guard case .committed(let started, _) = try await store.start(ConversationStart(owner: .local, channel: .terminal, state: Contract.openPrep(), answers: [], now: now)) else {
            Issue.record("did not start")
            return
        }
        #expect(started.version == 1)
        var next = started.state
        next.currentStep = "goal"
        let answer = RecordedAnswer(stepID: "when", slot: "meeting.when", raw: "fri", value: .when(Contract.day("2026-11-27T00:00:00+01:00")), weak: false)
        let first = TurnCommit(conversationID: started.id, owner: .local, readVersion: 1, channel: .terminal, state: next, answers: [answer], now: now)
        guard case .committed(let after, _) = try await store.commit(first) else {
            Issue.record("the first turn did not commit")
            return
        }
        #expect(after.version == 2)

        // A second front end that read version 1 answers too: refused, and nothing of it is written.
        var other = started.state
        other.currentStep = "knows"
        let stale = TurnCommit(
            conversationID: started.id, owner: .local, readVersion: 1, channel: .chat(.slack), state: other,
            answers: [RecordedAnswer(stepID: "when", slot: nil, raw: "mon", value: nil, weak: false)], now: now)
        #expect(try await store.commit(stale) == .stale)
        let stored = try #require(try await store.conversation(id: started.id))
        #expect(stored.state.currentStep == "goal")
        #expect(stored.version == 2)
        #expect(stored.lastChannel == .terminal)
        #expect(try await store.answers(conversationID: started.id) == [answer])
    }

    @Test(arguments: Adapter.allCases)
    func aTurnOnARememberedConversationCommitsOnlyWhileItIsTheNewestOpenOne(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        func start(at moment: Date) async throws -> StoredConversation {
            guard case .committed(let started, _) = try await store.start(ConversationStart(owner: .local, channel: .chat(.slack), state: Contract.openPrep(), answers: [], now: moment)) else {
                throw ContractFailure("did not start")
            }
            return started
        }
        func turn(_ conversation: StoredConversation, step: String, onlyIfNewest: Bool = true, at moment: Date) -> TurnCommit {
            var state = conversation.state
            state.currentStep = step
            return TurnCommit(
                conversationID: conversation.id, owner: .local, readVersion: conversation.version, channel: .chat(.slack), state: state,
                answers: [RecordedAnswer(stepID: "when", slot: nil, raw: step, value: nil, weak: false)], onlyIfNewest: onlyIfNewest, now: moment)
        }
        let older = try await start(at: now)
        guard case .committed(let olderNow, _) = try await store.commit(turn(older, step: "goal", at: now.addingTimeInterval(1))) else {
            Issue.record("the newest open conversation was refused")
            return
        }
        // Another replica starts a second prep: the first is no longer the one answered.
        let newer = try await start(at: now.addingTimeInterval(2))
        #expect(try await store.commit(turn(olderNow, step: "knows", at: now.addingTimeInterval(3))) == .stale)
        #expect(try await store.conversation(id: older.id)?.version == olderNow.version, "nothing of the refused turn is written")
        #expect(try await store.answers(conversationID: older.id).map(\.raw) == ["goal"])
        guard case .committed = try await store.commit(turn(newer, step: "goal", at: now.addingTimeInterval(4))) else {
            Issue.record("the newest open conversation was refused")
            return
        }
        // Read by id (the terminal's `rapport resume`), the older one still takes a turn.
        guard case .committed = try await store.commit(turn(olderNow, step: "knows", onlyIfNewest: false, at: now.addingTimeInterval(5))) else {
            Issue.record("a turn read just now was refused")
            return
        }
        // A conversation that is no longer there is refused as stale, not as an error.
        var gone = olderNow
        gone.id = 9_999_999
        #expect(try await store.commit(turn(gone, step: "goal", at: now.addingTimeInterval(6))) == .stale)
    }

    @Test(arguments: Adapter.allCases)
    func manyPeoplesAnswersAtOnceEachCommitAgainstTheirOwnVersion(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let people = (0..<40).map { UserKey(platform: .slack, workspace: "T1", user: "U\($0)") }
        var started: [StoredConversation] = []
        for person in people {
            guard case .committed(let conversation, _) = try await store.start(ConversationStart(owner: person, channel: .chat(.slack), state: Contract.openPrep(), answers: [], now: now)) else {
                throw ContractFailure("did not start")
            }
            started.append(conversation)
        }
        // A third of the turns were computed from a version that has since moved on; the same
        // person's two answers to one version race each other; each turn brings two answers.
        let stalePeople = Set(people.indices.filter { $0 % 3 == 0 })
        for index in stalePeople {
            var moved = started[index].state
            moved.currentStep = "goal"
            let elsewhere = TurnCommit(conversationID: started[index].id, owner: people[index], readVersion: 1, channel: .terminal, state: moved, answers: [], now: now)
            guard case .committed = try await store.commit(elsewhere) else { throw ContractFailure("the other front end's turn did not commit") }
        }
        func turn(_ index: Int, raw: String, at moment: Date) -> TurnCommit {
            var state = started[index].state
            state.currentStep = "knows"
            return TurnCommit(
                conversationID: started[index].id, owner: people[index], readVersion: 1, channel: .chat(.slack), state: state,
                answers: [RecordedAnswer(stepID: "when", slot: "meeting.when", raw: raw + " first", value: .text("\"\(raw)\"\n"), weak: false),
                          RecordedAnswer(stepID: "goal", slot: nil, raw: raw + " second", value: nil, weak: true)],
                onlyIfNewest: index % 4 == 1, now: moment)
        }
        let moments = people.indices.map { now.addingTimeInterval(Double($0) + 0.123456) }
        let turns = people.indices.map { turn($0, raw: "answer \($0)", at: moments[$0]) }
        let racing = turn(1, raw: "racing", at: moments[1])
        let results = try await withThrowingTaskGroup(of: (Int, CommitResult).self) { group in
            for index in people.indices {
                group.addTask { (index, try await store.commit(turns[index])) }
            }
            group.addTask { (-1, try await store.commit(racing)) }
            return try await group.reduce(into: [Int: [CommitResult]]()) { $0[$1.0, default: []].append($1.1) }
        }
        for index in people.indices where index != 1 {
            let stored = try #require(try await store.conversation(id: started[index].id))
            let answers = try await store.answers(conversationID: started[index].id)
            if stalePeople.contains(index) {
                #expect(results[index] == [.stale], "#\(index) read a version that moved on")
                #expect(stored.version == 2 && stored.state.currentStep == "goal" && answers.isEmpty)
            } else {
                let expected = turns[index]
                guard case .committed(let committed, nil)? = results[index]?.first else {
                    Issue.record("#\(index) did not commit: \(String(describing: results[index]))")
                    continue
                }
                #expect(committed.version == 2 && committed.state == expected.state)
                #expect(stored.version == 2 && stored.state == expected.state && stored.lastChannel == .chat(.slack))
                #expect(abs(stored.updatedAt.timeIntervalSince(moments[index])) < 0.001, "#\(index) stored its own time")
                #expect(answers == expected.answers, "#\(index)'s answers in order, with their values")
            }
        }
        // Of the same person's two answers to version 1, exactly one is written.
        let raced = (results[1] ?? []) + (results[-1] ?? [])
        #expect(raced.filter { if case .committed = $0 { true } else { false } }.count == 1 && raced.filter { $0 == .stale }.count == 1)
        #expect(try await store.answers(conversationID: started[1].id).count == 2)
    }

    @Test(arguments: Adapter.allCases)
    func aConversationFinishesOnce(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        guard case .committed(let started, _) = try await store.start(ConversationStart(owner: .local, channel: .terminal, state: Contract.openPrep(), answers: [], now: now)) else {
            Issue.record("did not start")
            return
        }
        let state = Contract.finishedPrep()
        let outcome = ConversationOutcome(state: state, card: nil, formatter: Contract.formatter)
        let turns = (0..<2).map { _ in
            TurnCommit(conversationID: started.id, owner: .local, readVersion: started.version, channel: .terminal, state: state, answers: [], outcome: outcome, now: now)
        }
        async let one = store.commit(turns[0])
        async let two = store.commit(turns[1])
        let results = try await [one, two]
        #expect(results.filter { if case .committed = $0 { return true } else { return false } }.count == 1)
        #expect(results.filter { $0 == .stale }.count == 1)
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 10).count == 1)
    }

    /// A finish that lost to another turn writes none of what it finished: no contact, no
    /// meeting, no answers; the one that commits writes the person and the meeting as answered.
    @Test(arguments: Adapter.allCases)
    func aFinishAtAVersionThatMovedOnWritesNoneOfItsRecords(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        guard case .committed(let started, _) = try await store.start(
            ConversationStart(owner: .local, channel: .terminal, state: Contract.openPrep("Ola Nordmann"), answers: [], now: now)) else {
            Issue.record("did not start")
            return
        }
        var asked = started.state
        asked.currentStep = "goal"
        let answer = RecordedAnswer(stepID: "when", slot: "meeting.when", raw: "tomorrow 14:00", value: nil, weak: false)
        guard case .committed(let moved, _) = try await store.commit(TurnCommit(
            conversationID: started.id, owner: .local, readVersion: started.version, channel: .terminal, state: asked, answers: [answer], now: now)) else {
            Issue.record("the answer did not commit")
            return
        }
        let state = Contract.finishedPrep("Ola Nordmann", goal: "A pilot with their team")
        let outcome = ConversationOutcome(state: state, card: nil, formatter: Contract.formatter)
        let finishing = { (version: Int) in
            TurnCommit(
                conversationID: started.id, owner: .local, readVersion: version, channel: .terminal, state: state,
                answers: [RecordedAnswer(stepID: "knows", slot: "contact.knows_what_i_do", raw: "no", value: .choice("no"), weak: false)], outcome: outcome,
                now: now.addingTimeInterval(60))
        }
        #expect(try await store.commit(finishing(started.version)) == .stale)
        #expect(try await store.contacts(matching: "Ola Nordmann", owner: .local, limit: 5).isEmpty)
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 10).isEmpty)
        #expect(try await store.answers(conversationID: started.id).map(\.stepID) == ["when"])
        #expect(try await store.conversation(id: started.id)?.version == moved.version)

        guard case .committed(let finished, let meetingID?) = try await store.commit(finishing(moved.version)) else {
            Issue.record("the finish did not commit with a meeting")
            return
        }
        #expect(finished.version == moved.version + 1 && finished.createdAt == started.createdAt)
        let contacts = try await store.contacts(matching: "Ola Nordmann", owner: .local, limit: 5)
        #expect(contacts.map(\.name) == ["Ola Nordmann"] && contacts.first?.knowsWhatIDo == "no")
        let meeting = try await store.meeting(id: meetingID, owner: .local)
        #expect(meeting?.contactID == contacts.first?.id && meeting?.contactName == "Ola Nordmann" && meeting?.goal == "A pilot with their team")
        #expect(meeting?.startsAt == Fixtures.moment("2026-11-25T14:00:00+01:00") && meeting?.hasTime == true && meeting?.reflected == false)
        #expect(try await store.answers(conversationID: started.id).map(\.stepID) == ["when", "knows"])
        // A second finish of it, racing the first from the same version, is stale and adds nothing.
        #expect(try await store.commit(finishing(moved.version)) == .stale)
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 10).count == 1)
    }

    @Test(arguments: Adapter.allCases)
    func aMessageIsClaimedOnceWithItsReply(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let alice = UserKey(platform: .slack, workspace: "T1", user: "U0ALICE")
        let message = ProcessedMessage(id: MessageID(platform: .slack, value: "trigger-1"), reply: #"{"replies":["When?"]}"#)
        guard case .committed(let started, _) = try await store.start(ConversationStart(owner: alice, channel: .chat(.slack), state: Contract.openPrep(), answers: [], message: message, now: now)) else {
            Issue.record("did not start")
            return
        }
        // The platform retries: the first reply, and no second conversation.
        let retried = ConversationStart(owner: alice, channel: .chat(.slack), state: Contract.openPrep(), answers: [], message: message, now: now)
        #expect(try await store.start(retried) == .alreadyProcessed(reply: #"{"replies":["When?"]}"#))
        #expect(try await store.openConversations(owner: alice, flowID: nil, limit: 10).map(\.id) == [started.id])
        #expect(try await store.processedReply(message.id, sender: alice) == message.reply)

        // A retry of a turn's message is refused even at the current version.
        var next = started.state
        next.currentStep = "goal"
        let answer = ProcessedMessage(id: MessageID(platform: .slack, value: "trigger-2"), reply: "goal?")
        let turn = TurnCommit(conversationID: started.id, owner: alice, readVersion: 1, channel: .chat(.slack), state: next, answers: [], message: answer, now: now)
        guard case .committed(let after, _) = try await store.commit(turn) else {
            Issue.record("the turn did not commit")
            return
        }
        var again = turn
        again.readVersion = after.version
        #expect(try await store.commit(again) == .alreadyProcessed(reply: "goal?"))
        #expect(try await store.conversation(id: started.id)?.version == after.version)

        // Ids are the sender's: the same id from someone else is a message of its own.
        let bob = UserKey(platform: .slack, workspace: "T1", user: "U0BOB")
        #expect(try await store.processedReply(message.id, sender: bob) == nil)
    }

    /// A reply posted later (a bot's answer in a DM) is in the outbox by the commit that claims its
    /// message, on every path: a start, a turn, a command's reply alone. A retry queues nothing.
    @Test(arguments: Adapter.allCases)
    func aClaimedMessagesReplyIsQueuedWithItOnce(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let alice = UserKey(platform: .slack, workspace: "T1", user: "U0ALICE")
        func reply(_ id: String, _ text: String) -> ProcessedMessage {
            let draft = OutboxDraft(key: "reply/" + id, destination: "slack-bot", kind: "reply", payload: #"{"lines":["\#(text)"]}"#, dueAt: now, subject: .reply)
            return ProcessedMessage(id: MessageID(platform: .slack, value: id), reply: text, deliveries: [draft])
        }
        let first = reply("Ev1", "When?")
        guard case .committed(let started, _) = try await store.start(ConversationStart(owner: alice, channel: .chat(.slack), state: Contract.openPrep(), answers: [], message: first, now: now)) else {
            Issue.record("did not start")
            return
        }
        #expect(try await store.start(ConversationStart(owner: alice, channel: .chat(.slack), state: Contract.openPrep(), answers: [], message: first, now: now)) == .alreadyProcessed(reply: "When?"))
        var next = started.state
        next.currentStep = "goal"
        let turn = TurnCommit(conversationID: started.id, owner: alice, readVersion: 1, channel: .chat(.slack), state: next, answers: [], message: reply("Ev2", "Goal?"), now: now)
        guard case .committed = try await store.commit(turn) else {
            Issue.record("the turn did not commit")
            return
        }
        // A stale turn writes nothing, its reply neither.
        var stale = turn
        stale.message = reply("Ev3", "Never")
        #expect(try await store.commit(stale) == .stale)
        // A command's reply, claimed alone; the retry gets the first reply and queues nothing.
        #expect(try await store.claim(reply("Ev4", "Help!"), sender: alice, now: now) == nil)
        #expect(try await store.claim(reply("Ev4", "Help again"), sender: alice, now: now) == "Help!")
        let queued = try await store.entries(statuses: [.pending], limit: 10)
        #expect(queued.map(\.key).sorted() == ["reply/Ev1", "reply/Ev2", "reply/Ev4"])
        #expect(queued.allSatisfy { $0.destination == "slack-bot" && $0.kind == "reply" })
        // Re-planning everything (new settings) leaves replies alone: no record plans them.
        _ = try await store.refreshPlan(now: now)
        #expect(try await store.entries(statuses: [.pending], limit: 10).count == 3)
    }

    @Test(arguments: Adapter.allCases)
    func openConversationsAreTheirOwners(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let slackAlice = UserKey(platform: .slack, user: "U0ALICE")
        let mattermostAlice = UserKey(platform: .mattermost, user: "U0ALICE")
        _ = try await store.start(ConversationStart(owner: slackAlice, channel: .chat(.slack), state: Contract.openPrep(), answers: [], now: now))
        _ = try await store.start(ConversationStart(owner: .local, channel: .terminal, state: Contract.openPrep("Jan Kowalski"), answers: [], now: now))
        #expect(try await store.openConversations(owner: slackAlice, flowID: nil, limit: 10).map(\.contactName) == ["Anna Berg"])
        #expect(try await store.openConversations(owner: mattermostAlice, flowID: nil, limit: 10).isEmpty, "one platform's user ids never reach another's")
        #expect(try await store.openConversations(owner: .local, flowID: "prep", limit: 10).map(\.contactName) == ["Jan Kowalski"])
        #expect(try await store.openConversations(owner: .local, flowID: "reflect", limit: 10).isEmpty)
    }

    @Test(arguments: Adapter.allCases)
    func aTurnOnSomeoneElsesConversationIsRefused(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        guard case .committed(let started, _) = try await store.start(ConversationStart(owner: .local, channel: .terminal, state: Contract.openPrep(), answers: [], now: now)) else {
            Issue.record("did not start")
            return
        }
        let stranger = UserKey(platform: .web, user: "mallory")
        let turn = TurnCommit(conversationID: started.id, owner: stranger, readVersion: 1, channel: .chat(.web), state: Contract.finishedPrep(), answers: [], now: now)
        await #expect(throws: (any Error).self) { try await store.commit(turn) }
        #expect(try await store.conversation(id: started.id)?.version == 1)
    }
}

struct RecordStoreContractTests {
    private let now = Contract.now

    @Test(arguments: Adapter.allCases)
    func finishingWritesContactMeetingAndProfileTogether(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep("Łukasz Wójcik", goal: "a chat", pitch: "I make windows for builders"), in: store))
        let meeting = try #require(try await store.meeting(id: meetingID, owner: .local))
        #expect(meeting.contactName == "Łukasz Wójcik")
        #expect(meeting.goal == "a chat")
        #expect(meeting.goalWeak)
        #expect(meeting.pitch == "I make windows for builders")
        #expect(meeting.startsAt == Fixtures.moment("2026-11-25T14:00:00+01:00"))
        #expect(meeting.hasTime)
        #expect(try await store.profile(owner: .local) == ["pitch": "I make windows for builders"])
        #expect(try await store.contacts(matching: "łukasz", owner: .local, limit: 5).map(\.knowsWhatIDo) == ["no"])
        #expect(try await store.openConversations(owner: .local, flowID: nil, limit: 5).isEmpty)
    }

    /// What a new conversation is prefilled with, read in one go, is what the two reads give.
    @Test(arguments: Adapter.allCases)
    func aProfileAndTheContactsANameFindsAreReadTogetherAsEachAlone(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let colleague = UserKey(platform: .slack, user: "U0EVA")
        let nothing = ProfileAndContacts(profile: [:], contacts: [])
        #expect(try await store.profile(owner: .local, contactsMatching: "Anna", limit: 2) == nothing)
        #expect(try await store.profile(owner: .local, contactsMatching: nil, limit: 2) == nothing)

        try await Contract.finish(Contract.finishedPrep("Anna Berg", pitch: "I make windows for builders"), in: store)
        try await Contract.finish(Contract.finishedPrep("Anna Lind"), in: store)
        try await Contract.finish(Contract.finishedPrep("Łukasz Wójcik"), in: store)
        try await Contract.finish(Contract.finishedPrep("Anna Nowak", pitch: "I sell glass"), in: store, owner: colleague)
        let mine = ["pitch": "I make windows for builders"]
        for (query, names) in [("Anna Berg", ["Anna Berg"]), ("anna", ["Anna Berg", "Anna Lind"]), ("ANNA L", ["Anna Lind"]), ("lukasz", ["Łukasz Wójcik"]), ("Zed", [])] {
            let together = try await store.profile(owner: .local, contactsMatching: query, limit: 2)
            #expect(together.profile == mine, "\(query)")
            #expect(together.contacts.map(\.name) == names, "\(query)")
            #expect(together.contacts == (try await store.contacts(matching: query, owner: .local, limit: 2)), "\(query)")
        }
        #expect(try await store.profile(owner: .local, contactsMatching: nil, limit: 2) == ProfileAndContacts(profile: mine, contacts: []))
        let theirs = try await store.profile(owner: colleague, contactsMatching: "anna", limit: 2)
        #expect(theirs.profile == ["pitch": "I sell glass"] && theirs.contacts.map(\.name) == ["Anna Nowak"])
    }

    @Test(arguments: Adapter.allCases)
    func contactsAreOnePersonWhateverTheCaseOrAccentsAndOnePerOwner(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        try await Contract.finish(Contract.finishedPrep("Łukasz Wójcik"), in: store)
        try await Contract.finish(Contract.finishedPrep("lukasz wojcik"), in: store)
        try await Contract.finish(Contract.finishedPrep("Anna Berg"), in: store)
        let colleague = UserKey(platform: .slack, user: "U0EVA")
        try await Contract.finish(Contract.finishedPrep("Łukasz Wójcik"), in: store, owner: colleague)

        let lukasz = try await store.contacts(matching: "LUKASZ", owner: .local, limit: 5)
        #expect(lukasz.map(\.name) == ["Łukasz Wójcik"])
        #expect(try await store.meetings(contactID: lukasz[0].id, owner: .local).count == 2)
        #expect(try await store.contacts(matching: "wójcik", owner: .local, limit: 5).map(\.name) == ["Łukasz Wójcik"])
        #expect(try await store.contacts(matching: "a b", owner: .local, limit: 5).map(\.name) == ["Anna Berg"])
        #expect(try await store.contacts(matching: "jan", owner: .local, limit: 5).isEmpty)
        // The colleague's Łukasz is theirs: the same name, another contact, another meeting.
        let theirs = try await store.contacts(matching: "lukasz", owner: colleague, limit: 5)
        #expect(theirs.map(\.name) == ["Łukasz Wójcik"])
        #expect(theirs[0].id != lukasz[0].id)
        #expect(try await store.meetings(contactID: theirs[0].id, owner: colleague).count == 1)
        #expect(try await store.meetings(contactID: theirs[0].id, owner: .local).isEmpty)
        #expect(try await store.contacts(matching: "anna", owner: colleague, limit: 5).isEmpty)
    }

    @Test(arguments: Adapter.allCases)
    func whatALaterPrepLearnsOfAContactIsKeptAndWhatItDidNotAskStays(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        try await Contract.finish(Contract.finishedPrep("Anna Berg"), in: store)
        let first = try #require(try await store.contacts(matching: "anna berg", owner: .local, limit: 2).first)
        #expect(first.knowsWhatIDo == "no")

        var again = Contract.finishedPrep("anna berg")
        again.answers["knows"]?.value = .choice("yes")
        try await Contract.finish(again, in: store)
        let second = try #require(try await store.contacts(matching: "anna berg", owner: .local, limit: 2).first)
        #expect(second.id == first.id)
        #expect(second.name == "Anna Berg", "the name stays as first written")
        #expect(second.knowsWhatIDo == "yes")

        var unasked = Contract.finishedPrep("Anna Berg")
        unasked.answers["knows"] = nil
        unasked.path.removeAll { $0 == "knows" }
        try await Contract.finish(unasked, in: store)
        let third = try #require(try await store.contacts(matching: "anna berg", owner: .local, limit: 2).first)
        #expect(third.knowsWhatIDo == "yes")
        #expect(third.knowsWhatIDoAt == second.knowsWhatIDoAt)
        #expect(try await store.meetings(contactID: first.id, owner: .local).count == 3)
    }

    @Test(arguments: Adapter.allCases)
    func aFinishOnAMeetingThatIsNotTheOwnersWritesNothing(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(), in: store))
        let stranger = UserKey(platform: .web, user: "mallory")
        await #expect(throws: (any Error).self) {
            try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store, owner: stranger)
        }
        #expect(try await store.reflection(meetingID: meetingID, owner: .local) == nil)
        #expect(try await store.contacts(matching: "anna", owner: stranger, limit: 5).isEmpty)
        #expect(try await store.openFollowUps(owner: stranger, dueBefore: nil, limit: 10).isEmpty)
    }

    @Test(arguments: Adapter.allCases)
    func aReflectionStoresItselfItsFollowUpsAndTheCadence(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(starts: "2026-11-24T10:00:00+01:00"), in: store))
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store)

        let saved = try #require(try await store.reflection(meetingID: meetingID, owner: .local))
        #expect(saved.goalReached == "partly")
        #expect(saved.outcome == "A name")
        #expect(try await store.meeting(id: meetingID, owner: .local)?.reflected == true)
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 10).count == 1, "no second meeting for a prepared one")
        let followUps = try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 10)
        #expect(followUps.map(\.text) == ["send the deck", "recommended Jan"])
        #expect(followUps.map(\.kind) == [.action, .referralFeedback])
        #expect(followUps.allSatisfy { $0.meetingID == meetingID && $0.contactName == "Anna Berg" })
        let anna = try #require(try await store.contacts(matching: "anna", owner: .local, limit: 1).first)
        #expect(anna.keepInTouch == DurationValue(amount: 6, unit: .week))
        #expect(anna.keepInTouchSince == now)
        #expect(anna.knowsWhatIDo == "yes")
        #expect(try await store.interactions(contactID: anna.id, owner: .local).map(\.kind) == [.reflection])
        let warm = try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 10)
        #expect(warm.map(\.contact.name) == ["Anna Berg"])
        #expect(warm.first?.due == Fixtures.moment("2027-01-05T00:00:00+01:00"), "six weeks from the reflection")
    }

    /// A prep that sets a cadence plans the contact's keep-in-touch from the cadence it has just
    /// written, for a new contact and for a known one, and forgets it when the next prep clears it.
    @Test(arguments: Adapter.allCases)
    func aPrepThatSetsACadencePlansTheKeepInTouchFromIt(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        func prep(_ name: String, cadence: SlotValue, slot: String = "contact.keep_in_touch") -> ConversationState {
            var state = Contract.finishedPrep(name, starts: "2026-11-20T10:00:00+01:00")
            state.answers["cadence"] = .init(raw: "", value: cadence, weak: false, slot: slot)
            state.path.append("cadence")
            return state
        }
        _ = try await Contract.finish(Contract.finishedPrep("Bo Ek"), in: store)
        _ = try await Contract.finish(prep("Anna Berg", cadence: .duration(DurationValue(amount: 6, unit: .week))), in: store)
        _ = try await Contract.finish(prep("Bo Ek", cadence: .duration(DurationValue(amount: 2, unit: .week))), in: store)
        let warm = try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 10)
        #expect(Set(warm.map(\.contact.name)) == ["Anna Berg", "Bo Ek"], "a new and a known contact")
        let byName = Dictionary(uniqueKeysWithValues: warm.map { ($0.contact.name, $0) })
        #expect(byName["Anna Berg"]?.cadence == DurationValue(amount: 6, unit: .week), "the cadence the prep set")
        #expect(byName["Bo Ek"]?.cadence == DurationValue(amount: 2, unit: .week), "the later prep's cadence, not none")
        if let anna = byName["Anna Berg"]?.due, let bo = byName["Bo Ek"]?.due {
            #expect(now < bo && bo < anna, "each is due after now, the shorter cadence first: \(bo), \(anna)")
        }
        let planned = try await store.entries(statuses: [.pending], limit: 50).filter { $0.kind == NudgeKind.keepInTouch.rawValue }
        #expect(planned.count == 2, "each contact's keep-in-touch nudge is planned: \(planned.map(\.key))")
        _ = try await Contract.finish(prep("Bo Ek", cadence: .bool(false), slot: "contact.keep_warm"), in: store)
        #expect(try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 10).map(\.contact.name) == ["Anna Berg"])
    }

    @Test(arguments: Adapter.allCases)
    func editingAReflectionKeepsTheFollowUpsAsTheyStand(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(), in: store))
        var slots = Contract.reflection
        slots["followups"] = .many([
            .followUp(FollowUpValue(action: "send the deck", due: Contract.day("2026-11-27T00:00:00+01:00"))),
            .followUp(FollowUpValue(action: "call Eva", due: Contract.day("2026-11-30T00:00:00+01:00"))),
            .followUp(FollowUpValue(action: "book a lunch", due: Contract.day("2026-12-02T00:00:00+01:00"))),
        ])
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: slots), in: store)
        let first = try #require(try await store.reflection(meetingID: meetingID, owner: .local))
        let before = try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 10)
        let deck = try #require(before.first { $0.text == "send the deck" })
        let eva = try #require(before.first { $0.text == "call Eva" })
        let lunch = try #require(before.first { $0.text == "book a lunch" })
        _ = try await store.markDone(followUpID: deck.id, owner: .local, now: now)
        let monday = Contract.day("2026-12-07T00:00:00+01:00")
        _ = try await store.snooze(followUpID: eva.id, owner: .local, until: monday, now: now)

        // The edit offers back what stands now (Eva on Monday) and the person keeps it, types a
        // new date for the lunch, and leaves out nothing; the done deck is not offered.
        var edited = slots
        edited["reflection.goal_reached"] = .choice("yes")
        edited["followups"] = .many([
            .followUp(FollowUpValue(action: "call Eva", due: monday)),
            .followUp(FollowUpValue(action: "book a lunch", due: Contract.day("2026-12-09T00:00:00+01:00"))),
        ])
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: edited, reflectionID: first.id), in: store)

        let second = try #require(try await store.reflection(meetingID: meetingID, owner: .local))
        #expect(second.id == first.id)
        #expect(second.goalReached == "yes")
        let after = try await store.followUps(contactID: deck.contactID, meetingID: meetingID, owner: .local, includeDone: true)
        #expect(after.first { $0.id == deck.id }?.doneAt == now, "what was done stays done")
        #expect(after.first { $0.id == eva.id }?.due == monday.date, "a snoozed one keeps its new date and its number")
        #expect(after.first { $0.id == lunch.id }?.due == Contract.day("2026-12-09T00:00:00+01:00").date, "a date typed in the edit moves it")
        #expect(after.filter { $0.kind == .action }.count == 3, "nothing renumbered or added twice")

        // An edit that leaves an open item out removes it.
        edited["followups"] = .many([.followUp(FollowUpValue(action: "call Eva", due: monday))])
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: edited, reflectionID: first.id), in: store)
        let open = try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 10)
        #expect(open.map(\.text) == ["call Eva", "recommended Jan"])
        #expect(open.first?.id == eva.id)
    }

    @Test(arguments: Adapter.allCases)
    func sayingNoToKeepingWarmClearsTheCadence(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(), in: store))
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store)
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: ["reflection.goal_reached": .choice("no"), "contact.keep_warm": .bool(false)]), in: store)
        #expect(try await store.contacts(matching: "anna", owner: .local, limit: 1).first?.keepInTouch == nil)
        #expect(try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 10).isEmpty)
    }

    @Test(arguments: Adapter.allCases)
    func doneAndSnoozeChangeOneFollowUpOfTheirOwner(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(), in: store))
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store)
        let deck = try #require(try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 10).first)
        let stranger = UserKey(platform: .web, user: "mallory")
        #expect(try await store.markDone(followUpID: deck.id, owner: stranger, now: now) == nil)

        let later = Contract.day("2026-12-04T00:00:00+01:00")
        #expect(try await store.snooze(followUpID: deck.id, owner: .local, until: later, now: now)?.due == later.date)
        let before = try #require(try await store.markDone(followUpID: deck.id, owner: .local, now: now))
        #expect(before.doneAt == nil)
        #expect(try await store.markDone(followUpID: deck.id, owner: .local, now: now)?.doneAt == now, "done twice is done once")
        #expect(try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 10).map(\.text) == ["recommended Jan"])
        #expect(try await store.doneFollowUps(owner: .local, limit: 10).map(\.text) == ["send the deck"])
        #expect(try await store.interactions(contactID: deck.contactID, owner: .local).map(\.kind) == [.reflection, .followUpDone])
        #expect(try await store.markDone(followUpID: 999, owner: .local, now: now) == nil)
        #expect(try await store.snooze(followUpID: 999, owner: .local, until: later, now: now) == nil)
    }

    @Test(arguments: Adapter.allCases)
    func loggingFindsOrAddsTheContactAndRestartsTheClock(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(), in: store))
        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store)
        let later = now.addingTimeInterval(14 * 86400)
        let anna = try await store.logInteraction(contactName: "anna berg", note: "called about the pilot", owner: .local, now: later)
        let jan = try await store.logInteraction(contactName: "Jan Kowalski", note: "coffee at the fair", owner: .local, now: later)
        #expect(anna.name == "Anna Berg")
        #expect(try await store.contacts(matching: "jan", owner: .local, limit: 5).map(\.name) == ["Jan Kowalski"])
        #expect(try await store.interactions(contactID: anna.id, owner: .local).map(\.note) == [nil, "called about the pilot"])
        #expect(try await store.interactions(contactID: jan.id, owner: .local).map(\.kind) == [.note])
        #expect(try await store.keepInTouch(owner: .local, now: later, dueBefore: nil, limit: 10).first?.due == Fixtures.moment("2027-01-19T00:00:00+01:00"), "six weeks from the call")
    }

    @Test(arguments: Adapter.allCases)
    func listingsShowWhatTheyAreAbout(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let past = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-11-20T10:00:00+01:00"), in: store))
        let soon = try #require(try await Contract.finish(Contract.finishedPrep("Jan Kowalski", starts: "2026-11-26T09:00:00+01:00"), in: store))
        let later = try #require(try await Contract.finish(Contract.finishedPrep("Eva Lind", starts: "2026-12-10T09:00:00+01:00"), in: store))
        #expect(try await store.meetings(owner: .local, startingFrom: now, limit: 10).map(\.id) == [soon, later])
        #expect(try await store.meetings(owner: .local, startingFrom: now, limit: 1).map(\.id) == [soon])
        #expect(try await store.meetings(owner: .local, startingFrom: nil, limit: 10).map(\.id) == [past, soon, later])
        #expect(try await store.awaitingReflection(owner: .local, now: now, limit: 5).map(\.id) == [past])
        try await Contract.finish(Contract.finishedReflection(meetingID: past, slots: Contract.reflection), in: store)
        #expect(try await store.awaitingReflection(owner: .local, now: now, limit: 5).isEmpty)
        let byFriday = try await store.openFollowUps(owner: .local, dueBefore: Fixtures.moment("2026-11-28T00:00:00+01:00"), limit: 10)
        #expect(byFriday.map(\.text) == ["send the deck"])
        #expect(try await store.keepInTouch(owner: .local, now: now, dueBefore: Fixtures.moment("2027-01-01T00:00:00+01:00"), limit: 10).isEmpty)
        #expect(try await store.keepInTouch(owner: .local, now: now, dueBefore: Fixtures.moment("2027-01-06T00:00:00+01:00"), limit: 10).count == 1)
    }

    @Test(arguments: Adapter.allCases)
    func aMeetingAheadPostponesKeepingInTouchUntilAfterIt(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let first = try #require(try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-11-20T10:00:00+01:00"), in: store))
        try await Contract.finish(Contract.finishedReflection(meetingID: first, slots: Contract.reflection), in: store)
        #expect(try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 1).first?.due == Fixtures.moment("2027-01-05T00:00:00+01:00"))
        // A meeting booked before she is due: being in touch is due six weeks after it, with no
        // re-planning needed when it has gone by.
        try await Contract.finish(Contract.finishedPrep("Anna Berg", starts: "2026-12-15T10:00:00+01:00"), in: store)
        #expect(try await store.keepInTouch(owner: .local, now: now, dueBefore: nil, limit: 1).first?.due == Fixtures.moment("2027-01-26T00:00:00+01:00"))
    }
}

struct OutboxQueueContractTests {
    private let now = Contract.now

    private func drafts(_ keys: [String], destination: String = "team", dueIn seconds: TimeInterval = 0) -> [OutboxDraft] {
        keys.map { OutboxDraft(key: $0, destination: destination, kind: "followup", payload: "{}", dueAt: now.addingTimeInterval(seconds)) }
    }

    private func enqueue(_ drafts: [OutboxDraft], in store: Adapter.Store) async throws {
        switch store {
        case let sqlite as GRDBStore: try await sqlite.enqueue(drafts, now: now)
        case let memory as InMemoryStore: await memory.enqueue(drafts, now: now)
        case let postgres as PostgresStore: try await postgres.enqueue(drafts, now: now)
        default: throw ContractFailure("no way to enqueue into \(type(of: store))")
        }
    }

    @Test(arguments: Adapter.allCases)
    func aWriteQueuesTheNudgesOfWhatItTouched(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        let meetingID = try #require(try await Contract.finish(Contract.finishedPrep(), in: store))
        let planned = try await store.entries(statuses: [.pending], limit: 20)
        #expect(Set(planned.map(\.key)) == ["reminder-m\(meetingID)-20261125", "reflect-m\(meetingID)"])
        #expect(planned.first { $0.kind == "reminder" }?.nextAttemptAt == Fixtures.moment("2026-11-25T13:00:00+01:00"))

        try await Contract.finish(Contract.finishedReflection(meetingID: meetingID, slots: Contract.reflection), in: store)
        let afterReflecting = try await store.entries(statuses: [.pending], limit: 20)
        #expect(!afterReflecting.contains { $0.kind == "reflect" }, "a reflected meeting is not asked about")
        #expect(try await store.entries(statuses: [.cancelled], limit: 20).map(\.kind) == ["reflect"])
        let deck = try #require(afterReflecting.first { $0.kind == "followup" })
        #expect(afterReflecting.contains { $0.kind == "referral" })
        #expect(afterReflecting.contains { $0.kind == "keep_in_touch" })

        let followUp = try #require(try await store.openFollowUps(owner: .local, dueBefore: nil, limit: 1).first)
        _ = try await store.markDone(followUpID: followUp.id, owner: .local, now: now)
        #expect(try await store.entries(statuses: [.cancelled], limit: 20).contains { $0.id == deck.id })
    }

    @Test(arguments: Adapter.allCases)
    func twoDeliverersNeverLeaseTheSameMessage(_ adapter: Adapter) async throws {
        let store = try await adapter.make(planner: Contract.planner(routes: [:]))
        try await enqueue(drafts((1...10).map { "k\($0)" }), in: store)
        async let a = store.claimDue(now: now, lease: .seconds(60), limit: 6, claimant: "a", excluding: [])
        async let b = store.claimDue(now: now, lease: .seconds(60), limit: 6, claimant: "b", excluding: [])
        let (first, second) = try await (a, b)
        #expect(Set(first.map(\.id)).isDisjoint(with: Set(second.map(\.id))))
        #expect(first.count + second.count == 10)
        #expect(try await store.claimDue(now: now, lease: .seconds(60), limit: 10, claimant: "c", excluding: []).isEmpty)
        #expect(try await store.due(now: now, limit: 10).isEmpty, "leased messages are not due to anyone else")

        // Settled by the one who leased it; a claimant whose lease is not theirs changes nothing.
        let one = try #require(first.first)
        try await store.settle(one.id, claimant: "b", as: .sent, now: now)
        try await store.settle(one.id, claimant: "a", as: .sent, now: now)
        #expect(try await store.entries(statuses: [.sent], limit: 10).map(\.id) == [one.id])

        // A lease that runs out (a killed run) makes the rest due again, with the same key.
        let later = now.addingTimeInterval(61)
        let again = try await store.claimDue(now: later, lease: .seconds(60), limit: 20, claimant: "d", excluding: [])
        #expect(again.count == 9)
        #expect(Set(again.map(\.key)) == Set((first + second).map(\.key)).subtracting([one.key]))
    }

    @Test(arguments: Adapter.allCases)
    func aReleasedOrRetriedMessageWaitsAsToldAndAThrottleUsesNoAttempt(_ adapter: Adapter) async throws {
        let store = try await adapter.make(planner: Contract.planner(routes: [:]))
        try await enqueue(drafts(["a", "b", "c"]), in: store)
        let leased = try await store.claimDue(now: now, lease: .seconds(60), limit: 3, claimant: "x", excluding: [])
        try await store.release([leased[0].id], claimant: "x")
        try await store.settle(leased[1].id, claimant: "x", as: .retry(at: now.addingTimeInterval(300), error: "server error 500", countsAsAttempt: true), now: now)
        try await store.settle(leased[2].id, claimant: "x", as: .retry(at: now.addingTimeInterval(120), error: "throttled (429)", countsAsAttempt: false), now: now)
        #expect(try await store.due(now: now, limit: 10).map(\.id) == [leased[0].id])
        let waiting = try await store.entries(statuses: [.pending], limit: 10)
        #expect(waiting.first { $0.id == leased[1].id }?.attempts == 1)
        #expect(waiting.first { $0.id == leased[2].id }?.attempts == 0)
        #expect(waiting.first { $0.id == leased[2].id }?.lastError == "throttled (429)")
        #expect(try await store.due(now: now.addingTimeInterval(300), limit: 10).count == 3)

        try await store.settle(leased[0].id, claimant: "x", as: .dead(error: "refused with 404"), now: now)  // released: no longer theirs
        #expect(try await store.entries(statuses: [.dead], limit: 10).isEmpty)
    }

    @Test(arguments: Adapter.allCases)
    func aHeldDestinationWaitsAcrossRunsAndADeadMessageCanBeRetried(_ adapter: Adapter) async throws {
        let store = try await adapter.make(planner: Contract.planner(routes: [:]))
        try await enqueue(drafts(["s1", "s2"], destination: "slack") + drafts(["g1"], destination: "generic"), in: store)
        try await store.hold(destination: "slack", until: now.addingTimeInterval(120), reason: "throttled (429)")
        try await store.hold(destination: "slack", until: now.addingTimeInterval(30), reason: "throttled (429)")  // an earlier end does not shorten it
        #expect(try await store.holds(now: now).map(\.until) == [now.addingTimeInterval(120)])
        let now1 = try await store.claimDue(now: now, lease: .seconds(60), limit: 10, claimant: "run1", excluding: [])
        #expect(now1.map(\.key) == ["g1"])
        try await store.settle(now1[0].id, claimant: "run1", as: .sent, now: now)
        #expect(try await store.claimDue(now: now.addingTimeInterval(60), lease: .seconds(60), limit: 10, claimant: "run2", excluding: []).isEmpty)
        let after = try await store.claimDue(now: now.addingTimeInterval(121), lease: .seconds(60), limit: 10, claimant: "run3", excluding: ["generic"])
        #expect(after.map(\.key) == ["s1", "s2"])
        #expect(try await store.holds(now: now.addingTimeInterval(121)).isEmpty)

        try await store.settle(after[0].id, claimant: "run3", as: .dead(error: "refused with 410"), now: now)
        let revived = try #require(try await store.retry(id: after[0].id, now: now.addingTimeInterval(200)))
        #expect(revived.status == .pending)
        #expect(revived.attempts == 0)
        #expect(try await store.retry(id: 999, now: now) == nil)
    }

    @Test(arguments: Adapter.allCases)
    func theSamePlanIsNotMadeTwiceAndTheDigestComesOncePerWeek(_ adapter: Adapter) async throws {
        let store = try await adapter.make()
        _ = try await store.refreshPlan(now: now)
        try await Contract.finish(Contract.finishedPrep(starts: "2026-11-26T14:00:00+01:00"), in: store)
        #expect(try await store.refreshPlan(now: now) == PlanRefresh(), "the same settings: nothing to do")

        let monday = Fixtures.moment("2026-11-23T10:00:00+01:00")
        let digest = try await store.plannedByTime(now: monday)
        #expect(digest.map(\.key) == ["digest-2026-w48"])
        #expect(digest.first?.payload.contains("Meeting: Anna Berg, Thu 26 Nov 14:00") == true)
        #expect(try await store.planTimeDriven(now: monday) == 1)
        #expect(try await store.planTimeDriven(now: monday.addingTimeInterval(3600)) == 0)
        #expect(try await store.plannedByTime(now: monday).isEmpty)
    }
}
