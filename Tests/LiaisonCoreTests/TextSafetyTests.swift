import Foundation
import Testing
@testable import LiaisonCore

/// The escaper and the rules for text coming in, on the inputs that got past their per-`Character` forerunners.
@Suite struct TextSafetyTests {
    @Test(arguments: [
        ("\"\u{301}", "&quot;\u{301}"),
        (">\u{301}", "&gt;\u{301}"),
        ("\u{600}<meta>", "\u{600}&lt;meta&gt;"),
        ("'\u{301}&\u{301}", "&#39;\u{301}&amp;\u{301}"),
        ("a\u{0}b\u{1B}c\u{FFFE}d", "abcd"),
        ("tab\tline\nreturn\r", "tab\tline\nreturn\r"),
        ("réseau judiciaire 中文 😀", "réseau judiciaire 中文 😀"),
    ])
    func markupIsEscapedPerScalar(input: String, escaped: String) {
        #expect(Array(Escaper.markup(input).unicodeScalars) == Array(escaped.unicodeScalars))
    }

    @Test func csvFieldsAreQuotedByScalarAndFormulasDefused() {
        #expect(Escaper.csvField("plain") == "plain")
        #expect(Escaper.csvField("a\r\nb") == "\"a\r\nb\"", "\\r\\n is one Character and was missed")
        #expect(Array(Escaper.csvField("say \"\u{301}hi").unicodeScalars) == Array("\"say \"\"\u{301}hi\"".unicodeScalars))
        #expect(Escaper.csvField("=1+1") == "'=1+1")
        #expect(Escaper.csvField("-2,3") == "\"'-2,3\"")
        #expect(Escaper.csvField("-2.5") == "-2.5", "a negative number stays a number")
        #expect(Escaper.csvField("-12") == "-12")
        #expect(Escaper.csvField("-2,5", separator: ";") == "\"-2,5\"", "a French negative number, quoted for its comma all the same")
        #expect(Escaper.csvField("a;b", separator: ";") == "\"a;b\"" && Escaper.csvField("a;b") == "a;b")
        #expect(Escaper.csvField("-2.5", separator: ";") == "'-2.5")
        for formula in ["-1+2", "-2.5.1", "-.5", "-5.", "-", "-1e3", "-١"] {
            #expect(Escaper.csvField(formula).hasPrefix("'") || Escaper.csvField(formula).hasPrefix("\"'"), "\(formula)")
        }
    }

    @Test func mailHeadersAreOneEncodedWordUnlessPrintableASCII() {
        #expect(Escaper.mailHeader("Your invitation") == "Your invitation")
        let encoded = Escaper.mailHeader("Réseau\r\nBcc: x@example.org")
        #expect(encoded.hasPrefix("=?UTF-8?B?") && encoded.hasSuffix("?=") && !encoded.contains("\r") && !encoded.contains("\n"))
        let decoded = Data(base64Encoded: String(encoded.dropFirst(10).dropLast(2))).map { String(decoding: $0, as: UTF8.self) }
        #expect(decoded == "RéseauBcc: x@example.org", "the line break is left out, the rest kept")
    }

    @Test(arguments: ["a\u{0}b", "esc\u{1B}[31m", "bidi\u{202E}x", "line\u{2028}sep", "\u{600}<", "soft\u{AD}hyphen", "tab\tin a line",
                      "line\nbreak", "bom\u{FEFF}"])
    func oneLineFieldsRefuseControlAndFormatCharacters(text: String) {
        #expect(throws: InputError.self) { try TextRules.checkLine(text, field: "name") }
    }

    @Test func textsKeepTheirLineBreaksAndNamesTheirJoiners() throws {
        try TextRules.checkLine("می‌خواهم", field: "name")  // Persian, with a zero-width non-joiner
        try TextRules.checkLine("👩‍⚖️ judge", field: "name")  // an emoji sequence with a zero-width joiner
        try TextRules.checkText("first line\r\nsecond\tline", field: "notes")
        #expect(throws: InputError.self) { try TextRules.checkText("a\u{0}b", field: "notes") }
        do {
            try TextRules.checkLine("x\u{202E}y", field: "name")
            Issue.record("accepted")
        } catch let error as InputError {
            #expect(error.description.contains("U+202E") && error.description.contains("name"), "\(error)")
        }
    }

    @Test func limitsCountScalarsAndStopAtTheLimit() throws {
        try TextRules.checkLine(String(repeating: "é", count: 300), field: "name", limit: 300)
        #expect(throws: InputError.self) { try TextRules.checkLine(String(repeating: "é", count: 301), field: "name", limit: 300) }
        // One Character of 10,000 scalars is 10,000 long, not 1.
        #expect(throws: InputError.self) { try TextRules.checkLine("a" + String(repeating: "\u{301}", count: 10_000), field: "name") }
        #expect(throws: InputError.self) { try TextRules.checkSearch(String(repeating: "a", count: 100_000)) }
        // What an error shows of a huge value is its start.
        let preview = TextRules.preview(String(repeating: "x", count: 500_000))
        #expect(preview.unicodeScalars.count == 61 && preview.hasSuffix("…"))
    }

    @Test func anAddressIsCheckedPerScalar() {
        for address in ["a@example.org<\u{301}", "a\u{301}>@example.org", "a@example.org\r\nBcc: b@example.org", "a\u{202E}@example.org",
                        "a@exa mple.org"] {
            #expect(throws: InputError.self, "\(address)") { try MailMessage.checkAddress(address, field: "to") }
        }
        #expect(throws: Never.self) { try MailMessage.checkAddress("josé@example.org", field: "to") }
    }

    @Test func aSubjectIsOneLineWithoutControlCharacters() throws {
        for subject in ["", "Hi\r\nBcc: b@example.org", "tab\there", "bidi\u{202E}x", String(repeating: "x", count: 301)] {
            #expect(throws: InputError.self, "\(subject.prefix(20))") {
                try MailMessage(to: "a@example.org", subject: subject, text: "", language: .en)
            }
        }
        #expect(try MailMessage(to: "a@example.org", subject: "Réseau judiciaire européen", text: "", language: .en).subject.hasPrefix("Réseau"))
    }

    @Test func parenthesesAreLeftOutInOnePass() {
        #expect(DuplicateCheck.withoutParentheses("European Judicial Network (EJN)") == "European Judicial Network  ")
        #expect(DuplicateCheck.withoutParentheses("a (b (c) d) e") == "a   d) e", "from an opening bracket to the first closing one")
        let unclosed = String(repeating: "(", count: 65_000)
        #expect(DuplicateCheck.withoutParentheses(unclosed) == unclosed)
    }

    @Test(arguments: ["|", " | ", "||", " | 54 members", "x | y", "99999999999999999999 | many"])
    func aStatedCountWithoutANumberIsAFieldErrorNotACrash(stated: String) throws {
        let network = try #require(try CatalogueFile.catalogue2017().networks().first { $0.slug == "seepag" })
        var draft = NetworkDraft(network)
        draft.statedMemberCount = stated
        draft.reason = "checking"
        do {
            _ = try draft.apply(to: network)
            Issue.record("accepted")
        } catch let failure as NetworkEditFailure {
            #expect(failure.error(for: "stated_member_count") != nil, "\(failure.errors)")
        }
    }

    @Test func aVeryLongQueryWordIsSearchedWithoutTypoVariants() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        #expect(catalogue.search(String(repeating: "laundering", count: 2_000))?.isEmpty == true)
        #expect(catalogue.search("eurojsut")?.isEmpty == false, "a typo of an ordinary word is still found")
        #expect(catalogue.searchIndex.mayBeTypo(catalogue.searchIndex.longestWord + 1))
        #expect(!catalogue.searchIndex.mayBeTypo(catalogue.searchIndex.longestWord + 2))
    }
}
