import ArgumentParser
import Foundation
import RapportApp
import RapportCore
import RapportDelivery

struct Webhook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Check the team chat webhooks in your config.",
        subcommands: [Test.self]
    )

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Post a test message to one destination (or all) and print what the server answered."
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: ArgumentHelp("A destination's name from the config; all when left out.", valueName: "destination"))
        var destination: String?

        func run() throws {
            let settings = try options.settings()
            let console = Console(colorAllowed: settings.colorAllowed)
            let destinations = try reportingErrors { try settings.destinations(named: destination) }
            guard !destinations.isEmpty else {
                console.error("no destinations are configured; add one under destinations: in ~/.config/rapport/config.yaml (see config/rapport.yaml)")
                throw ExitCode.failure
            }
            let now = settings.now()
            let message = ChatMessage(
                idempotencyKey: "test-\(Int(now.timeIntervalSince1970))", kind: "test", title: "rapport test message",
                lines: ["If you can read this, rapport can post its nudges here."])
            let client = try reportingErrors { try wrapDelivery { () throws(DeliveryError) in try CurlHTTPClient() } }
            var failed = false
            for destination in destinations {
                let label = "\(destination.name) (\(destination.kind.rawValue), \(destination.redactedURL))"
                do {
                    let payload = try WebhookPayload(kind: destination.kind, url: destination.url, message: message, signer: destination.signer, timestamp: Int(now.timeIntervalSince1970))
                    let response = try client.post(url: payload.url, headers: payload.headers, body: payload.body)
                    // The server's words, cleaned of terminal control like everything remote printed here.
                    let quote = response.quote(limit: 200)
                    let answer = "\(response.status)" + (quote.isEmpty ? "" : " " + quote)
                    switch DeliveryVerdict(kind: destination.kind, response: response, now: now) {
                    case .delivered:
                        console.line("\(label): delivered; the server answered \(answer)")
                    case .retry(_, let reason), .permanent(let reason):
                        failed = true
                        console.line("\(label): not delivered, \(InputSanitizer.clean(reason))")
                    }
                } catch {
                    failed = true
                    console.line("\(label): not delivered, \(error)")
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
