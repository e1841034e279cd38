import Foundation
import PostgresNIO
import RapportCore

/// The calendar port as the SQLite store has it; a sync locks its feed's row first, so two
/// replicas reading the same feed at once write one after the other, not the same rows twice.
extension PostgresStore: CalendarStore {
    static let feedColumns = "id, name, source, etag, last_modified, last_checked_at, last_read_at, last_error, meeting_count, warnings, created_at"

    static func feed(_ row: PostgresRandomAccessRow) throws -> CalendarFeed {
        let warnings = try row.value("warnings", as: String?.self).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        return CalendarFeed(
            id: try row.value("id"), name: try row.value("name"), source: try row.value("source"), etag: try row.value("etag"),
            lastModified: try row.value("last_modified"), lastCheckedAt: try row.value("last_checked_at"), lastReadAt: try row.value("last_read_at"),
            lastError: try row.value("last_error"), meetingCount: Int(try row.value("meeting_count", as: Int32.self)), warnings: warnings,
            createdAt: try row.value("created_at"))
    }

    public func addCalendarFeed(name: String, source: String, owner: UserKey, now: Date) async throws -> CalendarFeed {
        let logger = self.logger
        return try await transaction { connection in
            guard let row = try await connection.row("""
                INSERT INTO calendar_feeds (owner, name, source, created_at) VALUES (\(owner.stored), \(name), \(source), \(now))
                ON CONFLICT (owner, name) DO NOTHING RETURNING id
                """, logger) else {
                throw StoreContractError("there is already a calendar named '\(name)'")
            }
            return CalendarFeed(id: try row.value("id"), name: name, source: source, createdAt: now)
        }
    }

    public func calendarFeeds(owner: UserKey) async throws -> [CalendarFeed] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.feedColumns) FROM calendar_feeds WHERE owner = \(owner.stored) ORDER BY name", logger).map(Self.feed)
        }
    }

    public func removeCalendarFeed(id: Int64, owner: UserKey, now: Date) async throws -> Bool {
        let logger = self.logger
        return try await transaction { connection in
            guard try await connection.row("SELECT id FROM calendar_feeds WHERE id = \(id) AND owner = \(owner.stored) FOR UPDATE", logger) != nil else { return false }
            for row in try await connection.rows("SELECT meeting_id, starts_at FROM calendar_events WHERE feed_id = \(id)", logger) {
                guard let meetingID = try row.value("meeting_id", as: Int64?.self) else { continue }
                // Meetings still ahead go with the feed (cancelled, and still known as the calendar's, so
                // they are listed nowhere); those that happened stay, as meetings of their own.
                if try row.value("starts_at", as: Date.self) >= now {
                    try await connection.run("UPDATE meetings SET status = 'cancelled' WHERE id = \(meetingID) AND status = 'planned'", logger)
                }
                try await connection.run("UPDATE meetings SET calendar_event_id = NULL WHERE id = \(meetingID) AND status != 'cancelled'", logger)
                try await self.replan(meeting: meetingID, now: now, connection)
                if let contact = try await connection.row("SELECT contact_id FROM meetings WHERE id = \(meetingID)", logger) {
                    try await self.replan(contact: try contact.value("contact_id"), now: now, connection)
                }
            }
            try await connection.run("DELETE FROM calendar_feeds WHERE id = \(id)", logger)
            return true
        }
    }

    public func recordCalendarCheck(_ check: CalendarCheck, owner: UserKey) async throws {
        let logger = self.logger
        _ = try await transaction { connection in
            try await connection.run("""
                UPDATE calendar_feeds SET last_checked_at = \(check.at), last_error = \(check.error) WHERE id = \(check.feedID) AND owner = \(owner.stored)
                """, logger)
        }
    }

    public func syncCalendar(_ snapshot: CalendarSnapshot, owner: UserKey, now: Date) async throws -> CalendarSyncResult {
        let logger = self.logger
        return try await transaction { connection in
            guard try await connection.row("SELECT id FROM calendar_feeds WHERE id = \(snapshot.feedID) AND owner = \(owner.stored) FOR UPDATE", logger) != nil else {
                throw StoreContractError("there is no calendar #\(snapshot.feedID)")
            }
            var result = CalendarSyncResult()
            var keys: Set<String> = []
            let forgotten = Set(try await connection.rows("SELECT uid_digest FROM forgotten_calendar_events WHERE feed_id = \(snapshot.feedID)", logger)
                .map { try $0.value("uid_digest", as: String.self) })
            for draft in snapshot.meetings {
                guard !forgotten.contains(ForgottenEvent.digest(uid: draft.uid)), keys.insert(draft.key).inserted else { continue }
                let attendees = try PostgresRows.encode(draft.attendees)
                if let row = try await connection.row("SELECT id, meeting_id FROM calendar_events WHERE feed_id = \(snapshot.feedID) AND key = \(draft.key)", logger) {
                    let eventID: Int64 = try row.value("id")
                    try await connection.run("""
                        UPDATE calendar_events SET uid = \(draft.uid), title = \(draft.title), description = \(draft.description), location = \(draft.location),
                            starts_at = \(draft.start), ends_at = \(draft.end), attendees = \(attendees), cancelled = FALSE, updated_at = \(now)
                        WHERE id = \(eventID)
                        """, logger)
                    if let meetingID = try row.value("meeting_id", as: Int64?.self),
                       let meeting = try await connection.row("SELECT contact_id, starts_at, status FROM meetings WHERE id = \(meetingID)", logger) {
                        var changed = false
                        if try meeting.value("status", as: String.self) == "cancelled" {
                            try await connection.run("UPDATE meetings SET status = 'planned' WHERE id = \(meetingID)", logger)
                            result.restored += 1
                            changed = true
                        }
                        if try meeting.value("starts_at", as: Date?.self) != draft.start {
                            try await connection.run("UPDATE meetings SET starts_at = \(draft.start), has_time = TRUE WHERE id = \(meetingID)", logger)
                            if !changed { result.moved += 1 }
                            changed = true
                        }
                        if !changed { result.unchanged += 1 }
                        try await self.replan(meeting: meetingID, now: now, connection)
                        if changed { try await self.replan(contact: try meeting.value("contact_id"), now: now, connection) }
                        continue
                    }
                    try await self.linkMeeting(draft, eventID: eventID, owner: owner, now: now, connection)
                    result.added += 1
                    continue
                }
                let inserted = try await connection.row("""
                    INSERT INTO calendar_events (feed_id, owner, key, uid, title, description, location, starts_at, ends_at, attendees, updated_at)
                    VALUES (\(snapshot.feedID), \(owner.stored), \(draft.key), \(draft.uid), \(draft.title), \(draft.description), \(draft.location),
                        \(draft.start), \(draft.end), \(attendees), \(now))
                    RETURNING id
                    """, logger)
                try await self.linkMeeting(draft, eventID: try inserted!.value("id"), owner: owner, now: now, connection)
                result.added += 1
            }
            // What the feed no longer has from the window's start on: cancelled, deleted, declined or moved away.
            let gone = try await connection.rows("""
                SELECT id, key, meeting_id FROM calendar_events WHERE feed_id = \(snapshot.feedID) AND starts_at >= \(snapshot.window.start) AND NOT cancelled
                """, logger)
            for row in gone where !keys.contains(try row.value("key", as: String.self)) {
                try await connection.run("UPDATE calendar_events SET cancelled = TRUE, updated_at = \(now) WHERE id = \(try row.value("id", as: Int64.self))", logger)
                result.cancelled += 1
                guard let meetingID = try row.value("meeting_id", as: Int64?.self) else { continue }
                try await connection.run("UPDATE meetings SET status = 'cancelled' WHERE id = \(meetingID) AND status = 'planned'", logger)
                try await self.replan(meeting: meetingID, now: now, connection)
                if let contact = try await connection.row("SELECT contact_id FROM meetings WHERE id = \(meetingID)", logger) {
                    try await self.replan(contact: try contact.value("contact_id"), now: now, connection)
                }
            }
            let warnings = try PostgresRows.encode(snapshot.warnings)
            try await connection.run("""
                UPDATE calendar_feeds SET etag = \(snapshot.etag), last_modified = \(snapshot.lastModified), last_checked_at = \(snapshot.readAt),
                    last_read_at = \(snapshot.readAt), last_error = NULL, meeting_count = \(Int32(keys.count)), warnings = \(warnings)
                WHERE id = \(snapshot.feedID)
                """, logger)
            return result
        }
    }

    /// The meeting a new calendar occurrence becomes: one already prepared with the same person
    /// within two hours of it (the prep done stays with it), or a new one.
    private func linkMeeting(_ draft: CalendarMeetingDraft, eventID: Int64, owner: UserKey, now: Date, _ connection: PostgresConnection) async throws {
        let logger = self.logger
        let matches = try await Self.contacts(matching: draft.contactName, owner: owner.stored, limit: 2, connection, logger)
        let contactID = matches.count == 1 ? matches[0].id : try await Self.upsertContact(named: draft.contactName, owner: owner.stored, now: now, connection, logger).id
        let meetingID: Int64
        if let prepared = try await connection.row("""
            SELECT id FROM meetings WHERE contact_id = \(contactID) AND owner = \(owner.stored) AND calendar_event_id IS NULL AND status = 'planned'
                AND starts_at >= \(draft.start.addingTimeInterval(-7200)) AND starts_at <= \(draft.start.addingTimeInterval(7200))
            ORDER BY abs(extract(epoch FROM starts_at - \(draft.start))) LIMIT 1
            """, logger) {
            meetingID = try prepared.value("id")
            try await connection.run("UPDATE meetings SET starts_at = \(draft.start), has_time = TRUE, calendar_event_id = \(eventID) WHERE id = \(meetingID)", logger)
        } else {
            let row = try await connection.row("""
                INSERT INTO meetings (contact_id, owner, starts_at, has_time, goal_weak, status, created_at, calendar_event_id)
                VALUES (\(contactID), \(owner.stored), \(draft.start), TRUE, FALSE, 'planned', \(now), \(eventID))
                RETURNING id
                """, logger)
            meetingID = try row!.value("id")
        }
        try await connection.run("UPDATE calendar_events SET meeting_id = \(meetingID) WHERE id = \(eventID)", logger)
        try await replan(meeting: meetingID, now: now, connection)
        try await replan(contact: contactID, now: now, connection)
    }

    public func calendarEvent(meetingID: Int64, owner: UserKey) async throws -> CalendarEventRecord? {
        let logger = self.logger
        return try await read { connection in
            try await connection.row("""
                SELECT feed_id, key, title, description, location, starts_at, ends_at, attendees, cancelled FROM calendar_events
                WHERE meeting_id = \(meetingID) AND owner = \(owner.stored)
                """, logger).map { row in
                    let attendees = (try? JSONDecoder().decode([CalendarAttendee].self, from: Data(try row.value("attendees", as: String.self).utf8))) ?? []
                    return CalendarEventRecord(
                        feedID: try row.value("feed_id"), key: try row.value("key"), title: try row.value("title"), description: try row.value("description"),
                        location: try row.value("location"), start: try row.value("starts_at"), end: try row.value("ends_at"), attendees: attendees,
                        cancelled: try row.value("cancelled"))
                }
        }
    }
}
