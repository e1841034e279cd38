import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// One log line per request, written when it is answered: method, path (never the query
/// string), status and how long it took. A request whose client dropped the connection first is
/// logged as abandoned, and one still waiting for its client at the shutdown deadline as cut off,
/// both without a status, since none reached anyone. Headers and bodies are left out, since that
/// is where tokens, signatures and chat text travel.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status, since: started, logger: context.logger)
            return response
        } catch let error where error is IOError || error is ChannelError {
            // The connection failed under the request (a reset, a write to a closed socket): the
            // client went away, which is not the server's error to alert on.
            log(request, status: nil, since: started, logger: context.logger)
            throw error
        } catch let error as CancellationError {
            // Only the shutdown deadline cancels a request: the server closed its connection.
            log(request, status: nil, cutOff: true, since: started, logger: context.logger)
            throw error
        } catch {
            log(request, status: Self.status(answering: error), since: started, logger: context.logger)
            throw error
        }
    }

    /// The status Hummingbird answers an error with: an HTTP error's own; 400 for a request the
    /// parser gave up on, as when a client stops sending mid-body; 500 for anything else.
    static func status(answering error: any Error) -> HTTPResponse.Status {
        if let error = error as? any HTTPResponseError { return error.status }
        if error is HTTPParserError { return .badRequest }
        return .internalServerError
    }

    private func log(_ request: Request, status: HTTPResponse.Status?, cutOff: Bool = false, since started: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "http.method": .string(request.method.rawValue),
            "http.path": .string(request.uri.path),
            "duration_ms": .string(String(format: "%.1f", milliseconds)),
        ]
        guard let status else {
            if cutOff {
                logger.warning("cut off at the shutdown deadline", metadata: metadata)
            } else {
                logger.info("abandoned by the client", metadata: metadata)
            }
            return
        }
        metadata["http.status"] = .stringConvertible(status.code)
        logger.log(level: status.code >= 500 ? .error : .info, "answered", metadata: metadata)
    }
}
