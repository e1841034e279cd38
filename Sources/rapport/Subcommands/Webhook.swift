import ArgumentParser
import Foundation
import RapportApp
import RapportCore

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
            let results = try reportingErrors { try WebhookTester(settings: settings).test(destination: destination, now: settings.now()) }
            guard !results.isEmpty else {
                console.error("no destinations are configured; add one under destinations: in ~/.config/rapport/config.yaml (see config/rapport.yaml)")
                throw ExitCode.failure
            }
            for result in results {
                console.line("\(result.label): " + (result.delivered ? "delivered; " : "not delivered, ") + InputSanitizer.clean(result.detail))
            }
            if results.contains(where: { !$0.delivered }) { throw ExitCode.failure }
        }
    }
}
