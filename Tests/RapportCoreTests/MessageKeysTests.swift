import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Issue 15: every sentence rapport says comes from a lexicon's `messages:`, and every shipped
/// language has each one itself; English fills a gap, but none may be left.
struct MessageKeysTests {
    /// The message keys the sources name: `message("key"`, `counted("key"` and a parser's `Rejection("key"`.
    static let usedKeys: [String: String] = {
        var keys: [String: String] = [:]
        let sources = Fixtures.root.appendingPathComponent("Sources")
        let pattern = try! NSRegularExpression(pattern: #"(?:message|counted|Rejection)\(\s*"([a-z0-9_]+)""#)
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try! String(contentsOf: url, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                keys[key] = keys[key] ?? url.path.replacingOccurrences(of: Fixtures.root.path + "/", with: "")
            }
        }
        return keys
    }()

    /// A shipped lexicon as written, without English filling its gaps.
    static func own(_ language: String) throws -> Lexicon {
        let text = try String(contentsOf: Fixtures.prompts.appendingPathComponent("lexicons/\(language).yaml"), encoding: .utf8)
        return try LexiconParser.parse(yaml: text, file: "Prompts/lexicons/\(language).yaml")
    }

    static func placeholders(_ text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\{([a-z_]+)\}"#)
        return Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) })
    }

    @Test func theSourcesNameMessages() {
        #expect(Self.usedKeys.count > 100, "the scan found the keys: \(Self.usedKeys.count)")
        #expect(Self.usedKeys["unknown_command"] != nil && Self.usedKeys["not_a_name"] != nil)
    }

    @Test(arguments: ["en", "sv", "da", "pl"])
    func everyKeyTheSourcesUseIsInTheLexicon(_ language: String) throws {
        let messages = try Self.own(language).messages
        let missing = Self.usedKeys.filter { messages[$0.key] == nil }.sorted { $0.key < $1.key }
        let named = missing.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        #expect(missing.isEmpty, "Prompts/lexicons/\(language).yaml lacks: \(named)")
    }

    @Test(arguments: ["sv", "da", "pl"])
    func everyLanguageHasEveryEnglishMessageWithItsPlaceholders(_ language: String) throws {
        let english = try Self.own("en").messages
        let own = try Self.own(language).messages
        let onlyEnglish = Set(english.keys).subtracting(own.keys).sorted()
        let onlyHere = Set(own.keys).subtracting(english.keys).sorted()
        #expect(onlyEnglish.isEmpty, "in English only: \(onlyEnglish)")
        #expect(onlyHere.isEmpty, "no English to fall back on: \(onlyHere)")
        // Values the code passes that English happens not to use: a cadence's singular unit
        // ("var sjätte vecka") beside the plural English says ("every 6 weeks").
        let alsoFilled: [String: Set<String>] = ["every_many": ["unit"]]
        for (key, text) in own {
            guard let original = english[key] else { continue }
            let unknown = Self.placeholders(text).subtracting(Self.placeholders(original)).subtracting(alsoFilled[key] ?? [])
            #expect(unknown.isEmpty, "\(language) '\(key)' uses \(unknown.sorted()), which is never filled in")
        }
    }
}
