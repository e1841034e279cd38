import RapportCore

/// Shows engine outputs in the terminal: questions stand out, coaching is set apart, problems
/// say what would work. Without colours the same text reads as a plain transcript.
struct ConversationPrinter {
    let console: Console
    private let wrapper = TextWrapper.forStandardOutput()
    private var style: TerminalStyle { console.style }

    private func fit(_ text: String) -> String { wrapper.wrap(text) }

    func show(_ outputs: [EngineOutput]) {
        for output in outputs {
            switch output {
            case .ask(let question):
                console.line()
                console.line(style.accent(fit(question.text)))
                if let hint = question.hint { console.line(style.dim(fit("  " + hint))) }
                if let previous = question.previous { console.line(style.dim("  Enter keeps: " + previous)) }
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
        case .coach(let text): console.line(style.coach(fit("» " + text)))
        case .note(let text): console.line(style.dim(fit(text)))
        case .problem(let text): console.line(style.problem(fit("! " + text)))
        case .why(let text): console.line(fit(style.dim("Why: ") + text))
        case .review(let items):
            let width = items.map(\.label.count).max() ?? 0
            for item in items {
                console.line("  " + style.bold(item.label + ":") + String(repeating: " ", count: width - item.label.count + 1) + item.value)
            }
        }
    }

    func show(_ card: SummaryCard) {
        console.line()
        console.line(style.good(style.bold(card.title)))
        let width = card.lines.map(\.label.count).max() ?? 0
        for line in card.lines {
            console.line("  " + style.bold(line.label + ":") + String(repeating: " ", count: width - line.label.count + 1) + line.text)
        }
        if let footer = card.footer { console.line(style.dim(footer)) }
    }
}
