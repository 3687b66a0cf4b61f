import Foundation
import Testing
@testable import LiaisonCore

/// The Markdown of descriptions, agendas and minutes: what it reads, and that no HTML or unsafe link comes out.
@Suite struct MarkdownTests {
    typealias B = Markdown.Block
    typealias I = Markdown.Inline

    @Test func blocks() {
        let text = """
            # Annual meeting of network leaders #

            The **leaders** of the networks meet *once a year*,
            online.

            ## Agenda
            1. Opening
            2. Tour de table
               - what each network did
               - what it needs

            > A quote
            > on two lines

            ```
            <b>code</b> stays as written
            ```
            ---
            """
        #expect(Markdown.parse(text) == [
            .heading(level: 1, [.text("Annual meeting of network leaders")]),
            .paragraph([.text("The "), .strong([.text("leaders")]), .text(" of the networks meet "), .emphasis([.text("once a year")]),
                        .text(", online.")]),
            .heading(level: 2, [.text("Agenda")]),
            .list(ordered: true, start: 1, items: [
                [.paragraph([.text("Opening")])],
                [.paragraph([.text("Tour de table")]),
                 .list(ordered: false, start: 0, items: [[.paragraph([.text("what each network did")])], [.paragraph([.text("what it needs")])]])],
            ]),
            .quote([.paragraph([.text("A quote on two lines")])]),
            .code("<b>code</b> stays as written"),
            .rule,
        ])
    }

    @Test func inlines() {
        #expect(Markdown.inlines("a `<i>` b") == [.text("a "), .code("<i>"), .text(" b")])
        #expect(Markdown.inlines("``a ` b``") == [.code("a ` b")])
        #expect(Markdown.inlines("see [the site](https://example.org/a_b) now") ==
            [.text("see "), .link(url: "https://example.org/a_b", [.text("the site")]), .text(" now")])
        #expect(Markdown.inlines("[**bold** link](http://example.org)") == [.link(url: "http://example.org", [.strong([.text("bold")]), .text(" link")])])
        #expect(Markdown.inlines("<https://example.org> and <mailto:a@example.org>") ==
            [.link(url: "https://example.org", [.text("https://example.org")]), .text(" and "),
             .link(url: "mailto:a@example.org", [.text("a@example.org")])])
        #expect(Markdown.inlines("Go to https://example.org/x. Then") ==
            [.text("Go to "), .link(url: "https://example.org/x", [.text("https://example.org/x")]), .text(". Then")])
        #expect(Markdown.inlines("snake_case_name and *a **b** c*") ==
            [.text("snake_case_name and "), .emphasis([.text("a "), .strong([.text("b")]), .text(" c")])])
        #expect(Markdown.inlines(#"\*not emphasis\* 2 * 3"#) == [.text("*not emphasis* 2 * 3")])
        #expect(Markdown.inlines("line  one\nline two") == [.text("line  one"), .lineBreak, .text("line two")])
        #expect(Markdown.parse("one  \ntwo\\\nthree\nfour") == [.paragraph([.text("one"), .lineBreak, .text("two"), .lineBreak, .text("three four")])])
    }

    @Test func noHTMLAndNoUnsafeLinkComesOut() {
        // Raw HTML is text: the template escapes it.
        #expect(Markdown.inlines("<script>alert(1)</script>") == [.text("<script>alert(1)</script>")])
        #expect(Markdown.inlines("<img src=x onerror=alert(1)>") == [.text("<img src=x onerror=alert(1)>")])
        // Only http, https and mailto make links.
        for url in ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>", "vbscript:x", "//evil.example", "/relative", "file:///etc/passwd"] {
            let inlines = Markdown.inlines("[x](\(url))")
            #expect(!inlines.contains { if case .link = $0 { true } else { false } }, "\(url)")
        }
        #expect(Markdown.inlines("<javascript:alert(1)>") == [.text("<javascript:alert(1)>")])
        #expect(!Markdown.isSafeURL("https://example.org/\"onmouseover=x"))
        #expect(!Markdown.isSafeURL("https://exa mple.org"))
    }

    @Test func unmatchedMarksStayAsWritten() {
        #expect(Markdown.inlines("**a") == [.text("**a")])
        #expect(Markdown.inlines("[a](") == [.text("[a](")])
        #expect(Markdown.inlines("a]b[c") == [.text("a]b[c")])
        #expect(Markdown.inlines("`a") == [.text("`a")])
        #expect(Markdown.inlines("[a *b](https://example.org) c*") == [.link(url: "https://example.org", [.text("a *b")]), .text(" c*")])
        #expect(Markdown.inlines("**[a](https://x.example)**[b](https://y.example)") ==
            [.strong([.link(url: "https://x.example", [.text("a")])]), .link(url: "https://y.example", [.text("b")])],
            "a link after an emphasis that closed over a link")
        #expect(Markdown.inlines("[[a](https://example.org)](https://example.org)") ==
            [.text("["), .link(url: "https://example.org", [.text("a")]), .text("]("),
             .link(url: "https://example.org", [.text("https://example.org")]), .text(")")], "no link inside a link; the address after is a bare one")
    }

    /// Texts built to make a naive parser search back and forth: each is read (a quadratic parser would take
    /// minutes on them), and nests no deeper than `maxDepth`.
    @Test func hostileTextsAreReadInOnePass() {
        let size = 50_000
        for text in [String(repeating: "[", count: size) + String(repeating: "]", count: size), String(repeating: "[]", count: size),
                     "[" + String(repeating: "*a ", count: size / 3) + String(repeating: "]", count: size / 2),
                     String(repeating: "*a _b ", count: size / 6) + String(repeating: "_ ", count: size / 2),
                     String(repeating: "`", count: 1) + String(repeating: "a``", count: size / 3),
                     String(repeating: "](", count: size),
                     String(repeating: "<", count: size),
                     String(repeating: "https://x", count: size / 9)] {
            let inlines = Markdown.inlines(text)
            #expect(Markdown.plainText([.paragraph(inlines)]).count >= text.count / 4)
        }
        let deep = String(repeating: "> ", count: 5_000) + "deep"
        var blocks = Markdown.parse(deep)
        var depth = 0
        while case let .quote(inner)? = blocks.first { blocks = inner; depth += 1 }
        #expect(depth == Markdown.maxDepth)
        let nestedList = (0..<2_000).map { String(repeating: "  ", count: $0) + "- item" }.joined(separator: "\n")
        #expect(!Markdown.parse(nestedList).isEmpty)
    }

    /// Addresses that almost make a link, each failing only at the end of the text: a parser that copies the rest of
    /// the text at each candidate took 13 s on 20,000 characters and would take minutes on these 60,000 (it passes its
    /// time limit); this one checks each in constant time (0.1 s).
    @Test(.timeLimit(.minutes(1))) func almostLinksAreCheckedInConstantTime() {
        let size = 60_000
        let texts = [String(repeating: "[](x", count: size / 4) + ")", String(repeating: "<x", count: size / 2) + ">",
                     String(repeating: "(http://a", count: size / 9) + "\\", String(repeating: "[a](mailto:x", count: size / 12) + " )"]
        for text in texts {
            let inlines = Markdown.inlines(text)
            #expect(!inlines.contains { if case .link = $0 { true } else { false } }, "none of them is a link: \(text.prefix(20)) \(inlines.prefix(3))")
            #expect(Markdown.plainText([.paragraph(inlines)]).count >= text.count / 2)
        }
        // The same shapes still make links where they are links.
        #expect(Markdown.inlines("[a](https://x.org) <https://y.org> see http://z.org.").filter { if case .link = $0 { true } else { false } }.count == 3)
        #expect(Markdown.inlines("(see https://x.org/a_(b)).") == [.text("(see "), .link(url: "https://x.org/a_(b", [.text("https://x.org/a_(b")]), .text(")).")])
    }

    /// Emphasis nests no deeper than `2 × maxEmphasis`, however many markers are open, and a long run of markers is text.
    @Test func emphasisNestsToALimit() {
        func depth(_ inlines: [Markdown.Inline]) -> Int {
            inlines.map { inline in
                switch inline {
                case let .emphasis(inner), let .strong(inner), let .link(_, inner): 1 + depth(inner)
                default: 0
                }
            }.max() ?? 0
        }
        let deep = String(repeating: "*a ", count: 3_333) + String(repeating: "a* ", count: 3_333)
        let nested = Markdown.inlines(deep)
        #expect(Markdown.maxEmphasis == 8)
        #expect(depth(nested) >= 1 && depth(nested) <= 16)
        let stars = String(repeating: "*", count: 1_000)
        #expect(depth(Markdown.inlines(stars + "a" + stars)) == 0)
        #expect(Markdown.inlines("a ________ line") == [.text("a ________ line")])
        #expect(Markdown.inlines("***both***") == [.emphasis([.strong([.text("both")])])] || Markdown.inlines("***both***") == [.strong([.emphasis([.text("both")])])])
    }

    @Test func plainTextForMail() {
        let blocks = Markdown.parse("""
            # Agenda
            1. Opening, see [the page](https://example.org/m/1)
            2. *Close*

            > quoted
            """)
        #expect(Markdown.plainText(blocks) == """
            Agenda

            1. Opening, see the page (https://example.org/m/1)
            2. Close

            > quoted
            """)
    }
}
