import Foundation
import RapportTestSupport
import Testing

/// Hostile user flows beside a good one, through the real binary: each is reported alone, as a
/// located error, and `flows list`, `flows lint` and `chat` go on working for the others.
@Suite(.serialized)
struct HostileFlowCommandTests {
    private func withHostileFlows() throws -> RapportBinary {
        let rapport = RapportBinary()
        let folder = rapport.folder.url.appendingPathComponent("config/rapport/Prompts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = [
            "bomb": HostileYAML.aliasBomb,
            "chain": HostileYAML.notChain(depth: 5_000),
            "keys": HostileYAML.keyBomb,
            "checkin": "flow: checkin\ntitle: A quick check-in\nsteps:\n  - id: who\n    ask: Whom did you talk to today?\n    expect: name\n    into: contact.name\n",
        ]
        for (id, yaml) in files { try yaml.write(to: folder.appendingPathComponent("\(id).yaml"), atomically: true, encoding: .utf8) }
        return rapport
    }

    @Test func eachHostileFlowIsReportedAloneAndTheOthersWork() throws {
        let rapport = try withHostileFlows()
        let prompts = rapport.folder.path("config") + "/rapport/Prompts"

        let list = try rapport.run(["flows", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("bomb     \(prompts)/bomb.yaml     does not load: \(prompts)/bomb.yaml:6:5: step 'a': 'skip_if' expands to more than"), "\(list.stdout)")
        #expect(list.stdout.contains("chain    \(prompts)/chain.yaml    does not load: \(prompts)/chain.yaml:6:5: step 'a': 'skip_if' nests more than"), "\(list.stdout)")
        #expect(list.stdout.contains("keys     \(prompts)/keys.yaml     does not load: \(prompts)/keys.yaml:14:18: a key here is an alias"), "\(list.stdout)")
        #expect(list.stdout.contains("checkin  \(prompts)/checkin.yaml  A quick check-in"), "\(list.stdout)")
        #expect(list.stdout.contains("prep     \(Fixtures.prompts.path)/prep.yaml"))

        let lint = try rapport.run(["flows", "lint"])
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("\(prompts)/bomb.yaml:6:5: error: step 'a': 'skip_if' expands to more than"))
        #expect(lint.stdout.contains("\(prompts)/chain.yaml:6:5: error: step 'a': 'skip_if' nests more than"))
        #expect(lint.stdout.contains("\(prompts)/keys.yaml:14:18: error: a key here is an alias"))
        #expect(lint.stdout.contains(" flows checked: 3 errors, "), "\(lint.stdout)")

        let chat = try rapport.run(["chat", "checkin"], lines: ["Anna Berg"])
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stdout.contains("Whom did you talk to today?"))
        let bomb = try rapport.run(["chat", "bomb"])
        #expect(bomb.status == 1)
        #expect(bomb.stderr.contains("bomb.yaml:6:5: step 'a': 'skip_if' expands to more than"), "\(bomb.stderr)")
    }
}
