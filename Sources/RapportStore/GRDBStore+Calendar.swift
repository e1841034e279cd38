import Foundation
import GRDB
import RapportCore

extension GRDBStore: CalendarStore {
    static let feedColumns = "id, name, source, etag, last_modified, last_checked_at, last_read_at, last_error, meeting_count, warnings, created_at"

    static func feed(_ row: Row) -> CalendarFeed {
        let warnings = (row["warnings"] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        return CalendarFeed(
            id: row["id"], name: row["name"], source: row["source"], etag: row["etag"], lastModified: row["last_modified"],
            lastCheckedAt: row["last_checked_at"], lastReadAt: row["last_read_at"], lastError: row["last_error"], meetingCount: row["meeting_count"],
            warnings: warnings, createdAt: row["created_at"])
    }

    public func addCalendarFeed(name: String, source: String, owner: UserKey, now: Date) async throws -> CalendarFeed {
        try await write { db in
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM calendar_feeds WHERE owner = ? AND name = ?)"), arguments: [owner.stored, name]) == true {
                throw StoreError.failed(path: self.path, reason: "there is already a calendar named '\(name)'")
            }
            try db.execute(sql: "INSERT INTO calendar_feeds (owner, name, source, created_at) VALUES (?, ?, ?, ?)", arguments: [owner.stored, name, source, now])
            return CalendarFeed(id: db.lastInsertedRowID, name: name, source: source, createdAt: now)
        }
    }

    public func calendarFeeds(owner: UserKey) async throws -> [CalendarFeed] {
        try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.feedColumns) FROM calendar_feeds WHERE owner = ? ORDER BY name"), arguments: [owner.stored])
                .map(Self.feed)
        }
    }

    public func removeCalendarFeed(id: Int64, owner: UserKey, now: Date) async throws -> Bool {
        try await write { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM calendar_feeds WHERE id = ? AND owner = ?)"), arguments: [id, owner.stored]) == true else {
                return false
            }
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT meeting_id, starts_at FROM calendar_events WHERE feed_id = ?"), arguments: [id]) {
                guard let meetingID: Int64 = row["meeting_id"] else { continue }
                // Meetings still ahead go with the feed (cancelled, and still known as the calendar's, so
                // they are listed nowhere); those that happened stay, as meetings of their own.
                if (row["starts_at"] as Date) >= now {
                    try db.cachedStatement(sql: "UPDATE meetings SET status = 'cancelled' WHERE id = ? AND status = 'planned'").execute(arguments: [meetingID])
                }
                try db.cachedStatement(sql: "UPDATE meetings SET calendar_event_id = NULL WHERE id = ? AND status != 'cancelled'").execute(arguments: [meetingID])
                try self.replan(meeting: meetingID, now: now, db)
                if let contactID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT contact_id FROM meetings WHERE id = ?"), arguments: [meetingID]) {
                    try self.replan(contact: contactID, now: now, db)
                }
            }
            try db.execute(sql: "DELETE FROM calendar_feeds WHERE id = ?", arguments: [id])
            return true
        }
    }

    public func recordCalendarCheck(_ check: CalendarCheck, owner: UserKey) async throws {
        try await write { db in
            try db.cachedStatement(sql: "UPDATE calendar_feeds SET last_checked_at = ?, last_error = ? WHERE id = ? AND owner = ?")
                .execute(arguments: [check.at, check.error, check.feedID, owner.stored])
        }
    }

    public func syncCalendar(_ snapshot: CalendarSnapshot, owner: UserKey, now: Date) async throws -> CalendarSyncResult {
        try await write { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM calendar_feeds WHERE id = ? AND owner = ?)"), arguments: [snapshot.feedID, owner.stored]) == true else {
                throw StoreError.failed(path: self.path, reason: "there is no calendar #\(snapshot.feedID)")
            }
            var result = CalendarSyncResult()
            var keys: Set<String> = []
            let forgotten = Set(try String.fetchAll(
                db.cachedStatement(sql: "SELECT uid_digest FROM forgotten_calendar_events WHERE feed_id = ?"), arguments: [snapshot.feedID]))
            for draft in snapshot.meetings {
                guard !forgotten.contains(ForgottenEvent.digest(uid: draft.uid)), keys.insert(draft.key).inserted else { continue }
                let attendees = String(decoding: try JSONEncoder.sorted.encode(draft.attendees), as: UTF8.self)
                if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, meeting_id FROM calendar_events WHERE feed_id = ? AND key = ?"), arguments: [snapshot.feedID, draft.key]) {
                    let eventID: Int64 = row["id"]
                    try db.cachedStatement(sql: """
                        UPDATE calendar_events SET uid = ?, title = ?, description = ?, location = ?, starts_at = ?, ends_at = ?, attendees = ?, cancelled = 0, updated_at = ?
                        WHERE id = ?
                        """).execute(arguments: [draft.uid, draft.title, draft.description, draft.location, draft.start, draft.end, attendees, now, eventID])
                    if let meetingID: Int64 = row["meeting_id"],
                       let meeting = try Row.fetchOne(db.cachedStatement(sql: "SELECT contact_id, starts_at, status FROM meetings WHERE id = ?"), arguments: [meetingID]) {
                        var changed = false
                        if meeting["status"] == "cancelled" {
                            try db.cachedStatement(sql: "UPDATE meetings SET status = 'planned' WHERE id = ?").execute(arguments: [meetingID])
                            result.restored += 1
                            changed = true
                        }
                        if (meeting["starts_at"] as Date?) != draft.start {
                            try db.cachedStatement(sql: "UPDATE meetings SET starts_at = ?, has_time = 1 WHERE id = ?").execute(arguments: [draft.start, meetingID])
                            if !changed { result.moved += 1 }
                            changed = true
                        }
                        if !changed { result.unchanged += 1 }
                        try self.replan(meeting: meetingID, now: now, db)
                        if changed { try self.replan(contact: meeting["contact_id"], now: now, db) }
                        continue
                    }
                    try self.linkMeeting(draft, eventID: eventID, owner: owner, now: now, db)
                    result.added += 1
                    continue
                }
                try db.cachedStatement(sql: """
                    INSERT INTO calendar_events (feed_id, owner, key, uid, title, description, location, starts_at, ends_at, attendees, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                        snapshot.feedID, owner.stored, draft.key, draft.uid, draft.title, draft.description, draft.location, draft.start, draft.end, attendees, now,
                    ])
                try self.linkMeeting(draft, eventID: db.lastInsertedRowID, owner: owner, now: now, db)
                result.added += 1
            }
            // What the feed no longer has from the window's start on: cancelled, deleted, declined or moved away.
            let gone = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, key, meeting_id FROM calendar_events WHERE feed_id = ? AND starts_at >= ? AND cancelled = 0"),
                                        arguments: [snapshot.feedID, snapshot.window.start])
            for row in gone where !keys.contains(row["key"]) {
                try db.cachedStatement(sql: "UPDATE calendar_events SET cancelled = 1, updated_at = ? WHERE id = ?").execute(arguments: [now, row["id"] as Int64])
                result.cancelled += 1
                guard let meetingID: Int64 = row["meeting_id"] else { continue }
                try db.cachedStatement(sql: "UPDATE meetings SET status = 'cancelled' WHERE id = ? AND status = 'planned'").execute(arguments: [meetingID])
                try self.replan(meeting: meetingID, now: now, db)
                if let contactID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT contact_id FROM meetings WHERE id = ?"), arguments: [meetingID]) {
                    try self.replan(contact: contactID, now: now, db)
                }
            }
            let warnings = String(decoding: try JSONEncoder.sorted.encode(snapshot.warnings), as: UTF8.self)
            try db.cachedStatement(sql: """
                UPDATE calendar_feeds SET etag = ?, last_modified = ?, last_checked_at = ?, last_read_at = ?, last_error = NULL, meeting_count = ?, warnings = ?
                WHERE id = ?
                """).execute(arguments: [snapshot.etag, snapshot.lastModified, snapshot.readAt, snapshot.readAt, keys.count, warnings, snapshot.feedID])
            return result
        }
    }

    /// The meeting a new calendar occurrence becomes: one already prepared with the same person
    /// that day within two hours of it (the prep done stays with it), or a new one.
    private func linkMeeting(_ draft: CalendarMeetingDraft, eventID: Int64, owner: UserKey, now: Date, _ db: Database) throws {
        let matches = try Self.contacts(matching: draft.contactName, owner: owner.stored, limit: 2, db)
        let contactID = matches.count == 1 ? matches[0].id : try Self.upsertContact(named: draft.contactName, owner: owner.stored, now: now, db)
        let meetingID: Int64
        if let prepared = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM meetings WHERE contact_id = ? AND owner = ? AND calendar_event_id IS NULL AND status = 'planned' AND starts_at >= ? AND starts_at <= ?
            ORDER BY abs(julianday(starts_at) - julianday(?)) LIMIT 1
            """), arguments: [contactID, owner.stored, draft.start.addingTimeInterval(-7200), draft.start.addingTimeInterval(7200), draft.start]) {
            meetingID = prepared
            try db.cachedStatement(sql: "UPDATE meetings SET starts_at = ?, has_time = 1, calendar_event_id = ? WHERE id = ?").execute(arguments: [draft.start, eventID, meetingID])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO meetings (contact_id, owner, starts_at, has_time, goal_weak, status, created_at, calendar_event_id) VALUES (?, ?, ?, 1, 0, 'planned', ?, ?)
                """).execute(arguments: [contactID, owner.stored, draft.start, now, eventID])
            meetingID = db.lastInsertedRowID
        }
        try db.cachedStatement(sql: "UPDATE calendar_events SET meeting_id = ? WHERE id = ?").execute(arguments: [meetingID, eventID])
        try replan(meeting: meetingID, now: now, db)
        try replan(contact: contactID, now: now, db)
    }

    public func calendarEvent(meetingID: Int64, owner: UserKey) async throws -> CalendarEventRecord? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT feed_id, key, title, description, location, starts_at, ends_at, attendees, cancelled FROM calendar_events WHERE meeting_id = ? AND owner = ?
                """), arguments: [meetingID, owner.stored]).map { row in
                    let attendees = (try? JSONDecoder().decode([CalendarAttendee].self, from: Data((row["attendees"] as String).utf8))) ?? []
                    return CalendarEventRecord(
                        feedID: row["feed_id"], key: row["key"], title: row["title"], description: row["description"], location: row["location"],
                        start: row["starts_at"], end: row["ends_at"], attendees: attendees, cancelled: row["cancelled"])
                }
        }
    }
}
