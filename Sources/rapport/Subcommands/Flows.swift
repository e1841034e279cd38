import ArgumentParser
import Foundation
import RapportApp
import RapportCore

struct Flows: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows",
        abstract: "The conversations as data: list, check, draw, cover and test the flows in Prompts/.",
        discussion: "A YAML file in ~/.config/rapport/Prompts/ adds a flow, or overrides a built-in one with the same id.",
        subcommands: [List.self, Lint.self, Graph.self, Coverage.self, Test.self]
    )

    /// The flow library and English lexicon a subcommand works with.
    struct Context {
        let settings: RapportSettings
        let library: FlowLibrary
        let lexicon: Lexicon
        let console: Console

        init(_ options: GlobalOptions) throws {
            settings = try options.settings()
            library = FlowLibrary(directories: settings.promptDirectories)
            console = Console(colorAllowed: settings.colorAllowed)
            let library = library
            let language = settings.language
            lexicon = try reportingErrors { try library.lexicon(language: language) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every flow, where it comes from, and whether it loads.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let context = try Context(options)
            let rows = context.library.entries().map { entry -> [String] in
                let state: String
                if entry.overridden {
                    state = "overridden by a flow with the same id above"
                } else {
                    do {
                        state = try context.library.flow(atPath: entry.path, lexicon: context.lexicon).title
                    } catch {
                        state = "does not load: " + ((error as? RapportError).map { "\($0)".split(separator: "\n").dropFirst().first.map(String.init) ?? "\($0)" } ?? "\(error)")
                    }
                }
                return [entry.id, entry.path, state]
            }
            for line in Table(rows: rows).lines { context.console.line(line) }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lint", abstract: "Check flow files: every load-time error, and warnings.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("Flow files to check; all flows when left out.", valueName: "file"))
        var files: [String] = []

        func run() throws {
            let context = try Context(options)
            let paths = files.isEmpty ? context.library.entries().filter { !$0.overridden }.map(\.path) : files
            var errors = 0
            var warnings = 0
            for path in paths {
                switch Result(catching: { () throws(RapportError) in try context.library.flow(atPath: path, lexicon: context.lexicon) }) {
                case .success(let flow):
                    for warning in FlowLinter.warnings(flow) {
                        warnings += 1
                        context.console.line(warning.description)
                    }
                    // Texts a language's locale file does not translate show in English.
                    for language in context.library.languages() where language != "en" {
                        let translations = (try? context.library.translations(language: language)) ?? nil
                        let missing = FlowLocalizer.keys(of: flow).filter { translations?.texts[$0] == nil }
                        if !missing.isEmpty {
                            warnings += 1
                            let shown = missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
                            context.console.line("\(path): warning: \(missing.count) text\(missing.count == 1 ? "" : "s") of '\(flow.id)' have no '\(language)' translation and show in English: \(shown)")
                        }
                    }
                case .failure(.invalidFlow(let found)):
                    errors += found.errors.count
                    for problem in found.errors {
                        context.console.line(problem.location.description + ": error: " + (problem.step.map { "step '\($0)': " } ?? "") + problem.message)
                    }
                case .failure(let error):
                    errors += 1
                    context.console.line("\(path): error: \(error)")
                }
            }
            // Sentences a language's lexicon lacks show in English there.
            if files.isEmpty, let english = try? context.library.ownLexicon(language: "en") {
                for language in context.library.languages() where language != "en" {
                    guard let own = (try? context.library.ownLexicon(language: language)) ?? nil else { continue }
                    let missing = Set(english.lexicon.messages.keys).subtracting(own.lexicon.messages.keys).sorted()
                    guard !missing.isEmpty else { continue }
                    warnings += 1
                    let shown = missing.prefix(8).joined(separator: ", ") + (missing.count > 8 ? ", …" : "")
                    context.console.line("\(own.path): warning: \(missing.count) message\(missing.count == 1 ? "" : "s") have no '\(language)' text and show in English: \(shown)")
                }
            }
            context.console.line("\(paths.count) flow\(paths.count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s").")
            if errors > 0 { throw ExitCode.failure }
        }
    }

    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "graph", abstract: "Draw a flow's steps and branches (Mermaid or Graphviz DOT).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("The flow's id.", valueName: "flow"))
        var flow: String
        @Option(help: "mermaid or dot.")
        var format: String = "mermaid"

        func run() throws {
            guard let chosen = FlowGraph.Format(rawValue: format) else { throw ValidationError("--format must be mermaid or dot.") }
            let context = try Context(options)
            let flowID = flow
            let parsed = try reportingErrors { try context.library.flow(id: flowID, lexicon: context.lexicon) }
            FileHandle.standardOutput.write(Data(FlowGraph.render(parsed, as: chosen).utf8))
        }
    }

    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "coverage", abstract: "Which step or nudge serves each principle, and which principles nothing serves.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let context = try Context(options)
            let library = context.library
            let principles = try reportingErrors { try library.principles() }
            var flows: [Flow] = []
            for entry in library.entries() where !entry.overridden {
                if let flow = try? library.flow(atPath: entry.path, lexicon: context.lexicon) { flows.append(flow) }
            }
            let coverage = PrincipleCoverage(flows: flows, principles: Array(principles.keys))
            let ordered = principles.keys.sorted { Self.order($0) < Self.order($1) }
            for id in ordered {
                let served = coverage.servedBy[id].map { $0.joined(separator: ", ") } ?? context.console.style.problem("not served")
                context.console.line("\(id)  \(principles[id] ?? "")\n      \(served)")
            }
            context.console.line("\(ordered.count - coverage.unserved.count) of \(ordered.count) principles served." + (coverage.unserved.isEmpty ? "" : " Not yet: " + coverage.unserved.sorted { Self.order($0) < Self.order($1) }.joined(separator: ", ")))
        }

        /// P4.1 before P4.10, seeds from 4 down as PRINCIPLES.md lists them.
        static func order(_ id: String) -> (Int, Int) {
            let parts = id.dropFirst().split(separator: ".").compactMap { Int($0) }
            return (-(parts.first ?? 0), parts.last ?? 0)
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test", abstract: "Run conversation scripts (*.transcript) against the real engine.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("Scripts to run; all in the flows' tests/ folders when left out.", valueName: "file"))
        var files: [String] = []

        @Flag(help: "Write each script's bot lines from what the engine says to its you: lines (for a new script).")
        var record = false

        func run() throws {
            let context = try Context(options)
            let paths = files.isEmpty ? context.library.scriptPaths() : files
            var passed = 0
            var failed = 0
            for path in paths {
                do {
                    let text = try reportingErrors { try context.library.text(atPath: path) }
                    let script = try ConversationScript.parse(text, file: path)
                    let language = script.language ?? context.lexicon.language
                    let lexicon = try reportingErrors { try context.library.lexicon(language: language) }
                    let flow = try reportingErrors { try context.library.flow(id: script.flowID, lexicon: lexicon) }
                    let engine = DialogueEngine(flow: flow, lexicon: lexicon)
                    if record {
                        // The header is everything before the first conversation line.
                        let header = text.split(separator: "\n", omittingEmptySubsequences: false)
                            .prefix { !["bot:", "bot~", "you:", "..."].contains(where: $0.trimmingCharacters(in: .whitespaces).hasPrefix) }
                            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                        try script.record(with: engine, header: header).write(toFile: path, atomically: true, encoding: .utf8)
                        passed += 1
                        context.console.line("recorded " + path)
                        continue
                    }
                    if let failure = script.run(with: engine) {
                        failed += 1
                        context.console.line(context.console.style.problem("FAIL ") + failure.description)
                    } else {
                        passed += 1
                        context.console.line(context.console.style.good("ok   ") + path)
                    }
                } catch let failure as ConversationScript.Failure {
                    failed += 1
                    context.console.line(context.console.style.problem("FAIL ") + failure.description)
                }
            }
            context.console.line("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode.failure }
        }
    }
}
