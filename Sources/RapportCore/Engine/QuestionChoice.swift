/// One answer a question can be given with a single press (a chat button): the label shown and
/// the answer text it stands for, read by the step's own parser exactly as if it were typed.
public struct QuestionChoice: Sendable, Hashable, Codable {
    public var label: String
    public var answer: String

    public init(label: String, answer: String) {
        self.label = label
        self.answer = answer
    }

    /// The most buttons a question gets; a longer scale or list of options is typed instead.
    public static let maximumCount = 10

    /// The choices a step's answer type allows, in the lexicon's language: a choice step's
    /// options (answered by their number, which no command word or other option can shadow),
    /// yes and no, or a scale's numbers. None for free answers, or when there would be too many.
    public static func choices(for expect: AnswerType, lexicon: Lexicon) -> [QuestionChoice] {
        let choices: [QuestionChoice]
        switch expect {
        case .choice(let options):
            choices = options.enumerated().map { QuestionChoice(label: $0.element.label, answer: String($0.offset + 1)) }
        case .yesno:
            guard let yes = lexicon.yes.first, let no = lexicon.no.first else { return [] }
            choices = [QuestionChoice(label: capitalized(yes), answer: yes), QuestionChoice(label: capitalized(no), answer: no)]
        case .scale(let min, let max):
            guard min <= max, max - min < maximumCount else { return [] }
            choices = (min...max).map { QuestionChoice(label: String($0), answer: String($0)) }
        case .text, .name, .when, .list, .duration, .cadence, .followUp:
            return []
        }
        return choices.count <= maximumCount ? choices : []
    }

    private static func capitalized(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }
}
