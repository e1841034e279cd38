/// Why a post did not reach the chat platform, or what the platform answered instead of accepting.
public enum DeliveryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libcurl could not be loaded (the libcurl4 package is missing).
    case curlUnavailable(String)
    /// The request never got an answer: DNS, refused connection, TLS, timeout. `code` is curl's.
    case transport(code: Int, message: String)
    /// The destination's URL is not a usable http(s) URL.
    case invalidURL(destination: String)
    /// A secret given as `env:NAME` names a variable that is not set.
    case missingSecret(destination: String, variable: String)
    /// A destination's configuration cannot be used.
    case invalidDestination(destination: String, reason: String)
    /// The answer was larger than the most a read takes; the transfer was stopped.
    case responseTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .curlUnavailable(let detail):
            return "cannot load libcurl (\(detail)); install it with: apt-get install libcurl4"
        case .transport(let code, let message):
            return "the request failed before an answer came (curl \(code): \(message))"
        case .invalidURL(let destination):
            return "the webhook URL of destination '\(destination)' is not an http or https URL"
        case .invalidDestination(let destination, let reason):
            return "destination '\(destination)': \(reason)"
        case .responseTooLarge(let limit):
            return "the answer was larger than \(limit / 1024 >= 1024 ? "\(limit / 1024 / 1024) MB" : "\(limit / 1024) KB"), so it was not read"
        case .missingSecret(let destination, let variable):
            return "destination '\(destination)' takes its URL or secret from $\(variable), which is not set"
        }
    }
}
