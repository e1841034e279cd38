import Foundation

/// The calendars a person reads meetings from, and the meetings each gave: feeds with what was
/// last read from them, and each calendar occurrence linked to the meeting it became. A sync
/// writes its meetings, their contacts and their nudges in one transaction, so a feed read half
/// way changes nothing; every query is scoped to an owner and answered from an index.
public protocol CalendarStore: Sendable {
    /// Adds a feed; refused (an error naming it) when the owner has one of that name.
    func addCalendarFeed(name: String, source: String, owner: UserKey, now: Date) async throws -> CalendarFeed
    /// The owner's feeds, by name.
    func calendarFeeds(owner: UserKey) async throws -> [CalendarFeed]
    /// Removes a feed; its meetings still ahead are cancelled (those with a prep are kept, cancelled).
    /// False when the owner has no such feed.
    func removeCalendarFeed(id: Int64, owner: UserKey, now: Date) async throws -> Bool
    /// A read that changed nothing (304 Not Modified, the same file) or failed: the last good
    /// state stays as it is.
    func recordCalendarCheck(_ check: CalendarCheck, owner: UserKey) async throws
    /// Makes the feed's meetings from the window's start on match what was read, and re-plans
    /// the nudges of each meeting it touched.
    func syncCalendar(_ snapshot: CalendarSnapshot, owner: UserKey, now: Date) async throws -> CalendarSyncResult
    /// What the calendar says about a meeting that came from one; nil for other meetings.
    func calendarEvent(meetingID: Int64, owner: UserKey) async throws -> CalendarEventRecord?
}

/// An iCalendar feed as stored.
public struct CalendarFeed: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    /// A URL, `env:NAME`, or a file's path, as given.
    public var source: String
    public var etag: String?
    public var lastModified: String?
    /// The last time it was asked for, whatever came of it.
    public var lastCheckedAt: Date?
    /// The last time it was read whole (parsed), and what it gave then.
    public var lastReadAt: Date?
    public var lastError: String?
    public var meetingCount: Int
    public var warnings: [String]
    public var createdAt: Date

    public init(
        id: Int64, name: String, source: String, etag: String? = nil, lastModified: String? = nil, lastCheckedAt: Date? = nil, lastReadAt: Date? = nil,
        lastError: String? = nil, meetingCount: Int = 0, warnings: [String] = [], createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.source = source
        self.etag = etag
        self.lastModified = lastModified
        self.lastCheckedAt = lastCheckedAt
        self.lastReadAt = lastReadAt
        self.lastError = lastError
        self.meetingCount = meetingCount
        self.warnings = warnings
        self.createdAt = createdAt
    }
}

/// A read of a feed that changed nothing, or failed.
public struct CalendarCheck: Sendable, Hashable {
    public var feedID: Int64
    public var at: Date
    /// Why it failed; nil when the feed was unchanged.
    public var error: String?

    public init(feedID: Int64, at: Date, error: String?) {
        self.feedID = feedID
        self.at = at
        self.error = error
    }
}

/// What one read of a feed gave: the meetings in its window, with the validators for the next read.
public struct CalendarSnapshot: Sendable, Hashable {
    public var feedID: Int64
    public var window: DateInterval
    public var meetings: [CalendarMeetingDraft]
    public var etag: String?
    public var lastModified: String?
    public var warnings: [String]
    public var readAt: Date

    public init(feedID: Int64, window: DateInterval, meetings: [CalendarMeetingDraft], etag: String?, lastModified: String?, warnings: [String], readAt: Date) {
        self.feedID = feedID
        self.window = window
        self.meetings = meetings
        self.etag = etag
        self.lastModified = lastModified
        self.warnings = warnings
        self.readAt = readAt
    }
}

/// What a sync changed.
public struct CalendarSyncResult: Sendable, Hashable {
    public var added = 0
    public var moved = 0
    public var cancelled = 0
    /// Cancelled before and back in the feed.
    public var restored = 0
    public var unchanged = 0

    public init(added: Int = 0, moved: Int = 0, cancelled: Int = 0, restored: Int = 0, unchanged: Int = 0) {
        self.added = added
        self.moved = moved
        self.cancelled = cancelled
        self.restored = restored
        self.unchanged = unchanged
    }
}

/// A calendar occurrence as stored with its meeting: what the feed said, kept private.
public struct CalendarEventRecord: Sendable, Hashable, Codable {
    public var feedID: Int64
    public var key: String
    public var title: String?
    public var description: String?
    public var location: String?
    public var start: Date
    public var end: Date
    public var attendees: [CalendarAttendee]
    public var cancelled: Bool

    public init(feedID: Int64, key: String, title: String?, description: String?, location: String?, start: Date, end: Date, attendees: [CalendarAttendee], cancelled: Bool) {
        self.feedID = feedID
        self.key = key
        self.title = title
        self.description = description
        self.location = location
        self.start = start
        self.end = end
        self.attendees = attendees
        self.cancelled = cancelled
    }
}
