import ArgumentParser

struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Run any flow by its id (prep is the built-in one).",
        discussion: "Flows are YAML files in Prompts/ or in ~/.config/rapport/Prompts/."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The flow's id, as in its 'flow:' line.", valueName: "flow"))
    var flow: String

    @Flag(help: "Continue the unfinished conversation of this flow.")
    var resume = false

    @Flag(help: "Start a new conversation without offering an unfinished one.")
    var new = false

    func run() async throws {
        let session = try await options.session()
        try await session.converse(flowID: flow, contactName: nil, resume: resume, startNew: new)
    }
}
