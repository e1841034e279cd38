/// What a person typed, made safe for a chat platform's markup: shown as typed, it can neither
/// ping a whole channel (`@channel`, `@here`, `@all`, `<!channel>`) nor become a link or a tag.
/// Our own text has no markup but `_italic_` and `*bold*`, which none of these touch, so a whole
/// reply can be escaped at once.
public enum ChatMarkup {
    /// U+2060 WORD JOINER: invisible, and it keeps `@` from starting a mention.
    static let joiner = "\u{2060}"

    /// Slack's mrkdwn ("Formatting text for app surfaces"): `&`, `<` and `>` are its control
    /// characters (`<!channel>`, `<@U123>`, `<https://…|text>`), to be sent as `&amp;`, `&lt;` and
    /// `&gt;`. A bare `@channel` pings no one: apps' text is not parsed for names (no `link_names`).
    public static func slack(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            default: output.append(character)
            }
        }
        return output
    }

    /// Markdown platforms (Mattermost, Discord, Teams): links and images are `[text](url)` or
    /// `<url>`, and `@channel`/`@all`/`@here`/`@everyone` (and `@name`) ping. Brackets and
    /// backslashes are backslash-escaped, and a word joiner after `@` keeps a mention from forming
    /// while it still reads the same.
    public static func markdown(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "[", "]", "<", ">", "\\": output += "\\" + String(character)
            case "@": output += "@" + joiner
            default: output.append(character)
            }
        }
        return output
    }

    /// Google Chat: `<users/all>` mentions and `<url|text>` links start with `<`; a word joiner after
    /// it keeps them from forming.
    public static func googleChat(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "<" + joiner)
    }
}
