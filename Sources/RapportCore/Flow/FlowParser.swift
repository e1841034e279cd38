import Yams

/// The names the parser checks references against: lexicon lists and principle ids.
public struct FlowVocabulary: Sendable {
    /// Names of phrase lists a `matches:` condition may use.
    public var lists: Set<String>
    /// Principle ids a `serves:` entry may name.
    public var principles: Set<String>

    public init(lists: Set<String>, principles: Set<String>) {
        self.lists = lists
        self.principles = principles
    }
}

/// Reads a flow from YAML text and validates it. Pure: the caller reads the file. Every problem
/// found is reported at once, each with file, line, column and step.
public enum FlowParser {
    public static func parse(yaml: String, file: String, vocabulary: FlowVocabulary) throws(FlowErrors) -> Flow {
        let root = try compose(yaml, file: file, whenEmpty: "the file is empty; a flow needs 'flow:', 'title:' and 'steps:'")
        let reader = FlowReader(file: file, vocabulary: vocabulary)
        let flow = reader.flow(root)
        if let flow { reader.validate(flow) }
        guard reader.errors.isEmpty, let flow else { throw FlowErrors(reader.errors) }
        return flow
    }

    /// The node tree of a YAML text, or a located error: its syntax, an alias used as a key, or
    /// more values or deeper nesting than `NodeBudget` allows. The basic resolver keeps every
    /// scalar as text: the reader decides what a value means, and no regular expressions are
    /// compiled to guess types (a few milliseconds at every start).
    public static func compose(_ yaml: String, file: String, whenEmpty: String) throws(FlowErrors) -> Node {
        if let aliasKey = NodeBudget.aliasKey(in: yaml, file: file) { throw FlowErrors([aliasKey]) }
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml, .basic)
        } catch {
            throw FlowErrors([yamlError(error, file: file)])
        }
        guard let node else { throw FlowErrors([FlowError(whenEmpty, at: SourceLocation(file: file, line: 1, column: 1))]) }
        // Before any reader walks it: aliases can make a short file mean billions of values.
        if let overBudget = NodeBudget.check(node, file: file) { throw FlowErrors([overBudget]) }
        return node
    }

    /// A YAML syntax error, located where the YAML library says it is.
    public static func yamlError(_ error: any Error, file: String) -> FlowError {
        guard let yaml = error as? YamlError else {
            return FlowError("the file is not valid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return FlowError("the file is not valid YAML: \(detail)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .reader(let problem, _, _, _):
            return FlowError("the file cannot be read as text: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return FlowError("the file is not valid YAML: \(yaml)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// Slot names: dotted lowercase words (`contact.name`, `meeting.goal`).
enum SlotName {
    static func isValid(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { part in
            guard let first = part.first, first.isLetter, first.isASCII, first.isLowercase else { return false }
            return part.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
        }
    }
}
