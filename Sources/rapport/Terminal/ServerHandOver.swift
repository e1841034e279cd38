import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands the process over to `rapport-server`, found next to this binary the way `git` finds
/// `git-foo`: for `rapport serve`, and for any command on a team store, which only the server's
/// binary (it links PostgreSQL's client) can open.
enum ServerHandOver {
    static func exec(_ arguments: [String]) throws -> Never {
        let here = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).deletingLastPathComponent()
        let server = here.appendingPathComponent("rapport-server").path
        guard FileManager.default.isExecutableFile(atPath: server) else {
            Console(colorAllowed: false).error("rapport-server is not built next to rapport (\(here.path)); build it with: make serve")
            throw ExitCode.failure
        }
        let argv = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, argv)
        Console(colorAllowed: false).error("cannot start \(server): \(String(cString: strerror(errno)))")
        throw ExitCode.failure
    }
}
