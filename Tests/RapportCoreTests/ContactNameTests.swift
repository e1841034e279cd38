import RapportCore
import Testing

struct ContactNameTests {
    @Test func keysIgnoreCaseAccentsAndSpacing() {
        #expect(ContactName.key("Anna Berg") == ContactName.key("anna  berg"))
        #expect(ContactName.key("Łukasz Wójcik") == "lukasz wojcik")
        #expect(ContactName.key("Søren Ærø") == "soren aero")
        #expect(ContactName.key("Åsa Öberg") == "asa oberg")
    }

    @Test func aQueryMatchesTheStartsOfNameWordsInOrder() {
        #expect(ContactName.matches(query: "anna", name: "Anna Berg"))
        #expect(ContactName.matches(query: "berg", name: "Anna Berg"))
        #expect(ContactName.matches(query: "anna b", name: "Anna Berg"))
        #expect(ContactName.matches(query: "Lukasz", name: "Łukasz Wójcik"))
        #expect(!ContactName.matches(query: "anna lind", name: "Anna Berg"))
        #expect(!ContactName.matches(query: "berg anna", name: "Anna Berg"))
        #expect(!ContactName.matches(query: "", name: "Anna Berg"))
    }
}
