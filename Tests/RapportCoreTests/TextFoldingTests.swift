import Foundation
import RapportCore
import Testing

@Suite struct TextFoldingTests {
    @Test func foldsCaseAccentsAndSpaces() {
        #expect(TextFolding.fold("  Anna\tBERG \n") == "anna berg")
        #expect(TextFolding.fold("Łukasz  Wójcik") == "lukasz wojcik")
        #expect(TextFolding.fold("Søren Æbelø") == "soren aebelo")
        #expect(TextFolding.fold("PIĄTEK") == "piatek")
        #expect(TextFolding.fold("") == "")
        #expect(TextFolding.words("Don't meet, just-talk: 2 CFOs!") == ["don't", "meet", "just", "talk", "2", "cfos"])
        #expect(TextFolding.words("Łukasz’s spotkanie") == ["lukasz’s", "spotkanie"])
        #expect(TextFolding.contains(words: ["cup", "of", "coffee"], in: TextFolding.words("Just a cup of coffee, really")))
        #expect(!TextFolding.contains(words: ["cup", "coffee"], in: TextFolding.words("Just a cup of coffee")))
    }

    /// ASCII text takes a shortcut past Foundation's folding; it must give the same result.
    /// A trailing non-ASCII word sends the same text down Foundation's path for comparison.
    @Test func asciiShortcutAgreesWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09 \t\n\r\u{0B}\u{0C}.,:-'!?~^`@[]{}|\\/AbCdEfGhIjKlMnOpQrStUvWxYz".utf8)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String(decoding: (0..<length).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
            let shortcut = TextFolding.fold(text)
            let foundation = TextFolding.fold(text + " é")
            #expect(foundation == shortcut + (shortcut.isEmpty ? "e" : " e"), "\(text.debugDescription)")
            #expect(TextFolding.words(text + " é") == TextFolding.words(text) + ["e"], "\(text.debugDescription)")
        }
    }
}
