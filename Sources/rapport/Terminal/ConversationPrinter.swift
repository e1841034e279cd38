import RapportCore

/// Shows engine outputs in the terminal: questions stand out, coaching is set apart, problems
/// say what would work. Without colours the same text reads as a plain transcript. Long lines
/// wrap at the terminal's width, continuing under their text.
struct ConversationPrinter {
    let console: Console
    /// The person's language, for the words around the engine's own ("Why:", "Enter keeps:").
    let lexicon: Lexicon
    private var style: TerminalStyle { console.style }

    func show(_ outputs: [EngineOutput]) {
        for output in outputs {
            switch output {
            case .ask(let question):
                console.line()
                console.line(style.accent(console.wrapper.wrap(question.text)))
                if let hint = question.hint { console.line(style.dim(console.wrapper.wrap("  " + hint))) }
                if let previous = question.previous {
                    let label = lexicon.message("enter_keeps") + " "
                    console.line(style.dim(console.wrapper.wrap("  " + label + previous, hanging: TextWrapper.columns(label))))
                }
            case .say(let utterance):
                show(utterance)
            case .finished(let card):
                if let card { show(card) }
            case .recorded, .paused, .cancelled:
                break
            }
        }
    }

    private func show(_ utterance: Utterance) {
        switch utterance {
        case .coach(let text): console.line(style.coach(console.wrapper.wrap("» " + text, hanging: 2)))
        case .note(let text): console.say(style.dim(text))
        case .problem(let text): console.line(style.problem(console.wrapper.wrap("! " + text, hanging: 2)))
        case .why(let text):
            let label = lexicon.message("why_label") + " "
            console.say(style.dim(label) + text, hanging: TextWrapper.columns(label))
        case .review(let items):
            labelled(items.map { ($0.label, $0.value) })
        }
    }

    func show(_ card: SummaryCard) {
        console.line()
        console.say(style.good(style.bold(card.title)))
        labelled(card.lines.map { ($0.label, $0.text) })
        if let footer = card.footer { console.say(style.dim(footer)) }
    }

    /// "  Goal:       text", the texts in one column, each continuing under itself.
    private func labelled(_ rows: [(label: String, text: String)]) {
        let width = rows.map { TextWrapper.columns($0.label) }.max() ?? 0
        for row in rows {
            let padding = String(repeating: " ", count: width - TextWrapper.columns(row.label) + 1)
            console.say("  " + style.bold(row.label + ":") + padding + row.text, hanging: width + 2)
        }
    }
}
