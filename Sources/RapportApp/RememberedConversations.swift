import Foundation
import RapportCore
import Synchronization

/// Each chat user's open conversation as this process last committed it, so their next message
/// can be answered without reading it first. Only ever a guess: a turn computed from it commits
/// only while it is still the user's newest open conversation at that version (another replica
/// may have moved it on, finished it or started another), and is read again otherwise.
final class RememberedConversations: Sendable {
    /// People remembered at most; beyond it, one is forgotten for each one added.
    static let capacity = 4096

    private let conversations = Mutex<[UserKey: StoredConversation]>([:])

    func conversation(of owner: UserKey) -> StoredConversation? {
        conversations.withLock { $0[owner] }
    }

    /// What a turn left: its conversation while open, nothing once it ended.
    func note(_ outcome: ConversationService.Outcome) {
        guard case .turn(let turn) = outcome else { return }
        let conversation = turn.conversation
        conversations.withLock { remembered in
            guard conversation.state.isOpen else {
                if remembered[conversation.owner]?.id == conversation.id { remembered[conversation.owner] = nil }
                return
            }
            if remembered[conversation.owner] == nil, remembered.count >= Self.capacity {
                remembered.remove(at: remembered.startIndex)
            }
            remembered[conversation.owner] = conversation
        }
    }

    func forget(_ owner: UserKey) {
        _ = conversations.withLock { $0.removeValue(forKey: owner) }
    }
}
