import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Speed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speed",
        abstract: "Run a speed meeting: pairs talk about a prepared question, then a clear signal to switch.",
        discussion: "Put the terminal on a screen everyone can see; the signal rings the terminal bell."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "How many rounds.")
    var rounds = 6

    @Option(help: "Minutes per round.")
    var minutes = 2

    @Option(help: "The question the pairs talk about.")
    var question: String?

    @Option(help: .hidden)
    var roundSeconds: Int?

    func validate() throws {
        guard (1...50).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 50.") }
        guard (1...30).contains(minutes) else { throw ValidationError("--minutes must be between 1 and 30.") }
    }

    func run() throws {
        let settings = try options.settings()
        let console = Console(colorAllowed: settings.colorAllowed)
        let library = FlowLibrary(directories: settings.promptDirectories, cacheDirectory: settings.paths.cacheDirectory)
        let lexicon = try reportingErrors { try library.lexicon(language: settings.language) }
        let length: Duration = roundSeconds.map { .seconds($0) } ?? .seconds(minutes * 60)
        let meeting = SpeedMeeting(
            rounds: rounds, roundLength: length, changeover: roundSeconds == nil ? .seconds(15) : .zero,
            question: question.map(InputSanitizer.clean) ?? lexicon.message("speed_default_question"))
        let style = console.style
        let start = ContinuousClock.now
        for (at, moment) in meeting.schedule {
            let deadline = start + at
            // Count down the running round on one line in a terminal; a pipe just waits.
            while ContinuousClock.now < deadline {
                let left = deadline - ContinuousClock.now
                if console.isInteractive {
                    let seconds = Int(left.components.seconds) + 1
                    console.write("\r  " + style.dim(String(format: "%d:%02d ", seconds / 60, seconds % 60)))
                }
                Thread.sleep(forTimeInterval: min(1, Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18))
            }
            if console.isInteractive { console.write("\r") }
            switch moment {
            case .roundStarts(let round):
                console.line()
                console.line(style.accent(lexicon.message("speed_round", ["round": String(round), "rounds": String(meeting.rounds)])))
                console.line("  " + meeting.question)
            case .switchPartners:
                console.line("\u{07}" + style.coach(style.bold(lexicon.message("speed_switch"))))
            case .finished:
                console.line("\u{07}" + style.good(style.bold(lexicon.message("speed_done"))))
            }
        }
    }
}
