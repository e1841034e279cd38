/// How long one connection may keep the server waiting, as a pure state machine: the channel
/// handler reports what was read and written, arms the one timer each step returns, and closes
/// the connection when the machine says so. A new connection has `header` to send its first
/// request's headers; a request has `body` from its headers to its last byte; a kept-alive
/// connection has `idle` from a response to the next request's headers. While a request that
/// has been read is being answered, no timer runs: that time is the server's, not the client's.
struct ConnectionDeadlines: Sendable {
    /// What the connection is waiting for from its client.
    enum Wait: String, Sendable {
        case header, body, idle
    }

    /// What the handler does next. A new `arm` replaces the armed timer.
    enum Action: Equatable, Sendable {
        case arm(Wait, after: Duration, timer: Int)
        case disarm
        case close(Wait)
        case none
    }

    let header: Duration
    let body: Duration
    let idle: Duration
    /// What the armed timer waits for; nil while none is armed.
    private var armed: Wait?
    /// The number of the armed timer: a timer that fires after it was replaced is ignored.
    private var timer = 0
    private var opened = false
    /// Requests whose headers were read and whose response has not ended (pipelining allows several).
    private var unanswered = 0
    private var readingBody = false

    init(header: Duration, body: Duration, idle: Duration) {
        self.header = header
        self.body = body
        self.idle = idle
    }

    /// The connection is open: its first request's headers are due.
    mutating func connectionOpened() -> Action {
        guard !opened else { return .none }
        opened = true
        return arm(.header, after: header)
    }

    /// A request's headers arrived: its body is due, whole, within `body`.
    mutating func readHead() -> Action {
        unanswered += 1
        readingBody = true
        return arm(.body, after: body)
    }

    /// A request's last byte arrived: from here on the server is the one to answer (or, when it
    /// answered before the body was in, as with a body too large, the connection is idle).
    mutating func readEnd() -> Action {
        readingBody = false
        if unanswered == 0 { return arm(.idle, after: idle) }
        guard armed != nil else { return .none }
        armed = nil
        return .disarm
    }

    /// A response ended: with nothing else to answer or read, the connection is idle.
    mutating func wroteEnd() -> Action {
        unanswered = max(0, unanswered - 1)
        guard unanswered == 0, !readingBody else { return .none }
        return arm(.idle, after: idle)
    }

    /// A timer fired: close the connection when it is the armed one.
    mutating func timerFired(_ fired: Int) -> Action {
        guard fired == timer, let waited = armed else { return .none }
        armed = nil
        return .close(waited)
    }

    private mutating func arm(_ wait: Wait, after duration: Duration) -> Action {
        timer += 1
        armed = wait
        return .arm(wait, after: duration, timer: timer)
    }
}
