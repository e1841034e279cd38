import Foundation
import RapportTestSupport
import Testing

/// Issue 15: the command line as people type it. Options before the subcommand work, and a
/// mistyped command is named as one, with the command that was probably meant.
@Suite(.serialized)
struct CommandLineTests {
    @Test func optionsBeforeTheSubcommandApplyToIt() throws {
        let rapport = RapportBinary()
        let prep = try rapport.run(["--lang", "sv", "prep", "Anna", "Berg"], lines: ["pause"])
        #expect(prep.status == 0, "\(prep.stderr)")
        #expect(prep.stdout.contains("När träffar du Anna Berg?"), "\(prep.stdout)")

        let other = rapport.folder.path("other.sqlite")
        let listed = try rapport.run(["--store", other, "--no-color", "followups"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(FileManager.default.fileExists(atPath: other), "the store named before the subcommand is the one opened")

        let nested = try rapport.run(["--store=\(other)", "outbox", "list"])
        #expect(nested.status == 0, "\(nested.stderr)")
    }

    @Test func anUnknownCommandIsNamedWithTheOneMeant() throws {
        let rapport = RapportBinary()
        let result = try rapport.run(["folowups"])
        #expect(result.status != 0)
        #expect(result.stderr == "rapport: 'folowups' is not a command; did you mean 'followups'?\n", "\(result.stderr)")
        #expect(!result.stderr.contains("Usage: rapport home"))

        let far = try rapport.run(["--lang", "sv", "xyzzy"])
        #expect(far.status != 0)
        #expect(far.stderr.hasPrefix("rapport: 'xyzzy' är inget kommando; rapport help visar alla.\n"), "\(far.stderr)")
    }
}
