/// A question's one-press answers as they go out in a chat message, with the question they
/// answer: the conversation, the version of it the person is shown, and the step. A press is
/// taken only while all three are still current, so an old or doubled press changes nothing.
public struct ChatButtons: Sendable, Hashable, Codable {
    public var conversationID: Int64
    public var version: Int
    public var stepID: String
    public var choices: [QuestionChoice]

    public init(conversationID: Int64, version: Int, stepID: String, choices: [QuestionChoice]) {
        self.conversationID = conversationID
        self.version = version
        self.stepID = stepID
        self.choices = choices
    }
}
