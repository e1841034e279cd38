import RapportCore
import Testing

/// The distance behind "did you mean": swaps, inserts, deletes and replacements count one each.
struct EditDistanceTests {
    @Test func typosAreOneEditAway() {
        #expect(EditDistance.between("anan", "anna") == 1, "a swap of neighbours is one edit")
        #expect(EditDistance.between("folowups", "followups") == 1)
        #expect(EditDistance.between("anna", "anna") == 0)
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("kitten", "sitting", limit: 2) == nil, "past the limit it stops")
        #expect(EditDistance.between("", "abc") == 3)
    }

    @Test func shortWordsAreNotGuessedAt() {
        #expect(EditDistance.closest(to: "jo", among: ["jan", "jon"]).isEmpty)
        #expect(EditDistance.closest(to: "prp", among: ["prep", "reflect", "snooze"]) == ["prep"])
        #expect(EditDistance.closest(to: "xyzzy", among: ["prep", "reflect", "snooze"]).isEmpty)
    }
}
