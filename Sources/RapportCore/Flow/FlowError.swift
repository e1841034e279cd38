/// A problem found while loading a flow file. Each one names the file, line, column and, where
/// there is one, the step, and says what to do about it.
public struct FlowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// The step the problem belongs to, when there is one.
    public var step: String?
    /// What is wrong, as one sentence that says what to do.
    public var message: String

    public init(_ message: String, at location: SourceLocation, step: String? = nil) {
        self.location = location
        self.step = step
        self.message = message
    }

    public var description: String {
        if let step {
            return "\(location): step '\(step)': \(message)"
        }
        return "\(location): \(message)"
    }
}

/// All the problems found in one file, in file order. Loading reports every problem at once so
/// a flow author can fix them in one pass.
public struct FlowErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [FlowError]

    public init(_ errors: [FlowError]) {
        self.errors = errors.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
