import ArgumentParser

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Chat with rapport from team chat: runs rapport-server (POST /v1/chat, GET /healthz).",
        discussion: "rapport-server is a separate program next to rapport, so that rapport itself never loads the HTTP server. Build it with: make serve"
    )

    @Argument(parsing: .captureForPassthrough, help: "Options for rapport-server: --host, --port, --store, --config, --prompts.")
    var arguments: [String] = []

    func run() throws {
        try ServerHandOver.exec(arguments)
    }
}
