import Foundation
import Hummingbird
import Logging

/// One log line per request, written when it is answered: method, path (never the query
/// string), status and how long it took. Headers and bodies are left out, since that is where
/// tokens, signatures and chat text travel.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status, since: started, logger: context.logger)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            log(request, status: status, since: started, logger: context.logger)
            throw error
        }
    }

    private func log(_ request: Request, status: HTTPResponse.Status, since started: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.log(
            level: status.code >= 500 ? .error : .info, "answered",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.path": .string(request.uri.path),
                "http.status": .stringConvertible(status.code),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ])
    }
}
