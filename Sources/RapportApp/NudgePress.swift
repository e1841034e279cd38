import RapportCore

/// A button pressed on a nudge in its owner's DM, as the button carried it back: what to do, to
/// which meeting or follow-up, and whose nudge it was.
public struct NudgePress: Sendable, Hashable {
    public var action: NudgeAction.Kind
    public var subjectID: Int64
    /// The chat user id of the nudge's owner; a press by anyone else changes nothing.
    public var owner: String

    public init(action: NudgeAction.Kind, subjectID: Int64, owner: String) {
        self.action = action
        self.subjectID = subjectID
        self.owner = owner
    }
}
