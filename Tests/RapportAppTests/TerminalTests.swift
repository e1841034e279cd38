import Foundation
import RapportTestSupport
import Testing

/// rapport in a real pseudo-terminal (through util-linux `script`): line editing, colours and
/// Ctrl-C take the interactive path that pipes never reach.
@Suite(.serialized)
struct TerminalTests {
    /// A rapport process on a pseudo-terminal, driven by waiting for text before typing.
    final class Session {
        let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        private(set) var screen = ""

        /// - Parameter columns: the terminal's width (none set: as `script` leaves it).
        init(_ rapport: RapportBinary, _ arguments: [String], environment extra: [String: String] = [:], columns: Int? = nil) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            var command = ([RapportBinary.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            if let columns { command = "stty cols \(columns) rows 40; " + command }
            process.arguments = ["-qfec", command, "/dev/null"]
            process.environment = rapport.environment.merging(["TERM": "xterm"].merging(extra) { $1 }) { $1 }
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
        }

        /// Reads what the terminal shows until `done` holds or `seconds` pass, never blocking past that.
        private func pump(seconds: TimeInterval = 10, until done: () -> Bool) {
            let descriptor = output.fileHandleForReading.fileDescriptor
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done(), Date() < deadline {
                var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&request, 1, 50) > 0 else { continue }
                let count = read(descriptor, &buffer, buffer.count)
                if count <= 0 { return }
                screen += String(decoding: buffer[0..<count], as: UTF8.self)
            }
        }

        /// Waits until the screen shows `text`.
        @discardableResult
        func waitFor(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
            pump { screen.contains(text) }
            let found = screen.contains(text)
            #expect(found, "never saw \(text.debugDescription) in:\n\(screen)", sourceLocation: sourceLocation)
            return found
        }

        /// Waits for a question and then for the prompt after it: the line editor is ready for keys
        /// (typed earlier, a Ctrl-D could reach the terminal before its raw mode does).
        func waitForPrompt(after question: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            guard waitFor(question, sourceLocation: sourceLocation) else { return }
            let promptShown = { self.screen.range(of: question).map { self.screen[$0.upperBound...].contains("> ") } ?? false }
            pump(until: promptShown)
            #expect(promptShown(), "no prompt after \(question.debugDescription)", sourceLocation: sourceLocation)
        }

        func type(_ text: String) {
            input.fileHandleForWriting.write(Data(text.utf8))
        }

        /// Waits (at most ten seconds) for the process to end and returns its exit status.
        func exitStatus(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int32 {
            pump { !process.isRunning }  // drains the output; returns early once the terminal closes
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning {
                Issue.record("rapport did not exit; screen:\n\(screen)", sourceLocation: sourceLocation)
                // Killing `script` closes the terminal, which hangs up rapport too.
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    @Test func questionsAreColouredInATerminal() throws {
        let rapport = RapportBinary()
        let session = try Session(rapport, ["prep"])
        session.waitForPrompt(after: "\u{1B}[1;36mWho are you meeting?\u{1B}[0m")
        session.type("Łukasz Wójcik\r")
        session.waitForPrompt(after: "When do you meet Łukasz Wójcik?")
        session.type("pause\r")
        session.waitFor("Paused. Your answers are saved")
        #expect(session.exitStatus() == 0)
    }

    @Test func noColorTurnsColoursOffInATerminal() throws {
        let rapport = RapportBinary()
        let session = try Session(rapport, ["prep"], environment: ["NO_COLOR": "1"])
        session.waitForPrompt(after: "Who are you meeting?")
        session.type("pause\r")
        #expect(session.exitStatus() == 0)
        #expect(!session.screen.contains("\u{1B}[1;36m"))
    }

    @Test func ctrlCPausesKeepsEveryAnswerAndSaysHowToResume() throws {
        let rapport = RapportBinary()
        let session = try Session(rapport, ["prep", "Anna Berg"])
        session.waitForPrompt(after: "When do you meet Anna Berg?")
        session.type("tomorrow 14:00\r")
        session.waitForPrompt(after: "What do you actually want")
        session.type("half a sentence")
        session.type("\u{03}")  // Ctrl-C
        session.waitFor("Paused. Your answers are saved; continue with: rapport prep --resume")
        #expect(session.exitStatus() == 130)

        let resumed = try rapport.run(["prep", "--resume"], lines: ["An introduction to their CFO"])
        #expect(resumed.stdout.contains("Welcome back."))
        #expect(resumed.stdout.contains("> An introduction to their CFO\n\nCould you get this through the contacts you already have?"))
    }

    /// The screen as read: escape sequences and carriage returns removed, one entry per line.
    private static func visibleLines(_ screen: String) -> [String] {
        let withoutEscapes = screen.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
        return withoutEscapes.replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n")
    }

    @Test(arguments: [24, 40, 61])
    func longLinesAndTheCardWrapAtWordsWithAHangingIndent(columns: Int) throws {
        let rapport = RapportBinary()
        let session = try Session(rapport, ["prep", "Anna Berg"], columns: columns)
        let answers = [
            // One word each, so that a wrapped question is still found.
            ("Berg?", "tomorrow 14:00"),
            ("actually", "get to know her"),
            ("sounds", "An introduction to the chief financial officer of their regional holding company"),
            ("contacts", "no"),
            ("contribute", "She chairs the CFO network in Karlstad and knows every finance director in the region"),
            ("recommend", "yes"),
            ("give", "A speaker for her network"),
            ("bring", "Who decides on pilots like this?"),
        ]
        for (question, answer) in answers {
            session.waitForPrompt(after: question)
            session.type(answer + "\r")
        }
        session.waitFor("Saved as meeting #1")
        #expect(session.exitStatus() == 0)
        let lines = Self.visibleLines(session.screen)
        // What was typed is the line editor's to show (the terminal wraps it), not rapport's.
        let tooLong = lines.filter { $0.count > columns && !$0.hasPrefix("> ") && !$0.contains("\u{08}") }
        #expect(tooLong.isEmpty, "lines wider than \(columns) columns:\n\(tooLong.joined(separator: "\n"))")
        // Coaching continues under its text, not under the »; a card line under its value.
        let coaching = try #require(lines.firstIndex { $0.hasPrefix("» That sounds like") })
        #expect(lines[coaching + 1].hasPrefix("  ") && !lines[coaching + 1].hasPrefix("   "), "\(lines[coaching...coaching + 1])")
        let why = try #require(lines.firstIndex { $0.hasPrefix("  Why Anna:") })
        let valueColumn = lines[why].distance(from: lines[why].startIndex, to: lines[why].range(of: "She")!.lowerBound)
        #expect(lines[why + 1].prefix(valueColumn).allSatisfy { $0 == " " } && lines[why + 1].dropFirst(valueColumn).first != " ",
                "continued under the value: \(lines[why...why + 1])")
    }
}
