import RapportCore

/// What a server answered.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as text (invalid UTF-8 replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as one line of plain text, safe to print or store: line breaks and runs of
    /// spaces become one space, terminal escapes and control and bidirectional characters are
    /// removed (`InputSanitizer`), and it is cut to `limit` characters with "…".
    public func quote(limit: Int) -> String {
        let line = InputSanitizer.clean(text.split(whereSeparator: \.isNewline).joined(separator: " "))
            .split(separator: " ").joined(separator: " ")
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }
}
