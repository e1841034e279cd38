import Foundation
import RapportCore

/// What a button on a nudge in its owner's DM carries back: `nudge|<action>|<m or f><id>|<owner>`,
/// e.g. `nudge|prep|m12|U2147483697`. A second format beside the question's (`SlackButtonValue`,
/// which starts `c<digits>|`), read as defensively: anything malformed, oversized or out of
/// range is no press.
public struct SlackNudgeValue: Sendable, Hashable {
    public var action: NudgeAction.Kind
    public var subjectID: Int64
    /// The Slack user id of the nudge's owner.
    public var owner: String

    static let prefix = "nudge"

    public init(action: NudgeAction.Kind, subjectID: Int64, owner: String) {
        self.action = action
        self.subjectID = subjectID
        self.owner = owner
    }

    /// The value to post, or nil when it would not read back as this same press.
    public var encoded: String? {
        let value = [Self.prefix, action.rawValue, (action.isAboutMeeting ? "m" : "f") + String(subjectID), owner].joined(separator: "|")
        return SlackNudgeValue(parsing: value) == self ? value : nil
    }

    /// A pressed button's value read back, or nil when it is not a nudge's of ours.
    public init?(parsing value: String) {
        guard value.utf8.count <= SlackButtonValue.maximumLength else { return nil }
        let parts = value.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.prefix, let action = NudgeAction.Kind(rawValue: String(parts[1])) else { return nil }
        let subject = parts[2]
        guard subject.first == (action.isAboutMeeting ? "m" : "f") else { return nil }
        let digits = subject.dropFirst()
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(digits), id > 0 else { return nil }
        // Slack's user ids are short, upper-case letters and digits.
        let owner = parts[3]
        guard !owner.isEmpty, owner.count <= 64, owner.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) })
        else { return nil }
        self.init(action: action, subjectID: id, owner: String(owner))
    }
}
