import Foundation

/// The first page of a search without scoring every match: Fagin's threshold algorithm over lists ordered by what
/// each network earns for a word.
///
/// A network earns, for a query word, the best `weight × quality × rarity` among the lists that hold it: one list per
/// matched indexed word and field (the index keeps a word's postings by field, best first, each field in network
/// order), per matched party and per matched vocabulary term. Those lists, grouped by value, give each word a stream
/// of networks by what they earn (highest first, then in name order). The streams are read in turn; each network met
/// is scored whole by looking it up in every word's lists, and the best `first` are kept. Reading stops when the
/// worst kept beats what any network not yet met could still earn: the sum of what each stream gives next (a network
/// earning exactly that comes after the streams' next networks in name order, so it loses the tie).
///
/// How many networks match every word comes from bitsets: one bit per network and word, the words' sets intersected.
/// Scores are added in the same order as the exhaustive ranking's, so a page is the same as its first hits.
extension Catalogue {
    /// Deeper pages are ranked exhaustively (the threshold algorithm's advantage is a short page).
    static let topSearchDeepest = 1_000
    /// A query word matching more lists than this (a prefix of two letters) is ranked exhaustively: looking a network
    /// up in every list would cost more than scoring them all.
    static let topSearchMostLists = 256

    /// The best `first` networks for a query, ranked exactly as `search` ranks them, and how many networks match every
    /// word; nil when the query has no words or is one the exhaustive ranking serves better.
    public func topSearch(_ query: String, first wanted: Int) -> (hits: [SearchHit], total: Int)? {
        guard wanted > 0, wanted <= Self.topSearchDeepest, let queryWords = Self.searchWords(query) else { return nil }
        let index = searchIndex
        var matchedWords = Set<String>()
        var words: [TopSearchWord] = []
        for word in queryWords {
            let lists = searchLists(for: word, matchedWords: &matchedWords)
            guard lists.count <= Self.topSearchMostLists else { return nil }
            words.append(TopSearchWord(lists: lists))
        }
        // The networks matching every word.
        var matching = NetworkBits(count: networks.count)
        for (i, word) in words.enumerated() {
            var bits = NetworkBits(count: networks.count)
            for list in word.lists { list.forEach { bits.insert($0) } }
            if i == 0 { matching = bits } else { matching.formIntersection(bits) }
        }
        let total = matching.count
        guard total > 0 else { return ([], 0) }

        let whole = index.networks(named: query, in: networks)
        func hit(_ network: Int32) -> SearchHit {
            var score = 0.0
            for word in words { score += word.earned(by: network) }
            return SearchHit(network: Int(network), score: score + (whole.contains(network) ? 20 : 0), matchedWords: matchedWords)
        }
        var best = TopHits(capacity: wanted)
        // Few matches: each is scored.
        if total <= max(wanted * 4, 64) {
            matching.forEach { best.offer(hit($0)) }
            return (best.ranked(), total)
        }
        var met = NetworkBits(count: networks.count)
        // A whole-name match earns 20 more than its words say: such networks are met first.
        for network in whole where matching.contains(network) && !met.contains(network) {
            met.insert(network)
            best.offer(hit(network))
        }
        var streams = words.map { TopSearchStream($0) }
        while true {
            var threshold = 0.0
            var farthest: Int32 = -1
            for i in streams.indices {
                // A stream that has given every network of its word has given every match: all are met.
                guard let next = streams[i].peek(matching: matching, met: met) else { return (best.ranked(), total) }
                threshold += next.value
                farthest = max(farthest, next.network)
            }
            if best.isFull, let worst = best.worst,
               worst.score > threshold || (worst.score == threshold && Int32(worst.network) < farthest) {
                return (best.ranked(), total)
            }
            for i in streams.indices {
                guard let next = streams[i].peek(matching: matching, met: met) else { continue }
                streams[i].advance()
                met.insert(next.network)
                best.offer(hit(next.network))
            }
        }
    }
}

/// One list of networks (in network order) that all earn `value` for a query word.
struct TopSearchList {
    let value: Double
    private let postings: ArraySlice<SearchIndex.Posting>
    private let positions: [Int32]
    private let fromPostings: Bool

    init(value: Double, postings: ArraySlice<SearchIndex.Posting>) {
        self.value = value
        self.postings = postings
        self.positions = []
        self.fromPostings = true
    }

    init(value: Double, positions: [Int32]) {
        self.value = value
        self.postings = []
        self.positions = positions
        self.fromPostings = false
    }

    var count: Int { fromPostings ? postings.count : positions.count }

    subscript(_ i: Int) -> Int32 {
        fromPostings ? postings[postings.startIndex + i].network : positions[i]
    }

    func forEach(_ body: (Int32) -> Void) {
        if fromPostings {
            for posting in postings { body(posting.network) }
        } else {
            for position in positions { body(position) }
        }
    }

    /// Whether the network is in the list (a binary search).
    func contains(_ network: Int32) -> Bool {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            let here = self[mid]
            if here == network { return true }
            if here < network { low = mid + 1 } else { high = mid }
        }
        return false
    }
}

/// A query word's lists, best value first.
struct TopSearchWord {
    let lists: [TopSearchList]

    init(lists: [TopSearchList]) {
        self.lists = lists.sorted { $0.value > $1.value }
    }

    /// What a network earns for the word: the value of the best list holding it.
    func earned(by network: Int32) -> Double {
        for list in lists where list.contains(network) { return list.value }
        return 0
    }
}

/// A word's networks by what they earn, highest first, then in network order (a network in several lists comes once
/// per list; the search skips those already met).
struct TopSearchStream {
    private let word: TopSearchWord
    /// The lists' indices grouped by equal value, best first.
    private let levels: [[Int]]
    private var level = -1
    private var cursors: [Int]
    /// The current level's lists by their next network: (network, list), smallest network on top.
    private var heap: [(network: Int32, list: Int)] = []

    init(_ word: TopSearchWord) {
        self.word = word
        var levels: [[Int]] = []
        for (i, list) in word.lists.enumerated() {
            if let last = levels.last?.last, word.lists[last].value == list.value {
                levels[levels.count - 1].append(i)
            } else {
                levels.append([i])
            }
        }
        self.levels = levels
        self.cursors = [Int](repeating: 0, count: word.lists.count)
    }

    /// The next network not yet met that matches every word, with what it earns; nil when none is left.
    mutating func peek(matching: NetworkBits, met: NetworkBits) -> (network: Int32, value: Double)? {
        while true {
            while heap.isEmpty {
                level += 1
                guard level < levels.count else { return nil }
                for list in levels[level] where word.lists[list].count > 0 { push(list) }
            }
            let top = heap[0]
            if matching.contains(top.network), !met.contains(top.network) {
                return (top.network, word.lists[top.list].value)
            }
            advance()
        }
    }

    /// Moves past the network on top.
    mutating func advance() {
        guard !heap.isEmpty else { return }
        let list = heap[0].list
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        cursors[list] += 1
        if cursors[list] < word.lists[list].count { push(list) }
    }

    private mutating func push(_ list: Int) {
        heap.append((word.lists[list][cursors[list]], list))
        var child = heap.count - 1
        while child > 0, heap[child].network < heap[(child - 1) / 2].network {
            heap.swapAt(child, (child - 1) / 2)
            child = (child - 1) / 2
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].network < heap[smallest].network { smallest = left }
            if right < heap.count, heap[right].network < heap[smallest].network { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// A set of network positions as bits.
struct NetworkBits {
    private var words: [UInt64]

    init(count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    mutating func insert(_ network: Int32) {
        words[Int(network) >> 6] |= 1 << UInt64(network & 63)
    }

    func contains(_ network: Int32) -> Bool {
        words[Int(network) >> 6] & (1 << UInt64(network & 63)) != 0
    }

    mutating func formIntersection(_ other: NetworkBits) {
        for i in words.indices { words[i] &= other.words[i] }
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Each member, ascending.
    func forEach(_ body: (Int32) -> Void) {
        for (i, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                body(Int32(i << 6 + rest.trailingZeroBitCount))
                rest &= rest - 1
            }
        }
    }
}

/// The best hits offered so far, at most `capacity` of them (higher score, then name order), the worst on top.
struct TopHits {
    let capacity: Int
    private var heap: [SearchHit] = []

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    static func better(_ a: SearchHit, _ b: SearchHit) -> Bool {
        a.score != b.score ? a.score > b.score : a.network < b.network
    }

    var isFull: Bool { heap.count >= capacity }
    var worst: SearchHit? { heap.first }

    mutating func offer(_ hit: SearchHit) {
        if heap.count < capacity {
            heap.append(hit)
            var child = heap.count - 1
            while child > 0, Self.better(heap[(child - 1) / 2], heap[child]) {
                heap.swapAt(child, (child - 1) / 2)
                child = (child - 1) / 2
            }
        } else if let worst = heap.first, Self.better(hit, worst) {
            heap[0] = hit
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var worse = parent
                if left < heap.count, Self.better(heap[worse], heap[left]) { worse = left }
                if right < heap.count, Self.better(heap[worse], heap[right]) { worse = right }
                if worse == parent { break }
                heap.swapAt(parent, worse)
                parent = worse
            }
        }
    }

    /// The hits kept, best first.
    func ranked() -> [SearchHit] {
        heap.sorted(by: Self.better)
    }
}
