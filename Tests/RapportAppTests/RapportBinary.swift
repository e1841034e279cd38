import Foundation
import RapportTestSupport

/// The real `rapport` executable, run as a user would from a script: piped input, a temporary
/// store and a fixed clock.
struct RapportBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The built binary, next to the test bundle in `.build/<triple>/debug/`.
    static let url: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // swift-testing may run inside rapportPackageTests.xctest/...; walk up to the products folder.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("rapport")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return Fixtures.root.appendingPathComponent(".build/debug/rapport")
    }()

    let folder = TemporaryDirectory()
    var now = "2026-11-23T10:00:00+01:00"

    var storePath: String { folder.path("data/rapport.sqlite") }

    var environment: [String: String] {
        [
            "PATH": "/usr/bin:/bin", "HOME": folder.path("home"), "LANG": "C.UTF-8", "TZ": "Europe/Stockholm",
            "XDG_CONFIG_HOME": folder.path("config"), "RAPPORT_STORE": storePath, "RAPPORT_NOW": now,
        ]
    }

    /// Runs rapport with `input` on standard input and waits for it.
    func run(_ arguments: [String], input: Data = Data(), extraEnvironment: [String: String] = [:]) throws -> Result {
        let process = try start(arguments, extraEnvironment: extraEnvironment)
        let stdin = process.standardInput as! Pipe
        // Write from another thread so a large input cannot dead-lock against a full output pipe.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let stdout = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let stderr = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func run(_ arguments: [String], lines: [String]) throws -> Result {
        try run(arguments, input: Data(lines.map { $0 + "\n" }.joined().utf8))
    }

    /// Starts rapport with pipes on all three streams and returns without waiting.
    func start(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Process {
        // Foundation's Process on Linux can fail to spawn with EBADF when another test closes its
        // pipes at the same moment (a race in posix_spawn's file actions): spawn again, once.
        for attempt in 1...2 {
            let process = Process()
            process.executableURL = Self.url
            process.arguments = arguments
            process.environment = environment.merging(extraEnvironment) { _, new in new }
            process.standardInput = Pipe()
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            do {
                try process.run()
                return process
            } catch let error as NSError where attempt == 1 && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(EBADF) {
                continue
            }
        }
        preconditionFailure("unreachable: the second attempt returns or throws")
    }

    /// Starts a long-running rapport (a server) whose output goes to the file `log` in the test's
    /// folder rather than to a pipe nobody reads, so a chatty server cannot block on a full pipe.
    func startLogged(_ arguments: [String], extraEnvironment: [String: String] = [:], log: String) throws -> Process {
        let path = folder.path(log)
        guard FileManager.default.createFile(atPath: path, contents: nil), let output = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = Self.url
        process.arguments = arguments
        process.environment = environment.merging(extraEnvironment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
        return process
    }

    /// What a process started with `startLogged` has written so far.
    func log(_ name: String) -> String {
        (try? String(contentsOfFile: folder.path(name), encoding: .utf8)) ?? ""
    }
}
