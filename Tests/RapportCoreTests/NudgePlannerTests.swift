import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct NudgePlannerTests {
    let monday = Fixtures.moment("2026-11-23T10:00:00+01:00")
    let all = Dictionary(uniqueKeysWithValues: NudgeKind.allCases.map { ($0, "team") })

    private func meeting(_ id: Int64 = 1, _ start: String, hasTime: Bool = true, reflected: Bool = false, goal: String? = "An intro to their CFO") -> Meeting {
        Meeting(id: id, contactID: 1, contactName: "Anna Berg", startsAt: Fixtures.moment(start), hasTime: hasTime, goal: goal, goalWeak: false, whyThem: nil, give: nil, question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: nil, reflected: reflected, createdAt: monday)
    }

    private func followUp(_ id: Int64, _ due: String, kind: FollowUp.Kind = .action, done: Bool = false) -> FollowUp {
        FollowUp(id: id, contactID: 1, contactName: "Anna Berg", meetingID: 1, kind: kind, text: "send the deck", due: Fixtures.moment(due), hasTime: false, doneAt: done ? monday : nil, createdAt: monday)
    }

    private func planner(_ settings: NudgeSettings, now: Date? = nil) -> NudgePlanner {
        NudgePlanner(settings: settings, lexicon: Fixtures.english, now: now ?? monday, timeZone: Fixtures.stockholm)
    }

    @Test func aPreparedMeetingGetsAReminderBeforeAndAQuestionAfter() {
        let plan = planner(NudgeSettings(routes: all)).plan(meetings: [meeting(1, "2026-11-24T14:00:00+01:00")], followUps: [], contacts: [], interactions: [])
        let reminder = plan.first { $0.kind == .reminder }
        #expect(reminder?.key == "reminder-m1-20261124")
        #expect(reminder?.dueAt == Fixtures.moment("2026-11-24T13:00:00+01:00"))
        #expect(reminder?.title == "Meeting with Anna Berg, Tue 24 Nov 14:00")
        #expect(reminder?.lines == [], "goals stay private unless shared")
        let reflect = plan.first { $0.kind == .reflect }
        #expect(reflect?.key == "reflect-m1")
        #expect(reflect?.dueAt == Fixtures.moment("2026-11-24T16:00:00+01:00"))
        #expect(reflect?.title == "How did it go with Anna Berg?")
    }

    @Test func sharingGoalsIsAChoice() {
        let plan = planner(NudgeSettings(routes: [.reminder: "team"], shareGoals: true)).plan(meetings: [meeting(1, "2026-11-24T14:00:00+01:00")], followUps: [], contacts: [], interactions: [])
        #expect(plan.map(\.lines) == [["Goal: An intro to their CFO"]])
    }

    @Test func onlyRoutedKindsArePlanned() {
        let plan = planner(NudgeSettings(routes: [.followup: "team"])).plan(
            meetings: [meeting(1, "2026-11-24T14:00:00+01:00")], followUps: [followUp(7, "2026-11-27T00:00:00+01:00")], contacts: [], interactions: [])
        #expect(plan.map(\.key) == ["followup-7-20261127"])
        #expect(plan.first?.dueAt == Fixtures.moment("2026-11-27T09:00:00+01:00"))
        #expect(plan.first?.lines == ["send the deck (due Fri 27 Nov)"])
    }

    @Test func aMovedDueDateIsANewNudgeAndDoneOnesAreDropped() {
        let settings = NudgeSettings(routes: all)
        let before = planner(settings).plan(meetings: [], followUps: [followUp(7, "2026-11-27T00:00:00+01:00")], contacts: [], interactions: [])
        let moved = planner(settings).plan(meetings: [], followUps: [followUp(7, "2026-11-30T00:00:00+01:00")], contacts: [], interactions: [])
        let done = planner(settings).plan(meetings: [], followUps: [followUp(7, "2026-11-27T00:00:00+01:00", done: true)], contacts: [], interactions: [])
        #expect(before.filter { $0.kind == .followup }.map(\.key) == ["followup-7-20261127"])
        #expect(moved.filter { $0.kind == .followup }.map(\.key) == ["followup-7-20261130"])
        #expect(done.filter { $0.kind == .followup }.isEmpty)
    }

    @Test func referralsAskHowTheyTurnedOut() {
        let plan = planner(NudgeSettings(routes: all)).plan(meetings: [], followUps: [followUp(8, "2026-12-08T00:00:00+01:00", kind: .referralFeedback)], contacts: [], interactions: [])
        #expect(plan.contains { $0.key == "referral-8-20261208" && $0.title == "How did the recommendation turn out? (Anna Berg)" })
    }

    @Test func aContactPastItsCadenceIsNudgedAndAnInteractionMovesIt() {
        let anna = Contact(id: 1, name: "Anna Berg", knowsWhatIDo: nil, keepInTouch: DurationValue(amount: 2, unit: .week), keepInTouchSince: Fixtures.moment("2026-11-01T10:00:00+01:00"), createdAt: monday)
        let settings = NudgeSettings(routes: [.keepInTouch: "team"])
        #expect(planner(settings).plan(meetings: [], followUps: [], contacts: [anna], interactions: []).map(\.key) == ["keepintouch-c1-20261115"])
        let logged = Interaction(contactID: 1, kind: .note, note: "called", at: Fixtures.moment("2026-11-20T10:00:00+01:00"))
        let plan = planner(settings).plan(meetings: [], followUps: [], contacts: [anna], interactions: [logged])
        #expect(plan.map(\.key) == ["keepintouch-c1-20261204"])
        #expect(plan.first?.lines == ["Every 2 weeks; last in touch Fri 20 Nov"])
    }

    @Test func quietHoursMoveANudgeToTheirEnd() {
        let settings = NudgeSettings(routes: [.reminder: "team"], quietHours: QuietHours(start: 20, end: 8))
        // A 08:30 meeting's reminder would go at 07:30: moved to 08:00.
        let early = planner(settings).plan(meetings: [meeting(1, "2026-11-24T08:30:00+01:00")], followUps: [], contacts: [], interactions: [])
        #expect(early.first?.dueAt == Fixtures.moment("2026-11-24T08:00:00+01:00"))
        // 21:30 → the next morning at 08:00.
        let planner = planner(settings)
        #expect(planner.outsideQuietHours(Fixtures.moment("2026-11-24T21:30:00+01:00")) == Fixtures.moment("2026-11-25T08:00:00+01:00"))
        #expect(planner.outsideQuietHours(Fixtures.moment("2026-11-24T12:00:00+01:00")) == Fixtures.moment("2026-11-24T12:00:00+01:00"))
        let none = NudgePlanner(settings: NudgeSettings(routes: [:], quietHours: nil), lexicon: Fixtures.english, now: monday, timeZone: Fixtures.stockholm)
        #expect(none.outsideQuietHours(Fixtures.moment("2026-11-24T03:00:00+01:00")) == Fixtures.moment("2026-11-24T03:00:00+01:00"))
    }

    @Test func theWeeklyDigestListsTheWeeksMeetingsAndFollowUps() {
        let plan = planner(NudgeSettings(routes: [.digest: "team"])).plan(
            meetings: [meeting(1, "2026-11-24T14:00:00+01:00"), meeting(2, "2026-12-10T10:00:00+01:00")],
            followUps: [followUp(7, "2026-11-27T00:00:00+01:00"), followUp(9, "2026-12-20T00:00:00+01:00")], contacts: [], interactions: [])
        #expect(plan.count == 1)
        #expect(plan.first?.key == "digest-2026-w48")
        #expect(plan.first?.dueAt == Fixtures.moment("2026-11-23T09:00:00+01:00"))
        #expect(plan.first?.lines == ["Meeting: Anna Berg, Tue 24 Nov 14:00", "Follow-up: send the deck (Anna Berg, due Fri 27 Nov)"])
    }

    @Test func aQuietWeekHasNoDigest() {
        #expect(planner(NudgeSettings(routes: [.digest: "team"])).plan(meetings: [], followUps: [], contacts: [], interactions: []).isEmpty)
    }
}
