/// Which step, rule or nudge serves each principle id, and which ids nothing serves.
public struct PrincipleCoverage: Sendable {
    /// Principle id → what serves it ("prep.goal", "nudge: referral").
    public var servedBy: [String: [String]]
    /// Ids that nothing serves.
    public var unserved: [String]

    /// What each nudge kind is for.
    public static let nudgePrinciples: [NudgeKind: [String]] = [
        .reminder: ["P2.4", "P4.1"], .reflect: ["P4.1", "P0.7"], .followup: ["P3.4", "P0.9"], .referral: ["P0.8"],
        .keepInTouch: ["P3.4", "P2.8"], .digest: ["P0.7", "P0.9"],
    ]

    public init(flows: [Flow], principles: [String]) {
        var served: [String: [String]] = [:]
        for flow in flows {
            for step in flow.steps {
                for id in step.serves { served[id, default: []].append("\(flow.id).\(step.id)") }
            }
        }
        for (kind, ids) in Self.nudgePrinciples {
            for id in ids { served[id, default: []].append("nudge: \(kind.rawValue)") }
        }
        servedBy = served.mapValues { $0.sorted() }
        unserved = principles.filter { served[$0] == nil }
    }
}
