import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Chat with rapport from team chat: runs rapport-server (POST /v1/chat, GET /healthz).",
        discussion: "rapport-server is a separate program next to rapport, so that rapport itself never loads the HTTP server. Build it with: make serve"
    )

    @Argument(parsing: .captureForPassthrough, help: "Options for rapport-server: --host, --port, --store, --config, --prompts.")
    var arguments: [String] = []

    func run() throws {
        // Like git finding git-foo: the server lives next to this binary.
        let here = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).deletingLastPathComponent()
        let server = here.appendingPathComponent("rapport-server").path
        guard FileManager.default.isExecutableFile(atPath: server) else {
            Console(colorAllowed: false).error("rapport-server is not built next to rapport (\(here.path)); build it with: make serve")
            throw ExitCode.failure
        }
        let argv = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, argv)
        Console(colorAllowed: false).error("cannot start \(server): \(String(cString: strerror(errno)))")
        throw ExitCode.failure
    }
}
