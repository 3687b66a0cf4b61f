import Foundation
import LiaisonCore
import Testing

/// The words around a match in a document's text, found whatever the accents and case, in a long text.
@Suite struct LibraryTextTests {
    @Test func aSnippetIsCutAroundTheFirstWordThatMatches() throws {
        let text = String(repeating: "Préambule général du règlement. ", count: 2_000) + "L’Évaluation des risques suit."
        let pieces = try #require(LibraryText.snippet(text, words: ["evaluation"]))
        #expect(pieces.map(\.match) == [false, true, false])
        #expect(pieces[1].text == "Évaluation" && pieces[2].text.hasPrefix(" des risques"))
        #expect(pieces[0].text.hasPrefix("…") && pieces[0].text.hasSuffix("L’"))
        // A prefix of a word matches; case and accents are folded on both sides; nothing matching gives none.
        #expect(LibraryText.snippet("Die Straße und STRASSE", words: ["stras"])?[1].text == "Straße")
        #expect(LibraryText.snippet("Des œuvres complètes", words: TextKey.words("ŒUVRE"))?[1].text == "œuvres")
        #expect(LibraryText.snippet("Nothing here", words: ["absent"]) == nil)
        #expect(LibraryText.snippet("12 mois", words: ["12"])?[1].text == "12")
    }
}
