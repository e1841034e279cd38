import Foundation
import RapportApp
import RapportCore

// One input is one conversation: the first byte picks a flow and language, the second the
// moment it happens, and each following line is a message a chat user sends. A line that is
// just ^D pauses the conversation and ^E resumes it. Whatever the text, the engine must answer
// without trapping, and a finished conversation must map to records and its state survive the
// JSON round trip the store makes.

let prompts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../Prompts").standardized.path
let engines: [DialogueEngine] = {
    let library = FlowLibrary(directories: [prompts])
    var engines: [DialogueEngine] = []
    for language in ["en", "sv", "da", "pl"] {
        let lexicon = try! library.lexicon(language: language)
        for id in library.flowIDs() {
            engines.append(DialogueEngine(flow: try! library.flow(id: id, lexicon: lexicon), lexicon: lexicon))
        }
    }
    return engines
}()
let timeZone = TimeZone(identifier: "Europe/Stockholm")!
let start = Date(timeIntervalSince1970: 1_795_430_000)  // Monday 23 Nov 2026, mid-morning

/// Builds the globals before the first input, so that LeakSanitizer does not count what they
/// keep for the life of the process as that input's leak.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>>>) -> CInt {
    _ = engines.count
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConversation(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    guard bytes.count >= 2 else { return 0 }
    let engine = engines[Int(bytes[0]) % engines.count]
    // Any hour of the year around the start, so month ends, DST changes and leap years come up.
    let now = start.addingTimeInterval(Double(Int(bytes[1]) - 128) * 3 * 86_400 + Double(bytes[1] % 24) * 3600)
    let context = TurnContext(now: now, timeZone: timeZone, knownNames: ["Anna Berg", "Łukasz Wójcik", "Søren Ærø"])
    var (state, _) = engine.start(prefill: ["me.pitch": .text("I help builders cut heating costs")], context: context)
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[2...]), as: UTF8.self)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
        let event: ConversationEvent = line == "\u{4}" ? .endOfInput : line == "\u{5}" ? .resume : .answer(String(line))
        let outputs = engine.handle(event, state: &state, context: context)
        for case .finished(let card) in outputs {
            _ = ConversationOutcome(state: state, card: card, formatter: ValueFormatter(lexicon: engine.lexicon, now: now, timeZone: timeZone))
        }
    }
    // As the stores write it (by hand) and read it (Codable).
    let restored = try! JSONDecoder().decode(ConversationState.self, from: Data(state.json.utf8))
    precondition(restored == state, "the state changed on its way through JSON")
    return 0
}
