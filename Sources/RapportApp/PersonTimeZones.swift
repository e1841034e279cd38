import Foundation
import RapportCore

/// Where a chat user's own time zone comes from (Slack's `users.info`), so that "Friday 14:00"
/// typed in Auckland is read as Auckland's Friday, not the server's.
public protocol PersonTimeZones: Sendable {
    /// The time zone of the person who sent a message (their platform id, before any mapping to
    /// a profile), or nil when it is not known (the configured one is used then).
    /// Bounded in time: a platform that does not answer costs a turn at most a second or so.
    func timeZone(of sender: UserKey) async -> TimeZone?
}
