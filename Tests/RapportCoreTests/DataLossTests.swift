import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Issue 15: nothing a person typed is lost, whatever the language.
struct DataLossTests {
    static let languages = ["en"] + LanguageTests.languages
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    /// The shipped reflect flow, started at one of its steps.
    private func reflect(at step: String, language: String) throws -> DialogueEngine {
        var flow = try Fixtures.flow("reflect", language: language)
        flow.start = step
        return DialogueEngine(flow: flow, lexicon: Fixtures.lexicon(language))
    }

    /// The example a hint gives between its first pair of quotes, in any language's quote marks.
    private func example(in hint: String) -> String? {
        let openers: Set<Character> = ["“", "”", "„", "»", "\""]
        let closers: Set<Character> = ["”", "“", "«", "\""]
        guard let open = hint.firstIndex(where: openers.contains) else { return nil }
        let rest = hint[hint.index(after: open)...]
        guard let close = rest.firstIndex(where: closers.contains) else { return nil }
        return String(rest[..<close])
    }

    @Test(arguments: languages)
    func theReferralStepTakesItsOwnExampleWithoutADate(language: String) throws {
        let engine = try reflect(at: "referrals", language: language)
        var (state, opening) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        guard case .ask(let question)? = opening.last, let hint = question.hint, let example = example(in: hint) else {
            Issue.record("no example in the referral question: \(opening)")
            return
        }
        let outputs = engine.handle(.answer(example), state: &state, context: context)
        let inTwoWeeks = WhenValue(date: Fixtures.moment("2026-12-07T00:00:00+01:00"), hasTime: false)
        #expect(outputs.contains(.recorded(RecordedAnswer(
            stepID: "referrals", slot: "referrals", raw: example, value: .followUp(FollowUpValue(action: example, due: inTwoWeeks)), weak: false))),
            "\(language): “\(example)” was not taken: \(outputs)")
        // Enter finishes the list with the referral in it.
        _ = engine.handle(.answer(""), state: &state, context: context)
        #expect(state.slots["referrals"] == .many([.followUp(FollowUpValue(action: example, due: inTwoWeeks))]))
    }

    /// A line the step could not take is not dropped by the Enter that follows it: the person is
    /// told it was not saved, and a second Enter leaves it out knowingly.
    @Test(arguments: languages)
    func enterAfterARefusedLineSaysItWasNotSaved(language: String) throws {
        let engine = try reflect(at: "followups", language: language)
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg")], context: context)
        let refused = engine.handle(.answer("xyzzy"), state: &state, context: context)
        #expect(refused.contains { if case .say(.problem) = $0 { true } else { false } })
        let first = engine.handle(.answer(""), state: &state, context: context)
        #expect(state.currentStep == "followups", "\(language): the first Enter after a refused line moved on: \(first)")
        let warning = first.compactMap { output -> String? in if case .say(.problem(let text)) = output { text } else { nil } }.first
        #expect(warning?.contains("xyzzy") == true, "\(language): \(first)")
        _ = engine.handle(.answer(""), state: &state, context: context)
        #expect(state.currentStep != "followups")
    }

    /// A flow's default due date is written without any language's words and read so.
    @Test(arguments: [("2 weeks", DurationValue(amount: 2, unit: .week)), ("in 2 weeks", DurationValue(amount: 2, unit: .week)),
                      ("10 days", DurationValue(amount: 10, unit: .day)), ("1 month", DurationValue(amount: 1, unit: .month))])
    func aDefaultDueIsALengthOfTimeInNoLanguage(written: String, read: DurationValue) throws {
        let flow = try Fixtures.flow(yaml: """
            flow: refer
            title: Refer
            steps:
              - id: referrals
                ask: Referrals?
                expect: followup
                due_default: \(written)
                collect: true
                into: referrals
            """)
        #expect(flow.steps[0].expect == .followUp(defaultDue: read))
    }

    @Test func aDefaultDueThatIsNoLengthOfTimeIsReportedWhereItIsWritten() {
        do {
            _ = try Fixtures.flow(yaml: "flow: refer\ntitle: Refer\nsteps:\n  - id: r\n    ask: R?\n    expect: followup\n    due_default: om 2 veckor\n", file: "refer.yaml")
            Issue.record("expected the flow to be refused")
        } catch {
            #expect(error.errors.map(\.description) == [
                "refer.yaml:7:18: step 'r': 'due_default: om 2 veckor' is not a length of time; write it as a number and an English unit, like '2 weeks', '10 days' or '1 month'",
            ])
        }
    }
}
