import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Who a store holds records of, and forgetting one of them, the same on every adapter.
struct PeopleStoreContractTests {
    private let now = Contract.now
    private let alice = UserKey(platform: .slack, workspace: "T1", user: "U0ALICE")
    private let bob = UserKey(platform: .mattermost, user: "bob")

    /// A finished prep with `name`, a note about them and a message remembered; and an open prep.
    private func network(of owner: UserKey, name: String, in store: Adapter.Store) async throws -> Int64 {
        let message = ProcessedMessage(id: MessageID(platform: .slack, value: "m-\(name)"), reply: "When?")
        guard case .committed(let started, _) = try await store.start(
            ConversationStart(owner: owner, channel: .chat(.slack), state: Contract.openPrep(name), answers: [], message: message, now: now)) else {
            throw ContractFailure("the prep did not start")
        }
        let state = Contract.finishedPrep(name, goal: "Goal with \(name)", pitch: "Pitch of \(owner)")
        let outcome = ConversationOutcome(state: state, card: nil, formatter: Contract.formatter)
        guard case .committed(_, let meetingID?) = try await store.commit(
            TurnCommit(conversationID: started.id, owner: owner, readVersion: started.version, channel: .chat(.slack), state: state, answers: [], outcome: outcome, now: now)) else {
            throw ContractFailure("the prep did not finish with a meeting")
        }
        _ = try await store.logInteraction(contactName: name, note: "Lunch with \(name)", owner: owner, now: now)
        _ = try await store.start(ConversationStart(owner: owner, channel: .chat(.slack), state: Contract.openPrep("Other of \(name)"), answers: [], now: now))
        return meetingID
    }

    /// A meeting's reminder (`reminder-m12-…`) or how-did-it-go (`reflect-m12`).
    private static func isAbout(_ entry: OutboxEntry, meeting: Int64) -> Bool {
        entry.key.hasPrefix("reminder-m\(meeting)-") || entry.key == "reflect-m\(meeting)"
    }

    @Test(arguments: Adapter.allCases)
    func forgettingAPersonRemovesEverythingOfTheirsAndNothingElse(_ adapter: Adapter) async throws {
        var settings = NudgeSettings(routes: Contract.everyKind)
        settings.people = [alice: Contract.everyKind, bob: Contract.everyKind]
        let planner = NudgePlanner(settings: settings, lexicon: Fixtures.english, now: now, timeZone: Fixtures.stockholm)
        let store = try await adapter.make(planner: planner)
        let aliceMeeting = try await network(of: alice, name: "Anna Berg", in: store)
        let bobMeeting = try await network(of: bob, name: "Anna Berg", in: store)
        #expect(try await store.people(limit: 10) == [alice, bob].sorted { $0.stored < $1.stored })
        let aliceMessages = try await store.entries(statuses: [.pending], limit: 100).filter { Self.isAbout($0, meeting: aliceMeeting) }
        #expect(aliceMessages.count == 2, "the reminder and how-did-it-go, to forget with her")

        let forgotten = try await store.forget(owner: alice)
        #expect(forgotten == ForgottenRecords(contacts: 1, meetings: 1, followUps: 0, conversations: 2, outboxMessages: 2))

        #expect(try await store.people(limit: 10) == [bob])
        #expect(try await store.meetings(owner: alice, startingFrom: nil, limit: 10).isEmpty)
        #expect(try await store.contacts(matching: "Anna", owner: alice, limit: 10).isEmpty)
        #expect(try await store.openConversations(owner: alice, flowID: nil, limit: 10).isEmpty)
        #expect(try await store.profile(owner: alice).isEmpty)
        #expect(try await store.processedReply(MessageID(platform: .slack, value: "m-Anna Berg"), sender: alice) == nil)
        #expect(try await store.entries(statuses: [.pending, .sent, .dead, .cancelled], limit: 100).allSatisfy { !Self.isAbout($0, meeting: aliceMeeting) })

        // Bob's network, the same name and all, is untouched.
        #expect(try await store.meetings(owner: bob, startingFrom: nil, limit: 10).map(\.id) == [bobMeeting])
        let bobsAnna = try #require(try await store.contacts(matching: "Anna", owner: bob, limit: 10).first)
        #expect(try await store.interactions(contactID: bobsAnna.id, owner: bob).map(\.note) == ["Lunch with Anna Berg"])
        #expect(try await store.openConversations(owner: bob, flowID: nil, limit: 10).count == 1)
        #expect(try await store.profile(owner: bob) == ["pitch": "Pitch of \(bob)"])
        #expect(try await store.processedReply(MessageID(platform: .slack, value: "m-Anna Berg"), sender: bob) == "When?")
        #expect(try await store.entries(statuses: [.pending], limit: 100).filter { Self.isAbout($0, meeting: bobMeeting) }.count == 2)

        #expect(try await store.forget(owner: alice).isEmpty, "a second forgetting finds nothing")
    }
}
