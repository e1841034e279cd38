/// A flow's steps by id and where the engine may go from each, built once so that whole-flow
/// checks take time in proportion to steps and branches. (`Flow.step(after:)` searches the list
/// on every call: validating 8,000 steps took seconds that way, and linting them, hours.)
struct FlowPaths {
    /// Where the engine may go from a step.
    enum Target: Hashable {
        case step(Int)
        case end
    }

    let flow: Flow
    /// Each id's position in `flow.steps` (the first step with that id).
    let positions: [String: Int]
    /// For each step, by position, the steps it may move to; targets naming no step are left out.
    let successors: [[Target]]
    /// Steps and branches visited so far, so that a test can hold the checks to linear work
    /// without reading a clock.
    private(set) var visits = 0

    init(_ flow: Flow) {
        self.flow = flow
        var positions: [String: Int] = [:]
        for (index, step) in flow.steps.enumerated() where positions[step.id] == nil { positions[step.id] = index }
        self.positions = positions
        func target(_ id: String) -> Target? { id == "end" ? .end : positions[id].map(Target.step) }
        successors = flow.steps.indices.map { index in
            let step = flow.steps[index]
            var targets: [Target] = []
            for transition in step.next {
                switch transition.target {
                case .step(let id): if let found = target(id) { targets.append(found) }
                case .end: targets.append(.end)
                }
            }
            for check in step.checks {
                if case .goto(let id) = check.then, let found = target(id) { targets.append(found) }
            }
            // Without an unconditional branch the engine falls through to the next step in the file.
            if !step.next.contains(where: { $0.condition == nil }) {
                targets.append(index + 1 < flow.steps.count ? .step(index + 1) : .end)
            }
            return targets
        }
        visits = flow.steps.count + successors.reduce(0) { $0 + $1.count }
    }

    /// The ids of every step some path from `start` reaches, `start` included.
    mutating func reachable(from start: String) -> Set<String> {
        guard let first = positions[start] else { return [] }
        var seen = [Bool](repeating: false, count: flow.steps.count)
        seen[first] = true
        var queue = [first]
        while let index = queue.popLast() {
            visits += 1
            for case .step(let next) in successors[index] {
                visits += 1
                if !seen[next] {
                    seen[next] = true
                    queue.append(next)
                }
            }
        }
        return Set(flow.steps.indices.filter { seen[$0] }.map { flow.steps[$0].id })
    }

    /// The ids of every step from which some path reaches the end: a walk back from the steps
    /// that can end, over the branches reversed.
    mutating func reachingTheEnd() -> Set<String> {
        var predecessors = [[Int]](repeating: [], count: flow.steps.count)
        var reaching = [Bool](repeating: false, count: flow.steps.count)
        var queue: [Int] = []
        for (index, targets) in successors.enumerated() {
            for target in targets {
                visits += 1
                switch target {
                case .step(let next): predecessors[next].append(index)
                case .end:
                    if !reaching[index] {
                        reaching[index] = true
                        queue.append(index)
                    }
                }
            }
        }
        while let index = queue.popLast() {
            visits += 1
            for previous in predecessors[index] where !reaching[previous] {
                visits += 1
                reaching[previous] = true
                queue.append(previous)
            }
        }
        return Set(flow.steps.indices.filter { reaching[$0] }.map { flow.steps[$0].id })
    }
}
