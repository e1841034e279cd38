/// The front end a conversation turn came through. A conversation remembers the last one that
/// showed its question, so a chat message that follows an answer given in the terminal is not
/// taken as the answer to a question the chat never showed.
public enum ConversationChannel: Hashable, Sendable {
    case terminal
    case chat(UserKey.Platform)

    /// The stored form: `terminal`, `chat:slack`, …
    public var stored: String {
        switch self {
        case .terminal: return "terminal"
        case .chat(let platform): return "chat:" + platform.rawValue
        }
    }

    public init?(stored: String) {
        if stored == "terminal" {
            self = .terminal
        } else if stored == "chat" {
            self = .chat(.web)  // stores written before channels named their platform
        } else if stored.hasPrefix("chat:"), let platform = UserKey.Platform(rawValue: String(stored.dropFirst(5))) {
            self = .chat(platform)
        } else {
            return nil
        }
    }
}
