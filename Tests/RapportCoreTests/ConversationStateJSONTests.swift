import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The hand-written JSON of a conversation's state reads back, through its `Codable`
/// conformance, as the state it was written from, and is the text `JSONEncoder` writes.
struct ConversationStateJSONTests {
    private static func sortedEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private static func readBack(_ state: ConversationState) throws -> ConversationState {
        try JSONDecoder().decode(ConversationState.self, from: Data(state.json.utf8))
    }

    /// Every kind of slot value, and every optional field set.
    private static func everyKind() -> ConversationState {
        var state = ConversationState(flowID: "reflect", language: "pl", prefill: ["contact.name": .name("Łukasz Wójcik"), "meeting.id": .number(42)])
        state.answers = [
            "when": .init(raw: "jutro 14:00", value: .when(WhenValue(date: Date(timeIntervalSince1970: 1_796_392_800), hasTime: true)), weak: false, slot: "meeting.when"),
            "day": .init(raw: "fri", value: .when(WhenValue(date: Date(timeIntervalSince1970: -86_400.5), hasTime: false)), weak: true, slot: "meeting.day"),
            "warm": .init(raw: "every 3 weeks", value: .duration(DurationValue(amount: 3, unit: .week)), weak: false, slot: "contact.keep_in_touch"),
            "deck": .init(
                raw: "send the deck by friday", value: .followUp(FollowUpValue(action: "send the deck", due: WhenValue(date: Date(timeIntervalSince1970: 1_796_500_000), hasTime: false))),
                weak: false, slot: "followup"),
            "ok": .init(raw: "yes", value: .bool(true), weak: false, slot: "reflection.goal_reached"),
            "tags": .init(raw: "a, b", value: .list(["a", "b", ""]), weak: false, slot: "tags"),
            "many": .init(raw: "", value: .many([.text("one"), .followUp(FollowUpValue(action: "two", due: WhenValue(date: Date(timeIntervalSince1970: 0), hasTime: true))), .many([])]), weak: false, slot: nil),
            "skipped": .init(raw: "", value: nil, weak: false, slot: "meeting.pitch"),
            "pick": .init(raw: "2", value: .choice("partly"), weak: false, slot: "contact.knows_what_i_do"),
        ]
        state.path = ["when", "day", "warm", "deck", "ok", "tags", "many", "skipped", "pick"]
        state.status = .paused
        state.currentStep = "worth_it"
        state.attempts = 2
        state.confirmingCancel = true
        state.suggestion = "tomorrow 2pm"
        state.refusedLine = "a line \"refused\""
        return state
    }

    @Test func everyKindOfValueReadsBackAsWrittenAndAsJSONEncoderWritesIt() throws {
        let state = Self.everyKind()
        #expect(try Self.readBack(state) == state)
        let encoded = String(decoding: try Self.sortedEncoder().encode(state), as: UTF8.self)
        #expect(state.json == encoded)
    }

    @Test func eachAnswersValueIsWrittenAsJSONEncoderWritesItAndReadsBack() throws {
        for (step, answer) in Self.everyKind().answers {
            guard let value = answer.value else { continue }
            #expect(value.json == String(decoding: try Self.sortedEncoder().encode(value), as: UTF8.self), "\(step)")
            #expect(try JSONDecoder().decode(SlotValue.self, from: Data(value.json.utf8)) == value, "\(step)")
        }
    }

    @Test func aNewStateWithNothingOptionalReadsBack() throws {
        let state = ConversationState(flowID: "prep", language: "en", prefill: [:])
        #expect(state.json == #"{"answers":{},"attempts":0,"confirmingCancel":false,"flowID":"prep","language":"en","path":[],"prefill":{},"status":"active"}"#)
        #expect(try Self.readBack(state) == state)
    }

    /// Whatever a person types is stored in `raw`: quotes, backslashes, every control character,
    /// slashes, emoji, scripts, the line separators JSON lets through and JavaScript does not.
    @Test func anyTextAPersonTypesReadsBackUnchanged() throws {
        let pieces = ["\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "é", "Ł", "日本", "👩🏽‍💻", "\u{FEFF}",
                      " ", "a", "{\"x\":1}", "\\u0041", "</script>"]
        var generator = SplitMix64(seed: 7)
        for round in 0..<300 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var state = ConversationState(flowID: "prep", language: "en", prefill: ["contact.name": .name(text)])
            state.answers["goal"] = .init(raw: text, value: .text(text), weak: round.isMultiple(of: 2), slot: text.isEmpty ? nil : "meeting.goal")
            state.path = ["goal", text]
            state.currentStep = text
            let back = try Self.readBack(state)
            #expect(back == state, "round \(round): \(text.debugDescription)")
            #expect(!state.json.unicodeScalars.contains { $0.value < 0x20 }, "control characters are escaped")
        }
    }
}
