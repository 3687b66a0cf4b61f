import Foundation

extension Catalogue {
    /// The networks a query finds, best first; nil when the query has no words.
    public func search(_ query: String) -> [SearchHit]? {
        let queryWords = Array(Set(TextKey.words(query)))
        guard !queryWords.isEmpty else { return nil }
        let index = searchIndex
        let count = networks.count
        // Flat arrays indexed by network position: no per-network allocation on hot queries.
        var total = [Double](repeating: 0, count: count)
        var matchedCount = [UInt16](repeating: 0, count: count)
        var best = [Double](repeating: 0, count: count)
        var touched: [Int32] = []
        var matchedWords = Set<String>()
        for word in queryWords {
            touched.removeAll(keepingCapacity: true)
            func offer(_ network: Int32, _ score: Double) {
                let i = Int(network)
                if best[i] == 0 { touched.append(network) }
                if score > best[i] { best[i] = score }
            }
            for (id, quality) in index.matches(for: word) {
                let postings = index.postings[Int(id)]
                let rarity = index.rarity(postings.count)
                matchedWords.insert(index.words[Int(id)])
                for posting in postings { offer(posting.network, posting.field.weight * quality.rawValue * rarity) }
            }
            for (parties, quality) in SearchIndex.vocabularyMatches(word, in: index.partyList) {
                for party in parties {
                    let found = networksByParty[party] ?? []
                    let rarity = index.rarity(found.count)
                    for network in found { offer(network, SearchIndex.Field.party.weight * quality.rawValue * rarity) }
                }
            }
            for (terms, quality) in SearchIndex.vocabularyMatches(word, in: index.vocabularyList) {
                for term in terms {
                    let found = networksByTerm[term] ?? []
                    let rarity = index.rarity(found.count)
                    for network in found { offer(network, SearchIndex.Field.vocabulary.weight * quality.rawValue * rarity) }
                }
            }
            for network in touched {
                let i = Int(network)
                total[i] += best[i]
                matchedCount[i] += 1
                best[i] = 0
            }
        }
        let whole = Set(index.wholeNames[TextKey.words(query).joined(separator: " ")] ?? [])
        var hits: [SearchHit] = []
        for i in 0..<count where Int(matchedCount[i]) == queryWords.count {
            hits.append(SearchHit(network: i, score: total[i] + (whole.contains(Int32(i)) ? 20 : 0), matchedWords: matchedWords))
        }
        return hits.sorted { ($0.score, -$0.network) > ($1.score, -$1.network) }
    }

    /// A sentence of the network's purpose that shows why it matched, with the matched words marked.
    /// Parts are plain text; the caller escapes them.
    public func snippet(for hit: SearchHit, language: Language, maxLength: Int = 240) -> [SnippetPart] {
        let network = networks[hit.network]
        guard let text = network.purpose[language] ?? network.purpose[.en], !text.isEmpty else { return [] }
        // Sentences end at a full stop or a paragraph break; the first that holds a matched word is shown.
        var first: Substring?
        var chosen: Substring?
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex, chosen == nil {
            let character = text[index]
            let next = text.index(after: index)
            if character == "." || character == "\n" || next == text.endIndex {
                let end = character == "." || next == text.endIndex ? next : index
                let sentence = text[start..<end].drop { $0 == " " || $0 == "\n" }
                if !sentence.isEmpty {
                    if first == nil { first = sentence }
                    if TextKey.words(String(sentence)).contains(where: hit.matchedWords.contains) { chosen = sentence }
                }
                start = next
            }
            index = next
        }
        var sentence = String(chosen ?? first ?? "")
        if sentence.count > maxLength { sentence = String(sentence.prefix(maxLength)) + "…" }
        return SnippetPart.split(sentence, marking: hit.matchedWords)
    }
}

/// A piece of a snippet: plain text, or a matched word to highlight.
public struct SnippetPart: Sendable, Hashable, Encodable {
    public let text: String
    public let highlighted: Bool

    /// Splits text into words and the rest, marking each word whose folded form is in `words`.
    static func split(_ text: String, marking words: Set<String>) -> [SnippetPart] {
        var parts: [SnippetPart] = []
        var current = ""
        var currentIsWord = false
        func flush() {
            guard !current.isEmpty else { return }
            let marked = currentIsWord && words.contains(TextKey.words(current).first ?? "")
            if let last = parts.last, last.highlighted == marked {
                parts[parts.count - 1] = SnippetPart(text: last.text + current, highlighted: marked)
            } else {
                parts.append(SnippetPart(text: current, highlighted: marked))
            }
            current = ""
        }
        for character in text {
            let isWord = character.isLetter || character.isNumber
            if isWord != currentIsWord { flush(); currentIsWord = isWord }
            current.append(character)
        }
        flush()
        return parts
    }
}
