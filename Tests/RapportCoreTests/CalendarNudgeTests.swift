import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Nudges of meetings from the calendar: "not prepared yet" at its time, the reminder and
/// "how did it go?" at the calendar's time, and nothing from the calendar said unless shared.
struct CalendarNudgeTests {
    let monday = Fixtures.moment("2026-11-23T10:00:00+01:00")
    let all = Dictionary(uniqueKeysWithValues: NudgeKind.allCases.map { ($0, "team") })

    private func meeting(_ start: String, goal: String? = nil, cancelled: Bool = false) -> Meeting {
        Meeting(
            id: 7, contactID: 1, contactName: "Anna Berg", startsAt: Fixtures.moment(start), hasTime: true, goal: goal, goalWeak: false, whyThem: nil, give: nil,
            question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: nil, cancelled: cancelled,
            createdAt: monday, calendarEventID: 3, calendarTitle: "Pipeline review with Kund AB")
    }

    private func plan(_ meeting: Meeting, _ settings: NudgeSettings? = nil, language: String = "en") -> [PlannedNudge] {
        NudgePlanner(settings: settings ?? NudgeSettings(routes: all), lexicon: Fixtures.lexicon(language), now: monday, timeZone: Fixtures.stockholm)
            .nudges(for: meeting)
    }

    @Test func notPreparedYetGoesOutTheMorningOfTheDayOrTwoHoursBefore() {
        let afternoon = plan(meeting("2026-11-24T14:00:00+01:00")).first { $0.kind == .prep }
        #expect(afternoon?.key == "prep-m7-20261124")
        #expect(afternoon?.dueAt == Fixtures.moment("2026-11-24T09:00:00+01:00"))
        // At 10:00 the morning (09:00) is only an hour ahead: two hours before, then.
        #expect(plan(meeting("2026-11-24T10:00:00+01:00")).first { $0.kind == .prep }?.dueAt == Fixtures.moment("2026-11-24T08:00:00+01:00"))
        // At 07:30 that would be in the quiet hours, and their end is after the start: none.
        #expect(plan(meeting("2026-11-24T07:30:00+01:00")).first { $0.kind == .prep } == nil)
        let lead = NudgeSettings(routes: all, prepTiming: .before(.seconds(90 * 60)))
        #expect(plan(meeting("2026-11-24T14:00:00+01:00"), lead).first { $0.kind == .prep }?.dueAt == Fixtures.moment("2026-11-24T12:30:00+01:00"))
    }

    @Test func theReminderAndHowDidItGoUseTheCalendarTime() {
        let nudges = plan(meeting("2026-11-24T14:00:00+01:00"))
        #expect(nudges.first { $0.kind == .reminder }?.dueAt == Fixtures.moment("2026-11-24T13:00:00+01:00"))
        #expect(nudges.first { $0.kind == .reflect }?.dueAt == Fixtures.moment("2026-11-24T16:00:00+01:00"))
    }

    @Test func whatTheCalendarSaysStaysPrivateUnlessShared() {
        let quiet = plan(meeting("2026-11-24T14:00:00+01:00"))
        let text = quiet.map { ([$0.title] + $0.lines).joined(separator: " ") }.joined(separator: " | ")
        #expect(!text.contains("Anna") && !text.contains("Pipeline"), "\(text)")
        #expect(quiet.first { $0.kind == .prep }?.title == "A meeting from your calendar is not prepared yet: Tue 24 Nov 14:00")
        #expect(quiet.first { $0.kind == .reminder }?.title == "Meeting from your calendar, Tue 24 Nov 14:00")

        let shared = plan(meeting("2026-11-24T14:00:00+01:00"), NudgeSettings(routes: all, shareCalendar: true))
        let prep = shared.first { $0.kind == .prep }
        #expect(prep?.title == "Not prepared yet: meeting with Anna Berg, Tue 24 Nov 14:00")
        #expect(prep?.lines == ["“Pipeline review with Kund AB”", "Three minutes now: rapport prep Anna"])

        // Prepared in rapport, it is rapport's own record: named like any prep, and no prep nudge.
        let prepared = plan(meeting("2026-11-24T14:00:00+01:00", goal: "An intro to their CFO"))
        #expect(prepared.map(\.kind) == [.reminder, .reflect])
        #expect(prepared.first?.title == "Meeting with Anna Berg, Tue 24 Nov 14:00")
        #expect(prepared.first?.lines == [], "the title is the calendar's, and not shared")
    }

    @Test func aCancelledMeetingHasNoNudges() {
        #expect(plan(meeting("2026-11-24T14:00:00+01:00", cancelled: true)).isEmpty)
    }

    @Test(arguments: ["sv", "da", "pl"])
    func everyLanguageHasItsOwnWords(_ language: String) throws {
        // Not English filling a gap: each key is in the language's own lexicon file.
        let text = try String(contentsOf: Fixtures.prompts.appendingPathComponent("lexicons/\(language).yaml"), encoding: .utf8)
        for key in ["nudge_reminder_private", "nudge_prep", "nudge_prep_how", "nudge_prep_private", "nudge_prep_how_private", "nudge_reflect_private",
                    "nudge_reflect_how_private", "nudge_digest_meeting_private", "nudge_calendar_title", "home_not_prepared"] {
            #expect(text.contains("\n  \(key): "), "\(language) lacks \(key)")
        }
        #expect(Fixtures.lexicon(language).message("home_not_prepared", ["first": "anna"]).hasSuffix("rapport prep anna"))
    }
}
