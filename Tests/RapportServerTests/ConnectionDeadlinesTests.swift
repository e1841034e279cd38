@testable import RapportServer
import Testing

/// The timers of one connection, without sockets or clocks: which wait is armed after each
/// thing read or written, and that only the armed timer closes the connection.
struct ConnectionDeadlinesTests {
    static func machine() -> ConnectionDeadlines {
        ConnectionDeadlines(header: .seconds(1), body: .seconds(3), idle: .seconds(5))
    }

    @Test func aRequestMovesFromHeadersToBodyToTheServersTimeThenIdle() {
        var deadlines = Self.machine()
        #expect(deadlines.connectionOpened() == .arm(.header, after: .seconds(1), timer: 1))
        #expect(deadlines.connectionOpened() == .none, "channelActive after handlerAdded arms nothing twice")
        #expect(deadlines.readHead() == .arm(.body, after: .seconds(3), timer: 2))
        #expect(deadlines.readEnd() == .disarm, "while the server answers, no timer runs")
        #expect(deadlines.wroteEnd() == .arm(.idle, after: .seconds(5), timer: 3))
        // The next request on the kept-alive connection: its body is timed again, from its headers.
        #expect(deadlines.readHead() == .arm(.body, after: .seconds(3), timer: 4))
        #expect(deadlines.readEnd() == .disarm)
        #expect(deadlines.timerFired(4) == .none, "a timer that was disarmed closes nothing")
        #expect(deadlines.wroteEnd() == .arm(.idle, after: .seconds(5), timer: 5))
        #expect(deadlines.timerFired(5) == .close(.idle))
    }

    @Test func eachArmedWaitClosesWithItsOwnReasonAndAReplacedTimerIsIgnored() {
        var headers = Self.machine()
        _ = headers.connectionOpened()
        #expect(headers.timerFired(1) == .close(.header))
        #expect(headers.timerFired(1) == .none, "closed once")

        var body = Self.machine()
        _ = body.connectionOpened()
        _ = body.readHead()
        #expect(body.timerFired(1) == .none, "the header timer was replaced by the body's")
        #expect(body.timerFired(2) == .close(.body))
    }

    @Test func aResponseBeforeTheBodyEndsKeepsTheBodyTimedThenIdles() {
        // A body too large is answered 413 while it is still arriving; the rest must still come in time.
        var deadlines = Self.machine()
        _ = deadlines.connectionOpened()
        #expect(deadlines.readHead() == .arm(.body, after: .seconds(3), timer: 2))
        #expect(deadlines.wroteEnd() == .none, "the body timer stays armed")
        #expect(deadlines.readEnd() == .arm(.idle, after: .seconds(5), timer: 3))
    }

    @Test func pipelinedRequestsIdleOnlyOnceEveryOneIsAnswered() {
        var deadlines = Self.machine()
        _ = deadlines.connectionOpened()
        _ = deadlines.readHead()
        _ = deadlines.readEnd()
        #expect(deadlines.readHead() == .arm(.body, after: .seconds(3), timer: 3), "a second request sent before the first is answered")
        #expect(deadlines.readEnd() == .disarm)
        #expect(deadlines.wroteEnd() == .none, "one still to answer")
        #expect(deadlines.wroteEnd() == .arm(.idle, after: .seconds(5), timer: 4))
    }
}
