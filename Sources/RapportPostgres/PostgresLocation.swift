import Foundation

/// Where a team store is: a `postgres://user@host:port/database?sslmode=…` URL, with the password
/// from the config (`store_password`, `env:NAME` allowed), else `PGPASSWORD`, else `~/.pgpass`
/// (or `PGPASSFILE`), as libpq reads them. Never shown with its password.
public struct PostgresLocation: Sendable, Hashable {
    /// TLS as libpq's `sslmode` asks for it.
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS, without checking whose certificate it is.
        case require
        /// TLS with the certificate checked against the system's CAs and the host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// A schema to work in (`search_path`), for tests that share one database.
    public var schema: String?

    /// Whether a store setting names PostgreSQL rather than a SQLite file.
    public static func names(_ store: String) -> Bool {
        store.hasPrefix("postgres://") || store.hasPrefix("postgresql://")
    }

    /// Reads a URL; the password comes from `password`, `PGPASSWORD` or the password file, in that order.
    public init(url: String, password configured: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.names(url), let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw PostgresStoreError.invalidLocation("'\(Self.redact(url))' is not a PostgreSQL URL such as postgres://rapport@db.example:5432/rapport")
        }
        self.host = host
        port = components.port ?? 5432
        user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? "rapport"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let mode = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        switch mode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require", "verify-ca": tls = .require
        case "verify-full": tls = .verifyFull
        default:
            throw PostgresStoreError.invalidLocation("sslmode '\(mode)' is not one of disable, prefer, require, verify-full")
        }
        schema = query["schema"].flatMap { $0.isEmpty ? nil : $0 }
        if components.password != nil {
            throw PostgresStoreError.invalidLocation("put the password in store_password (env:NAME), PGPASSWORD or ~/.pgpass, not in the URL, which is shown in listings and logs")
        }
        password = configured ?? environment["PGPASSWORD"] ?? Self.passwordFile(host: host, port: port, database: database, user: user, environment: environment)
    }

    /// The URL without any secret: scheme, user, host, port and database.
    public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    static func redact(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + "…" + String(url[at...])
    }

    /// libpq's password file: `hostname:port:database:username:password`, `*` matching anything,
    /// the first matching line winning; ignored unless only its owner can read it.
    static func passwordFile(host: String, port: Int, database: String, user: String, environment: [String: String]) -> String? {
        let path = environment["PGPASSFILE"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass")
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitEscaped(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits a password-file line at unescaped colons (`\:` and `\\` are literal).
    private static func splitEscaped(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

/// What the PostgreSQL store says when it cannot go on, in one sentence.
public enum PostgresStoreError: Error, CustomStringConvertible, Equatable {
    case invalidLocation(String)
    case unreachable(location: String, reason: String)
    case newerStore(location: String)
    case failed(location: String, reason: String)

    public var description: String {
        switch self {
        case .invalidLocation(let reason):
            return "the store setting is not usable: \(reason)"
        case .unreachable(let location, let reason):
            return "cannot reach the store at \(location): \(reason); check the URL, that the server runs, and the password (store_password, PGPASSWORD or ~/.pgpass)"
        case .newerStore(let location):
            return "the store at \(location) was written by a newer rapport; upgrade rapport, or open it with the version that wrote it (nothing was changed)"
        case .failed(let location, let reason):
            return "the store at \(location) could not save or read: \(reason)"
        }
    }
}
