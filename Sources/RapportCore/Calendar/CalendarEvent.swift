import Foundation

/// A DATE or DATE-TIME value as a feed writes it: a day (all-day), a wall-clock time with no
/// zone (floating: the person's own zone), a UTC time, or a wall-clock time in a named zone.
public enum CalendarTime: Hashable, Sendable {
    case date(CivilTime)
    case floating(CivilTime)
    case utc(CivilTime)
    case zoned(CivilTime, tzid: String)

    /// The wall-clock value as written (for UTC, the UTC wall clock).
    public var civil: CivilTime {
        switch self {
        case .date(let time), .floating(let time), .utc(let time), .zoned(let time, _): return time
        }
    }

    public var isDate: Bool {
        if case .date = self { return true } else { return false }
    }
}

/// Someone invited to an event (or its organizer), as `ATTENDEE`/`ORGANIZER` name them.
public struct CalendarAttendee: Hashable, Sendable, Codable {
    /// The address from a `mailto:` value, lowercased; nil for other kinds of address.
    public var email: String?
    /// `CN`, the name shown.
    public var name: String?
    /// `PARTSTAT`: NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED (uppercased).
    public var status: String?
    /// `CUTYPE`: INDIVIDUAL, GROUP, RESOURCE, ROOM, UNKNOWN (uppercased; nil means INDIVIDUAL).
    public var kind: String?
    /// `ROLE`: CHAIR, REQ-PARTICIPANT, OPT-PARTICIPANT, NON-PARTICIPANT.
    public var role: String?

    public init(email: String?, name: String?, status: String? = nil, kind: String? = nil, role: String? = nil) {
        self.email = email
        self.name = name
        self.status = status
        self.kind = kind
        self.role = role
    }

    /// A person (not a room, a resource or a list).
    public var isPerson: Bool { kind == nil || kind == "INDIVIDUAL" || kind == "UNKNOWN" }
    public var declined: Bool { status == "DECLINED" }
}

/// One `VEVENT` as read: a single event, a recurring series (its master), or one changed
/// instance of a series (`recurrenceID` set).
public struct CalendarEvent: Hashable, Sendable {
    public var uid: String
    /// The physical line its `BEGIN:VEVENT` is on, for warnings.
    public var line: Int
    public var start: CalendarTime
    public var end: CalendarTime?
    /// `DURATION` in seconds, and whether it counted whole days or weeks (nominal: kept on the
    /// same wall-clock time across a summer-time change).
    public var duration: (seconds: Int64, nominalDays: Int)?
    public var rule: RecurrenceRule?
    public var recurrenceDates: [CalendarTime]
    /// `RDATE;VALUE=PERIOD` instances carry their own end.
    public var recurrencePeriodEnds: [CalendarTime: CalendarTime]
    public var exceptionDates: [CalendarTime]
    public var recurrenceID: CalendarTime?
    public var status: String?
    public var sequence: Int
    public var summary: String?
    /// `DESCRIPTION`, read from the feed's bytes when asked for (see `CalendarText`).
    public var description: String? {
        get { descriptionText?.string }
        set { descriptionText = newValue.map(CalendarText.init) }
    }
    var descriptionText: CalendarText?
    public var location: String?
    public var organizer: CalendarAttendee?
    public var attendees: [CalendarAttendee]

    public init(uid: String, line: Int, start: CalendarTime) {
        self.uid = uid
        self.line = line
        self.start = start
        end = nil
        duration = nil
        rule = nil
        recurrenceDates = []
        recurrencePeriodEnds = [:]
        exceptionDates = []
        recurrenceID = nil
        status = nil
        sequence = 0
        summary = nil
        descriptionText = nil
        location = nil
        organizer = nil
        attendees = []
    }

    public var cancelled: Bool { status == "CANCELLED" }
    public var allDay: Bool { start.isDate }
    public var recurs: Bool { rule != nil || !recurrenceDates.isEmpty }

    public static func == (lhs: CalendarEvent, rhs: CalendarEvent) -> Bool {
        lhs.uid == rhs.uid && lhs.line == rhs.line && lhs.start == rhs.start && lhs.recurrenceID == rhs.recurrenceID && lhs.sequence == rhs.sequence
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(uid)
        hasher.combine(line)
    }
}

/// Something in a feed that could not be read as written, with the line it is on. The event it
/// is in is read without it (or left out, when nothing of it is usable); the rest of the feed is read.
public struct CalendarWarning: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
