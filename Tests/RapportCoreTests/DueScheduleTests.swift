import Foundation
import RapportCore
import RapportTestSupport
import Testing

struct DueScheduleTests {
    private func calendar(_ zone: TimeZone = Fixtures.stockholm) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private func moment(_ iso: String) -> Date { Fixtures.moment(iso) }

    @Test func aMonthlyCadenceRespectsMonthEnds() {
        let next = DueSchedule.nextContact(lastInteraction: moment("2026-01-31T15:00:00+01:00"), since: moment("2026-01-01T00:00:00+01:00"), cadence: DurationValue(amount: 1, unit: .month), calendar: calendar())
        #expect(next == moment("2026-02-28T00:00:00+01:00"))
    }

    @Test func aYearlyCadenceFromALeapDayLandsOnTheLastOfFebruary() {
        let next = DueSchedule.nextContact(lastInteraction: moment("2028-02-29T10:00:00+01:00"), since: moment("2028-01-01T00:00:00+01:00"), cadence: DurationValue(amount: 12, unit: .month), calendar: calendar())
        #expect(next == moment("2029-02-28T00:00:00+01:00"))
    }

    @Test func weeksAreCalendarDaysAcrossDaylightSaving() {
        // Six weeks from Tue 10 March 2026 crosses Stockholm's switch to summer time.
        let next = DueSchedule.nextContact(lastInteraction: moment("2026-03-10T18:00:00+01:00"), since: moment("2026-03-01T00:00:00+01:00"), cadence: DurationValue(amount: 6, unit: .week), calendar: calendar())
        #expect(next == moment("2026-04-21T00:00:00+02:00"))
    }

    @Test func withoutAnyInteractionTheClockStartsWhenTheCadenceWasSet() {
        let next = DueSchedule.nextContact(lastInteraction: nil, since: moment("2026-11-23T10:00:00+01:00"), cadence: DurationValue(amount: 2, unit: .week), calendar: calendar())
        #expect(next == moment("2026-12-07T00:00:00+01:00"))
    }

    @Test func aDateWithoutTimeIsDueFromTheStartOfItsDayInTheUsersZone() {
        let due = moment("2026-11-27T00:00:00+01:00")
        #expect(!DueSchedule.isDue(due, hasTime: false, now: moment("2026-11-26T23:59:00+01:00"), calendar: calendar()))
        #expect(DueSchedule.isDue(due, hasTime: false, now: moment("2026-11-27T00:01:00+01:00"), calendar: calendar()))
        // 23:30 UTC on the 26th is already the 27th in Stockholm.
        #expect(DueSchedule.isDue(due, hasTime: false, now: moment("2026-11-26T23:30:00Z"), calendar: calendar()))
        let newYork = TimeZone(identifier: "America/New_York")!
        let dueInNewYork = moment("2026-11-27T00:00:00-05:00")
        #expect(!DueSchedule.isDue(dueInNewYork, hasTime: false, now: moment("2026-11-27T03:00:00Z"), calendar: calendar(newYork)))
    }

    @Test func aTimedFollowUpIsDueAtItsTime() {
        let due = moment("2026-11-27T14:00:00+01:00")
        #expect(!DueSchedule.isDue(due, hasTime: true, now: moment("2026-11-27T13:59:00+01:00"), calendar: calendar()))
        #expect(DueSchedule.isDue(due, hasTime: true, now: moment("2026-11-27T14:00:00+01:00"), calendar: calendar()))
    }

    /// Every recorded interaction restarts the clock: a meeting that happened, a reflection,
    /// a logged note, a follow-up done (Monica #1814 is the anti-example). Future meetings do not.
    @Test func everyInteractionRestartsTheKeepInTouchClock() {
        let anna = Contact(id: 1, name: "Anna Berg", knowsWhatIDo: "yes", keepInTouch: DurationValue(amount: 2, unit: .week), keepInTouchSince: moment("2026-11-01T10:00:00+01:00"), createdAt: moment("2026-11-01T10:00:00+01:00"))
        let now = moment("2026-11-23T10:00:00+01:00")
        func due(meetings: [Meeting] = [], interactions: [Interaction] = []) -> DueItem? {
            DueSchedule.items(followUps: [], contacts: [anna], meetings: meetings, interactions: interactions, now: now, timeZone: Fixtures.stockholm).first
        }
        #expect(due()?.due == moment("2026-11-15T00:00:00+01:00"))
        #expect(due()?.isDue == true)
        for kind in [Interaction.Kind.note, .reflection, .followUpDone] {
            let item = due(interactions: [Interaction(contactID: 1, kind: kind, note: nil, at: moment("2026-11-20T12:00:00+01:00"))])
            #expect(item?.due == moment("2026-12-04T00:00:00+01:00"), "\(kind)")
            #expect(item?.isDue == false)
        }
        let met = Meeting(id: 1, contactID: 1, contactName: "Anna Berg", startsAt: moment("2026-11-19T14:00:00+01:00"), hasTime: true, goal: nil, goalWeak: false, whyThem: nil, give: nil, question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: nil, createdAt: now)
        #expect(due(meetings: [met])?.due == moment("2026-12-03T00:00:00+01:00"))
        var planned = met
        planned.startsAt = moment("2026-11-30T14:00:00+01:00")
        #expect(due(meetings: [planned])?.due == moment("2026-11-15T00:00:00+01:00"))
    }

    @Test func listsOpenFollowUpsAndKeepInTouchSoonestFirst() {
        let now = moment("2026-11-27T09:00:00+01:00")
        let followUps = [
            FollowUp(id: 2, contactID: 1, contactName: "Anna Berg", meetingID: 1, kind: .action, text: "call Eva", due: moment("2026-12-08T00:00:00+01:00"), hasTime: false, doneAt: nil, createdAt: now),
            FollowUp(id: 1, contactID: 1, contactName: "Anna Berg", meetingID: 1, kind: .action, text: "send the deck", due: moment("2026-11-27T00:00:00+01:00"), hasTime: false, doneAt: nil, createdAt: now),
            FollowUp(id: 3, contactID: 1, contactName: "Anna Berg", meetingID: 1, kind: .referralFeedback, text: "Jan", due: moment("2026-11-20T00:00:00+01:00"), hasTime: false, doneAt: now, createdAt: now),
        ]
        let items = DueSchedule.items(followUps: followUps, contacts: [], meetings: [], interactions: [], now: now, timeZone: Fixtures.stockholm)
        #expect(items.map(\.followUpID) == [1, 2])
        #expect(items.map(\.isDue) == [true, false])
    }

    @Test func meetingsThatHappenedWaitForAReflectionMostRecentFirst() {
        let now = moment("2026-11-27T09:00:00+01:00")
        func meeting(_ id: Int64, _ start: String, reflected: Bool = false) -> Meeting {
            Meeting(id: id, contactID: id, contactName: "P\(id)", startsAt: moment(start), hasTime: true, goal: nil, goalWeak: false, whyThem: nil, give: nil, question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: nil, reflected: reflected, createdAt: now)
        }
        let meetings = [meeting(1, "2026-11-24T14:00:00+01:00"), meeting(2, "2026-11-26T10:00:00+01:00"), meeting(3, "2026-11-25T10:00:00+01:00", reflected: true), meeting(4, "2026-11-30T10:00:00+01:00")]
        #expect(DueSchedule.awaitingReflection(meetings, now: now).map(\.id) == [2, 1])
    }
}
