import Foundation
import RapportCore

/// The home screen: what is coming up, what waits for "how did it go?", what is due this week
/// and what is unfinished. A handful of indexed reads, whatever the size of the store.
public struct HomeService: Sendable {
    let meetings: MeetingService
    let followUps: FollowUpService
    let conversations: ConversationService
    let timeZone: TimeZone

    public init(meetings: MeetingService, followUps: FollowUpService, conversations: ConversationService, timeZone: TimeZone) {
        self.meetings = meetings
        self.followUps = followUps
        self.conversations = conversations
        self.timeZone = timeZone
    }

    public struct Overview: Sendable {
        /// Meetings from today on that have not started yet, soonest first.
        public var upcoming: [Meeting]
        public var awaitingReflection: [Meeting]
        /// Due now or within the week.
        public var due: [DueItem]
        public var unfinished: [ConversationSummary]

        /// Nothing at all yet: the home screen explains what rapport is for.
        public var isEmpty: Bool { upcoming.isEmpty && awaitingReflection.isEmpty && due.isEmpty && unfinished.isEmpty }
    }

    public func overview(owner: UserKey = .local, now: Date) async throws -> Overview {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Today's meetings that have started are no longer upcoming: ask a few more than are shown.
        let upcoming = try await meetings.meetings(owner: owner, from: calendar.startOfDay(for: now), limit: 10)
            .filter { !$0.cancelled && !($0.hasTime && ($0.startsAt ?? now) < now) }
        return Overview(
            upcoming: Array(upcoming.prefix(5)),
            awaitingReflection: try await meetings.awaitingReflection(owner: owner, now: now, limit: 5),
            due: try await followUps.dueWithinAWeek(owner: owner, now: now, limit: 8),
            unfinished: try await conversations.openConversations(owner: owner, limit: 5))
    }
}
