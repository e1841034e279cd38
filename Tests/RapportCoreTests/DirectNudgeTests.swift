import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Nudges routed to their owner's Slack DM (`dm` in `nudges.routes`): only a Slack chat user's,
/// named in full, with buttons that carry the record and the owner; the channel's stay private.
struct DirectNudgeTests {
    let monday = Fixtures.moment("2026-11-23T10:00:00+01:00")
    let alice = UserKey(platform: .slack, workspace: "T0TEAM", user: "U0ALICE")

    private func meeting(fromCalendar: Bool = false, reflected: Bool = false) -> Meeting {
        var meeting = Meeting(
            id: 12, contactID: 1, contactName: "Anna Berg", startsAt: Fixtures.moment("2026-11-24T14:00:00+01:00"), hasTime: true, goal: fromCalendar ? nil : "An intro to their CFO",
            goalWeak: false, whyThem: nil, give: nil, question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: nil, reflected: reflected, createdAt: monday)
        if fromCalendar {
            meeting.calendarEventID = 3
            meeting.calendarTitle = "Coffee about the pilot"
        }
        return meeting
    }

    private var followUp: FollowUp {
        FollowUp(id: 7, contactID: 1, contactName: "Anna Berg", meetingID: 12, kind: .action, text: "send the deck", due: Fixtures.moment("2026-11-25T00:00:00+01:00"), hasTime: false, doneAt: nil, createdAt: monday)
    }

    private func settings(routes: [NudgeKind: String] = [:], direct: Set<NudgeKind>) -> NudgeSettings {
        var settings = NudgeSettings(routes: routes)
        settings.direct = direct
        settings.directDestinations = [.slack: "slack-bot"]
        return settings
    }

    private func messages(_ drafts: [OutboxDraft]) throws -> [ChatMessage] {
        try drafts.map { try JSONDecoder().decode(ChatMessage.self, from: Data($0.payload.utf8)) }
    }

    private var planner: (NudgeSettings) -> NudgePlanner {
        { NudgePlanner(settings: $0, lexicon: Fixtures.english, now: self.monday, timeZone: Fixtures.stockholm) }
    }

    @Test func aReminderGoesToTheSlackOwnersDMWithPrepNowAndAReflectToBothItsChannelAndTheDM() throws {
        let plan = planner(settings(routes: [.reflect: "team"], direct: [.reminder, .reflect])).nudges(for: meeting(), owner: alice, now: monday)
        #expect(plan.map(\.key).sorted() == ["reflect-m12-dm", "reminder-m12-20261124-dm"], "a colleague's channel routes are their own: none here")
        let reminder = try #require(plan.first { $0.key == "reminder-m12-20261124-dm" })
        #expect(reminder.destination == "slack-bot")
        #expect(reminder.subject == .meeting(12), "re-planned with its meeting")
        #expect(reminder.dueAt == Fixtures.moment("2026-11-24T13:00:00+01:00"), "as the channel's would be")
        let message = try #require(try messages([reminder]).first)
        #expect(message.channel == "U0ALICE", "chat.postMessage to a user id opens the app's DM with them")
        #expect(message.title == "Meeting with Anna Berg, Tue 24 Nov 14:00")
        #expect(message.lines == ["Goal: An intro to their CFO"], "the DM is the owner's own: the goal is shown")
        #expect(message.actions == [NudgeAction(kind: .prep, subjectID: 12, owner: "U0ALICE", label: "Prep now")])
        let reflect = try #require(try messages(plan.filter { $0.key == "reflect-m12-dm" }).first)
        #expect(reflect.actions?.map(\.label) == ["Reflect", "Later"])
        #expect(reflect.actions?.map(\.kind) == [.reflect, .later])
    }

    @Test func theLocalProfileKeepsItsChannelRouteAndADMOnlyKindStaysOnTheHomeScreen() throws {
        let local = planner(settings(routes: [.reflect: "team"], direct: [.reminder, .reflect])).nudges(for: meeting(), owner: .local, now: monday)
        #expect(local.map(\.key) == ["reflect-m12"], "reflect: [team, dm] is the channel for the terminal's profile; reminder: dm is nothing")
        #expect(local.first?.destination == "team")
        let mattermost = UserKey(platform: .mattermost, user: "u0bob")
        #expect(planner(settings(direct: [.reminder])).nudges(for: meeting(), owner: mattermost, now: monday).isEmpty, "no Mattermost bot: no Mattermost DM")
        var both = settings(direct: [.reminder])
        both.directDestinations[.mattermost] = "mattermost-bot"
        let bobs = try #require(planner(both).nudges(for: meeting(), owner: mattermost, now: monday).first)
        #expect(bobs.destination == "mattermost-bot")
        let message = try #require(try messages([bobs]).first)
        #expect(message.channel == "@u0bob", "a Mattermost DM is opened for its owner when it is posted")
        #expect(message.actions?.first?.owner == "u0bob")
        var noBot = settings(direct: [.reminder])
        noBot.directDestinations = [:]
        #expect(planner(noBot).nudges(for: meeting(), owner: alice, now: monday).isEmpty, "no bot, no DM")
    }

    @Test func aCalendarMeetingIsNamedInTheDMAndStaysPrivateInTheChannel() throws {
        var both = settings(routes: [.reminder: "team"], direct: [.reminder, .prep])
        both.people[alice] = [.reminder: "team"]
        let plan = planner(both).nudges(for: meeting(fromCalendar: true), owner: alice, now: monday)
        let channel = try #require(try messages(plan.filter { $0.key == "reminder-m12-20261124" }).first)
        #expect(channel.title == "Meeting from your calendar, Tue 24 Nov 14:00" && channel.lines.isEmpty && channel.channel == nil && channel.actions == nil)
        let dm = try #require(try messages(plan.filter { $0.key == "reminder-m12-20261124-dm" }).first)
        #expect(dm.title == "Meeting with Anna Berg, Tue 24 Nov 14:00")
        #expect(dm.lines.contains { $0.contains("Coffee about the pilot") })
        let prep = try #require(try messages(plan.filter { $0.key.hasPrefix("prep-m12-") && $0.key.hasSuffix("-dm") }).first)
        #expect(prep.title == "Not prepared yet: meeting with Anna Berg, Tue 24 Nov 14:00")
        #expect(prep.actions?.map(\.kind) == [.prep])
    }

    @Test func aFollowUpInTheDMHasDoneAndSnoozeAndAColleaguesOwnDMKindsAddToEveryones() throws {
        var own = settings(direct: [])
        own.peopleDirect[UserKey(platform: .slack, user: "U0ALICE")] = [.followup]
        let plan = planner(own).nudges(for: followUp, owner: alice, now: monday)
        #expect(plan.map(\.key) == ["followup-7-20261125-dm"])
        let message = try #require(try messages(plan).first)
        #expect(message.actions == [
            NudgeAction(kind: .done, subjectID: 7, owner: "U0ALICE", label: "Done"), NudgeAction(kind: .snooze, subjectID: 7, owner: "U0ALICE", label: "Snooze a week"),
        ])
        #expect(planner(own).nudges(for: followUp, owner: UserKey(platform: .slack, user: "U0BOB"), now: monday).isEmpty, "Bob is not named")
    }

    @Test func theDMRoutesArePartOfThePlansFingerprint() {
        let plain = planner(settings(direct: [])).fingerprint
        #expect(plain != planner(settings(direct: [.reminder])).fingerprint, "routing a kind to the DM plans every record again")
    }
}
