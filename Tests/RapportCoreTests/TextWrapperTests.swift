import Foundation
import RapportCore
import Testing

/// Issue 15: long lines and cards wrap at words, with a hanging indent, at every width.
struct TextWrapperTests {
    static let texts: [(String, Int)] = [
        ("» That sounds like a meeting for the meeting's sake. What do you want to walk out with: advice, a recommendation, a collaboration, a sale?", 2),
        ("  Why Anna:   She chairs the CFO network in Karlstad and knows every finance director in the region", 14),
        ("  För att kunna be om rekommendationer måste du först ha gett något: Łukasz Wójcik ćwiczył przemówienie", 0),
        ("! https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX is not a webhook", 2),
        ("\u{1B}[2mWhy: \u{1B}[0mAsk yourself what you really want to get out of it. Business advice, a recommendation", 5),
    ]

    /// The words of a text with colour codes and spaces taken out, run together: what a reader sees.
    private func letters(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression).filter { $0 != " " && $0 != "\n" }
    }

    @Test func noLineIsWiderThanTheTerminalAndNothingIsLost() {
        for width in 1...110 {
            let wrapper = TextWrapper(width: width)
            for (text, hanging) in Self.texts {
                let wrapped = wrapper.wrap(text, hanging: hanging)
                for line in wrapped.split(separator: "\n") {
                    #expect(TextWrapper.columns(line) <= width, "width \(width): \(line.debugDescription)")
                }
                #expect(letters(wrapped) == letters(text), "width \(width): \(wrapped.debugDescription)")
            }
        }
    }

    @Test func continuationLinesHangUnderTheText() {
        let coaching = TextWrapper(width: 40).wrap(Self.texts[0].0, hanging: 2).split(separator: "\n")
        #expect(coaching == [
            "» That sounds like a meeting for the",
            "  meeting's sake. What do you want to",
            "  walk out with: advice, a",
            "  recommendation, a collaboration, a",
            "  sale?",
        ])
        let card = TextWrapper(width: 44).wrap(Self.texts[1].0, hanging: 12).split(separator: "\n")
        #expect(card == [
            "  Why Anna:   She chairs the CFO network in",
            "              Karlstad and knows every",
            "              finance director in the region",
        ], "the padding between label and value is kept on the first line")
    }

    @Test func wordsAreNotSplitWhenTheyFitAndColourCodesTakeNoRoom() {
        let why = TextWrapper(width: 30).wrap(Self.texts[4].0, hanging: 5)
        #expect(why.split(separator: "\n").first == "\u{1B}[2mWhy: \u{1B}[0mAsk yourself what you")
        #expect(TextWrapper(width: nil).wrap(Self.texts[0].0) == Self.texts[0].0, "a pipe gets the text as it is")
        #expect(TextWrapper(width: 200).wrap("short line") == "short line")
        #expect(TextWrapper(width: 12).wrap("abcdefghijklmnopqrstuvwxyz") == "abcdefghijkl\nmnopqrstuvwx\nyz")
        // A word that would not fit beside the hanging indent moves the indent, not the word.
        #expect(TextWrapper(width: 20).wrap("  Goal:       an introduction", hanging: 12) == "  Goal:       an\n  introduction")
    }
}
