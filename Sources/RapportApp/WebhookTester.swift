import Foundation
import RapportCore
import RapportDelivery

/// `rapport webhook test`: a test message to each configured destination, and what each answered.
public struct WebhookTester: Sendable {
    let settings: RapportSettings

    public init(settings: RapportSettings) {
        self.settings = settings
    }

    /// What one destination made of the test message.
    public struct Result: Sendable {
        /// "team (slack, https://hooks.slack.com/…)"
        public var label: String
        public var delivered: Bool
        /// What the server answered, or why nothing was delivered.
        public var detail: String
    }

    /// Posts the test message to the destination named (or every one).
    public func test(destination wanted: String?, now: Date) throws -> [Result] {
        let destinations = try settings.destinations(named: wanted)
        guard !destinations.isEmpty else { return [] }
        let message = ChatMessage(
            idempotencyKey: "test-\(Int(now.timeIntervalSince1970))", kind: "test", title: "rapport test message",
            lines: ["If you can read this, rapport can post its nudges here."])
        let client = try CurlHTTPClient()
        return destinations.map { destination in
            let label = "\(destination.name) (\(destination.kind.rawValue), \(destination.redactedURL))"
            do {
                let payload = try WebhookPayload(kind: destination.kind, url: destination.url, message: message, signer: destination.signer, timestamp: Int(now.timeIntervalSince1970))
                let response = try client.post(url: payload.url, headers: payload.headers, body: payload.body)
                // The server's words, cleaned of terminal control like everything remote that is printed.
                let quote = response.quote(limit: 200)
                let answer = "\(response.status)" + (quote.isEmpty ? "" : " " + quote)
                switch DeliveryVerdict(kind: destination.kind, response: response, now: now) {
                case .delivered: return Result(label: label, delivered: true, detail: "the server answered \(answer)")
                case .retry(_, let reason), .permanent(let reason): return Result(label: label, delivered: false, detail: InputSanitizer.clean(reason))
                }
            } catch {
                return Result(label: label, delivered: false, detail: "\(error)")
            }
        }
    }
}
