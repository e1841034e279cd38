/// What a nudge is about. The outbox keeps each message's subject, so when a record changes,
/// only that record's nudges are planned again (and the ones it no longer calls for cancelled),
/// whatever the size of the store.
public enum NudgeSubject: Hashable, Sendable {
    case meeting(Int64)
    case followUp(Int64)
    /// Keeping in touch with a contact.
    case contact(Int64)
    /// The weekly digest, which time alone calls for.
    case digest
    /// A bot's reply to a chat message: no record plans it, so no re-plan ever cancels it.
    case reply

    /// The stored form: `m12`, `f7`, `c3`, `digest`.
    public var stored: String {
        switch self {
        case .meeting(let id): return "m\(id)"
        case .followUp(let id): return "f\(id)"
        case .contact(let id): return "c\(id)"
        case .digest: return "digest"
        case .reply: return "reply"
        }
    }
}
