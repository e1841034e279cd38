import Foundation
import RapportCore
import Yams

/// The flow files on disk: user flows first, then the built-in `Prompts/`. Reads only the flow
/// in use and the lexicons of its language, so starting a conversation stays fast.
public struct FlowLibrary: Sendable {
    /// Folders searched in order; an earlier folder's flow overrides a later one's with the same id.
    public let directories: [String]
    /// Lexicons read by this library (and its copies), so a command that plans nudges and prints
    /// messages reads the largest file once, not once per caller.
    private let lexicons = LexiconMemo()

    /// Where parsed lexicons are kept between runs; nil reads the YAML every time.
    private let lexiconCache: LexiconCache?

    public init(directories: [String], cacheDirectory: String? = nil) {
        self.directories = directories
        lexiconCache = cacheDirectory.map(LexiconCache.init(directory:))
    }

    /// The ids of every flow found, without duplicates, sorted.
    public func flowIDs() -> [String] {
        var ids: Set<String> = []
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".yaml") && file != "principles.yaml" {
                ids.insert(String(file.dropLast(5)))
            }
        }
        return ids.sorted()
    }

    /// One flow file found in the folders.
    public struct Entry: Sendable {
        public var id: String
        public var path: String
        /// Whether an earlier folder has a flow with the same id, which is used instead.
        public var overridden: Bool
    }

    /// Every flow file, folder by folder, marking those overridden by an earlier folder.
    public func entries() -> [Entry] {
        var seen: Set<String> = []
        var entries: [Entry] = []
        for directory in directories {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            for file in files where file.hasSuffix(".yaml") && file != "principles.yaml" {
                let id = String(file.dropLast(5))
                entries.append(Entry(id: id, path: directory + "/" + file, overridden: seen.contains(id)))
                seen.insert(id)
            }
        }
        return entries
    }

    /// A flow file by path, parsed and validated (not translated): for `rapport flows lint FILE`.
    public func flow(atPath path: String, lexicon: Lexicon) throws(RapportError) -> Flow {
        let vocabulary = FlowVocabulary(lists: Set(lexicon.lists.keys), principles: Set(try principles().keys))
        let text = try read(path)
        return try parsed(as: RapportError.invalidFlow) { () throws(FlowErrors) in
            try FlowParser.parse(yaml: text, file: path, vocabulary: vocabulary)
        }
    }

    /// Runs a reader, turning its located errors into the `RapportError` that says which kind of file it was.
    private func parsed<T>(as kind: (FlowErrors) -> RapportError, _ body: () throws(FlowErrors) -> T) throws(RapportError) -> T {
        do {
            return try body()
        } catch {
            throw kind(error)
        }
    }

    /// The conversation scripts (`tests/*.transcript`) beside the flows, in every folder.
    public func scriptPaths() -> [String] {
        directories.flatMap { directory -> [String] in
            let folder = directory + "/tests"
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            return files.filter { $0.hasSuffix(".transcript") }.map { folder + "/" + $0 }
        }
    }

    /// Reads a text file.
    public func text(atPath path: String) throws(RapportError) -> String {
        try read(path)
    }

    /// The principle ids flows may serve, from `principles.yaml`.
    public func principles() throws(RapportError) -> [String: String] {
        guard let path = firstExisting("principles.yaml") else { throw .missingPrompts }
        let text = try read(path)
        let node = try parsed(as: RapportError.invalidFlow) { () throws(FlowErrors) in
            try FlowParser.compose(text, file: path, whenEmpty: "the file is empty; it needs 'principles:'")
        }
        guard let mapping = node["principles"]?.mapping else {
            throw .invalidFlow(FlowErrors([FlowError("expected 'principles:' with 'ID: title' lines", at: SourceLocation(file: path, line: 1, column: 1))]))
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            if let id = key.string { result[id] = value.string ?? "" }
        }
        return result
    }

    /// The lexicon of a language with English filling its gaps.
    public func lexicon(language: String) throws(RapportError) -> Lexicon {
        if let known = lexicons.lexicon(language) { return known }
        let english = try loadLexicon("en")
        var lexicon = english
        if language != "en", firstExisting("lexicons/\(language).yaml") != nil {
            lexicon = try loadLexicon(language).fillingGaps(from: english)
        }
        lexicons.remember(lexicon, for: language)
        return lexicon
    }

    /// A language's lexicon file as written, without English filling its gaps (for `flows lint`);
    /// nil when the language has none.
    public func ownLexicon(language: String) throws(RapportError) -> (path: String, lexicon: Lexicon)? {
        guard let path = firstExisting("lexicons/\(language).yaml") else { return nil }
        return (path, try loadLexicon(language))
    }

    /// A flow by id, parsed and validated against the lexicon and the principles.
    public func flow(id: String, lexicon: Lexicon) throws(RapportError) -> Flow {
        guard !id.contains("/"), let path = firstExisting("\(id).yaml") else {
            throw .unknownFlow(id: id, available: flowIDs())
        }
        let flow = try flow(atPath: path, lexicon: lexicon)
        guard flow.id == id else {
            throw .invalidFlow(FlowErrors([FlowError("the file is named '\(id).yaml' but says 'flow: \(flow.id)'; make them the same", at: flow.location)]))
        }
        guard lexicon.language != "en", let translations = try translations(language: lexicon.language) else { return flow }
        return FlowLocalizer.localize(flow, with: translations)
    }

    /// The languages with a locale file (`locales/<lang>.yaml`), English first.
    public func languages() -> [String] {
        var found: Set<String> = ["en"]
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/locales")) ?? []
            for file in files where file.hasSuffix(".yaml") { found.insert(String(file.dropLast(5))) }
        }
        return ["en"] + found.subtracting(["en"]).sorted()
    }

    /// A language's flow translations, or nil when it has no locale file.
    public func translations(language: String) throws(RapportError) -> FlowLocalizer.Translations? {
        guard let path = firstExisting("locales/\(language).yaml") else { return nil }
        let text = try read(path)
        return try parsed(as: RapportError.invalidLexicon) { () throws(FlowErrors) in
            try FlowLocalizer.parse(yaml: text, file: path).translations
        }
    }

    private func loadLexicon(_ language: String) throws(RapportError) -> Lexicon {
        guard let path = firstExisting("lexicons/\(language).yaml") else { throw .missingPrompts }
        if let cached = lexiconCache?.lexicon(readFrom: path) { return cached }
        let text = try read(path)
        let lexicon = try parsed(as: RapportError.invalidLexicon) { () throws(FlowErrors) in
            try LexiconParser.parse(yaml: text, file: path)
        }
        lexiconCache?.keep(lexicon, readFrom: path)
        return lexicon
    }

    private func firstExisting(_ relative: String) -> String? {
        directories.map { $0 + "/" + relative }.first { FileManager.default.fileExists(atPath: $0) }
    }

    private func read(_ path: String) throws(RapportError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path)
        }
        return text
    }
}

/// The lexicons a `FlowLibrary` has read, shared by its copies.
private final class LexiconMemo: @unchecked Sendable {
    // @unchecked: `read` is only touched under `lock`.
    private let lock = NSLock()
    private var read: [String: Lexicon] = [:]

    func lexicon(_ language: String) -> Lexicon? {
        lock.withLock { read[language] }
    }

    func remember(_ lexicon: Lexicon, for language: String) {
        lock.withLock { read[language] = lexicon }
    }
}
