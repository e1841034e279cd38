import Foundation
import RapportCore

/// What a Block Kit button carries back when pressed: `c<conversation>|v<version>|<step>|<answer>`,
/// or, on the first question of a conversation whose id was not given yet, `s<started>|…` with
/// the moment it was started (`ChatButtons.mark`). Slack returns the `value` as we posted it,
/// but the request is read as hostile all the same: anything malformed, oversized or out of
/// range is no press.
public struct SlackButtonValue: Sendable, Hashable {
    /// 0 when the button names the conversation by `startedAt`.
    public var conversationID: Int64
    public var version: Int
    public var stepID: String
    public var answer: String
    public var startedAt: Int64?

    /// Slack's cap on a button's `value`.
    public static let maximumLength = 2_000
    /// Longer than any step id a flow has; a longer one is not ours.
    static let maximumStepLength = 100

    public init(conversationID: Int64, version: Int, stepID: String, answer: String, startedAt: Int64? = nil) {
        self.conversationID = conversationID
        self.version = version
        self.stepID = stepID
        self.answer = answer
        self.startedAt = conversationID > 0 ? nil : startedAt
    }

    /// The value to post, or nil when it would not read back as this same press (a step id
    /// with a `|`, an empty answer, more than Slack keeps, no conversation).
    public var encoded: String? {
        let conversation = conversationID > 0 ? "c\(conversationID)" : startedAt.map { "s\($0)" } ?? "c0"
        let value = "\(conversation)|v\(version)|\(stepID)|\(answer)"
        return SlackButtonValue(parsing: value) == self ? value : nil
    }

    /// A pressed button's value read back, or nil when it is not one of ours.
    public init?(parsing value: String) {
        guard value.utf8.count <= Self.maximumLength else { return nil }
        let parts = value.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let version = Self.number(parts[1], prefix: "v", digits: 9).flatMap({ Int($0) }), version > 0 else { return nil }
        var conversation: Int64 = 0
        var started: Int64?
        if let id = Self.number(parts[0], prefix: "c", digits: 18).flatMap({ Int64($0) }), id > 0 {
            conversation = id
        } else if let mark = Self.number(parts[0], prefix: "s", digits: 15).flatMap({ Int64($0) }), mark > 0 {
            started = mark
        } else {
            return nil
        }
        let step = parts[2], answer = parts[3]
        guard !step.isEmpty, step.count <= Self.maximumStepLength,
              step.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_-.".unicodeScalars.contains($0)) }),
              !answer.trimmingCharacters(in: .whitespaces).isEmpty,
              !answer.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        self.init(conversationID: conversation, version: version, stepID: String(step), answer: String(answer), startedAt: started)
    }

    /// The ASCII digits after a one-letter prefix, at most `digits` of them (so that they fit).
    private static func number(_ part: Substring, prefix: Character, digits: Int) -> Substring? {
        guard part.first == prefix else { return nil }
        let number = part.dropFirst()
        guard !number.isEmpty, number.count <= digits, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return number
    }
}
