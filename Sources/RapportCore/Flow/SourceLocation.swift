/// A position in a flow or lexicon file, so that every load error can point at it.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file as the user knows it (a path, or a name in tests).
    public var file: String
    /// Line number, starting from 1.
    public var line: Int
    /// Column number, starting from 1.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
