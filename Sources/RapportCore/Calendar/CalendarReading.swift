import Foundation

/// A feed's text read all the way: parsed, expanded over a window, and the meetings in it
/// chosen. Pure; what the app layer calls once it has the bytes.
public struct CalendarReading: Sendable {
    public var document: CalendarDocument
    public var occurrences: [CalendarOccurrence]
    public var meetings: [CalendarMeetingDraft]
    /// Parse and expansion warnings, located.
    public var warnings: [CalendarWarning]

    public init(_ bytes: [UInt8], window: DateInterval, timeZone: TimeZone, own: OwnAddresses, limits: CalendarLimits = CalendarLimits()) {
        self.init(document: ICalendarParser(limits: limits).parse(bytes), window: window, timeZone: timeZone, own: own, limits: limits)
    }

    /// The same from a feed already parsed.
    public init(document: CalendarDocument, window: DateInterval, timeZone: TimeZone, own: OwnAddresses, limits: CalendarLimits = CalendarLimits()) {
        self.document = document
        let expansion = CalendarExpansion(timeZone: timeZone, limits: limits).occurrences(of: document, in: window)
        occurrences = expansion.occurrences
        var own = own
        // Google names a person's main calendar after their address: that is who they are.
        if own.isEmpty, let name = document.name?.lowercased(), name.contains("@"), !name.contains(" ") { own = OwnAddresses([name]) }
        meetings = MeetingSelection(own: own).meetings(occurrences, in: window)
        warnings = (document.warnings + expansion.warnings).sorted { $0.line < $1.line }
    }
}
