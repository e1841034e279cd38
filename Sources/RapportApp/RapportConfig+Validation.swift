import Foundation
import RapportCore
import Yams

/// Reading the config file strictly: every mistake located by line and column and said without
/// quoting the file, which holds tokens and webhook URLs and whose errors end up in terminals
/// and journals.
extension RapportConfig {
    /// Why a config file cannot be used, as one sentence that starts with where.
    struct Problem: Error {
        var reason: String
    }

    /// The config a YAML text means, or the first problem with it.
    static func parse(_ text: String) throws(Problem) -> RapportConfig {
        // An alias bomb as a key would hang Yams before decoding could refuse anything.
        if let aliasKey = NodeBudget.aliasKey(in: text, file: "") {
            throw Problem(reason: "line \(aliasKey.location.line), column \(aliasKey.location.column): \(aliasKey.message)")
        }
        do {
            // The decoder's own resolver (merge keys only), so values read as they always did.
            let parser = try Parser(yaml: text, resolver: Resolver.basic.appending(Resolver.Rule.merge))
            return try withExtendedLifetime(parser) { () throws -> RapportConfig in
                guard let root = try parser.singleRoot() else { return RapportConfig() }
                let config: RapportConfig
                do {
                    config = try YAMLDecoder().decode(RapportConfig.self, from: root)
                } catch {
                    throw Problem(reason: decodingProblem(error, root: root))
                }
                return config
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(reason: syntaxProblem(error, in: text))
        }
    }

    /// A syntax error where libyaml found it, in its own words, which never quote the file
    /// (Yams's description of the error shows the offending line, a secret's line included).
    static func syntaxProblem(_ error: any Error, in text: String) -> String {
        guard let yaml = error as? YamlError else { return "it cannot be read as YAML" }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = problem + (context.map { $0.text.isEmpty ? "" : " (\($0.text))" } ?? "")
            return "line \(mark.line), column \(mark.column): the YAML is broken here: \(detail)"
        case .duplicatedKeysInMapping(_, let context):
            // Its context holds the whole file; only the place is taken from it.
            return "line \(context.mark.line), column \(context.mark.column): the YAML is broken here: a key appears twice in one mapping"
        case .reader(let problem, let offset, _, _):
            let before = text.utf8.prefix(offset ?? 0)
            let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = before.reversed().prefix { $0 != UInt8(ascii: "\n") }.count + 1
            return "line \(line), column \(column): the YAML is broken here: \(problem)"
        default:
            return "it cannot be read as YAML"
        }
    }

    /// A decoding error as the key it is about and what that key must be, located in the file;
    /// the value itself is not shown (a URL pasted under the wrong key is still a secret).
    static func decodingProblem(_ error: any Error, root: Node) -> String {
        guard let error = error as? DecodingError else { return "it cannot be read as a config" }
        let path: [String]
        let problem: String
        switch error {
        case .typeMismatch(let type, let context):
            path = context.codingPath.map(\.stringValue)
            problem = "must be " + expectation(type)
        case .keyNotFound(let key, let context):
            path = context.codingPath.map(\.stringValue)
            problem = "needs '\(key.stringValue):'"
        case .valueNotFound(_, let context):
            path = context.codingPath.map(\.stringValue)
            problem = "has no value"
        case .dataCorrupted(let context):
            path = context.codingPath.map(\.stringValue)
            problem = "cannot be read"
        @unknown default:
            return "it cannot be read as a config"
        }
        return at(path, in: root) + (path.isEmpty ? "the file" : path.joined(separator: ".")) + " " + problem
    }

    private static func expectation(_ type: Any.Type) -> String {
        if type == Int.self { return "a whole number" }
        if type == Bool.self { return "true or false" }
        if type == Node.Mapping.self { return "a mapping of 'key: value' lines" }
        if type == Node.Sequence.self { return "a list" }
        return "a single value, not a list or mapping"
    }

    /// "line L, column C: " for the value at `path`, or for as much of the path as the file has.
    static func at(_ path: [String], in root: Node) -> String {
        var node = root
        for key in path {
            guard let next = node[key] else { break }
            node = next
        }
        guard let mark = node.mark else { return "" }
        return "line \(mark.line), column \(mark.column): "
    }
}
