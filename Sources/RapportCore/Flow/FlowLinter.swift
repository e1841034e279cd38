/// Something in a flow that loads but is probably a mistake.
public struct FlowWarning: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var step: String?
    public var message: String

    public var description: String {
        "\(location): warning: " + (step.map { "step '\($0)': " } ?? "") + message
    }
}

/// The checks `rapport flows lint` adds to loading: paths that never end, slots written but
/// never used, steps that cannot say why they ask.
public enum FlowLinter {
    /// Slots the domain reads when a conversation ends, so writing them is using them.
    static let domainNamespaces = ["contact.", "meeting.", "me.", "reflection."]
    static let domainSlots: Set<String> = ["followups", "referrals"]

    public static func warnings(_ flow: Flow) -> [FlowWarning] {
        var warnings: [FlowWarning] = []
        let reachesEnd = stepsThatReachTheEnd(flow)
        for step in flow.steps where !reachesEnd.contains(step.id) {
            warnings.append(FlowWarning(location: step.location, step: step.id, message: "no path from here reaches the end; the conversation could never finish"))
        }
        let used = usedSlots(flow)
        for step in flow.steps {
            if let slot = step.into, !used.contains(slot), !domainSlots.contains(slot), !domainNamespaces.contains(where: slot.hasPrefix) {
                warnings.append(FlowWarning(location: step.location, step: step.id, message: "the slot '\(slot)' is written but never used in a text, a condition or the summary"))
            }
            if step.why == nil {
                warnings.append(FlowWarning(location: step.location, step: step.id, message: "no 'why:', so 'why' or '?' at this question has no answer"))
            }
            if step.serves.isEmpty {
                warnings.append(FlowWarning(location: step.location, step: step.id, message: "no 'serves:'; name the principle ids this question serves"))
            }
        }
        return warnings
    }

    /// Every step from which some path reaches `end`.
    static func stepsThatReachTheEnd(_ flow: Flow) -> Set<String> {
        var paths = FlowPaths(flow)
        return paths.reachingTheEnd()
    }

    /// Slots any text, condition or summary line refers to.
    static func usedSlots(_ flow: Flow) -> Set<String> {
        var used: Set<String> = []
        func texts(_ values: String?...) {
            for value in values.compactMap({ $0 }) { used.formUnion(Template.placeholders(in: value).map(\.slot)) }
        }
        func conditions(_ condition: Condition?) {
            guard let condition else { return }
            switch condition {
            case .equals(let slot?, _), .present(let slot): used.insert(slot)
            case .all(let parts), .any(let parts): parts.forEach(conditions)
            case .not(let inner): conditions(inner)
            default: break
            }
        }
        for step in flow.steps {
            texts(step.ask, step.why, step.hint, step.askMore)
            conditions(step.skipIf)
            for check in step.checks {
                texts(check.say)
                conditions(check.condition)
            }
            for transition in step.next {
                texts(transition.say)
                conditions(transition.condition)
            }
        }
        if let summary = flow.summary {
            texts(summary.title, summary.footer)
            for line in summary.lines {
                texts(line.label, line.text)
                conditions(line.condition)
            }
        }
        return used
    }
}
