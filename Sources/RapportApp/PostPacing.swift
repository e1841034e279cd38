import Foundation

/// When each destination (a bot's: each conversation) was last posted to, kept across delivery
/// rounds: the server's reply loop runs a round per turn, and a platform's limit (Slack's one
/// message a second per conversation) is about posts, not rounds.
public final class PostPacing: @unchecked Sendable {
    // @unchecked: the dictionary is only touched under `lock`.
    private let lock = NSLock()
    private var last: [String: Date] = [:]

    /// More conversations than this remembered at once: the ones posted to longest ago are forgotten.
    static let capacity = 10_000
    /// Longer than any platform's interval: a post this old paces nothing.
    static let memory: TimeInterval = 10

    public init() {}

    public func lastPost(to key: String) -> Date? { lock.withLock { last[key] } }

    public func posted(to key: String, at moment: Date) {
        lock.withLock {
            last[key] = moment
            if last.count > Self.capacity { last = last.filter { moment.timeIntervalSince($0.value) < Self.memory } }
        }
    }
}
