import Foundation

/// A conversation test a flow author writes in plain text and `rapport flows test` runs against
/// the real engine:
///
/// ```
/// flow: prep
/// now: 2026-11-23T10:00:00+01:00
/// time_zone: Europe/Stockholm
/// set contact.name: Anna Berg
///
/// bot: When do you meet Anna Berg?
/// you: tomorrow 14:00
/// bot~ actually want          (the bot's line contains this, ignoring case)
/// you: coffee
/// ...                         (any bot lines, up to the next "you:")
/// you: pause
/// paused                      (or: end, cancelled — how the conversation stands here)
/// ```
/// Bot lines are the questions, coaching, notes, problems, why texts, review lines
/// ("Label: value") and the card's title, lines and footer; hints are not compared.
public struct ConversationScript: Sendable {
    public enum Line: Sendable, Hashable {
        case bot(String, loose: Bool)
        case you(String)
        case anyBotLines
        case expectStatus(ConversationState.Status)
    }

    public var file: String
    public var flowID: String
    public var now: Date
    public var timeZone: TimeZone
    public var language: String?
    public var prefill: [String: SlotValue]
    /// The script's lines with their line numbers.
    public var lines: [(number: Int, line: Line)]

    /// A failure, located in the script.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// Reads a script; a malformed line is a failure naming it.
    public static func parse(_ text: String, file: String) throws(Failure) -> ConversationScript {
        var flowID: String? = nil
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        var timeZone = TimeZone(identifier: "UTC")!
        var language: String? = nil
        var prefill: [String: SlotValue] = [:]
        var lines: [(number: Int, line: Line)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = String(raw).trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            func value(after prefix: String) -> String { String(line.dropFirst(prefix.count)).trimmingWhitespace() }
            if line.hasPrefix("bot:") {
                lines.append((number, .bot(value(after: "bot:"), loose: false)))
            } else if line.hasPrefix("bot~") {
                lines.append((number, .bot(value(after: "bot~"), loose: true)))
            } else if line.hasPrefix("you:") {
                lines.append((number, .you(String(String(raw).drop { $0 != ":" }.dropFirst()).trimmingWhitespace())))
            } else if line == "..." {
                lines.append((number, .anyBotLines))
            } else if line == "end" || line == "finished" {
                lines.append((number, .expectStatus(.finished)))
            } else if let status = ConversationState.Status(rawValue: line), status != .active {
                lines.append((number, .expectStatus(status)))
            } else if !lines.isEmpty {
                throw Failure(file: file, line: number, message: "'\(line)' is not a script line; use bot:, bot~, you:, ..., end, paused or cancelled")
            } else if line.hasPrefix("flow:") {
                flowID = value(after: "flow:")
            } else if line.hasPrefix("now:") {
                guard let date = try? Date(value(after: "now:"), strategy: .iso8601) else {
                    throw Failure(file: file, line: number, message: "'now:' needs an ISO 8601 moment such as 2026-11-23T10:00:00+01:00")
                }
                now = date
            } else if line.hasPrefix("time_zone:") {
                guard let zone = TimeZone(identifier: value(after: "time_zone:")) else {
                    throw Failure(file: file, line: number, message: "'\(value(after: "time_zone:"))' is not a time zone")
                }
                timeZone = zone
            } else if line.hasPrefix("language:") {
                language = value(after: "language:")
            } else if line.hasPrefix("set "), let colon = line.firstIndex(of: ":") {
                let slot = String(line[line.index(line.startIndex, offsetBy: 4)..<colon]).trimmingWhitespace()
                let text = String(line[line.index(after: colon)...]).trimmingWhitespace()
                prefill[slot] = slot == "contact.name" ? .name(text) : .text(text)
            } else {
                throw Failure(file: file, line: number, message: "'\(line)' is not a header line; use flow:, now:, time_zone:, language: or set SLOT: VALUE")
            }
        }
        guard let flowID else { throw Failure(file: file, line: 1, message: "the script needs a 'flow:' line") }
        return ConversationScript(file: file, flowID: flowID, now: now, timeZone: timeZone, language: language, prefill: prefill, lines: lines)
    }

    /// Runs the script against an engine; returns the first mismatch, or nil when it passes.
    public func run(with engine: DialogueEngine) -> Failure? {
        let context = TurnContext(now: now, timeZone: timeZone)
        var (state, outputs) = engine.start(prefill: prefill, context: context)
        var pending = Self.botLines(outputs)
        var skipping = false
        for (number, line) in lines {
            switch line {
            case .bot(let expected, let loose):
                if skipping {
                    // Skip to the first bot line that matches.
                    while let next = pending.first, !Self.matches(next, expected, loose: loose) { pending.removeFirst() }
                    skipping = false
                }
                guard let actual = pending.first else {
                    return Failure(file: file, line: number, message: "expected the bot to say “\(expected)”, but it said nothing more")
                }
                guard Self.matches(actual, expected, loose: loose) else {
                    return Failure(file: file, line: number, message: "expected “\(expected)”, the bot said “\(actual)”")
                }
                pending.removeFirst()
            case .anyBotLines:
                skipping = true
            case .you(let text):
                if !skipping, let unexpected = pending.first {
                    return Failure(file: file, line: number, message: "the bot also said “\(unexpected)” before this answer; add it, or a '...' line")
                }
                skipping = false
                outputs = engine.handle(.answer(text), state: &state, context: context)
                pending = Self.botLines(outputs)
            case .expectStatus(let status):
                if !skipping, let unexpected = pending.first {
                    return Failure(file: file, line: number, message: "the bot also said “\(unexpected)”; add it, or a '...' line")
                }
                pending = []
                skipping = false
                guard state.status == status else {
                    return Failure(file: file, line: number, message: "expected the conversation to be \(status.rawValue), it is \(state.status.rawValue)")
                }
            }
        }
        return nil
    }

    /// The script with every bot line filled in from what the engine says to its `you:` lines,
    /// and the state it ends in: how a flow author records a script from answers alone. Header
    /// lines and comments at the top are kept as they are.
    public func record(with engine: DialogueEngine, header: String) -> String {
        let context = TurnContext(now: now, timeZone: timeZone)
        var (state, outputs) = engine.start(prefill: prefill, context: context)
        var text = header.hasSuffix("\n") ? header : header + "\n"
        text += "\n"
        func say(_ outputs: [EngineOutput]) {
            for line in Self.botLines(outputs) { text += "bot: \(line)\n" }
        }
        say(outputs)
        for (_, line) in lines {
            guard case .you(let answer) = line, state.isOpen else { continue }
            text += answer.isEmpty ? "you:\n" : "you: \(answer)\n"
            outputs = engine.handle(.answer(answer), state: &state, context: context)
            say(outputs)
        }
        switch state.status {
        case .finished: text += "end\n"
        case .paused: text += "paused\n"
        case .cancelled: text += "cancelled\n"
        case .active: break
        }
        return text
    }

    static func matches(_ actual: String, _ expected: String, loose: Bool) -> Bool {
        loose ? TextFolding.fold(actual).contains(TextFolding.fold(expected)) : actual == expected
    }

    /// What the bot said, as script lines.
    static func botLines(_ outputs: [EngineOutput]) -> [String] {
        var lines: [String] = []
        for output in outputs {
            switch output {
            case .ask(let question): lines.append(question.text)
            case .say(.coach(let text)), .say(.note(let text)), .say(.problem(let text)), .say(.why(let text)): lines.append(text)
            case .say(.review(let items)): lines.append(contentsOf: items.map { "\($0.label): \($0.value)" })
            case .finished(let card?):
                lines.append(card.title)
                lines.append(contentsOf: card.lines.map { "\($0.label): \($0.text)" })
                if let footer = card.footer { lines.append(footer) }
            case .finished(nil), .recorded, .paused, .cancelled: break
            }
        }
        return lines
    }
}
