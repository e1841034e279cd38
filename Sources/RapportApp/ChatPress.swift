import RapportCore

/// A button pressed in chat: the answer it stands for, and the question it was shown with (the
/// conversation, its version then, the step), as the button carried them back.
public struct ChatPress: Sendable, Hashable {
    /// 0 for the first question of a conversation then being started (`startedAt` finds it).
    public var conversationID: Int64
    public var version: Int
    public var stepID: String
    public var answer: String
    /// The moment the conversation was started (`ChatButtons.mark`), when its id was not yet known.
    public var startedAt: Int64?

    public init(conversationID: Int64, version: Int, stepID: String, answer: String, startedAt: Int64? = nil) {
        self.conversationID = conversationID
        self.version = version
        self.stepID = stepID
        self.answer = answer
        self.startedAt = startedAt
    }
}
