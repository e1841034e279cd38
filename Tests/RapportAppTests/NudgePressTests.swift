import Foundation
import GRDB
import RapportApp
import RapportAppTestSupport
import RapportCore
import RapportTestSupport
import Testing

/// The buttons on a Slack user's DM nudges, pressed through `ChatService` over a real SQLite
/// file: [Later], [Reflect] through to follow-ups, [Done] and [Snooze a week] once, and nobody else’s press.
struct NudgePressTests {
    let alice = UserKey(platform: .slack, workspace: "T1", user: "U0ALICE")
    let bob = UserKey(platform: .slack, workspace: "T1", user: "U0BOB")

    /// The outbox's keys and statuses (empty when the file cannot be read, which fails every check).
    private func keys(_ path: String) -> [String: String] {
        guard let queue = try? DatabaseQueue(path: path) else { return [:] }
        defer { try? queue.close() }
        return (try? queue.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, status FROM outbox").map { ($0["key"] as String, $0["status"] as String) })
        }) ?? [:]
    }

    @Test func laterReflectDoneAndSnoozeArePressedOnceByTheirOwnerOnly() async throws {
        let folder = TemporaryDirectory()
        let path = folder.path("r.sqlite")
        let services = try await TestServices.open(store: path, config: "server: { slack_bot_token: xoxb-1 }\nnudges: { routes: { reflect: dm, followup: dm } }\n")
        let clock = ChatServiceTests.Clock(Fixtures.monday)
        let chat = ChatService(services: services, clock: { clock.now })
        for answer in [
            "prep Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no", "She chairs the CFO network in Karlstad", "partly",
            "I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?",
        ] { _ = try await chat.handle(text: answer, user: alice, platform: .slack) }
        let meeting = try #require(try await services.meetings.meetings(owner: alice, limit: 5).first)
        #expect(keys(path)["reflect-m\(meeting.id)-dm"] == "pending", "\(keys(path))")
        func press(_ action: NudgeAction.Kind, _ id: Int64, by user: UserKey, owner: String = "U0ALICE", _ message: String) async throws -> [String] {
            try await chat.press(NudgePress(action: action, subjectID: id, owner: owner), user: user, platform: .slack,
                                 messageID: MessageID(platform: .slack, value: "press:" + message)).replies
        }

        clock.now = Fixtures.monday.addingTimeInterval(31 * 3600)  // Tuesday 17:00, after the meeting
        #expect(try await press(.reflect, meeting.id, by: bob, "1/1") == ["That button is on someone else’s nudge, so it changed nothing."])
        #expect(try await press(.reflect, meeting.id, by: bob, owner: "U0BOB", "1/2") == ["What that button was about is no longer here; nothing changed."],
                "Bob's own id on Alice's meeting finds nothing of his")
        let later = try await press(.later, meeting.id, by: alice, "2/1")
        #expect(later == ["I will ask about Anna Berg again Wed 25 Nov 17:00."], "\(later)")
        #expect(keys(path)["reflect-m\(meeting.id)-dm-later-20261125"] == "pending", "\(keys(path))")

        let started = try await press(.reflect, meeting.id, by: alice, "3/1").joined(separator: "\n")
        #expect(started.hasPrefix("Before the meeting you wanted “An introduction to their CFO”. Did you get it?"), "that meeting's reflection: \(started)")
        var last: [String] = []
        for answer in EveryLanguageTests.reflectAnswers("en") { last = try await chat.handle(text: answer, user: alice, platform: .slack).replies }
        #expect(last.joined().contains("Reflection"), "\(last)")
        #expect(keys(path)["reflect-m\(meeting.id)-dm-later-20261125"] == "cancelled", "the reflection cancels the asking again: \(keys(path))")
        let followUp = try #require(try await services.store.records.openFollowUps(owner: alice, dueBefore: nil, limit: 10).first { $0.kind == .action })
        #expect(keys(path).keys.contains { $0.hasPrefix("followup-\(followUp.id)-") && $0.hasSuffix("-dm") }, "\(keys(path))")

        let done = try await press(.done, followUp.id, by: alice, "4/1")
        #expect(done == ["Done: \(followUp.text) (Anna Berg)."], "\(done)")
        #expect(try await press(.done, followUp.id, by: alice, "4/1") == done, "a retry gets the first reply")
        _ = try await press(.done, followUp.id, by: alice, "4/2")
        #expect(try await services.followUps.done(owner: alice, limit: 10).map(\.id) == [followUp.id], "done once")
        #expect(try await press(.snooze, followUp.id, by: alice, "4/3") == ["What that button was about is no longer here; nothing changed."], "a done follow-up is not snoozed")

        // [Snooze a week]: a week from the press, said back; the DM nudge moves with it.
        let referral = try #require(try await services.store.records.openFollowUps(owner: alice, dueBefore: nil, limit: 10).first { $0.kind == .referralFeedback })
        let snoozed = try await press(.snooze, referral.id, by: alice, "5/1")
        #expect(snoozed.first?.hasPrefix("Snoozed to Tue 1 Dec") == true, "\(snoozed)")
        let moved = try #require(try await services.store.records.followUp(id: referral.id, owner: alice))
        #expect(abs(moved.due.timeIntervalSince(clock.now.addingTimeInterval(7 * 24 * 3600))) < 24 * 3600, "\(moved.due)")
        #expect(try await press(.snooze, referral.id, by: alice, "5/1") == snoozed, "a retried press is not a second week")
        #expect(try await services.store.records.followUp(id: referral.id, owner: alice)?.due == moved.due)
    }

    @Test func theFirstQuestionOfAReflectionStartedByItsNudgeHasButtonsThatAnswerItOnce() async throws {
        let folder = TemporaryDirectory()
        let services = try await TestServices.open(store: folder.path("r.sqlite"), config: "server: { slack_bot_token: xoxb-1 }\nnudges: { routes: { reflect: dm } }\n")
        let clock = ChatServiceTests.Clock(Fixtures.monday)
        let chat = ChatService(services: services, clock: { clock.now })
        for answer in [
            "prep Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no", "She chairs the CFO network in Karlstad", "partly",
            "I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?",
        ] { _ = try await chat.handle(text: answer, user: alice, platform: .slack) }
        let meeting = try #require(try await services.meetings.meetings(owner: alice, limit: 5).first)
        clock.now = Fixtures.monday.addingTimeInterval(31 * 3600)
        let channel = ReplyChannel(destination: RapportSettings.slackBotDestination, channel: "D1")
        let reflect = NudgePress(action: .reflect, subjectID: meeting.id, owner: "U0ALICE")
        _ = try await chat.press(reflect, user: alice, platform: .slack, messageID: MessageID(platform: .slack, value: "press:r/1"), replyChannel: channel)
        // The reply as stored and posted (a retry gets it): the store had not given the id yet, so
        // the buttons name the conversation by the moment it was started.
        let posted = try await chat.press(reflect, user: alice, platform: .slack, messageID: MessageID(platform: .slack, value: "press:r/1"), replyChannel: channel)
        let buttons = try #require(posted.buttons, "\(posted.replies)")
        #expect(buttons.conversationID == 0 && buttons.startedAt == ChatButtons.mark(clock.now), "\(buttons)")
        #expect(buttons.stepID == "reached" && buttons.choices.map(\.label) == ["Yes", "Partly", "No"], "\(buttons.choices)")

        func press(_ answer: String, startedAt: Int64?, _ id: String) async throws -> ChatService.Reply {
            try await chat.press(
                ChatPress(conversationID: 0, version: buttons.version, stepID: buttons.stepID, answer: answer, startedAt: startedAt),
                user: alice, platform: .slack, messageID: MessageID(platform: .slack, value: "press:" + id))
        }
        let elsewhen = try await press(buttons.choices[0].answer, startedAt: buttons.startedAt.map { $0 + 5_000 }, "q/0")
        #expect(elsewhen.replies == ["That button belongs to a conversation that is no longer here; send “help” to see what you can start."], "\(elsewhen.replies)")
        let answered = try await press(buttons.choices[0].answer, startedAt: buttons.startedAt, "q/1")
        #expect(answered.buttons?.stepID != "reached", "\(answered.replies)")
        let conversation = try #require(try await services.conversations.newestOpenConversation(owner: alice))
        #expect(conversation.version == 2 && conversation.state.currentStep != "reached", "the press answered the first question: \(conversation.state.currentStep ?? "")")
        let again = try await press(buttons.choices[2].answer, startedAt: buttons.startedAt, "q/2")
        #expect(again.replies.first?.hasPrefix("That question was already answered; the question now is:") == true, "\(again.replies)")
        #expect(try await services.conversations.newestOpenConversation(owner: alice)?.version == 2, "a second press changes nothing")
    }
}
