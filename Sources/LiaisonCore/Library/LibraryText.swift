import Foundation

/// The text of the library's documents as search keeps and shows it.
public enum LibraryText {
    /// Characters of a document's text kept for search (about 700 pages); the rest of a longer one is not searched.
    public static let limit = 2_000_000
    /// How far into a document's text a snippet is looked for.
    static let snippetWindow = 100_000

    /// Text as extracted, made safe to keep and show: control and format characters (but line breaks and tabs)
    /// become spaces, at most `limit` characters.
    public static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { break }
            out.append(TextRules.isAllowed(scalar, allowsLineBreaks: true) ? scalar : " ")
            count += 1
        }
        return String(out)
    }

    /// A piece of a snippet: text, marked when it is a word of the query.
    public struct Piece: Sendable, Equatable {
        public let text: String
        public let match: Bool
    }

    /// About `length` characters of `text` around the first word that begins with one of `words` (folded), looked
    /// for in the first `snippetWindow` characters; nil when none is found there.
    public static func snippet(_ text: String, words: [String], length: Int = 240) -> [Piece]? {
        guard !words.isEmpty else { return nil }
        let scalars = Array(text.unicodeScalars.prefix(snippetWindow))
        // Each word of the text: where it starts and ends, and whether it matches.
        var index = 0
        var found: (start: Int, end: Int)?
        // A word is folded whole only when its first letter, folded (once per letter met), begins a word of the
        // query: most of a long text is passed over without Foundation's folding.
        let initials = Set(words.compactMap(\.unicodeScalars.first))
        var folded: [Unicode.Scalar: Unicode.Scalar?] = [:]
        func initial(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
            if let known = folded[scalar] { return known }
            let first = TextKey.words(String(scalar)).first?.unicodeScalars.first
            folded[scalar] = first
            return first
        }
        while index < scalars.count, found == nil {
            guard scalars[index].properties.isAlphabetic || scalars[index].properties.numericType != nil else { index += 1; continue }
            var end = index
            while end < scalars.count, scalars[end].properties.isAlphabetic || scalars[end].properties.numericType != nil { end += 1 }
            if let first = initial(scalars[index]), initials.contains(first) {
                let word = TextKey.words(String(String.UnicodeScalarView(scalars[index..<end]))).first ?? ""
                if !word.isEmpty, words.contains(where: { word.hasPrefix($0) }) { found = (index, end) }
            }
            index = end
        }
        guard let found else { return nil }
        let before = max(0, found.start - length / 3)
        let after = min(scalars.count, found.end + length * 2 / 3)
        func part(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(scalars[range])).replacingOccurrences(of: "\n", with: " ")
        }
        return [Piece(text: (before > 0 ? "…" : "") + part(before..<found.start), match: false), Piece(text: part(found.start..<found.end), match: true),
                Piece(text: part(found.end..<after) + (after < scalars.count ? "…" : ""), match: false)]
    }
}
