import RapportCore
import RapportTestSupport
import Testing

/// `Lexicon.message`: the template is the lexicon's, the values are what people typed, and a
/// value is never read as a template, whatever it contains and in whatever order values come.
struct LexiconMessageTests {
    private func lexicon(_ messages: [String: String]) -> Lexicon {
        var lexicon = Fixtures.english
        lexicon.messages = messages
        return lexicon
    }

    @Test func valuesNamingOtherPlaceholdersAreLeftAsTyped() {
        let lexicon = lexicon(["line": "{text} (due {when}) for {name}"])
        let values = ["text": "send {name} the deck {when}", "when": "Fri 27 Nov {text}", "name": "Anna {name}{when}"]
        // Dictionary order differs between processes and between dictionaries built differently,
        // so the same values are given in many orders (and many dictionaries) here.
        var seen: Set<String> = []
        for round in 0..<200 {
            var shuffled: [String: String] = Dictionary(minimumCapacity: round % 7 + 3)
            var generator = SplitMix64(seed: UInt64(round))
            for (key, value) in values.shuffled(using: &generator) { shuffled[key] = value }
            seen.insert(lexicon.message("line", shuffled))
        }
        #expect(seen == ["send {name} the deck {when} (due Fri 27 Nov {text}) for Anna {name}{when}"])
    }

    @Test func placeholdersWithoutAValueBracesAndRepeatsAreKept() {
        let lexicon = lexicon(["m": "{name} and {name}, {unknown}, {{name}}, {name, {}"])
        #expect(lexicon.message("m", ["name": "Eva"]) == "Eva and Eva, {unknown}, {Eva}, {name, {}")
        #expect(lexicon.message("m") == "{name} and {name}, {unknown}, {{name}}, {name, {}")
        #expect(lexicon.message("missing", ["name": "Eva"]) == "[missing]")
    }
}
