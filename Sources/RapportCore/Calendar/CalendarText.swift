/// A TEXT value kept as the feed's bytes until it is asked for: a DESCRIPTION is most of a
/// feed's bytes and only the few events that become meetings need theirs, so it is unfolded and
/// unescaped then, not for every event of the feed.
struct CalendarText: Sendable {
    private enum Storage: Sendable {
        case read(String)
        /// A logical line of `source` (folded when `folded`), whose value begins `skip` bytes
        /// into the line once unfolded.
        case deferred(source: [UInt8], line: Range<Int>, folded: Bool, skip: Int)
    }

    private let storage: Storage

    init(_ string: String) {
        storage = .read(string)
    }

    init(source: [UInt8], line: Range<Int>, folded: Bool, skip: Int) {
        storage = .deferred(source: source, line: line, folded: folded, skip: skip)
    }

    /// The value, unfolded and with its escapes undone.
    var string: String {
        switch storage {
        case .read(let string):
            return string
        case .deferred(let source, let line, let folded, let skip):
            return source.withUnsafeBufferPointer { buffer in
                let raw = UnsafeBufferPointer(rebasing: buffer[line])
                guard folded else { return CalendarValues.text(UnsafeBufferPointer(rebasing: raw[skip...])) }
                var unfolded = ICalendarParser.unfold(raw)
                return unfolded.withUnsafeMutableBufferPointer { CalendarValues.text(UnsafeBufferPointer(rebasing: $0[skip...])) }
            }
        }
    }
}
