import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// The shipped content: every flow file loads cleanly and serves real principles.
struct PromptsTests {
    static let flowFiles: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.prompts.path))?
        .filter { $0.hasSuffix(".yaml") && $0 != "principles.yaml" }.sorted() ?? []

    @Test func thereAreFlowsToCheck() {
        #expect(Self.flowFiles.contains("prep.yaml"))
    }

    @Test(arguments: flowFiles)
    func everyShippedFlowLoadsWithoutErrors(file: String) throws {
        let id = String(file.dropLast(5))
        let flow = try Fixtures.flow(id)
        #expect(flow.id == id)
        #expect(flow.steps.allSatisfy { !$0.serves.isEmpty }, "every step should say which principle it serves")
        #expect(flow.steps.allSatisfy { $0.why != nil }, "every step should say why it is asked")
    }

    @Test func prepServesTheIssuesPrinciples() throws {
        let served = Set(try Fixtures.flow("prep").steps.flatMap(\.serves))
        for id in ["P4.1", "P4.2", "P2.7", "P4.3", "P4.4", "P4.5", "P3.2", "P3.3", "P2.2", "P0.10", "P2.4", "P3.6"] {
            #expect(served.contains(id), "prep does not serve \(id)")
        }
    }

    /// principles.yaml restates the ids of PRINCIPLES.md in the shared notes, when they are beside the repository.
    @Test func principleIdsMatchTheSharedPrinciples() throws {
        let shared = Fixtures.root.deletingLastPathComponent().appendingPathComponent("shared/PRINCIPLES.md")
        guard let text = try? String(contentsOf: shared, encoding: .utf8) else { return }
        var ids: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("- **P") {
            let id = line.dropFirst(4).prefix { $0 != " " }
            ids.insert(String(id))
        }
        #expect(ids == Fixtures.principles)
    }
}
