/// A button on a nudge in its owner's direct message: what pressing it does, to which record,
/// and whose nudge it is (the Slack user the DM is with), so a press by anyone else changes nothing.
public struct NudgeAction: Sendable, Hashable, Codable {
    /// What a press does.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Starts the prep of a meeting.
        case prep
        /// Starts the reflection on a meeting.
        case reflect
        /// Asks "how did it go?" again a day later.
        case later
        /// Marks a follow-up done.
        case done
        /// Moves a follow-up a week on.
        case snooze

        /// Whether the subject is a meeting (else a follow-up).
        public var isAboutMeeting: Bool { self == .prep || self == .reflect || self == .later }
    }

    public var kind: Kind
    /// The meeting's id for prep, reflect and later; the follow-up's for done and snooze.
    public var subjectID: Int64
    /// The chat user id of the nudge's owner (Slack's `U…`).
    public var owner: String
    /// The button's text, in the owner's language.
    public var label: String

    public init(kind: Kind, subjectID: Int64, owner: String, label: String) {
        self.kind = kind
        self.subjectID = subjectID
        self.owner = owner
        self.label = label
    }
}
