import Foundation
import RapportCore

// One input is one file a person (or an attacker) writes: read as a flow, as a lexicon and as
// a locale, as `rapport flows lint` and every command read them. Each reader must end with a
// flow or located errors — never a trap, a stack overflow or unbounded memory (libFuzzer's
// -rss_limit_mb and -timeout stop a run that grows or hangs): the node and depth budgets
// (NodeBudget) hold whatever the aliases, nesting and size.

let vocabulary = FlowVocabulary(lists: ["positive", "vague_goals"], principles: ["P1", "P2", "P3"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFiles(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    do {
        let flow = try FlowParser.parse(yaml: text, file: "fuzz.yaml", vocabulary: vocabulary)
        precondition(!flow.steps.isEmpty, "a flow without steps was accepted")
    } catch {
        precondition(!error.description.isEmpty, "an error that says nothing")
    }
    _ = try? LexiconParser.parse(yaml: text, file: "fuzz.yaml")
    _ = try? FlowLocalizer.parse(yaml: text, file: "fuzz.yaml")
    return 0
}
