import Foundation

/// The ranked full-text index over a catalogue snapshot.
///
/// Each network's own text (acronym, name, other names, purpose in every language) is indexed by folded
/// word; the names of parties and the labels of crime areas and instruments are matched against their own
/// small vocabularies and lead to networks through the catalogue's indexes, so that "ghana" finds the
/// networks Ghana takes part in without indexing every party name under every network.
///
/// Matching, per query word: the exact word, words it begins ("cyber" → "cybercrime", from two letters),
/// and, for words of five letters or more, words one edit away ("eurojsut" → "eurojust"; insertion,
/// deletion, substitution or transposition of neighbours). Every query word must match something.
///
/// Ranking (documented in docs/search.md): a network's score is the sum, over the query words, of the best
/// `field weight × match quality × rarity` it earns, where the weights are acronym 12, name 8,
/// other name 6, crime area or instrument 4, party 3, purpose 1; the quality is 1 for an exact word,
/// 0.7 for a prefix and 0.5 for a one-edit match; rarity is `1 + ln(N / networks with the word)`.
/// A query that is exactly a network's acronym or name adds 20. Ties go to the name's alphabetical order.
public struct SearchIndex: Sendable {
    public enum Field: UInt8, Sendable, CaseIterable {
        case acronym, name, otherName, vocabulary, party, purpose

        public var weight: Double {
            switch self {
            case .acronym: 12
            case .name: 8
            case .otherName: 6
            case .vocabulary: 4
            case .party: 3
            case .purpose: 1
            }
        }
    }

    public enum MatchQuality: Double, Sendable {
        case exact = 1, prefix = 0.7, typo = 0.5
    }

    /// A network and the best field a word occurs in there, in four bytes: the position times eight plus
    /// the field (a large catalogue has millions of postings).
    struct Posting: Sendable {
        private let packed: UInt32

        init(network: Int32, field: Field) {
            packed = UInt32(network) << 3 | UInt32(field.rawValue)
        }

        init(packed: UInt32) {
            self.packed = packed
        }

        var packedValue: UInt32 { packed }

        var network: Int32 { Int32(packed >> 3) }
        var field: Field { Field(rawValue: UInt8(packed & 7)) ?? .purpose }
    }

    /// Sorted unique words, and for each the networks (and fields) it occurs in.
    let words: [String]
    let postings: [[Posting]]
    /// A word's id, for exact lookups.
    let wordIDs: [String: Int32]
    /// Every word with one letter removed → the words it came from, for one-edit matching.
    let deletions: [String: [Int32]]
    /// Folded whole names and acronyms → networks, for the exact-name bonus.
    let wholeNames: WholeNames

    /// Folded whole names → networks, kept as (hash of the name, network) pairs in hash order: 300,000 names of 100,000
    /// networks took some 40 MB as a dictionary of texts and lists, 3.6 MB so. A hash found is confirmed against the
    /// network's own names (`networks(named:in:)`), so two names of one hash never mix.
    struct WholeNames: Sendable, Equatable {
        let hashes: [Int]
        let positions: [Int32]

        init(_ pairs: [(hash: Int, position: Int32)]) {
            var unique: [(hash: Int, position: Int32)] = []
            unique.reserveCapacity(pairs.count)
            for pair in pairs.sorted(by: { ($0.hash, $0.position) < ($1.hash, $1.position) })
            where unique.last.map({ $0.hash != pair.hash || $0.position != pair.position }) ?? true {
                unique.append(pair)
            }
            hashes = unique.map(\.hash)
            positions = unique.map(\.position)
        }

        /// The positions whose hash is this name's.
        func candidates(_ key: String) -> ArraySlice<Int32> {
            let hash = key.hashValue
            var low = 0, high = hashes.count
            while low < high {
                let mid = (low + high) / 2
                if hashes[mid] < hash { low = mid + 1 } else { high = mid }
            }
            var end = low
            while end < hashes.count, hashes[end] == hash { end += 1 }
            return positions[low..<end]
        }
    }

    /// The networks (positions in `networks`, those this index was built over) whose whole name, acronym or name with
    /// acronym, in either language, is the query, folded.
    func networks(named query: String, in networks: [Network]) -> Set<Int32> {
        let key = TextKey.words(query).joined(separator: " ")
        return Set(wholeNames.candidates(key).filter { networks.indices.contains(Int($0)) && Self.wholeNameKeys(networks[Int($0)]).contains(key) })
    }

    /// A network's whole names, folded: its name, acronym, name with acronym, and the same in French.
    static func wholeNameKeys(_ network: Network) -> [String] {
        [network.name, network.acronym, network.displayName, network.nameFR, network.localizedDisplayName(.fr)].compactMap { $0 }
            .map { TextKey.words($0).joined(separator: " ") }
    }
    /// Words of party names (and codes) → parties; words of vocabulary labels → values, with each word's
    /// characters, for prefix and one-edit matching without conversions.
    let partyList: [VocabularyWord]
    let vocabularyList: [VocabularyWord]

    struct VocabularyWord: Sendable {
        let word: String
        let characters: [Character]
        let values: Set<String>
    }
    let networkCount: Int
    /// The length of the longest word that one-edit matching reaches (networks' words of at most
    /// `longestTypoWord` letters, and the vocabularies): a query word longer by two or more can be one edit from
    /// none of them, so its variants are never made (their number and length grow with the word's length).
    let longestWord: Int
    /// Words longer than this get no one-edit variants in the index (a 10,000-letter word would add 10,000
    /// variants of 9,999 letters each); they are still found exactly and by prefix.
    static let longestTypoWord = 40

    public init(networks: [Network], directory: PartyDirectory) {
        // The networks' words are gathered in parallel slices (in network order within each), then merged:
        // a later slice's networks come after an earlier one's, so every posting list stays in network order.
        let slices = Self.slices(networks) { networks, start, end in Self.gather(networks, from: start, to: end) }
        var byWord: [String: [Posting]] = [:]
        var wholeNames: [(hash: Int, position: Int32)] = []
        for slice in slices {
            byWord.merge(slice.byWord) { $0 + $1 }
            wholeNames += slice.wholeNames
        }
        let words = byWord.keys.sorted()
        // Exactly as long as they are (lists grown by appending keep up to twice the room), and ordered by field, best
        // first, then by network: a word's postings of one field are one run in network order, which the top-k search
        // reads as one level of equal scores.
        self.init(words: words, postings: words.map { Self.byField(byWord[$0] ?? []) }, wholeNames: WholeNames(wholeNames), networkCount: networks.count,
                  directory: directory)
    }

    /// The index of networks whose words and postings were indexed before (`stored`, from a snapshot file): only what
    /// comes from their names is gathered again, not their purposes (most of the work).
    package init(networks: [Network], directory: PartyDirectory, stored: Stored) {
        let wholeNames = Self.slices(networks) { networks, start, end in Self.gatherWholeNames(networks, from: start, to: end) }.flatMap { $0 }
        self.init(words: stored.words, postings: stored.postings, wholeNames: WholeNames(wholeNames), networkCount: networks.count,
                  directory: directory)
    }

    /// The words and postings, as a snapshot file keeps them.
    package struct Stored: Sendable {
        let words: [String]
        let postings: [[Posting]]

        /// Words and their postings as read from a file, checked: the words in strictly ascending order, each posting
        /// of a network among `networkCount` and a field, each list ordered by field then network.
        init?(words: [String], postings: [[UInt32]], networkCount: Int) {
            guard words.count == postings.count, zip(words, words.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
            var checked: [[Posting]] = []
            checked.reserveCapacity(postings.count)
            for list in postings {
                var previous: UInt32?
                for packed in list {
                    let posting = Posting(packed: packed)
                    guard packed & 7 < UInt32(Field.allCases.count), Int(posting.network) < networkCount else { return nil }
                    if let previous, Posting(packed: previous).field.rawValue > posting.field.rawValue
                        || (Posting(packed: previous).field == posting.field && previous >= packed) { return nil }
                    previous = packed
                }
                checked.append(list.map(Posting.init(packed:)))
            }
            self.words = words
            self.postings = checked
        }
    }

    /// What a snapshot file keeps of this index.
    var stored: (words: [String], postings: [[Posting]]) { (words, postings) }

    /// A fingerprint of how networks' texts are indexed now (the words and postings of a few networks written to try
    /// every rule: cases, accents, punctuation, the word left out, every field): a snapshot file's stored index is
    /// used only when indexing the same networks now gives the same, so a change of the rules cannot go unnoticed.
    package static let rulesFingerprint: UInt64 = {
        let probes = [
            Network(slug: "p1", name: "Réseau Européen des Procureurs & Juges", acronym: "REPJ", otherNames: ["The Prosecutors' Network, e.V."],
                    section: .european, scope: .europe, purpose: [.en: "Cyber-crime; MONEY laundering (2017) — über naïve café", .fr: "Lutte contre la criminalité économique"]),
            Network(slug: "p2", name: "İstanbul Ağı ß Øresund ǅ", section: .nonEuropean, scope: .global,
                    purpose: [.en: "the the THE a-b_c 24/7 O'Brien's x86-64 日本語 emoji 😀 ﬁ"]),
        ]
        let index = SearchIndex(networks: probes, directory: .standard)
        var sum = Checksum()
        for (word, list) in zip(index.words, index.postings) {
            sum.add(Array(word.utf8) + [0])
            sum.add(list.flatMap { withUnsafeBytes(of: $0.packedValue.littleEndian, Array.init) })
        }
        for network in probes { sum.add(Array(wholeNameKeys(network).joined(separator: "\u{0}").utf8)) }
        return sum.value
    }()

    private init(words: [String], postings: [[Posting]], wholeNames: WholeNames, networkCount: Int, directory: PartyDirectory) {
        self.words = words
        self.postings = postings
        var ids: [String: Int32] = [:]
        var deletions: [String: [Int32]] = [:]
        for (i, word) in words.enumerated() {
            ids[word] = Int32(i)
            // A query word of five letters or more reaches words one letter longer through these variants;
            // a shorter indexed word is reached through the query's own variants (`wordIDs`).
            if (5...Self.longestTypoWord).contains(word.count) {
                for variant in Self.deletionsOf(word) { deletions[variant, default: []].append(Int32(i)) }
            }
        }
        self.wordIDs = ids
        self.deletions = deletions
        self.wholeNames = wholeNames
        var partyWords: [String: Set<String>] = [:]
        for party in directory.parties.values where party.kind != .network || party.networkSlug == nil {
            for word in Set(TextKey.words(party.nameEN) + TextKey.words(party.nameFR)) { partyWords[word, default: []].insert(party.id) }
            partyWords[party.id.lowercased(), default: []].insert(party.id)
        }
        var vocabularyWords: [String: Set<String>] = [:]
        for language in Language.allCases {
            for area in CrimeArea.allCases {
                for word in TextKey.words(area.label(language)) { vocabularyWords[word, default: []].insert("crime_area:" + area.rawValue) }
            }
            for instrument in Instrument.allCases {
                for word in TextKey.words(instrument.label(language)) {
                    vocabularyWords[word, default: []].insert("instrument:" + instrument.rawValue)
                }
            }
        }
        self.partyList = partyWords.map { VocabularyWord(word: $0.key, characters: Array($0.key), values: $0.value) }
        self.vocabularyList = vocabularyWords.map { VocabularyWord(word: $0.key, characters: Array($0.key), values: $0.value) }
        self.networkCount = networkCount
        self.longestWord = max(words.lazy.map(\.count).filter { $0 <= Self.longestTypoWord }.max() ?? 0,
                               (partyList + vocabularyList).lazy.map(\.characters.count).max() ?? 0)
    }

    /// `work` done on parallel slices of the networks (one slice for a small catalogue), the slices' results in order.
    private static func slices<T: Sendable>(_ networks: [Network], _ work: @Sendable ([Network], Int, Int) -> T) -> [T] {
        let sliceCount = networks.count < 2_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 2
        return Parallel.map(0..<sliceCount) { slice in
            work(networks, networks.count * slice / sliceCount, networks.count * (slice + 1) / sliceCount)
        }
    }

    /// A word's postings (in network order) ordered by field, best first, each field's run still in network order.
    static func byField(_ list: [Posting]) -> [Posting] {
        var counts = [Int](repeating: 0, count: Field.allCases.count + 1)
        for posting in list { counts[Int(posting.field.rawValue) + 1] += 1 }
        for field in 1..<counts.count { counts[field] += counts[field - 1] }
        return [Posting](unsafeUninitializedCapacity: list.count) { buffer, count in
            for posting in list {
                let field = Int(posting.field.rawValue)
                buffer.initializeElement(at: counts[field], to: posting)
                counts[field] += 1
            }
            count = list.count
        }
    }

    /// The runs of one field in a word's postings: (field, start..<end), best field first.
    static func fieldRuns(_ list: [Posting]) -> [(field: Field, range: Range<Int>)] {
        var runs: [(Field, Range<Int>)] = []
        var start = 0
        while start < list.count {
            let field = list[start].field
            // Binary search for the end of this field's run.
            var low = start + 1, high = list.count
            while low < high {
                let mid = (low + high) / 2
                if list[mid].field.rawValue <= field.rawValue { low = mid + 1 } else { high = mid }
            }
            runs.append((field, start..<low))
            start = low
        }
        return runs
    }

    /// Whether a query word is short enough to be one edit from an indexed word.
    func mayBeTypo(_ length: Int) -> Bool {
        length >= 5 && length <= longestWord + 1
    }

    /// The postings and whole names of the networks in `start..<end`.
    private static func gather(_ networks: [Network], from start: Int, to end: Int)
        -> (byWord: [String: [Posting]], wholeNames: [(hash: Int, position: Int32)]) {
        var byWord: [String: [Posting]] = [:]
        var seen: [String: Field] = [:]
        for index in start..<end {
            let network = networks[index]
            let id = Int32(index)
            seen.removeAll(keepingCapacity: true)
            func add(_ text: String, _ field: Field) {
                for word in TextKey.words(text) {
                    // Keep the best field per word and network: one posting each.
                    if let previous = seen[word], previous.weight >= field.weight { continue }
                    seen[word] = field
                }
            }
            if let acronym = network.acronym { add(acronym, .acronym) }
            add(network.name, .name)
            if let french = network.nameFR { add(french, .name) }
            for other in network.otherNames { add(other, .otherName) }
            for text in network.purpose.values { add(text, .purpose) }
            for (word, field) in seen { byWord[word, default: []].append(Posting(network: id, field: field)) }
        }
        return (byWord, gatherWholeNames(networks, from: start, to: end))
    }

    /// The hashes of the whole names of the networks in `start..<end` (`wholeNameKeys`), with their positions.
    private static func gatherWholeNames(_ networks: [Network], from start: Int, to end: Int) -> [(hash: Int, position: Int32)] {
        var wholeNames: [(hash: Int, position: Int32)] = []
        for index in start..<end {
            for key in wholeNameKeys(networks[index]) { wholeNames.append((key.hashValue, Int32(index))) }
        }
        return wholeNames
    }

    /// Every string made by removing one character.
    static func deletionsOf(_ word: String) -> Set<String> {
        let characters = Array(word)
        return Set(characters.indices.map { i in String(characters[..<i] + characters[(i + 1)...]) })
    }

    /// Whether two words are at most one edit apart (insertion, deletion, substitution, or a swap of neighbours).
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        a == b || withinOneEdit(Array(a), Array(b))
    }

    static func withinOneEdit(_ x: [Character], _ y: [Character]) -> Bool {
        if abs(x.count - y.count) > 1 { return false }
        if x == y { return true }
        if x.count == y.count {
            let differences = x.indices.filter { x[$0] != y[$0] }
            if differences.count == 1 { return true }
            if differences.count == 2, differences[1] == differences[0] + 1 {
                return x[differences[0]] == y[differences[1]] && x[differences[1]] == y[differences[0]]
            }
            return false
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        var i = 0
        while i < short.count, long[i] == short[i] { i += 1 }
        return long[(i + 1)...].elementsEqual(short[i...])
    }

    /// The indexed words a query word matches, with how well.
    func matches(for word: String) -> [(id: Int32, quality: MatchQuality)] {
        var found: [Int32: MatchQuality] = [:]
        if let id = wordIDs[word] { found[id] = .exact }
        if word.count >= 2 {
            var low = 0, high = words.count
            while low < high {
                let mid = (low + high) / 2
                if words[mid] < word { low = mid + 1 } else { high = mid }
            }
            var i = low
            while i < words.count, words[i].hasPrefix(word) {
                if found[Int32(i)] == nil { found[Int32(i)] = .prefix }
                i += 1
            }
        }
        if mayBeTypo(word.count) {
            var candidates = Set(deletions[word] ?? [])
            for variant in Self.deletionsOf(word) {
                if let id = wordIDs[variant] { candidates.insert(id) }
                candidates.formUnion(deletions[variant] ?? [])
            }
            for id in candidates where found[id] == nil && Self.withinOneEdit(words[Int(id)], word) {
                found[id] = .typo
            }
        }
        return found.map { ($0.key, $0.value) }
    }

    /// Words of a small vocabulary (party names, labels) that a query word matches: exact or prefix, or one edit away.
    static func vocabularyMatches(_ word: String, in vocabulary: [VocabularyWord]) -> [(values: Set<String>, quality: MatchQuality)] {
        var result: [(Set<String>, MatchQuality)] = []
        let characters = Array(word)
        let length = characters.count
        for index in vocabulary.indices {
            // Most words are too short to begin with the query word and too far in length to be one edit from it: they
            // are passed over by their length alone, without touching their text.
            let candidateLength = vocabulary[index].characters.count
            guard candidateLength == length || (length >= 3 && candidateLength > length) || (length >= 5 && candidateLength == length - 1)
            else { continue }
            let candidate = vocabulary[index]
            if candidate.word == word {
                result.append((candidate.values, .exact))
            } else if characters.count >= 3, candidate.characters.starts(with: characters) {
                result.append((candidate.values, .prefix))
            } else if characters.count >= 5, withinOneEdit(candidate.characters, characters) {
                result.append((candidate.values, .typo))
            }
        }
        return result
    }

    func rarity(_ networksWithWord: Int) -> Double {
        1 + log(Double(max(networkCount, 1)) / Double(max(networksWithWord, 1)))
    }
}

/// A network found by a search, with its score and the words that matched.
public struct SearchHit: Sendable {
    public let network: Int
    public let score: Double
    /// The indexed words the query matched (for highlighting; the same set for every hit of a query).
    public let matchedWords: Set<String>
}
