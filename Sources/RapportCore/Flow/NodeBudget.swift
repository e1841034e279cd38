import Yams

/// How much YAML a flow, lexicon or locale file may mean, checked before anything reads it.
/// Yams resolves an alias to the node its anchor names, so a node can appear many times in the
/// tree: ten aliases each repeating the last ten times make 700 bytes mean a billion values. The
/// walk counts every visit, not every distinct node, and stops at the budget, so a hostile file
/// costs at most that many steps and is reported as one located error.
public enum NodeBudget {
    /// Values (scalars, lists and mappings, each visit counted) one file may expand to. The
    /// largest shipped file, a locale, has about 1,000, and a flow of 8,000 steps about 120,000;
    /// reading this many takes milliseconds and a few megabytes.
    public static let maximumNodes = 200_000
    /// How deeply values may nest. Shipped files nest at most 10 levels; readers recurse into
    /// conditions and mappings, and 64 levels keep that far from the end of any thread's stack.
    public static let maximumDepth = 64

    /// The first way `root` goes over the budget, as a located error, or nil when it stays
    /// within it. The error points at the top-level key (or, inside a list of steps, the step's
    /// key) whose value goes over, and names the step.
    public static func check(_ root: Node, file: String) -> FlowError? {
        var walk = Walk(remaining: maximumNodes)
        guard let mapping = root.mapping else {
            return walk.overrun(root, depth: 1).map { describe($0, key: nil, file: file, step: nil) }
        }
        for (key, value) in mapping {
            if let overrun = walk.overrun(key, depth: 2) { return describe(overrun, key: key, file: file, step: nil) }
            // A list of steps: blame the step, and within it the key whose value goes over.
            if let items = value.sequence, items.contains(where: { $0.mapping?["id"] != nil }) {
                walk.remaining -= 1
                for item in items {
                    let step = item.mapping?["id"]?.string
                    guard let entries = item.mapping else {
                        if let overrun = walk.overrun(item, depth: 3) { return describe(overrun, key: key, file: file, step: nil) }
                        continue
                    }
                    walk.remaining -= 1
                    if walk.remaining < 0 { return describe(.tooMany, key: key, file: file, step: step) }
                    for (entryKey, entryValue) in entries {
                        if let overrun = walk.overrun(entryKey, depth: 4) ?? walk.overrun(entryValue, depth: 4) {
                            return describe(overrun, key: entryKey, file: file, step: step)
                        }
                    }
                }
            } else if let overrun = walk.overrun(value, depth: 2) {
                return describe(overrun, key: key, file: file, step: nil)
            }
        }
        return nil
    }

    /// Refuses a mapping key that is an alias or holds one, before Yams composes the text: it
    /// hashes every key whole to find duplicates, so an alias bomb used as a key would hang it
    /// before `check` could look at the tree. Looked for in a copy of the text with each `*`
    /// written as `_`, which parses to the same tree but with aliases as plain words, in the
    /// same places, that expand to nothing.
    public static func aliasKey(in yaml: String, file: String) -> FlowError? {
        guard yaml.contains("&"), yaml.contains("*") else { return nil }  // no anchor, or no alias
        var aliases: Set<Position> = []
        var copy = String.UnicodeScalarView()
        var position = Position(line: 1, column: 1)
        var scalars = yaml.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            if scalar == "*" { aliases.insert(position) }
            copy.append(scalar == "*" ? "_" : scalar)
            // libyaml's line breaks: LF, CR (as one with a following LF), NEL, LS, PS.
            if scalar == "\n" || (scalar == "\r" && next != "\n") || ["\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) {
                position = Position(line: position.line + 1, column: 1)
            } else {
                position.column += 1
            }
        }
        // A copy that does not parse is left to the real reading to report.
        guard let root = try? Yams.compose(yaml: String(copy), .basic) else { return nil }
        func isAlias(_ node: Node) -> Bool {
            guard let scalar = node.scalar, scalar.style == .plain, let mark = scalar.mark else { return false }
            return aliases.contains(Position(line: mark.line, column: mark.column))
        }
        var pending = [root]
        while let node = pending.popLast() {
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    var inKey = [key]
                    while let part = inKey.popLast() {
                        if isAlias(part) {
                            let location = SourceLocation(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1)
                            return FlowError("a key here is an alias (*name) or holds one; write keys out as plain words", at: location)
                        }
                        inKey.append(contentsOf: part.mapping.map { $0.flatMap { [$0.key, $0.value] } } ?? part.sequence.map(Array.init) ?? [])
                    }
                    pending.append(value)
                }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return nil
    }

    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    enum Overrun { case tooMany, tooDeep }

    private static func describe(_ overrun: Overrun, key: Node?, file: String, step: String?) -> FlowError {
        let mark = key?.mark
        let location = SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        let what = key?.scalar.map { "'\($0.string)'" } ?? "the file"
        switch overrun {
        case .tooMany:
            return FlowError("\(what) expands to more than \(maximumNodes) YAML values (aliases repeating aliases?); real files need far fewer, so write it out without aliases", at: location, step: step)
        case .tooDeep:
            return FlowError("\(what) nests more than \(maximumDepth) levels deep; real files need far fewer, so flatten it", at: location, step: step)
        }
    }

    /// One file's walk: what is left of the budget, spent across every call.
    struct Walk {
        var remaining: Int

        /// Visits `node` and everything under it (at `depth`, the root being 1) without
        /// recursion, spending one per visit; the first way it goes over, or nil.
        mutating func overrun(_ node: Node, depth: Int) -> Overrun? {
            var pending: [(node: Node, depth: Int)] = [(node, depth)]
            remaining -= 1
            while let (node, depth) = pending.popLast() {
                if remaining < 0 { return .tooMany }
                if depth > NodeBudget.maximumDepth { return .tooDeep }
                switch node {
                case .mapping(let mapping):
                    for (key, value) in mapping {
                        remaining -= 2
                        if remaining < 0 { return .tooMany }
                        pending.append((key, depth + 1))
                        pending.append((value, depth + 1))
                    }
                case .sequence(let sequence):
                    for item in sequence {
                        remaining -= 1
                        if remaining < 0 { return .tooMany }
                        pending.append((item, depth + 1))
                    }
                case .scalar, .alias:
                    break
                }
            }
            return nil
        }
    }
}
