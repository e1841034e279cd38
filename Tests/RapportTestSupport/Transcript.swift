import Foundation
import RapportCore
import Testing

/// Drives an engine with scripted answers and writes what happened as readable text: the form
/// golden transcripts are kept in.
public struct TranscriptRecorder {
    public let engine: DialogueEngine
    public var context: TurnContext
    public private(set) var state: ConversationState
    public private(set) var text = ""

    /// Starts a conversation and records its opening.
    public init(engine: DialogueEngine, prefill: [String: SlotValue] = [:], context: TurnContext) {
        self.engine = engine
        self.context = context
        let (state, outputs) = engine.start(prefill: prefill, context: context)
        self.state = state
        record(outputs)
    }

    /// Continues a conversation from a saved state.
    public init(engine: DialogueEngine, state: ConversationState, context: TurnContext) {
        self.engine = engine
        self.context = context
        self.state = state
    }

    /// Sends one event and records it and the engine's reply.
    @discardableResult
    public mutating func send(_ event: ConversationEvent) -> [EngineOutput] {
        switch event {
        case .answer(let answer): text += "> \(answer)\n"
        case .endOfInput: text += "> (end of input)\n"
        case .unreadableInput: text += "> (unreadable input)\n"
        case .resume: text += "> (resume)\n"
        }
        let outputs = engine.handle(event, state: &state, context: context)
        record(outputs)
        return outputs
    }

    /// Answers each line in turn.
    public mutating func answer(_ lines: String...) {
        for line in lines { send(.answer(line)) }
    }

    private mutating func record(_ outputs: [EngineOutput]) {
        for output in outputs {
            switch output {
            case .ask(let question):
                text += "Q: \(question.text)\n"
                if let hint = question.hint { text += "   (\(hint))\n" }
                if let previous = question.previous { text += "   [Enter keeps: \(previous)]\n" }
            case .say(.coach(let line)): text += "» \(line)\n"
            case .say(.note(let line)): text += "~ \(line)\n"
            case .say(.problem(let line)): text += "! \(line)\n"
            case .say(.why(let line)): text += "why: \(line)\n"
            case .say(.review(let items)):
                for item in items { text += "  \(item.label): \(item.value)\n" }
            case .recorded(let answer):
                text += "  [saved \(answer.slot ?? answer.stepID)\(answer.weak ? " (weak)" : "")]\n"
            case .finished(let card):
                text += "[finished]\n"
                if let card { text += card.plainText }
            case .paused: text += "[paused]\n"
            case .cancelled: text += "[cancelled]\n"
            }
        }
    }
}

/// Compares `actual` with the golden file `Transcripts/<name>.txt` beside the calling test file.
/// With `RECORD_TRANSCRIPTS=1` in the environment the file is written instead (and the test
/// fails, so a recording is never mistaken for a pass).
public func assertTranscript(_ actual: String, named name: String, filePath: String = #filePath, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")
    let file = directory.appendingPathComponent("\(name).txt")
    let record = ProcessInfo.processInfo.environment["RECORD_TRANSCRIPTS"] != nil
    guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("Recorded transcript \(file.path); check it and run the tests again.", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "transcript '\(name)' differs from \(file.path); rerun with RECORD_TRANSCRIPTS=1 if the change is intended", sourceLocation: sourceLocation)
}
