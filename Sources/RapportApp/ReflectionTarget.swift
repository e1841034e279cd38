import RapportCore

/// Which meeting a reflection is about, as decided from what the person typed (a name, `#ID`,
/// or nothing). The terminal and chat present the same decision their own way.
public enum ReflectionTarget: Sendable {
    /// Reflect on this meeting; with `earlier`, the reflection written before, to edit.
    case meeting(Meeting, earlier: Reflection?)
    /// Several meetings could be meant, most recent first; the person picks one (or another
    /// meeting with the contact, when one is named).
    case chooseMeeting([Meeting], contact: Contact?)
    /// Several people match the name.
    case chooseContact([Contact], query: String)
    /// Every meeting with the contact has a reflection: edit the latest, or reflect on another meeting.
    case allReflected(latest: Meeting, earlier: Reflection, contact: Contact)
    /// The only meeting with the contact is still ahead: there is nothing to reflect on yet.
    case notYet(Meeting)
    /// A meeting that was not prepared here: the reflection asks who and when first.
    case adHoc(contactName: String?)
    /// `#ID` names no meeting of this person's.
    case noSuchMeeting(Int64)
}
