import RapportApp

/// The replies to the last few thousand platform message ids (Mattermost `post_id`, Slack
/// `trigger_id`), so a delivery the platform retries is answered again without being applied twice.
/// Concurrent copies of one message wait for the same turn.
actor RecentReplies {
    private var turns: [String: Task<ChatService.Reply, any Error>] = [:]
    private var order: [String] = []
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The reply to `id`: the one already given, or `turn`'s when the id is new (or nil: no dedupe).
    func reply(to id: String?, turn: @escaping @Sendable () async throws -> ChatService.Reply) async throws -> ChatService.Reply {
        guard let id, !id.isEmpty else { return try await turn() }
        if let known = turns[id] { return try await known.value }
        let task = Task { try await turn() }
        turns[id] = task
        order.append(id)
        if order.count > capacity { turns[order.removeFirst()] = nil }
        do {
            return try await task.value
        } catch {
            // A turn that failed was not applied; let the platform's retry try again.
            turns[id] = nil
            throw error
        }
    }
}
