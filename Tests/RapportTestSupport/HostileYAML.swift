/// Flow files written to hurt a YAML reader, for the core's tests and the binary's.
public enum HostileYAML {
    /// A step whose `skip_if` is ten levels of aliases, each repeating the one before ten times:
    /// about 700 bytes that mean a billion conditions.
    public static let aliasBomb: String = {
        let levels = Array("abcdefghij").map(String.init)
        var lines = ["flow: bomb", "title: Alias bomb", "steps:", "  - id: a", "    ask: A?", "    skip_if:", "      any:", "        - &a {slot: contact.name, is: x}"]
        for (previous, current) in zip(levels, levels.dropFirst()) {
            lines.append("        - &\(current) {any: [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]}")
        }
        return (lines + ["  - id: b", "    ask: B?"]).joined(separator: "\n") + "\n"
    }()

    /// A step whose `skip_if` lists a chain of `not:` conditions, each the one before negated
    /// through an alias: the last is `depth` levels deep.
    public static func notChain(depth: Int) -> String {
        var lines = ["flow: chain", "title: Not chain", "steps:", "  - id: a", "    ask: A?", "    skip_if:", "      any:", "        - &n0 {slot: contact.name, is: x}"]
        for level in 1...depth { lines.append("        - &n\(level) {not: *n\(level - 1)}") }
        return (lines + ["  - id: b", "    ask: B?"]).joined(separator: "\n") + "\n"
    }

    /// The same kind of bomb used as a mapping key (line 14, column 18), which Yams hashes whole
    /// while composing.
    public static let keyBomb: String = {
        let levels = Array("abcdefghij").map(String.init)
        var lines = ["flow: keys", "title: Key bomb", "anchors:", "  - &a [x, x, x, x, x, x, x, x, x, x]"]
        for (previous, current) in zip(levels, levels.dropFirst()) {
            lines.append("  - &\(current) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]")
        }
        return (lines + ["keys: {one: 1, ? *j : 2}", "steps:", "  - id: a", "    ask: A?"]).joined(separator: "\n") + "\n"
    }()
}
