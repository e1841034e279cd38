import Foundation
import RapportCore
import Yams

/// Reading the config file strictly: every number within a range it can mean, and every mistake
/// located by line and column and said without quoting the file, which holds tokens and webhook
/// URLs and whose errors end up in terminals and journals.
extension RapportConfig {
    /// Why a config file cannot be used, as one sentence that starts with where.
    struct Problem: Error {
        var reason: String
    }

    /// A number the config may set and the values it can mean.
    struct NumberRule: Sendable {
        var path: [String]
        var range: ClosedRange<Int>
        var meaning: String?
        var value: @Sendable (RapportConfig) -> Int?

        var allowed: String { "between \(range.lowerBound) and \(range.upperBound)" + (meaning.map { " (\($0))" } ?? "") }
    }

    /// Every number in the config. Beyond these ranges a value means nothing useful, and some
    /// would trap later (minutes × 60 past Int.max, a negative body limit) or be cut to 16 bits
    /// (port 70000 listening on 4464).
    static let numberRules: [NumberRule] = [
        // A reminder or a "how did it go?" more than a week away from its meeting is no longer about it.
        NumberRule(path: ["nudges", "lead_minutes"], range: 0...10_080, meaning: "a week") { $0.nudges?.leadMinutes },
        NumberRule(path: ["nudges", "reflect_after_minutes"], range: 0...10_080, meaning: "a week") { $0.nudges?.reflectAfterMinutes },
        NumberRule(path: ["nudges", "morning_hour"], range: 0...23) { $0.nudges?.morningHour },
        // Meetings further ahead than a quarter are not yet worth preparing; a feed read less than
        // weekly misses the moves that matter.
        NumberRule(path: ["calendar", "horizon_days"], range: 1...90, meaning: "a quarter") { $0.calendar?.horizonDays },
        NumberRule(path: ["calendar", "refresh_minutes"], range: 1...10_080, meaning: "a week") { $0.calendar?.refreshMinutes },
        NumberRule(path: ["server", "port"], range: 1...65_535) { $0.server?.port },
        // At least a Slack slash command's form; at most far beyond any chat message, so that a
        // request can never hold much memory.
        NumberRule(path: ["server", "max_body_bytes"], range: 1024...16_777_216, meaning: "16 MB") { $0.server?.maxBodyBytes },
    ]

    /// Quiet hours as written (`20-8`): two hours from 0 to 23, or nil when the text is not that.
    static func quietHours(_ text: String) -> (start: Int, end: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func hour(_ part: String) -> Int? {
            guard (1...2).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let hour = Int(part), hour <= 23 else { return nil }
            return hour
        }
        guard parts.count == 2, let start = hour(parts[0]), let end = hour(parts[1]) else { return nil }
        return (start, end)
    }

    /// The config a YAML text means, or the first problem with it.
    static func parse(_ text: String) throws(Problem) -> RapportConfig {
        // An alias bomb as a key would hang Yams before decoding could refuse anything.
        if let aliasKey = NodeBudget.aliasKey(in: text, file: "") {
            throw Problem(reason: "line \(aliasKey.location.line), column \(aliasKey.location.column): \(aliasKey.message)")
        }
        do {
            // The decoder's own resolver (merge keys only), so values read as they always did.
            // (Its regular expressions cost 2 ms of ICU setup, but Yams's decoder builds its
            // default resolver on the first mapping it decodes anyway.)
            let parser = try Parser(yaml: text, resolver: Resolver.basic.appending(Resolver.Rule.merge))
            return try withExtendedLifetime(parser) { () throws -> RapportConfig in
                guard let root = try parser.singleRoot() else { return RapportConfig() }
                let config: RapportConfig
                do {
                    config = try YAMLDecoder().decode(RapportConfig.self, from: root)
                } catch {
                    throw Problem(reason: decodingProblem(error, root: root))
                }
                try config.checkNumbers(root: root)
                return config
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(reason: syntaxProblem(error, in: text))
        }
    }

    /// Refuses a number outside its range, or quiet hours that are not two hours.
    func checkNumbers(root: Node) throws(Problem) {
        for rule in Self.numberRules {
            if let value = rule.value(self), !rule.range.contains(value) {
                throw Problem(reason: Self.at(rule.path, in: root) + "\(rule.path.joined(separator: ".")) must be \(rule.allowed); it is \(value)")
            }
        }
        if let quiet = nudges?.quietHours, quiet != "off", Self.quietHours(quiet) == nil {
            throw Problem(reason: Self.at(["nudges", "quiet_hours"], in: root) + "nudges.quiet_hours must be two hours from 0 to 23 like 20-8, or off; it is '\(quiet)'")
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
            problem = "must be " + expectation(type, path: path)
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

    private static func expectation(_ type: Any.Type, path: [String]) -> String {
        if type == Int.self {
            return "a whole number" + (numberRules.first { $0.path == path }.map { " " + $0.allowed } ?? "")
        }
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
