import Foundation

/// A question's one-press answers as they go out in a chat message, with the question they
/// answer: the conversation, the version of it the person is shown, and the step. A press is
/// taken only while all three are still current, so an old or doubled press changes nothing.
public struct ChatButtons: Sendable, Hashable, Codable {
    /// The conversation; 0 for the first question of one being started, whose id the store
    /// gives only as it saves it (then `startedAt` says which).
    public var conversationID: Int64
    public var version: Int
    public var stepID: String
    public var choices: [QuestionChoice]
    /// For a conversation being started: the moment it was started (`mark`), which with the
    /// person pressing finds it, as their newest conversation started then.
    public var startedAt: Int64?

    public init(conversationID: Int64, version: Int, stepID: String, choices: [QuestionChoice], startedAt: Int64? = nil) {
        self.conversationID = conversationID
        self.version = version
        self.stepID = stepID
        self.choices = choices
        self.startedAt = startedAt
    }

    /// A start moment as buttons carry it: whole milliseconds since 1970, the precision both
    /// stores keep a conversation's creation time to.
    public static func mark(_ moment: Date) -> Int64 {
        Int64((moment.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Whether a conversation created at `created` is the one started at `mark` (a store may
    /// round where the other truncates: a millisecond either way).
    public static func isStarted(at mark: Int64, created: Date) -> Bool {
        abs(Self.mark(created) - mark) <= 1
    }
}
