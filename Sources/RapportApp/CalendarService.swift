import Foundation
import RapportCore
import RapportDelivery

/// The calendar use-cases: add a feed, list them, read them now or when they are due, and read
/// one file without storing anything (for a look, and for `make bench`). A feed is read with a
/// conditional request, so an unchanged one costs one round trip and no parse; a feed that
/// fails (too large, too slow, not a calendar) is reported and leaves the meetings as the last
/// good read left them.
public struct CalendarService: Sendable {
    let store: any CalendarStore
    let settings: RapportSettings

    public init(store: any CalendarStore, settings: RapportSettings) {
        self.store = store
        self.settings = settings
    }

    /// What came of reading one feed.
    public enum Outcome: Sendable {
        case read(CalendarSyncResult, meetings: Int, warnings: [String])
        /// 304 Not Modified, or the same file: nothing parsed, nothing changed.
        case unchanged
        case failed(String)
    }

    public struct FeedRead: Sendable {
        public var feed: CalendarFeed
        public var outcome: Outcome
    }

    // MARK: - Feeds

    public func feeds(owner: UserKey = .local) async throws -> [CalendarFeed] {
        try await store.calendarFeeds(owner: owner)
    }

    /// Adds a feed (a URL, `env:NAME`, or a file) and reads it once.
    public func add(_ source: String, name: String?, owner: UserKey = .local, now: Date) async throws -> FeedRead {
        let trimmed = source.trimmingCharacters(in: .whitespaces)
        let location = try resolve(trimmed)
        var stored = trimmed
        if case .file(let path) = location, !trimmed.hasPrefix("env:") { stored = path }
        let existing = try await store.calendarFeeds(owner: owner)
        let chosen = try name.map { try Self.checkedName($0) } ?? Self.defaultName(for: location, taken: Set(existing.map(\.name)))
        if existing.contains(where: { $0.name == chosen }) { throw RapportError.calendarExists(name: chosen) }
        let feed = try await store.addCalendarFeed(name: chosen, source: stored, owner: owner, now: now)
        return try await read(feed, owner: owner, now: now)
    }

    public func remove(name: String, owner: UserKey = .local, now: Date) async throws -> CalendarFeed {
        let feeds = try await store.calendarFeeds(owner: owner)
        guard let feed = feeds.first(where: { $0.name == name }) else { throw RapportError.unknownCalendar(name: name, available: feeds.map(\.name)) }
        _ = try await store.removeCalendarFeed(id: feed.id, owner: owner, now: now)
        return feed
    }

    /// Reads every feed now (or only the one named).
    public func sync(named: String? = nil, owner: UserKey = .local, now: Date) async throws -> [FeedRead] {
        let feeds = try await store.calendarFeeds(owner: owner)
        if let named, !feeds.contains(where: { $0.name == named }) { throw RapportError.unknownCalendar(name: named, available: feeds.map(\.name)) }
        var reads: [FeedRead] = []
        for feed in feeds where named == nil || feed.name == named {
            reads.append(try await read(feed, owner: owner, now: now))
        }
        return reads
    }

    /// Reads the feeds whose last read is older than the refresh interval (`rapport nudge`, `rapport serve`).
    public func syncDue(owner: UserKey = .local, now: Date) async throws -> [FeedRead] {
        var reads: [FeedRead] = []
        for feed in try await store.calendarFeeds(owner: owner) {
            if let checked = feed.lastCheckedAt, now.timeIntervalSince(checked) < settings.calendar.refresh, checked <= now { continue }
            reads.append(try await read(feed, owner: owner, now: now))
        }
        return reads
    }

    /// One read of one feed: fetched (conditionally), parsed, expanded, stored.
    func read(_ feed: CalendarFeed, owner: UserKey, now: Date) async throws -> FeedRead {
        let fetched: Fetched
        do {
            fetched = try fetch(feed)
        } catch {
            let reason = "\(error)"
            try await store.recordCalendarCheck(CalendarCheck(feedID: feed.id, at: now, error: reason), owner: owner)
            return FeedRead(feed: try await refreshed(feed, owner: owner), outcome: .failed(reason))
        }
        guard let body = fetched.body else {
            try await store.recordCalendarCheck(CalendarCheck(feedID: feed.id, at: now, error: nil), owner: owner)
            return FeedRead(feed: try await refreshed(feed, owner: owner), outcome: .unchanged)
        }
        let window = DateInterval(start: now, duration: settings.calendar.horizon)
        let reading = CalendarReading(body, window: window, timeZone: settings.timeZone, own: settings.calendar.own)
        guard reading.document.isCalendar else {
            let reason = "what came back is not an iCalendar feed (it has no BEGIN:VCALENDAR); check that the address is the calendar's iCal (.ics) address"
            try await store.recordCalendarCheck(CalendarCheck(feedID: feed.id, at: now, error: reason), owner: owner)
            return FeedRead(feed: try await refreshed(feed, owner: owner), outcome: .failed(reason))
        }
        let warnings = reading.warnings.prefix(20).map(\.description)
        let snapshot = CalendarSnapshot(
            feedID: feed.id, window: window, meetings: reading.meetings, etag: fetched.etag, lastModified: fetched.lastModified, warnings: Array(warnings),
            readAt: now)
        let result = try await store.syncCalendar(snapshot, owner: owner, now: now)
        return FeedRead(feed: try await refreshed(feed, owner: owner), outcome: .read(result, meetings: reading.meetings.count, warnings: Array(warnings)))
    }

    private func refreshed(_ feed: CalendarFeed, owner: UserKey) async throws -> CalendarFeed {
        try await store.calendarFeeds(owner: owner).first { $0.id == feed.id } ?? feed
    }

    // MARK: - Fetching

    enum Location: Equatable {
        case url(String)
        case file(String)
    }

    /// A body (nil when unchanged since the last read) and the validators for the next request.
    struct Fetched {
        var body: [UInt8]?
        var etag: String?
        var lastModified: String?
    }

    /// Where a source points: `env:NAME` read from the environment, `webcal://` as https.
    func resolve(_ source: String) throws -> Location {
        var value = source
        if source.hasPrefix("env:") {
            let variable = String(source.dropFirst(4))
            guard let set = settings.paths.environment[variable], !set.isEmpty else {
                throw RapportError.unusableCalendarSource(source: source, reason: "$\(variable) is not set")
            }
            value = set.trimmingCharacters(in: .whitespaces)
        }
        let lower = value.lowercased()
        if lower.hasPrefix("webcal://") || lower.hasPrefix("webcals://") { return .url("https://" + value.drop { $0 != "/" }.dropFirst(2)) }
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return .url(value) }
        if lower.contains("://") {
            throw RapportError.unusableCalendarSource(source: Self.shown(source), reason: "only http, https and webcal addresses, or a file, can be read")
        }
        let path = value.hasPrefix("~/") ? (settings.paths.environment["HOME"] ?? NSHomeDirectory()) + value.dropFirst() : value
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: absolute) else {
            throw RapportError.unusableCalendarSource(source: source, reason: "there is no readable file there (give a file, or an https:// or webcal:// address)")
        }
        return .file((absolute as NSString).standardizingPath)
    }

    private func fetch(_ feed: CalendarFeed) throws -> Fetched {
        switch try resolve(feed.source) {
        case .file(let path):
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let stamp = "file:\(modified):\(size)"
            if feed.etag == stamp && feed.lastReadAt != nil { return Fetched(body: nil, etag: stamp) }
            guard size <= settings.calendar.maxBytes else { throw DeliveryError.responseTooLarge(limit: settings.calendar.maxBytes) }
            guard let bytes = FeedFile.bytes(at: path) else {
                throw RapportError.unusableCalendarSource(source: path, reason: "it could not be read")
            }
            return Fetched(body: bytes, etag: stamp)
        case .url(let url):
            var headers: [(String, String)] = [("Accept", "text/calendar, */*;q=0.5")]
            if feed.lastReadAt != nil {
                if let etag = feed.etag { headers.append(("If-None-Match", etag)) }
                if let modified = feed.lastModified { headers.append(("If-Modified-Since", modified)) }
            }
            let client = try CurlHTTPClient(timeouts: .init(connect: min(settings.calendar.timeout, .seconds(10)), total: settings.calendar.timeout))
            let response: HTTPResponse
            switch Self.get(client, url: url, headers: headers, maximumBodyBytes: settings.calendar.maxBytes) {
            case .success(let answered):
                response = answered
            case .failure(.transport(code: 28, _)):
                throw CalendarFetchError("it did not answer within \(Self.seconds(settings.calendar.timeout)) (calendar.timeout_seconds)")
            case .failure(let error):
                throw error
            }
            switch response.status {
            case 304:
                return Fetched(body: nil, etag: feed.etag, lastModified: feed.lastModified)
            case 200..<300:
                return Fetched(body: response.body, etag: response.headers["etag"], lastModified: response.headers["last-modified"])
            case 401, 403:
                throw CalendarFetchError("the server refused it (\(response.status)); the private address may have been reset: copy it again from the calendar's settings")
            case 404, 410:
                throw CalendarFetchError("the server has no calendar there (\(response.status)); copy the address again from the calendar's settings")
            default:
                throw CalendarFetchError("the server answered \(response.status)")
            }
        }
    }

    private static func get(_ client: CurlHTTPClient, url: String, headers: [(String, String)], maximumBodyBytes: Int) -> Result<HTTPResponse, DeliveryError> {
        do {
            return .success(try client.get(url: url, headers: headers, maximumBodyBytes: maximumBodyBytes))
        } catch {
            return .failure(error)
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }

    // MARK: - Names and display

    /// A source as it may be shown: a URL as scheme and host only, `env:NAME` as it is.
    public static func shown(_ source: String) -> String {
        if source.hasPrefix("env:") { return source }
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("webcal://") || lower.hasPrefix("webcals://") {
            return Destination.redact(source)
        }
        return source
    }

    /// A source as it may be shown, with the host an `env:NAME` points at.
    public func shown(_ source: String) -> String {
        guard source.hasPrefix("env:"), let location = try? resolve(source) else { return Self.shown(source) }
        switch location {
        case .url(let url): return "\(source) (\(Destination.redact(url)))"
        case .file(let path): return "\(source) (\(path))"
        }
    }

    static func checkedName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 40, !trimmed.contains(where: { $0.isNewline }) else {
            throw RapportError.unusableCalendarSource(source: name, reason: "a calendar's name is one line of at most 40 characters")
        }
        return trimmed
    }

    /// A name from where the feed lives: `google`, `outlook`, `icloud`, a file's name.
    static func defaultName(for location: Location, taken: Set<String>) -> String {
        var base: String
        switch location {
        case .file(let path):
            base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        case .url(let url):
            let host = Destination.redact(url).components(separatedBy: "://").last?.components(separatedBy: "/").first ?? "calendar"
            let labels = host.split(separator: ":").first.map { $0.split(separator: ".").map(String.init) } ?? []
            if host.hasPrefix("localhost") || host.hasPrefix("[") || labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
                base = "calendar"
                break
            }
            let known = ["google": "google", "outlook": "outlook", "office365": "outlook", "live": "outlook", "icloud": "icloud", "fastmail": "fastmail"]
            base = labels.lazy.compactMap { known[$0.lowercased()] }.first ?? (labels.count >= 2 ? labels[labels.count - 2] : labels.first ?? "calendar")
        }
        base = String(base.prefix(30))
        if base.isEmpty { base = "calendar" }
        var name = base
        var number = 2
        while taken.contains(name) { name = "\(base)-\(number)"; number += 1 }
        return name
    }

    // MARK: - One file, read and timed

    /// What reading a file gave, and how long the parse and the expansion took.
    public struct Parsed: Sendable {
        public var reading: CalendarReading
        public var bytes: Int
        public var parseSeconds: Double
        public var expandSeconds: Double
    }

    /// Reads a file over a window without opening the store; the timing is of the pure work only.
    public static func parse(file: String, from: Date, days: Int, settings: RapportSettings) throws -> Parsed {
        let location = try CalendarService(store: NoCalendars(), settings: settings).resolve(file)
        guard case .file(let path) = location else { throw RapportError.unusableCalendarSource(source: file, reason: "give a file to read") }
        guard let bytes = FeedFile.bytes(at: path) else { throw RapportError.unreadableFile(path: path) }
        let window = DateInterval(start: from, duration: TimeInterval(days) * 86_400)
        let clock = ContinuousClock()
        let started = clock.now
        let document = ICalendarParser().parse(bytes)
        let parsed = clock.now
        let reading = CalendarReading(document: document, window: window, timeZone: settings.timeZone, own: settings.calendar.own)
        let expanded = clock.now
        func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
        return Parsed(reading: reading, bytes: bytes.count, parseSeconds: seconds(parsed - started), expandSeconds: seconds(expanded - parsed))
    }
}

/// No store at all, for reading a file without opening one.
private struct NoCalendars: CalendarStore {
    func addCalendarFeed(name: String, source: String, owner: UserKey, now: Date) async throws -> CalendarFeed { throw RapportError.unknownCalendar(name: name, available: []) }
    func calendarFeeds(owner: UserKey) async throws -> [CalendarFeed] { [] }
    func removeCalendarFeed(id: Int64, owner: UserKey, now: Date) async throws -> Bool { false }
    func recordCalendarCheck(_ check: CalendarCheck, owner: UserKey) async throws {}
    func syncCalendar(_ snapshot: CalendarSnapshot, owner: UserKey, now: Date) async throws -> CalendarSyncResult { CalendarSyncResult() }
    func calendarEvent(meetingID: Int64, owner: UserKey) async throws -> CalendarEventRecord? { nil }
}

/// Why a feed could not be read, in one sentence.
struct CalendarFetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
