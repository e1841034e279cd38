/// A test on the answer just given or on the slots filled so far. Used by checks, transitions
/// and `skip_if`.
public indirect enum Condition: Sendable, Hashable {
    /// The answer contains a phrase of the named lexicon list (whole words, case- and accent-insensitive),
    /// not counting the words of any phrase of the `ignoring` list: "introduce myself" names no
    /// introduction (`{ matches: concrete_goal, ignoring: self_display }`).
    case matches(list: String, ignoring: String? = nil)
    /// The slot (or, with nil, the current answer) equals one of the values.
    case equals(slot: String?, values: [String])
    /// The slot holds a non-empty value.
    case present(slot: String)
    /// The answer has fewer than this many words.
    case wordsFewerThan(Int)
    /// The answer has more than this many words.
    case wordsMoreThan(Int)
    case all([Condition])
    case any([Condition])
    case not(Condition)
}
