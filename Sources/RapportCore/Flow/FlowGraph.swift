/// A flow's steps and branches as a diagram: Mermaid (for Markdown) or Graphviz DOT.
public enum FlowGraph {
    public enum Format: String, Sendable, CaseIterable {
        case mermaid, dot
    }

    private struct Edge {
        var from: String
        var to: String
        var label: String?
    }

    private static func edges(_ flow: Flow) -> [Edge] {
        var edges: [Edge] = []
        for (index, step) in flow.steps.enumerated() {
            for transition in step.next {
                let target: String
                switch transition.target {
                case .step(let id): target = id
                case .end: target = "end"
                }
                edges.append(Edge(from: step.id, to: target, label: transition.condition.map(describe)))
            }
            for check in step.checks {
                if case .goto(let id) = check.then { edges.append(Edge(from: step.id, to: id, label: "check: " + describe(check.condition))) }
            }
            if !step.next.contains(where: { $0.condition == nil }) {
                // By position: looking the next step up by id would search the list for every step.
                let following = index + 1 < flow.steps.count ? flow.steps[index + 1].id : "end"
                edges.append(Edge(from: step.id, to: following, label: step.next.isEmpty ? nil : "otherwise"))
            }
        }
        return edges
    }

    public static func render(_ flow: Flow, as format: Format) -> String {
        let edges = edges(flow)
        switch format {
        case .mermaid:
            var lines = ["flowchart TD", "    start((start)) --> \(flow.start)"]
            for step in flow.steps { lines.append("    \(step.id)[\"\(escape(step.label))\"]") }
            lines.append("    end_((end))")
            for edge in edges {
                let target = edge.to == "end" ? "end_" : edge.to
                lines.append("    \(edge.from) -->" + (edge.label.map { "|\(escape($0))|" } ?? "") + " \(target)")
            }
            return lines.joined(separator: "\n") + "\n"
        case .dot:
            var lines = ["digraph \"\(flow.id)\" {", "    rankdir=TB;", "    node [shape=box];", "    \"start\" [shape=circle];", "    \"end\" [shape=doublecircle];", "    \"start\" -> \"\(flow.start)\";"]
            for step in flow.steps { lines.append("    \"\(step.id)\" [label=\"\(escape(step.label))\"];") }
            for edge in edges {
                lines.append("    \"\(edge.from)\" -> \"\(edge.to)\"" + (edge.label.map { " [label=\"\(escape($0))\"]" } ?? "") + ";")
            }
            return (lines + ["}"]).joined(separator: "\n") + "\n"
        }
    }

    /// A condition in a few words: `knows is no`, `matches vague_goal`.
    static func describe(_ condition: Condition) -> String {
        switch condition {
        case .matches(let list, let ignoring): return "matches \(list)" + (ignoring.map { " (not counting \($0))" } ?? "")
        case .equals(let slot, let values): return "\(slot ?? "answer") is \(values.joined(separator: "/"))"
        case .present(let slot): return "\(slot) given"
        case .wordsFewerThan(let count): return "< \(count) words"
        case .wordsMoreThan(let count): return "> \(count) words"
        case .all(let parts): return parts.map(describe).joined(separator: " and ")
        case .any(let parts): return parts.map(describe).joined(separator: " or ")
        case .not(let inner): return "not (\(describe(inner)))"
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "'")
    }
}
