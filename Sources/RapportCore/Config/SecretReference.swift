/// A config value that is either the secret itself or `env:NAME`, which keeps the secret out of
/// the config file. Pure: the environment comes in as a value.
public enum SecretReference {
    /// An `env:NAME` whose variable is unset or empty.
    public struct Missing: Error, Equatable {
        public var variable: String
    }

    /// The value, read from `environment` when it is written `env:NAME`.
    public static func resolve(_ text: String, environment: [String: String]) throws(Missing) -> String {
        guard text.hasPrefix("env:") else { return text }
        let variable = String(text.dropFirst(4))
        guard let value = environment[variable], !value.isEmpty else { throw Missing(variable: variable) }
        return value
    }
}
