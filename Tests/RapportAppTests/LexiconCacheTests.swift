import Foundation
import RapportApp
import RapportCore
import RapportTestSupport
import Testing

/// The parsed lexicons kept between runs: used while the file is unchanged, never after it changed.
@Suite struct LexiconCacheTests {
    /// A copy of the shipped prompts and an empty cache folder, in a folder of their own.
    private func folders() throws -> (prompts: String, cache: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-lexicon-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let prompts = root.appendingPathComponent("Prompts")
        try FileManager.default.copyItem(at: Fixtures.prompts, to: prompts)
        return (prompts.path, root.appendingPathComponent("cache").path)
    }

    private func cacheEntries(_ cache: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter { $0.hasSuffix(".json") }
    }

    @Test func aSecondRunReadsTheSameLexiconFromTheCache() throws {
        let (prompts, cache) = try folders()
        let first = try FlowLibrary(directories: [prompts], cacheDirectory: cache).lexicon(language: "sv")
        #expect(cacheEntries(cache).count == 2)  // Swedish and the English that fills its gaps
        // The cached entry answers a new library (a new run) with exactly what the YAML said.
        let second = try FlowLibrary(directories: [prompts], cacheDirectory: cache).lexicon(language: "sv")
        #expect(second == first)
        #expect(second == Fixtures.lexicon("sv"))
    }

    @Test func anEditedLexiconIsReadAgainNotTakenFromTheCache() throws {
        let (prompts, cache) = try folders()
        _ = try FlowLibrary(directories: [prompts], cacheDirectory: cache).lexicon(language: "en")
        let file = prompts + "/lexicons/en.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\nmessages:\n", with: "\nmessages:\n  cache_probe: \"Edited a moment ago\"\n")
        #expect(edited != text)
        try edited.write(toFile: file, atomically: true, encoding: .utf8)
        let lexicon = try FlowLibrary(directories: [prompts], cacheDirectory: cache).lexicon(language: "en")
        #expect(lexicon.message("cache_probe") == "Edited a moment ago")
    }

    @Test func aDamagedEntryIsIgnoredAndReplaced() throws {
        let (prompts, cache) = try folders()
        _ = try FlowLibrary(directories: [prompts], cacheDirectory: cache).lexicon(language: "en")
        let entry = try #require(cacheEntries(cache).first)
        try Data("{\"stamp\": 1, \"lexicon\": [".utf8).write(to: URL(fileURLWithPath: cache + "/" + entry))
        let lexicon = try FlowLibrary(directories: [prompts], cacheDirectory: cache).lexicon(language: "en")
        #expect(lexicon == Fixtures.english)
        let rewritten = try String(contentsOfFile: cache + "/" + entry, encoding: .utf8)
        #expect(rewritten.contains("\"messages\""))
    }

    @Test func aCacheFolderThatCannotBeWrittenOnlyCostsTheParse() throws {
        let (prompts, _) = try folders()
        let blocked = prompts + "/principles.yaml/cache"  // a folder under a file: never creatable
        let lexicon = try FlowLibrary(directories: [prompts], cacheDirectory: blocked).lexicon(language: "en")
        #expect(lexicon == Fixtures.english)
    }
}
