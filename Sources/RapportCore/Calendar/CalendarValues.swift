import Foundation

/// The value types of RFC 5545 section 3.3 that events use: DATE, DATE-TIME, DURATION, TEXT
/// and CAL-ADDRESS.
enum CalendarValues {
    /// `19970714`, `19970714T133000`, `19970714T173000Z`; with `tzid` a zoned time. `isDate`
    /// (from `VALUE=DATE`) is a hint: the shape of the value decides.
    static func time(_ text: String, tzid: String?, isDate: Bool?) -> CalendarTime? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 8, let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              year >= 1, (1...12).contains(month), day >= 1, day <= CivilTime.daysIn(month: month, year: year)
        else { return nil }
        if bytes.count == 8 {
            return .date(CivilTime(year: year, month: month, day: day))
        }
        guard bytes.count == 15 || (bytes.count == 16 && (bytes[15] == 90 || bytes[15] == 122)), bytes[8] == 84 || bytes[8] == 116,
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15), hour <= 23, minute <= 59, second <= 60
        else { return nil }
        let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        if bytes.count == 16 { return .utc(civil) }
        if let tzid, !tzid.isEmpty { return .zoned(civil, tzid: tzid) }
        return .floating(civil)
    }

    /// `P15DT5H0M20S`, `-PT15M`, `P7W`: seconds, and the whole days (weeks × 7) it counts
    /// nominally. Nil when it is not a duration.
    static func duration(_ text: String) -> (seconds: Int64, nominalDays: Int)? {
        var bytes = Substring(text).utf8[...]
        var sign: Int64 = 1
        if bytes.first == 45 { sign = -1; bytes = bytes.dropFirst() } else if bytes.first == 43 { bytes = bytes.dropFirst() }
        guard bytes.first == 80 || bytes.first == 112 else { return nil }
        bytes = bytes.dropFirst()
        var inTime = false
        var number: Int64? = nil
        var days: Int64 = 0
        var seconds: Int64 = 0
        var any = false
        for byte in bytes {
            switch byte {
            case 48...57:
                let (times, overflow1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 48))
                guard !overflow1, !overflow2, sum < 100_000_000 else { return nil }
                number = sum
            case 84, 116: inTime = true
            default:
                guard let value = number else { return nil }
                switch (byte | 0x20, inTime) {
                case (119, false): days += value * 7  // W
                case (100, false): days += value      // D
                case (104, true): seconds += value * 3600
                case (109, true): seconds += value * 60
                case (115, true): seconds += value
                default: return nil
                }
                number = nil
                any = true
            }
        }
        guard any, number == nil else { return nil }
        return (sign * (days * 86_400 + seconds), Int(sign * days))
    }

    /// TEXT with its escapes undone: `\n` and `\N` a line break, `\,` `\;` `\\` the character.
    static func text(_ raw: String) -> String {
        var raw = raw
        return raw.withUTF8 { bytes in
            guard let base = bytes.baseAddress, memchr(base, 92, bytes.count) != nil else { return nil }
            return text(bytes)
        } ?? raw
    }

    /// The same from a feed's bytes (not UTF-8 checked yet: the new string repairs what is not).
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return "" }
        // Written straight into the new string, the runs between backslashes copied whole: a
        // feed's descriptions are most of its bytes.
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            var count = 0
            var index = 0
            while index < bytes.count {
                let rest = bytes.count - index
                let found = memchr(base + index, 92, rest).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? bytes.count
                let run = found - index
                if run > 0 {
                    (out.baseAddress! + count).update(from: base + index, count: run)
                    count += run
                }
                guard found < bytes.count else { break }
                if found + 1 < bytes.count {
                    let escaped = bytes[found + 1]
                    out[count] = escaped == 110 || escaped == 78 ? 10 : escaped
                    index = found + 2
                } else {
                    out[count] = 92  // a lone backslash at the end stays
                    index = found + 1
                }
                count += 1
            }
            return count
        }
    }

    /// The address of a `mailto:` CAL-ADDRESS, lowercased (percent-escapes undone); nil for others.
    static func email(_ value: String) -> String? {
        let trimmed = value.trimmed
        guard trimmed.utf8.count >= 7, trimmed.utf8.prefix(7).lazy.map(ICalendarParser.asciiUpper).elementsEqual("MAILTO:".utf8) else {
            return trimmed.utf8.contains(64) && !trimmed.utf8.contains(58) ? trimmed.lowercased() : nil  // @ :
        }
        var address = String(Substring(trimmed.utf8.dropFirst(7)))
        if address.utf8.contains(37) { address = address.removingPercentEscapes }  // %
        address = address.trimmed
        // Lowercased by Unicode's rules only when there is something to lower (most addresses are).
        if address.utf8.contains(where: { $0 >= 65 && $0 <= 90 || $0 >= 128 }) { address = address.lowercased() }
        return address.isEmpty ? nil : address
    }
}

extension String {
    var trimmed: String {
        // Most values have nothing to trim: told from their first and last bytes, without graphemes.
        if let first = utf8.first, let last = utf8.last, first != 32, first != 9, last != 32, last != 9 { return self }
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }

    /// `%40` and the like undone; text that is not a valid escape stays as it is.
    var removingPercentEscapes: String {
        guard utf8.contains(37) else { return self }
        let bytes = Array(utf8)
        var out: [UInt8] = []
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: return byte - 48
            case 65...70: return byte - 55
            case 97...102: return byte - 87
            default: return nil
            }
        }
        while index < bytes.count {
            if bytes[index] == 37, index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
