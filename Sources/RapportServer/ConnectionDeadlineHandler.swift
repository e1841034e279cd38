import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client keeps the server waiting: headers not sent in time, a body
/// that stalls, a kept-alive connection left idle (ConnectionDeadlines decides; this arms its
/// timer on the channel's event loop). One per connection, after the HTTP decoder.
///
/// Hummingbird's own `idleTimeout` is one duration for all three waits; this handler exists
/// because they want different ones: a slow-headers client should be let go within seconds,
/// while a reverse proxy's kept-alive connection must outlive the proxy's own idle timeout.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: ConnectionDeadlines
    private var scheduled: Scheduled<Void>?
    private let logger: Logger

    init(limits: ServerLimits, logger: Logger) {
        deadlines = ConnectionDeadlines(header: limits.headerTimeout, body: limits.bodyTimeout, idle: limits.idleTimeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { act(deadlines.connectionOpened(), context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        act(deadlines.connectionOpened(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: act(deadlines.readHead(), context: context)
        case .end: act(deadlines.readEnd(), context: context)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { act(deadlines.wroteEnd(), context: context) }
        context.write(data, promise: promise)
    }

    private func act(_ action: ConnectionDeadlines.Action, context: ChannelHandlerContext) {
        switch action {
        case .arm(_, let duration, let timer):
            scheduled?.cancel()
            scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(duration)) {
                self.scheduled = nil
                self.act(self.deadlines.timerFired(timer), context: context)
            }
        case .disarm:
            scheduled?.cancel()
            scheduled = nil
        case .close(let waited):
            logger.debug("closed a connection that kept the server waiting", metadata: ["rapport.waited_for": .string(waited.rawValue)])
            context.close(promise: nil)
        case .none:
            break
        }
    }
}
