import RapportCore
import Testing

struct InputSanitizerTests {
    @Test(arguments: [
        ("\u{1B}[31mred\u{1B}[0m text", "red text"),
        ("\u{1B}]0;evil title\u{07}hello", "hello"),
        ("\u{1B}]8;;http://x.example\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
        ("a\u{1B}[2Jb", "ab"),
        ("bell\u{07} and\u{08} backspace", "bell and backspace"),
        ("tab\there", "tab here"),
        ("\u{202E}evil\u{202C}", "evil"),
        ("\u{9B}31mC1 csi", "C1 csi"),
        ("  spaced  ", "spaced"),
        ("Łukasz Wójcik, Søren", "Łukasz Wójcik, Søren"),
        ("trailing escape \u{1B}", "trailing escape"),
    ])
    func removesTerminalControlAndKeepsText(input: String, expected: String) {
        #expect(InputSanitizer.clean(input) == expected)
    }

    /// What a webhook answers goes through the same cleaning before it is printed or stored.
    @Test func removesWhatATerminalWouldActOnInARemoteReply() {
        #expect(InputSanitizer.clean("\u{061C}ok\u{200E}\u{85} \u{9D}0;title\u{9C}\u{1B}P+q\u{1B}\\done") == "ok done")
    }

    @Test func leavesNoEscapeOrControlCharacterInAnyInput() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let scalars = (0..<40).map { _ in Unicode.Scalar(UInt8.random(in: 0...0x7F, using: &generator)) }
            let cleaned = InputSanitizer.clean(String(String.UnicodeScalarView(scalars)))
            #expect(!cleaned.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        }
    }
}
