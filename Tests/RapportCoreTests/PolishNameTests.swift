import Foundation
import RapportCore
import RapportTestSupport
import Testing

/// Polish names in the cases the texts need, and nil for what the rules do not know.
struct PolishNameTests {
    @Test(arguments: [
        // name, instrumental, genitive, dative
        ("Małgorzata Wiśniewska", "Małgorzatą Wiśniewską", "Małgorzaty Wiśniewskiej", "Małgorzacie Wiśniewskiej"),
        ("Jan Kowalski", "Janem Kowalskim", "Jana Kowalskiego", "Janowi Kowalskiemu"),
        ("Anna Nowak", "Anną Nowak", "Anny Nowak", "Annie Nowak"),
        ("Piotr Nowak", "Piotrem Nowakiem", "Piotra Nowaka", "Piotrowi Nowakowi"),
        ("Marek Dudek", "Markiem Dudkiem", "Marka Dudka", "Markowi Dudkowi"),
        ("Paweł Zieliński", "Pawłem Zielińskim", "Pawła Zielińskiego", "Pawłowi Zielińskiemu"),
        ("Agnieszka Nowicka", "Agnieszką Nowicką", "Agnieszki Nowickiej", "Agnieszce Nowickiej"),
        ("Maria Wójcik", "Marią Wójcik", "Marii Wójcik", "Marii Wójcik"),
        ("Kasia Lis", "Kasią Lis", "Kasi Lis", "Kasi Lis"),
        ("Maja", "Mają", "Mai", "Mai"),
        ("Alicja Kamińska", "Alicją Kamińską", "Alicji Kamińskiej", "Alicji Kamińskiej"),
        ("Olga", "Olgą", "Olgi", "Oldze"),
        ("Marta", "Martą", "Marty", "Marcie"),
        ("Łukasz Wójcik", "Łukaszem Wójcikiem", "Łukasza Wójcika", "Łukaszowi Wójcikowi"),
        ("Jerzy Zawisza", "Jerzym Zawiszą", "Jerzego Zawiszy", "Jerzemu Zawiszy"),
        ("Antoni", "Antonim", "Antoniego", "Antoniemu"),
        ("Kuba", "Kubą", "Kuby", "Kubie"),
        ("Aleksander Kwaśniewski", "Aleksandrem Kwaśniewskim", "Aleksandra Kwaśniewskiego", "Aleksandrowi Kwaśniewskiemu"),
        ("Ewa Nowak-Jeziorańska", "Ewą Nowak-Jeziorańską", "Ewy Nowak-Jeziorańskiej", "Ewie Nowak-Jeziorańskiej"),
        ("Jan Berg", "Janem Bergiem", "Jana Berga", "Janowi Bergowi"),
    ])
    func declinesCommonNames(name: String, instrumental: String, genitive: String, dative: String) {
        #expect(PolishName.decline(name, .instrumental) == instrumental)
        #expect(PolishName.decline(name, .genitive) == genitive)
        #expect(PolishName.decline(name, .dative) == dative)
    }

    /// Unknown first names, foreign letters, surnames whose e may or may not drop, company names:
    /// nil, so the text can say it without declining.
    @Test(arguments: ["Søren Holm", "Anna Berg Lindqvist", "Budimex", "Jan Müller", "Piotr Wróbel", "Jan Kościuszko", "John Smith", ""])
    func leavesWhatItDoesNotKnow(name: String) {
        #expect(PolishName.decline(name, .instrumental) == nil)
    }

    /// A template takes the first alternative whose names decline, else the last.
    @Test func aTemplateFallsBackToItsOtherPhrasing() {
        let display = ValueFormatter(lexicon: Fixtures.lexicon("pl"), now: Fixtures.monday, timeZone: Fixtures.stockholm)
        let text = "Kiedy spotykasz się z {contact.name|instrumental}? || {contact.name}: kiedy się spotykacie?"
        #expect(Template.render(text, slots: ["contact.name": .name("Anna Berg")], formatter: display) == "Kiedy spotykasz się z Anną Berg?")
        #expect(Template.render(text, slots: ["contact.name": .name("Søren Holm")], formatter: display) == "Søren Holm: kiedy się spotykacie?")
        #expect(Template.render("Co możesz dać {contact.name|first|dative}?", slots: ["contact.name": .name("Jan Kowalski")], formatter: display) == "Co możesz dać Janowi?")
        // Other languages keep the name as it is.
        let english = ValueFormatter(lexicon: Fixtures.english, now: Fixtures.monday, timeZone: Fixtures.stockholm)
        #expect(Template.render("With {contact.name|instrumental}", slots: ["contact.name": .name("Anna Berg")], formatter: english) == "With Anna Berg")
    }
}
