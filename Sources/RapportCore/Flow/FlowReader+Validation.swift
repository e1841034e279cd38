/// Whole-flow checks that need every step: duplicate ids, unknown targets, unreachable steps.
extension FlowReader {
    func validate(_ flow: Flow) {
        var seen: Set<String> = []
        for step in flow.steps {
            if !seen.insert(step.id).inserted {
                errors.append(FlowError("the id '\(step.id)' is used by an earlier step; step ids must be unique", at: step.location, step: step.id))
            }
        }
        if seen.contains("end") {
            let step = flow.steps.first { $0.id == "end" }!
            errors.append(FlowError("'end' is reserved for 'goto: end'; rename this step", at: step.location, step: "end"))
        }

        for step in flow.steps {
            for transition in step.next {
                if case .step(let target) = transition.target, !seen.contains(target) {
                    errors.append(FlowError("'goto: \(target)' names a step that does not exist", at: transition.location, step: step.id))
                }
            }
            for check in step.checks {
                if case .goto(let target) = check.then, !seen.contains(target), target != "end" {
                    errors.append(FlowError("'then: goto \(target)' names a step that does not exist", at: check.location, step: step.id))
                }
            }
        }

        // Reachability from the start over every edge the engine can take, in one walk.
        var paths = FlowPaths(flow)
        let reachable = paths.reachable(from: flow.start)
        for step in flow.steps where !reachable.contains(step.id) {
            errors.append(FlowError("no path from the start ('\(flow.start)') reaches this step; add a 'goto: \(step.id)' or remove it", at: step.location, step: step.id))
        }
    }
}
