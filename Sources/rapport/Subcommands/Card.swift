import ArgumentParser
import RapportApp
import RapportCore

struct Card: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Show a meeting's prep card again, and its reflection when there is one."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The meeting's number, as `rapport meetings` shows it (#3 or 3).", valueName: "meeting"))
    var meeting: String

    func run() async throws {
        let session = try await options.session()
        guard let number = Int64(reference: meeting) else { throw session.fail(session.message("not_a_meeting_number", ["id": meeting])) }
        try await session.showCards(of: number)
    }
}
