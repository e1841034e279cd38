import ArgumentParser

struct Prep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prep",
        abstract: "Prepare for a meeting in 2–4 minutes, ending with a prep card.",
        discussion: "An unfinished prep is offered back when you start a new one; --resume continues it directly."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("Who you are meeting, e.g. \"Anna Berg\" (asked when left out).", valueName: "name"))
    var name: [String] = []

    @Flag(help: "Continue the unfinished prep (with NAME, when given) where it stopped.")
    var resume = false

    @Flag(help: "Start a new prep without offering an unfinished one.")
    var new = false

    func validate() throws {
        if resume && new { throw ValidationError("--resume and --new contradict each other; use one of them.") }
    }

    func run() async throws {
        let session = try await options.session()
        let contactName = name.isEmpty ? nil : name.joined(separator: " ")
        try await session.prep(named: contactName, resume: resume, startNew: new)
    }
}
