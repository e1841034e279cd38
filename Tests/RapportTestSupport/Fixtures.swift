import Foundation
import RapportCore
import Yams

/// The repository's own files, found from this source file so tests need no bundle resources.
public enum Fixtures {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var prompts: URL { root.appendingPathComponent("Prompts") }

    /// The English lexicon as shipped.
    public static let english: Lexicon = {
        let text = try! String(contentsOf: prompts.appendingPathComponent("lexicons/en.yaml"), encoding: .utf8)
        return try! LexiconParser.parse(yaml: text, file: "Prompts/lexicons/en.yaml")
    }()

    /// A shipped lexicon, with English filling its gaps as the app does.
    public static func lexicon(_ language: String) -> Lexicon {
        guard language != "en" else { return english }
        let text = try! String(contentsOf: prompts.appendingPathComponent("lexicons/\(language).yaml"), encoding: .utf8)
        return try! LexiconParser.parse(yaml: text, file: "Prompts/lexicons/\(language).yaml").fillingGaps(from: english)
    }

    /// A shipped locale's translations.
    public static func translations(_ language: String) -> FlowLocalizer.Translations {
        let text = try! String(contentsOf: prompts.appendingPathComponent("locales/\(language).yaml"), encoding: .utf8)
        return try! FlowLocalizer.parse(yaml: text, file: "Prompts/locales/\(language).yaml").translations
    }

    /// A shipped flow in a language.
    public static func flow(_ id: String, language: String) throws -> Flow {
        let flow = try flow(id)
        return language == "en" ? flow : FlowLocalizer.localize(flow, with: translations(language))
    }

    /// The principle ids in `Prompts/principles.yaml`.
    public static let principles: Set<String> = {
        let text = try! String(contentsOf: prompts.appendingPathComponent("principles.yaml"), encoding: .utf8)
        let node = try! Yams.compose(yaml: text)!
        return Set(node["principles"]!.mapping!.keys.compactMap(\.string))
    }()

    public static var vocabulary: FlowVocabulary {
        FlowVocabulary(lists: Set(english.lists.keys), principles: principles)
    }

    /// A shipped flow, parsed and validated.
    public static func flow(_ id: String) throws -> Flow {
        let url = prompts.appendingPathComponent("\(id).yaml")
        return try FlowParser.parse(yaml: try String(contentsOf: url, encoding: .utf8), file: "Prompts/\(id).yaml", vocabulary: vocabulary)
    }

    /// A flow from YAML text written in a test.
    public static func flow(yaml: String, file: String = "test.yaml") throws(FlowErrors) -> Flow {
        try FlowParser.parse(yaml: yaml, file: file, vocabulary: vocabulary)
    }

    /// Monday 23 November 2026, 10:00 in Stockholm: the moment most tests happen at.
    public static let monday = moment("2026-11-23T10:00:00+01:00")

    public static let stockholm = TimeZone(identifier: "Europe/Stockholm")!

    /// An ISO 8601 moment.
    public static func moment(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }
}
