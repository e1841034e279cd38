/// People's names in the cases Polish sentences need: "Kiedy spotykasz się z Małgorzatą
/// Wiśniewską?", "Co możesz dać Janowi?", "odzywać się do Anny". Pure string rules for common
/// Polish first names (which also tell the gender) and surnames: -a names, -ski/-ska, -cki/-cka,
/// consonant stems with a mobile e (Marek → Markiem). A first name it does not know, or a
/// surname it cannot decline, gives nil: the text then says it another way rather than guess.
public enum PolishName {
    public enum Case: String, Sendable, CaseIterable {
        case genitive, dative, instrumental
    }

    /// The whole name (one or two words; a double surname with a hyphen) in the case, or nil.
    public static func decline(_ name: String, _ grammaticalCase: Case) -> String? {
        let words = name.split(separator: " ").map(String.init)
        guard (1...2).contains(words.count), let gender = gender(of: words[0]),
            let first = declineFirstName(words[0], gender, grammaticalCase)
        else { return nil }
        guard words.count == 2 else { return first }
        var parts: [String] = []
        for part in words[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init) {
            guard let declined = declineSurname(part, gender, grammaticalCase) else { return nil }
            parts.append(declined)
        }
        return first + " " + parts.joined(separator: "-")
    }

    enum Gender { case female, male }

    /// The gender a known Polish first name says, or nil for a name not on the lists.
    static func gender(of firstName: String) -> Gender? {
        let key = firstName.lowercased()
        if femaleNames.contains(key) { return .female }
        if maleNames.contains(key) { return .male }
        return nil
    }

    // MARK: - First names

    private static func declineFirstName(_ word: String, _ gender: Gender, _ grammaticalCase: Case) -> String? {
        let lower = word.lowercased()
        if lower.hasSuffix("a") { return declineFeminineNoun(word, grammaticalCase) }  // Anna, and Kuba too
        switch gender {
        case .female:
            return nil  // a woman's name not ending in -a (Beatrycze, Noemi) is left as it is said
        case .male:
            if lower.hasSuffix("y") || lower.hasSuffix("i") { return declineAdjective(word, grammaticalCase, male: true) }  // Jerzy, Antoni
            return declineMasculineConsonant(word, grammaticalCase)
        }
    }

    // MARK: - Surnames

    private static func declineSurname(_ word: String, _ gender: Gender, _ grammaticalCase: Case) -> String? {
        guard !word.isEmpty, word.allSatisfy({ $0.isLetter }), word.lowercased().allSatisfy(polishLetters.contains) else { return nil }
        let lower = word.lowercased()
        switch gender {
        case .female:
            if ["ska", "cka", "dzka", "owa"].contains(where: lower.hasSuffix) { return declineAdjective(word, grammaticalCase, male: false) }
            if lower.hasSuffix("a") { return declineFeminineNoun(word, grammaticalCase) }
            // A woman's surname that ends otherwise (Nowak, Berg, Rossi) does not change.
            return word
        case .male:
            if ["ski", "cki", "dzki"].contains(where: lower.hasSuffix) || (lower.hasSuffix("y") && lower.count > 2) {
                return declineAdjective(word, grammaticalCase, male: true)
            }
            if lower.hasSuffix("a") { return declineFeminineNoun(word, grammaticalCase) }  // Zawisza
            guard let last = lower.last, !vowels.contains(last) else { return nil }  // Kościuszko, Rossi: said another way
            // Wróbel → Wróbla, Kozieł → Kozła, Szewiec → Szewca: a mobile e this cannot tell from a fixed one.
            if ["el", "eł", "ec"].contains(where: lower.hasSuffix) { return nil }
            return declineMasculineConsonant(word, grammaticalCase)
        }
    }

    // MARK: - Declensions

    /// Nouns in -a: Anna, Małgorzata, Agnieszka, Maria, Kasia, Maja, Kuba, Zawisza.
    private static func declineFeminineNoun(_ word: String, _ grammaticalCase: Case) -> String {
        let stem = String(word.dropLast())
        let lower = word.lowercased()
        if grammaticalCase == .instrumental { return stem + "ą" }
        // Hardened consonants take -y in both cases: Róża → Róży.
        if ["cza", "sza", "rza", "ża", "dża", "ca", "dza"].contains(where: lower.hasSuffix) { return stem + "y" }
        if lower.hasSuffix("ia") {
            let before = lower.dropLast(2).last
            // Kasia, Ania, Zosia, Gocha: the i only softens; Maria, Julia: it is a vowel.
            return before.map { "szcn".contains($0) } == true ? stem : stem + "i"
        }
        if lower.hasSuffix("ja") {
            let before = lower.dropLast(2).last
            return before.map(vowels.contains) == true ? String(word.dropLast(2)) + "i" : stem + "i"  // Maja → Mai, Alicja → Alicji
        }
        if lower.hasSuffix("la") { return stem + "i" }  // Ola, Urszula
        switch grammaticalCase {
        case .genitive:
            return ["ka", "ga"].contains(where: lower.hasSuffix) ? stem + "i" : stem + "y"
        case .dative:
            // The consonant alternations before -e: Monika → Monice, Olga → Oldze, Marta → Marcie.
            let alternations: [(String, String)] = [
                ("sta", "ście"), ("zda", "ździe"), ("sła", "śle"), ("cha", "sze"), ("ka", "ce"), ("ga", "dze"),
                ("ta", "cie"), ("da", "dzie"), ("ra", "rze"), ("ła", "le"), ("sa", "sie"), ("za", "zie"),
            ]
            for (ending, replacement) in alternations where lower.hasSuffix(ending) {
                return String(word.dropLast(ending.count)) + replacement
            }
            return stem + "ie"  // Anna → Annie, Ewa → Ewie, Iwona → Iwonie
        case .instrumental:
            return stem + "ą"
        }
    }

    /// Adjectival names: Kowalski, Wiśniewska, Nowakowa, Jerzy, Antoni.
    private static func declineAdjective(_ word: String, _ grammaticalCase: Case, male: Bool) -> String {
        let lower = word.lowercased()
        if male {
            // Kowalski → Kowalskim, Kowalskiego, Kowalskiemu; Jerzy → Jerzym, Jerzego, Jerzemu.
            let stem = lower.hasSuffix("y") ? String(word.dropLast()) : word
            switch grammaticalCase {
            case .instrumental: return word + "m"
            case .genitive: return stem + "ego"
            case .dative: return stem + "emu"
            }
        }
        // Wiśniewska → Wiśniewską, Wiśniewskiej; Nowakowa → Nowakową, Nowakowej.
        let stem = String(word.dropLast())
        switch grammaticalCase {
        case .instrumental: return stem + "ą"
        case .genitive, .dative: return stem + (["ka", "ga"].contains(where: lower.hasSuffix) ? "iej" : "ej")
        }
    }

    /// Men's names and surnames ending in a consonant: Jan, Piotr, Marek, Paweł, Nowak, Dudek.
    private static func declineMasculineConsonant(_ word: String, _ grammaticalCase: Case) -> String {
        var stem = word
        let lower = word.lowercased()
        if let mobile = mobileE[lower] {
            stem = String(word.prefix(1)) + mobile.dropFirst()  // Paweł → Pawła, Aleksander → Aleksandra
        } else if lower.hasSuffix("ek"), lower.count > 3 {
            stem = String(word.dropLast(2)) + "k"  // Marek → Marka, Dudek → Dudka
        } else if let last = lower.last, let soft = softened[last] {
            stem = String(word.dropLast()) + soft  // Staś → Stasia
        }
        let lowerStem = stem.lowercased()
        switch grammaticalCase {
        case .instrumental: return stem + (lowerStem.hasSuffix("k") || lowerStem.hasSuffix("g") ? "iem" : "em")
        case .genitive: return stem + "a"
        case .dative: return stem + "owi"
        }
    }

    /// First names whose e drops before an ending, besides those in -ek.
    private static let mobileE: [String: String] = ["paweł": "pawł", "aleksander": "aleksandr", "sylwester": "sylwestr"]
    private static let vowels: Set<Character> = ["a", "ą", "e", "ę", "i", "o", "ó", "u", "y"]
    private static let softened: [Character: String] = ["ś": "si", "ć": "ci", "ń": "ni", "ź": "zi"]
    private static let polishLetters: Set<Character> = Set("aąbcćdeęfghijklłmnńoóprsśtuwyzźż" + "qvx")

    // MARK: - Names

    /// Common Polish women's first names, with their everyday short forms.
    static let femaleNames: Set<String> = [
        "agata", "agnieszka", "aleksandra", "alicja", "amelia", "anna", "ania", "aneta", "angelika", "antonina", "asia",
        "barbara", "basia", "beata", "bożena", "danuta", "daria", "dominika", "dorota", "edyta", "ela", "elżbieta",
        "emilia", "ewa", "ewelina", "gabriela", "gosia", "grażyna", "halina", "hanna", "helena", "ilona", "irena",
        "iwona", "izabela", "jadwiga", "janina", "joanna", "jolanta", "julia", "justyna", "kamila", "karolina", "kasia",
        "katarzyna", "kinga", "klaudia", "krystyna", "laura", "lena", "lidia", "lucyna", "łucja", "magda", "magdalena",
        "maja", "małgorzata", "maria", "marianna", "marta", "marzena", "milena", "monika", "natalia", "nina", "ola",
        "oliwia", "patrycja", "paulina", "renata", "róża", "sandra", "sylwia", "teresa", "urszula", "wanda",
        "weronika", "wiesława", "wiktoria", "zofia", "zosia", "zuzanna", "bogumiła", "stanisława", "jagoda", "iga",
        "olga", "sonia", "regina", "aldona", "adrianna", "dagmara", "martyna", "klara", "eliza", "roksana", "czesława",
        "bogusława", "michalina",
    ]

    /// Common Polish men's first names, with their everyday short forms.
    static let maleNames: Set<String> = [
        "adam", "adrian", "aleksander", "andrzej", "antoni", "arkadiusz", "artur", "bartek", "bartłomiej", "bartosz",
        "bogdan", "czesław", "damian", "daniel", "dariusz", "dawid", "dominik", "edward", "filip", "franciszek",
        "grzegorz", "henryk", "hubert", "igor", "jacek", "jakub", "jan", "janusz", "jarosław", "jerzy", "józef",
        "kacper", "kamil", "karol", "kazimierz", "konrad", "krystian", "krzysztof", "kuba", "leszek", "łukasz",
        "maciej", "marcin", "marek", "mariusz", "mateusz", "michał", "mikołaj", "mirosław", "norbert", "oskar",
        "patryk", "paweł", "piotr", "przemysław", "radosław", "rafał", "robert", "roman", "ryszard", "sebastian",
        "sławomir", "stanisław", "szymon", "tadeusz", "tomasz", "tomek", "waldemar", "wiesław", "wiktor", "witold",
        "władysław", "wojciech", "wojtek", "zbigniew", "zdzisław", "zenon", "bogusław", "emil", "eryk", "ignacy",
        "jędrzej", "leon", "marian", "stefan", "zygmunt", "mieczysław", "bronisław", "lech", "julian", "fabian", "gabriel",
        "maksymilian", "natan", "oliwer", "tymoteusz", "borys", "cezary", "ernest", "gustaw", "ireneusz", "jarek",
        "lucjan", "miłosz", "przemek", "seweryn", "teodor", "walenty", "wincenty", "tymon", "sylwester",
    ]
}
