import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Issue 15 D: the coaching catches the traps its own seeds name, in every language.
struct CoachingTests {
    private let context = TurnContext(now: Fixtures.monday, timeZone: Fixtures.stockholm)

    private func coaching(_ flowID: String, _ language: String, at step: String, answer: String) throws -> [String] {
        var flow = try Fixtures.flow(flowID, language: language)
        flow.start = step
        let engine = DialogueEngine(flow: flow, lexicon: Fixtures.lexicon(language))
        var (state, _) = engine.start(prefill: ["contact.name": .name("Anna Berg"), "meeting.goal": .text("Intro")], context: context)
        return engine.handle(.answer(answer), state: &state, context: context).compactMap { if case .say(.coach(let text)) = $0 { text } else { nil } }
    }

    /// Seed 4: presenting yourself with no purpose is not networking, and "introduce myself" is no
    /// introduction; "getting to know him" and "building the relationship" are no goals either.
    /// Whether a condition tests the answer against a lexicon list (not inside a `not:`).
    private func tests(_ condition: Condition, _ list: String) -> Bool {
        switch condition {
        case .matches(let name, _): return name == list
        case .all(let parts), .any(let parts): return parts.contains { tests($0, list) }
        default: return false
        }
    }

    /// The rule that must answer: the one about self-display, or the one about meetings for their own sake.
    @Test(arguments: [
        ("en", "introduce myself", "self_display"), ("en", "present myself to her", "self_display"), ("en", "build the relationship", "vague_goal"),
        ("sv", "presentera mig", "self_display"), ("sv", "bygga relationen", "vague_goal"),
        ("da", "præsentere mig selv", "self_display"), ("da", "lære ham at kende", "vague_goal"), ("da", "lære hende bedre at kende", "vague_goal"),
        ("pl", "przedstawić się", "self_display"), ("pl", "zbudować relację", "vague_goal"),
    ])
    func selfDisplayAndRelationshipTalkAreNoGoal(language: String, answer: String, list: String) throws {
        let said = try coaching("prep", language, at: "goal", answer: answer)
        let rule = try #require(try Fixtures.flow("prep", language: language).step("goal")!.checks.first { tests($0.condition, list) }, "no rule about \(list)")
        let expected = rule.say
        // The rule's own words, up to its first placeholder.
        let start = String(expected.prefix { $0 != "{" }.prefix(30))
        #expect(said.count == 1 && said[0].hasPrefix(start), "\(language): “\(answer)” got \(said)")
    }

    @Test(arguments: [("en", "introduce myself and ask for a referral to their CFO"), ("sv", "en introduktion till deras ekonomichef"), ("pl", "przedstawić się i dostać kontakt do ich szefa zakupów")])
    func aConcreteOutcomeBesideItIsAGoal(language: String, answer: String) throws {
        #expect(try coaching("prep", language, at: "goal", answer: answer).isEmpty)
    }

    /// A yes is not something you give or bring.
    @Test(arguments: [("en", "give", "yes"), ("en", "question", "yes"), ("sv", "give", "ja"), ("da", "give", "ja"), ("pl", "give", "tak"), ("pl", "question", "tak")])
    func aBareYesIsNotAnAnswerToWhat(language: String, step: String, answer: String) throws {
        #expect(try coaching("prep", language, at: step, answer: answer).count == 1)
    }

    /// Seed 2: a meeting that was not worth the 1,000 kr gets advice to prioritise your time.
    @Test(arguments: [("en", "no"), ("sv", "nej"), ("da", "nej"), ("pl", "nie")])
    func aMeetingNotWorthTheMoneyGetsAdvice(language: String, answer: String) throws {
        #expect(try coaching("reflect", language, at: "worth", answer: answer).count == 1)
    }

    /// The event may be days away: its questions do not say "today".
    @Test(arguments: [("en", "today"), ("sv", "i dag"), ("da", "i dag"), ("pl", "dziś")])
    func theEventFlowDoesNotSayToday(language: String, today: String) throws {
        let flow = try Fixtures.flow("event", language: language)
        for step in flow.steps {
            let texts = [step.ask] + step.checks.map(\.say)
            #expect(!texts.contains { TextFolding.contains(words: TextFolding.words(today), in: TextFolding.words($0)) }, "\(language) event.\(step.id)")
        }
    }

    /// `ignoring:` takes a phrase's words out before a list is matched.
    @Test func aMatchCanIgnoreTheWordsOfAnotherList() throws {
        let flow = try Fixtures.flow(yaml: """
            flow: t
            title: T
            steps:
              - id: goal
                ask: Goal?
                into: meeting.goal
                check:
                  - if: { not: { matches: concrete_goal, ignoring: self_display } }
                    say: Not concrete.
                    then: ask-again
            """)
        let engine = DialogueEngine(flow: flow, lexicon: Fixtures.english)
        var (state, _) = engine.start(prefill: [:], context: context)
        #expect(engine.handle(.answer("introduce myself"), state: &state, context: context).first == .say(.coach("Not concrete.")))
        #expect(engine.handle(.answer("an introduction to the CFO"), state: &state, context: context).first != .say(.coach("Not concrete.")))
    }
}
