/// One VEVENT's properties as an event. What cannot be read is warned about with its line and
/// left out; an event without a usable DTSTART is left out as a whole.
struct EventReader {
    let limits: CalendarLimits

    func event(_ properties: [ICalendarParser.ContentLine], line: Int, rules: inout RecurrenceRuleCache, warnings: inout Warnings) -> CalendarEvent? {
        var uid: String?
        var start: CalendarTime?
        var end: CalendarTime?
        var duration: (seconds: Int64, nominalDays: Int)?
        var rule: RecurrenceRule?
        var rdates: [CalendarTime] = []
        var periodEnds: [CalendarTime: CalendarTime] = [:]
        var exdates: [CalendarTime] = []
        var recurrenceID: CalendarTime?
        var status: String?
        var sequence = 0
        var summary: String?
        var description: CalendarText?
        var location: String?
        var organizer: CalendarAttendee?
        var attendees: [CalendarAttendee] = []
        var tooManyAttendees = false

        for property in properties {
            switch property.name {
            case "UID":
                uid = property.value.trimmed
            case "DTSTART":
                guard let time = time(property) else {
                    warnings.add(property.line, "DTSTART '\(property.value.prefix(40))' is not a date or time")
                    continue
                }
                start = time
            case "DTEND":
                guard let time = time(property) else {
                    warnings.add(property.line, "DTEND '\(property.value.prefix(40))' is not a date or time; the event is read without an end")
                    continue
                }
                end = time
            case "DURATION":
                guard let parsed = CalendarValues.duration(property.value.trimmed) else {
                    warnings.add(property.line, "DURATION '\(property.value.prefix(40))' is not a duration such as PT1H30M")
                    continue
                }
                duration = parsed
            case "RRULE":
                guard rule == nil else {
                    warnings.add(property.line, "a second RRULE was left out (RFC 5545 allows one)")
                    continue
                }
                switch rules.parse(property.value.trimmed) {
                case .success(let parsed): rule = parsed
                case .failure(let error): warnings.add(property.line, "RRULE: \(error); only the first occurrence is read")
                }
            case "RDATE", "EXDATE":
                let isPeriod = property.parameter("VALUE").map(ICalendarParser.upper) == "PERIOD"
                for item in property.value.split(separator: ",") {
                    var text = String(item).trimmed
                    var periodEnd: String?
                    if isPeriod || text.contains("/") {
                        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
                        text = parts[0]
                        periodEnd = parts.count > 1 ? parts[1] : nil
                    }
                    guard let value = CalendarValues.time(text, tzid: property.parameter("TZID"), isDate: nil) else {
                        warnings.add(property.line, "\(property.name) '\(text.prefix(40))' is not a date or time")
                        continue
                    }
                    if property.name == "EXDATE" {
                        exdates.append(value)
                    } else {
                        rdates.append(value)
                        if let periodEnd {
                            if let endTime = CalendarValues.time(periodEnd, tzid: property.parameter("TZID"), isDate: nil) {
                                periodEnds[value] = endTime
                            } else if let length = CalendarValues.duration(periodEnd) {
                                periodEnds[value] = Self.shift(value, by: length.seconds)
                            }
                        }
                    }
                    if rdates.count + exdates.count > 10_000 {
                        warnings.add(property.line, "more than 10,000 RDATE and EXDATE values; the rest were left out")
                        break
                    }
                }
            case "RECURRENCE-ID":
                guard let time = time(property) else {
                    warnings.add(property.line, "RECURRENCE-ID '\(property.value.prefix(40))' is not a date or time")
                    continue
                }
                if property.parameter("RANGE").map(ICalendarParser.upper) == "THISANDFUTURE" {
                    warnings.add(property.line, "RANGE=THISANDFUTURE is read as changing this one occurrence only")
                }
                recurrenceID = time
            case "STATUS":
                status = ICalendarParser.upper(property.value.trimmed)
            case "SEQUENCE":
                sequence = Int(property.value.trimmed) ?? 0
            case "SUMMARY":
                summary = CalendarValues.text(property.value)
            case "DESCRIPTION":
                description = property.deferred ?? CalendarText(CalendarValues.text(property.value))
            case "LOCATION":
                location = CalendarValues.text(property.value)
            case "ORGANIZER":
                organizer = attendee(property)
            case "ATTENDEE":
                guard attendees.count < limits.maxAttendees else {
                    if !tooManyAttendees { warnings.add(property.line, "more than \(limits.maxAttendees) attendees; the rest were left out") }
                    tooManyAttendees = true
                    continue
                }
                attendees.append(attendee(property))
            default:
                continue
            }
        }
        guard let start else {
            warnings.add(line, "an event without a DTSTART was left out" + (summary.map { " ('\($0.prefix(40))')" } ?? ""))
            return nil
        }
        if let endTime = end, endTime.isDate != start.isDate {
            warnings.add(line, "DTEND is a \(endTime.isDate ? "date" : "time") but DTSTART a \(start.isDate ? "date" : "time"); the end was left out")
            end = nil
        }
        var event = CalendarEvent(uid: uid ?? "line-\(line)", line: line, start: start)
        if uid == nil {
            // No UID: one made of what stays the same between two reads of the same feed.
            event.uid = "no-uid:" + (summary ?? "") + "@" + Self.stamp(start)
        }
        event.end = end
        event.duration = end == nil ? duration : nil
        event.rule = rule
        event.recurrenceDates = rdates
        event.recurrencePeriodEnds = periodEnds
        event.exceptionDates = exdates
        event.recurrenceID = recurrenceID
        event.status = status
        event.sequence = sequence
        event.summary = summary
        event.descriptionText = description
        event.location = location
        event.organizer = organizer
        event.attendees = attendees
        return event
    }

    private func time(_ property: ICalendarParser.ContentLine) -> CalendarTime? {
        let isDate = property.parameter("VALUE").map { ICalendarParser.upper($0) == "DATE" }
        return CalendarValues.time(property.value.trimmed, tzid: property.parameter("TZID"), isDate: isDate)
    }

    private func attendee(_ property: ICalendarParser.ContentLine) -> CalendarAttendee {
        func upper(_ name: String) -> String? { property.parameter(name).map { ICalendarParser.upper($0.trimmed) }.flatMap { $0.isEmpty ? nil : $0 } }
        let name = property.parameter("CN").map { CalendarValues.text($0).trimmed }.flatMap { $0.isEmpty ? nil : $0 }
        return CalendarAttendee(email: CalendarValues.email(property.value), name: name, status: upper("PARTSTAT"), kind: upper("CUTYPE"), role: upper("ROLE"))
    }

    static func shift(_ time: CalendarTime, by seconds: Int64) -> CalendarTime {
        switch time {
        case .date(let civil): return .date(civil.adding(seconds: seconds))
        case .floating(let civil): return .floating(civil.adding(seconds: seconds))
        case .utc(let civil): return .utc(civil.adding(seconds: seconds))
        case .zoned(let civil, let tzid): return .zoned(civil.adding(seconds: seconds), tzid: tzid)
        }
    }

    static func stamp(_ time: CalendarTime) -> String {
        let civil = time.civil
        let date = civil.date
        return String(format4: date.year) + String(format2: date.month) + String(format2: date.day) + "T" + String(format2: civil.hour) + String(format2: civil.minute)
    }
}

extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
    init(format4 value: Int) { self = zeroPadded(value, 4) }
}

private func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = "\(value)"
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
