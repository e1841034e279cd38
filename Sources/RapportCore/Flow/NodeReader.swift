import Yams

/// Walks a YAML node tree with located errors: the shared reading of flow and lexicon files.
/// Every problem is collected rather than thrown, so one pass reports them all.
class NodeReader {
    let file: String
    var errors: [FlowError] = []
    /// The step errors are attributed to, while one is being read.
    var currentStep: String? = nil

    init(file: String) {
        self.file = file
    }

    // MARK: - Locations and errors

    func location(_ node: Node?) -> SourceLocation {
        let mark = node?.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func error(_ message: String, _ node: Node?) {
        errors.append(FlowError(message, at: location(node), step: currentStep))
    }

    /// The mapping's entries by key, reporting unknown and repeated keys.
    func entries(_ node: Node, what: String, allowed: Set<String>) -> [String: (key: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            error("\(what) must be a mapping of 'key: value' lines", node)
            return nil
        }
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                error("a key in \(what) must be plain text", key)
                continue
            }
            if result[name] != nil {
                error("'\(name)' appears twice in \(what)", key)
                continue
            }
            if !allowed.contains(name) {
                let known = allowed.sorted().joined(separator: ", ")
                error("unknown key '\(name)' in \(what) (known keys: \(known))", key)
                continue
            }
            result[name] = (key, value)
        }
        return result
    }

    func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            error("'\(what)' must be text, not a list or mapping", node)
            return nil
        }
        return scalar.string
    }

    func int(_ node: Node?, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let value = Int(text) else {
            error("'\(what)' must be a whole number, not '\(text)'", node)
            return nil
        }
        return value
    }

    func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("'\(what)' must be true or false, not '\(text)'", node)
            return nil
        }
    }

    func strings(_ node: Node?, _ what: String) -> [String] {
        guard let node else { return [] }
        if node.scalar != nil { return string(node, what).map { [$0] } ?? [] }
        guard let sequence = node.sequence else {
            error("'\(what)' must be a list", node)
            return []
        }
        return sequence.compactMap { string($0, what) }
    }

    func required(_ entries: [String: (key: Node, value: Node)], _ key: String, in node: Node, what: String) -> String? {
        guard let entry = entries[key] else {
            error("\(what) needs '\(key):'", node)
            return nil
        }
        guard let text = string(entry.value, key), !text.trimmingWhitespace().isEmpty else {
            if entry.value.scalar != nil { error("'\(key)' is empty", entry.value) }
            return nil
        }
        return text
    }
}
