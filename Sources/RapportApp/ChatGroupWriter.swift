import Foundation
import RapportCore
import RapportStore

/// Runs a group of turns in one transaction on its own thread: the store blocks while it
/// writes, and the server's async threads are better spent reading the next requests.
final class ChatGroupWriter: @unchecked Sendable {
    // @unchecked: `turns` and `lastForgetting` are only touched on `queue`.
    private let store: RapportDatabase
    /// The same store, joining the group's transaction.
    private let joined: RapportDatabase
    private let turns: ChatTurns
    private let clock: @Sendable () -> Date
    private let queue = DispatchQueue(label: "rapport.chat-turns")
    private var lastForgetting = Date.distantPast

    init(store: RapportDatabase, turns: ChatTurns, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.joined = store.joiningOpenTransactions()
        self.turns = turns
        self.clock = clock
    }

    func write(_ messages: [ChatService.Message]) async -> [Result<ChatService.Reply, RapportError>] {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.commit(messages)) }
        }
    }

    private func commit(_ messages: [ChatService.Message]) -> [Result<ChatService.Reply, RapportError>] {
        let now = clock()
        let committed = Result { () throws(StoreError) in
            try store.inOneTransaction {
                if now.timeIntervalSince(lastForgetting) > 3600 {
                    lastForgetting = now
                    _ = try? joined.forgetProcessed(before: now.addingTimeInterval(-ChatService.rememberMessagesFor))
                }
                return messages.map { message in
                    Result { () throws(RapportError) in
                        try wrap { () throws(StoreError) in try joined.savepoint { turn(message, now: now) } }.get()
                    }
                }
            }
        }
        switch committed {
        case .success(let results): return results
        case .failure(let error): return messages.map { _ in .failure(.store(error)) }
        }
    }

    /// One message: answered from the processed-messages record when it is a retry, otherwise
    /// run and recorded with its reply.
    private func turn(_ message: ChatService.Message, now: Date) -> Result<ChatService.Reply, RapportError> {
        Result { () throws(RapportError) in
            if let id = message.messageID, let earlier = try wrap({ () throws(StoreError) in try joined.processedReply(messageID: id) }),
               let reply = try? JSONDecoder().decode(ChatService.Reply.self, from: Data(earlier.utf8))
            {
                return reply
            }
            let reply = try turns.handle(text: message.text, userKey: message.userKey, language: message.language, now: now)
            if let id = message.messageID {
                let encoded = String(decoding: (try? JSONEncoder().encode(reply)) ?? Data(), as: UTF8.self)
                try wrap { () throws(StoreError) in try joined.recordProcessed(messageID: id, reply: encoded, now: now) }
            }
            return reply
        }
    }
}
