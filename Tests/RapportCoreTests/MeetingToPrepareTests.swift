import Foundation
import Testing
@testable import RapportCore

/// Which of someone's meetings a new prep fills: the soonest from the calendar, not yet prepared.
struct MeetingToPrepareTests {
    private let now = Date(timeIntervalSince1970: 1_796_000_000)

    private func meeting(
        _ id: Int64, in hours: Double?, calendar: Bool = true, goal: String? = nil, card: String? = nil, reflected: Bool = false, cancelled: Bool = false
    ) -> Meeting {
        Meeting(
            id: id, contactID: 7, contactName: "Anna Berg", startsAt: hours.map { now.addingTimeInterval($0 * 3600) }, hasTime: true, goal: goal,
            goalWeak: false, whyThem: nil, give: nil, question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: card,
            reflected: reflected, cancelled: cancelled, createdAt: now, calendarEventID: calendar ? id * 10 : nil)
    }

    @Test func theSoonestCalendarMeetingAheadThatNoPrepFilledIsTheOne() {
        let meetings = [
            meeting(1, in: -2),  // begun already
            meeting(2, in: 1, calendar: false),  // booked by hand: a prep adds its own
            meeting(3, in: 2, goal: "An intro"),  // prepared
            meeting(4, in: 3, card: "card"),  // prepared, its goal left empty
            meeting(5, in: 4, reflected: true),
            meeting(6, in: 5, cancelled: true),
            meeting(7, in: nil),  // no time
            meeting(9, in: 30),
            meeting(8, in: 30),  // as soon as 9: the lower id, as the store ordered them
            meeting(10, in: 6),
        ]
        #expect(Meeting.toPrepare(among: meetings, from: now)?.id == 10)
        #expect(Meeting.toPrepare(among: meetings.filter { $0.id != 10 }, from: now)?.id == 8)
        #expect(Meeting.toPrepare(among: meetings.filter { $0.id < 8 }, from: now) == nil)
        // One starting at the very moment is still ahead.
        #expect(Meeting.toPrepare(among: [meeting(11, in: 0)], from: now)?.id == 11)
    }
}
