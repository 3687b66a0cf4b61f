import Foundation

extension Catalogue {
    /// The networks a query finds, best first; nil when the query has no words.
    public func search(_ query: String) -> [SearchHit]? {
        guard var hits = unrankedSearch(query) else { return nil }
        Self.rank(&hits, first: hits.count)
        return hits
    }

    /// When no network matches every word of a filter's query of several words: the best `limit` networks matching
    /// any of them and the filter's other conditions, best first (those matching more words score higher); nil
    /// when the query has fewer than two words.
    public func searchAnyWord(_ filter: NetworkFilter, limit: Int) -> [SearchHit]? {
        guard TextKey.words(filter.query).count > 1, let found = unrankedSearch(filter.query, everyWord: false) else { return nil }
        var others = filter
        others.query = ""
        var hits = others.isEmpty ? found : found.filter { others.matches(networks[$0.network]) }
        if filter.eachNetworkOnce { hits.removeAll { listedTwice.shownAs[networks[$0.network].slug] != nil } }
        Self.rank(&hits, first: limit)
        return Array(hits.prefix(limit))
    }

    /// The countries a query names, in the order named: each word, and each two and three words together (“United
    /// Kingdom”, “Bosnia and Herzegovina”), looked up by name in English or French or by code.
    public func countriesNamed(in query: String) -> [Party] {
        let words = query.split(whereSeparator: { $0.isWhitespace || $0 == "," }).prefix(Self.searchWordLimit).map(String.init)
        var found: [Party] = []
        var start = 0
        while start < words.count {
            var length = min(3, words.count - start)
            var match: Party?
            while length > 0, match == nil {
                match = directory.lookUp(words[start..<start + length].joined(separator: " "))
                    .flatMap { $0.isCountryLevel && $0.kind == .state ? $0 : nil }
                if match == nil { length -= 1 }
            }
            if let match, !found.contains(where: { $0.id == match.id }) { found.append(match) }
            start += max(length, 1)
        }
        return found
    }

    /// Puts the best `first` hits at the front, best first (higher score, then name order); the others
    /// follow in no particular order. A page of a large result needs only its first few ranked: they are
    /// picked with a small heap instead of sorting every hit.
    static func rank(_ hits: inout [SearchHit], first: Int) {
        let wanted = min(first, hits.count)
        guard wanted > 0 else { return }
        if wanted * 8 >= hits.count {
            hits.sort(by: TopHits.better)
            return
        }
        // The best hits picked with a small heap; the others follow as they were (each network is in one hit).
        var top = TopHits(capacity: wanted)
        for hit in hits { top.offer(hit) }
        let best = top.ranked()
        let chosen = Set(best.map(\.network))
        hits = best + hits.filter { !chosen.contains($0.network) }
    }

    /// The most distinct words a query is searched for; further words are left out.
    static let searchWordLimit = 32

    /// The distinct words a query is searched for, in the order their scores are added; nil when it has none.
    static func searchWords(_ query: String) -> [String]? {
        // Each distinct word costs a pass over its matches: a query's words are bounded here whatever the caller
        // checked (the web refuses more than 200 characters), and `matchedCount` cannot overflow.
        // The first distinct words in the query's order: the same words and the same sum of floating-point scores
        // however often the query is searched (a set's order changes from one process to the next).
        var seen = Set<String>()
        let words = TextKey.words(String(query.unicodeScalars.prefix(1_000))).filter { seen.insert($0).inserted }.prefix(Self.searchWordLimit)
        return words.isEmpty ? nil : Array(words)
    }

    /// What networks earn for one query word, as lists of networks (each in network order) that earn the same: per
    /// matched indexed word and field `weight × quality × rarity`, per matched party and vocabulary term likewise. A
    /// network earns the best value of the lists that hold it. Both rankings read these lists (the exhaustive one
    /// whole, the threshold algorithm by value). The indexed words matched are added to `matchedWords`.
    func searchLists(for word: String, matchedWords: inout Set<String>) -> [TopSearchList] {
        let index = searchIndex
        var lists: [TopSearchList] = []
        for (id, quality) in index.matches(for: word) {
            let postings = index.postings[Int(id)]
            let rarity = index.rarity(postings.count)
            matchedWords.insert(index.words[Int(id)])
            for run in SearchIndex.fieldRuns(postings) {
                lists.append(TopSearchList(value: run.field.weight * quality.rawValue * rarity, postings: postings[run.range]))
            }
        }
        for (parties, quality) in SearchIndex.vocabularyMatches(word, in: index.partyList) {
            for party in parties {
                let found = networksByParty[party] ?? []
                lists.append(TopSearchList(value: SearchIndex.Field.party.weight * quality.rawValue * index.rarity(found.count), positions: found))
            }
        }
        for (terms, quality) in SearchIndex.vocabularyMatches(word, in: index.vocabularyList) {
            for term in terms {
                let found = networksByTerm[term] ?? []
                lists.append(TopSearchList(value: SearchIndex.Field.vocabulary.weight * quality.rawValue * index.rarity(found.count), positions: found))
            }
        }
        return lists
    }

    /// The networks a query finds, in network order; nil when the query has no words.
    func unrankedSearch(_ query: String, everyWord: Bool = true) -> [SearchHit]? {
        guard let queryWords = Self.searchWords(query) else { return nil }
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
            for list in searchLists(for: word, matchedWords: &matchedWords) {
                list.forEach { offer($0, list.value) }
            }
            for network in touched {
                let i = Int(network)
                total[i] += best[i]
                matchedCount[i] += 1
                best[i] = 0
            }
        }
        let whole = index.networks(named: query, in: networks)
        var hits: [SearchHit] = []
        for i in 0..<count where everyWord ? Int(matchedCount[i]) == queryWords.count : matchedCount[i] > 0 {
            hits.append(SearchHit(network: i, score: total[i] + (whole.contains(Int32(i)) ? 20 : 0), matchedWords: matchedWords))
        }
        return hits
    }

    /// A sentence of the network's purpose that shows why it matched, with the matched words marked.
    /// Parts are plain text; the caller escapes them.
    public func snippet(for hit: SearchHit, language: Language, maxLength: Int = 240) -> [SnippetPart] {
        let network = networks[hit.network]
        guard let text = network.purpose[language] ?? network.purpose[.en], !text.isEmpty else { return [] }
        // Sentences end at a full stop or a paragraph break; the first that holds a matched word is shown.
        // "." and a line break are single bytes in UTF-8, never part of another character: the text is
        // scanned byte by byte, and cut only there.
        var first: Substring?
        var chosen: Substring?
        // An ASCII text is matched against a few ASCII words byte by byte, without making its words (only ASCII words
        // can be an ASCII text's folded words).
        let targets: [[UInt8]]? = hit.matchedWords.count <= 16 && text.utf8.allSatisfy({ $0 < 0x80 })
            ? hit.matchedWords.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.map { Array($0.utf8) } : nil
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex, chosen == nil {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "\n") || next == utf8.endIndex {
                let end = byte == UInt8(ascii: ".") || next == utf8.endIndex ? next : index
                let sentence = text[start..<end].drop { $0 == " " || $0 == "\n" }
                if !sentence.isEmpty {
                    if first == nil { first = sentence }
                    let holds = targets.map { Self.holdsWord(sentence.utf8, of: $0) }
                        ?? TextKey.words(String(sentence)).contains(where: hit.matchedWords.contains)
                    if holds { chosen = sentence }
                }
                start = next
            }
            index = next
        }
        var sentence = String(chosen ?? first ?? "")
        if sentence.count > maxLength { sentence = String(sentence.prefix(maxLength)) + "…" }
        return SnippetPart.split(sentence, marking: hit.matchedWords)
    }

    /// Whether ASCII text has, among its folded words (runs of letters and digits in lower case, "the" left out, "&"
    /// read as "and"), one of `words` (lower-case ASCII).
    static func holdsWord(_ text: Substring.UTF8View, of words: [[UInt8]]) -> Bool {
        let isWord = TextKey.isWordByte
        let and = Array("and".utf8)
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == UInt8(ascii: "&"), words.contains(and) { return true }
            guard isWord(text[index]) else { index = text.index(after: index); continue }
            var end = text.index(after: index)
            while end < text.endIndex, isWord(text[end]) { end = text.index(after: end) }
            let length = text.distance(from: index, to: end)
            for word in words where word.count == length {
                var same = true
                var position = index
                for byte in word {
                    let here = text[position]
                    if (0x41...0x5A).contains(here) ? here + 32 != byte : here != byte { same = false; break }
                    position = text.index(after: position)
                }
                if same, word != TextKey.leftOut { return true }
            }
            index = end
        }
        return false
    }
}

/// A piece of a snippet: plain text, or a matched word to highlight.
public struct SnippetPart: Sendable, Hashable, Encodable {
    public let text: String
    public let highlighted: Bool

    /// Splits text into words and the rest, marking each word whose folded form is in `words`.
    static func split(_ text: String, marking words: Set<String>) -> [SnippetPart] {
        text.utf8.allSatisfy({ $0 < 0x80 }) ? splitASCII(text, marking: words) : splitCharacters(text, marking: words)
    }

    static func splitCharacters(_ text: String, marking words: Set<String>) -> [SnippetPart] {
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

    /// `split` for ASCII text, byte by byte: an ASCII character is a letter or a number exactly when it is A–Z, a–z or
    /// 0–9, and such a run's folded word is its lower case ("the" has none).
    static func splitASCII(_ text: String, marking words: Set<String>) -> [SnippetPart] {
        var parts: [SnippetPart] = []
        let bytes = Array(text.utf8)
        let isWord = TextKey.isWordByte
        var start = 0
        while start < bytes.count {
            let word = isWord(bytes[start])
            var end = start + 1
            while end < bytes.count, isWord(bytes[end]) == word { end += 1 }
            var marked = false
            if word {
                let folded = bytes[start..<end].map { (0x41...0x5A).contains($0) ? $0 + 32 : $0 }
                marked = words.contains(folded == TextKey.leftOut ? "" : String(decoding: folded, as: UTF8.self))
            }
            let piece = String(decoding: bytes[start..<end], as: UTF8.self)
            if let last = parts.last, last.highlighted == marked {
                parts[parts.count - 1] = SnippetPart(text: last.text + piece, highlighted: marked)
            } else {
                parts.append(SnippetPart(text: piece, highlighted: marked))
            }
            start = end
        }
        return parts
    }
}
