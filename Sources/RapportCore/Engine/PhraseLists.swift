/// A lexicon's phrase lists (`vague_goal`, `meeting_for_its_own_sake`, …) as folded words, split
/// once per engine: checking an answer against them is the commonest rule of every flow.
struct PhraseLists: Sendable {
    private let lists: [String: [[String]]]

    init(_ lexicon: Lexicon) {
        lists = lexicon.lists.mapValues { phrases in phrases.map(TextFolding.words).filter { !$0.isEmpty } }
    }

    func words(of list: String) -> [[String]] {
        lists[list] ?? []
    }
}
