import RapportCore

/// A button pressed in chat: the answer it stands for, and the question it was shown with (the
/// conversation, its version then, the step), as the button carried them back.
public struct ChatPress: Sendable, Hashable {
    public var conversationID: Int64
    public var version: Int
    public var stepID: String
    public var answer: String

    public init(conversationID: Int64, version: Int, stepID: String, answer: String) {
        self.conversationID = conversationID
        self.version = version
        self.stepID = stepID
        self.answer = answer
    }
}
