import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Issue 15: the weekly digest numbers weeks as ISO 8601 does, as Swedish, Danish and Polish
/// calendars print them.
struct DigestWeekTests {
    private func digest(at now: String, meeting: String) -> PlannedNudge? {
        let start = Fixtures.moment(meeting)
        let anna = Meeting(id: 1, contactID: 1, contactName: "Anna Berg", startsAt: start, hasTime: true, goal: nil, goalWeak: false, whyThem: nil,
                           give: nil, question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: nil, reflected: true,
                           createdAt: Fixtures.moment(now))
        let planner = NudgePlanner(settings: NudgeSettings(routes: [.digest: "team"]), lexicon: Fixtures.english, now: Fixtures.moment(now), timeZone: Fixtures.stockholm)
        return planner.plan(meetings: [anna], followUps: [], contacts: [], interactions: []).first { $0.kind == .digest }
    }

    @Test(arguments: [
        ("2027-03-01T08:00:00+01:00", "2027-03-02T10:00:00+01:00", 2027, 9),
        ("2026-11-23T08:00:00+01:00", "2026-11-24T10:00:00+01:00", 2026, 48),
        ("2027-01-01T08:00:00+01:00", "2027-01-01T10:00:00+01:00", 2026, 53),
        ("2025-12-29T08:00:00+01:00", "2025-12-30T10:00:00+01:00", 2026, 1),
    ])
    func weekNumbersAreISO8601(now: String, meeting: String, year: Int, week: Int) {
        let nudge = digest(at: now, meeting: meeting)
        #expect(nudge?.key == "digest-\(year)-w\(week)")
        #expect(nudge?.title == "Your networking week (week \(week))")
    }
}
