import CCurl

/// HTTP POSTs through libcurl, one easy handle reused so that connections to the same host stay
/// open between messages. TLS verification stays on; proxies come from the environment
/// (`https_proxy`, `no_proxy`) as curl reads them; redirects are not followed, since a webhook
/// that redirects is misconfigured. Not thread-safe: one client per delivering thread.
public final class CurlHTTPClient {
    /// How long to wait for a connection, and for the whole exchange.
    public struct Timeouts: Sendable {
        public var connect: Duration
        public var total: Duration

        public init(connect: Duration = .seconds(5), total: Duration = .seconds(15)) {
            self.connect = connect
            self.total = total
        }
    }

    /// How much of a reply's body is read. Webhooks answer `ok` or a short error; a server that
    /// sends more is cut off here, so a gigabyte reply costs neither memory nor time.
    public static let maximumBodyBytes = 64 * 1024

    private let curl: CurlLibrary
    private let handle: UnsafeMutableRawPointer
    public let timeouts: Timeouts

    public init(timeouts: Timeouts = Timeouts()) throws(DeliveryError) {
        let curl = try CurlLibrary.shared.get()
        guard let handle = curl.easyInit() else { throw .curlUnavailable("curl_easy_init failed") }
        self.curl = curl
        self.handle = handle
        self.timeouts = timeouts
    }

    deinit {
        curl.easyCleanup(handle)
    }

    /// Reads `url` with the given headers (conditional ones such as `If-None-Match` too) and
    /// returns what the server answered. Redirects are followed, up to `redirects`, to http and
    /// https only (iCloud's published calendars move between hosts); a compressed body is
    /// unpacked. A body larger than `maximumBodyBytes` (unpacked) stops the transfer and throws
    /// `.responseTooLarge`, so a huge or endless reply costs neither memory nor time.
    public func get(url: String, headers: [(String, String)], maximumBodyBytes: Int, redirects: Int = 5) throws(DeliveryError) -> HTTPResponse {
        curl.easyReset(handle)
        let sink = ResponseSink(limit: maximumBodyBytes)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in headers { list = curl.slistAppend(list, "\(name): \(value)") }
        defer { curl.slistFreeAll(list) }

        setLong(CURLOPT_NOSIGNAL, 1)
        setLong(CURLOPT_HTTPGET, 1)
        setLong(CURLOPT_FOLLOWLOCATION, redirects > 0 ? 1 : 0)
        setLong(CURLOPT_MAXREDIRS, redirects)
        setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(timeouts.connect))
        setLong(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeouts.total))
        // A Content-Length over the cap is refused before any of the body is read.
        setLong(CURLOPT_MAXFILESIZE, maximumBodyBytes)
        setString(CURLOPT_ACCEPT_ENCODING, "")
        setString(CURLOPT_URL, url)
        setString(CURLOPT_USERAGENT, "rapport/0.1")
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setPointer(CURLOPT_HTTPHEADER, list)
        _ = ccurl_setopt_write_callback(curl.setopt, handle, CURLOPT_WRITEFUNCTION, Self.bodyCallback)
        setPointer(CURLOPT_WRITEDATA, context.toOpaque())
        _ = ccurl_setopt_write_callback(curl.setopt, handle, CURLOPT_HEADERFUNCTION, Self.headerCallback)
        setPointer(CURLOPT_HEADERDATA, context.toOpaque())

        let code = curl.easyPerform(handle)
        if code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && sink.truncated) {
            throw .responseTooLarge(limit: maximumBodyBytes)
        }
        guard code == CURLE_OK else {
            throw .transport(code: Int(code.rawValue), message: curl.message(code))
        }
        var status = 0
        _ = ccurl_getinfo_long(curl.getinfo, handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// Posts `body` to `url` with the given headers and returns whatever the server answered;
    /// throws only when no answer came.
    public func post(url: String, headers: [(String, String)], body: [UInt8]) throws(DeliveryError) -> HTTPResponse {
        curl.easyReset(handle)  // forgets the last request's options, keeps its connections
        let sink = ResponseSink(limit: Self.maximumBodyBytes)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in headers + [("Expect", "")] {  // no 100-continue round trip
            list = curl.slistAppend(list, "\(name): \(value)")
        }
        defer { curl.slistFreeAll(list) }

        setLong(CURLOPT_NOSIGNAL, 1)
        setLong(CURLOPT_POST, 1)
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(timeouts.connect))
        setLong(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeouts.total))
        setString(CURLOPT_URL, url)
        setString(CURLOPT_USERAGENT, "rapport/0.1")
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setPointer(CURLOPT_HTTPHEADER, list)
        setLong(CURLOPT_POSTFIELDSIZE, body.count)
        body.withUnsafeBytes { bytes in
            // COPYPOSTFIELDS: curl keeps its own copy, so the buffer need not outlive this call.
            _ = ccurl_setopt_pointer(curl.setopt, handle, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
        }
        _ = ccurl_setopt_write_callback(curl.setopt, handle, CURLOPT_WRITEFUNCTION, Self.bodyCallback)
        setPointer(CURLOPT_WRITEDATA, context.toOpaque())
        _ = ccurl_setopt_write_callback(curl.setopt, handle, CURLOPT_HEADERFUNCTION, Self.headerCallback)
        setPointer(CURLOPT_HEADERDATA, context.toOpaque())

        let code = curl.easyPerform(handle)
        // A body cut at the cap ends the transfer as a write error; the status and headers are in.
        guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.truncated) else {
            throw .transport(code: Int(code.rawValue), message: curl.message(code))
        }
        var status = 0
        _ = ccurl_getinfo_long(curl.getinfo, handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        _ = ccurl_setopt_long(curl.setopt, handle, option, value)
    }

    private func setPointer(_ option: CURLoption, _ value: UnsafeRawPointer?) {
        _ = ccurl_setopt_pointer(curl.setopt, handle, option, value)
    }

    private func setPointer(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) {
        _ = ccurl_setopt_pointer(curl.setopt, handle, option, UnsafeRawPointer(value))
    }

    /// Strings are copied by libcurl when set.
    private func setString(_ option: CURLoption, _ value: String) {
        _ = value.withCString { ccurl_setopt_pointer(curl.setopt, handle, option, $0) }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Collects the body (up to `limit`) and headers of one response.
    private final class ResponseSink {
        var body: [UInt8] = []
        var headers: [String: String] = [:]
        let limit: Int
        /// Whether the body went past the limit and its transfer was stopped.
        var truncated = false

        init(limit: Int) {
            self.limit = limit
        }
    }

    private static let bodyCallback: curl_write_callback = { data, size, count, context in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        let room = sink.limit - sink.body.count
        if let data { sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: min(length, room))) }
        guard length <= room else {
            // Taking less than was given stops the transfer (and closes its connection): the
            // rest of a gigabyte is neither read nor waited for.
            sink.truncated = true
            return 0
        }
        return length
    }

    private static let headerCallback: curl_write_callback = { data, size, count, context in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard let data else { return length }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            sink.headers = [:]  // a new response (after 100 Continue or a proxy's CONNECT)
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r\n")
            sink.headers[name] = value
        }
        return length
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
