import Foundation

/// What a person asks of the list of networks: words, parties that must all take part, and facets.
///
/// An empty filter matches every network. Within one facet, the values are alternatives (any of them);
/// across facets and parties, every condition must hold.
public struct NetworkFilter: Sendable, Hashable {
    /// Words to search for (see `SearchIndex` for how they match and rank).
    public var query: String
    /// Ids of parties that must all take part (with `roles`, if given, in one of those roles).
    public var parties: [String]
    public var roles: Set<Role>
    public var crimeAreas: Set<CrimeArea>
    public var instruments: Set<Instrument>
    public var sections: Set<Section>
    public var scopes: Set<Scope>
    public var statuses: Set<NetworkStatusValue>
    public var memberTypes: Set<MemberType>

    public init(query: String = "", parties: [String] = [], roles: Set<Role> = [], crimeAreas: Set<CrimeArea> = [],
                instruments: Set<Instrument> = [], sections: Set<Section> = [], scopes: Set<Scope> = [],
                statuses: Set<NetworkStatusValue> = [], memberTypes: Set<MemberType> = []) {
        self.query = query
        self.parties = parties
        self.roles = roles
        self.crimeAreas = crimeAreas
        self.instruments = instruments
        self.sections = sections
        self.scopes = scopes
        self.statuses = statuses
        self.memberTypes = memberTypes
    }

    /// Not a condition but how rows are counted: a network the report lists twice counts once (the pages; the API
    /// keeps every row of the catalogue).
    public var eachNetworkOnce = false

    public var isEmpty: Bool {
        var conditions = self
        conditions.eachNetworkOnce = false
        return conditions == NetworkFilter()
    }

    /// The facets a filter can narrow by.
    public enum Facet: String, CaseIterable, Sendable {
        case section, scope, crimeArea = "crime_area", instrument, memberType = "member_type", status, role
    }

    /// Whether a network passes every condition but the words (and but one facet, when given).
    func matches(_ network: Network, except facet: Facet? = nil) -> Bool {
        if facet != .section, !sections.isEmpty, !sections.contains(network.section) { return false }
        if facet != .scope, !scopes.isEmpty, !scopes.contains(network.scope) { return false }
        if facet != .status, !statuses.isEmpty, !statuses.contains(network.status.value) { return false }
        if facet != .crimeArea, !crimeAreas.isEmpty, !network.crimeAreas.contains(where: crimeAreas.contains) { return false }
        if facet != .instrument, !instruments.isEmpty, !network.instruments.contains(where: instruments.contains) { return false }
        if facet != .memberType, !memberTypes.isEmpty, !network.memberTypes.contains(where: memberTypes.contains) { return false }
        // Roles compared as bits, read straight from the member lists' bytes: no set of roles per network.
        let wanted = facet == .role ? 0 : MemberEntries.bits(of: roles)
        if !parties.isEmpty {
            // Each party must take part (in one of the roles, when roles are given).
            for party in parties {
                let held = network.roleBits(of: party)
                if held == 0 || (wanted != 0 && held & wanted == 0) { return false }
            }
        } else if wanted != 0, network.roleBits() & wanted == 0 {
            return false
        }
        return true
    }
}

extension Network {
    /// The roles a party holds here (any party, when nil), as the bits `MemberEntries.roleBits` gives, read straight
    /// from the member groups' bytes.
    func roleBits(of party: String? = nil) -> UInt32 {
        groups.reduce(0) { $0 | $1.entries.roleBits(of: party, groupRole: $1.role) }
    }

    /// The roles a party holds here.
    func roles(of party: String) -> Set<Role> { MemberEntries.roles(in: roleBits(of: party)) }

    /// Every role some party holds here.
    var rolesHeld: Set<Role> { MemberEntries.roles(in: roleBits()) }
}

/// Folding of text for matching: lowercase, no accents, words of letters and digits, without "the".
public enum TextKey {
    /// The word left out of every key ("the"): it would match nearly every network.
    static let leftOut: [UInt8] = Array("the".utf8)

    /// Whether an ASCII byte belongs to a word (A–Z, a–z, 0–9): exactly the ASCII letters and numbers.
    static func isWordByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
    }

    public static func words(_ text: String) -> [String] {
        // Most text is ASCII: fold it byte by byte; anything else goes through Foundation's folding.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return PartyDirectory.slowKey(text).split(separator: " ").map(String.init)
        }
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(24)
        func flush() {
            if !current.isEmpty, current != leftOut {
                words.append(String(decoding: current, as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case 0x61...0x7A, 0x30...0x39: current.append(byte)
            case 0x41...0x5A: current.append(byte + 32)
            case 0x26:  // "&" reads as "and", as in party names
                flush()
                words.append("and")
            default: flush()
            }
        }
        flush()
        return words
    }
}

/// Counts of networks per facet value.
public struct FacetCounts: Sendable {
    public var sections: [(Section, Int)]
    public var scopes: [(Scope, Int)]
    public var crimeAreas: [(CrimeArea, Int)]
    public var instruments: [(Instrument, Int)]
    public var memberTypes: [(MemberType, Int)]
    public var statuses: [(NetworkStatusValue, Int)]
    /// Roles held by the filter's parties (or by anyone, without parties).
    public var roles: [(Role, Int)]

    public static let empty = FacetCounts(sections: [], scopes: [], crimeAreas: [], instruments: [], memberTypes: [], statuses: [], roles: [])
}

/// What a filter finds: the hits in order (perhaps only the first of them, see `Catalogue.query`), how many there
/// are, and the facet counts (empty when not asked for).
public struct QueryResult: Sendable {
    public let hits: [SearchHit]
    public let total: Int
    public let facets: FacetCounts

    init(hits: [SearchHit], total: Int? = nil, facets: FacetCounts) {
        self.hits = hits
        self.total = total ?? hits.count
        self.facets = facets
    }

    /// The page'th page of the hits.
    public func page(_ page: Int, perPage: Int) -> Page<SearchHit> {
        Page(items: hits, total: total, page: page, perPage: perPage)
    }

    /// These hits in the order of the networks' names in `language` of `catalogue`, when they are in name order (no words
    /// searched; ranked hits keep their rank).
    public func inNameOrder(of catalogue: Catalogue, language: Language, searched: Bool) -> QueryResult {
        guard !searched, language != .en else { return self }
        return QueryResult(hits: catalogue.inNameOrder(hits, language: language) { $0.network }, total: total, facets: facets)
    }
}

extension Catalogue {
    /// The networks that match: by relevance when there are words to search, else in name order.
    public func networks(matching filter: NetworkFilter) -> [Network] {
        hits(matching: filter).map { networks[$0.network] }
    }

    /// The matching networks with their scores: ranked when the filter has words, else in name order.
    public func hits(matching filter: NetworkFilter) -> [SearchHit] {
        query(filter, facets: false).hits
    }

    /// For each facet, how many networks each value would give, with every other filter applied.
    public func facets(for filter: NetworkFilter) -> FacetCounts {
        query(filter).facets
    }

    /// The answer to a filter: the hits, and (when asked) the facet counts, each respecting every other filter.
    /// The search runs once; candidates come from the party index when parties are given.
    ///
    /// With words, only the first `ranked` hits are put in rank order (enough for a page); the others follow
    /// in no particular order, or, when only words are asked for without facets, are not given at all (`total` says
    /// how many there are): the first page of a search for common words costs what the page needs.
    public func query(_ filter: NetworkFilter, facets wanted: Bool = true, ranked rankedCount: Int = .max) -> QueryResult {
        let searching = !filter.query.isEmpty
        // Words alone (no party, facet or once-each counting: `==` compares them all), without facets.
        if searching, !wanted, NetworkFilter(query: filter.query) == filter,
           let top = topSearch(filter.query, first: rankedCount) {
            return QueryResult(hits: top.hits, total: top.total, facets: .empty)
        }
        let candidates: [SearchHit]
        if let found = unrankedSearch(filter.query) {
            candidates = found
        } else if !filter.parties.isEmpty {
            // Each party's positions are ascending (name order): intersect them by merging.
            var common = networksByParty[filter.parties[0]] ?? []
            for party in filter.parties.dropFirst() {
                common = Self.intersect(common, networksByParty[party] ?? [])
            }
            candidates = common.map { SearchHit(network: Int($0), score: 0, matchedWords: []) }
        } else {
            candidates = networks.indices.map { SearchHit(network: $0, score: 0, matchedWords: []) }
        }
        let ranked = filter.eachNetworkOnce ? candidates.filter { listedTwice.shownAs[networks[$0.network].slug] == nil } : candidates
        var others = filter
        others.query = ""
        // Candidates taken from the party index already have every party; only other conditions need checking.
        var beyondParties = others
        beyondParties.parties = []
        let fromPartyIndex = filter.query.isEmpty && !filter.parties.isEmpty
        let needsCheck = fromPartyIndex ? !beyondParties.isEmpty : !others.isEmpty
        var hits = needsCheck ? ranked.filter { others.matches(networks[$0.network]) } : ranked
        if searching { Self.rank(&hits, first: rankedCount) }
        guard wanted else { return QueryResult(hits: hits, facets: .empty) }
        // A facet's counts come from the networks that pass every filter but that facet's own.
        func base(_ facet: NetworkFilter.Facet, constrained: Bool) -> [SearchHit] {
            constrained ? ranked.filter { others.matches(networks[$0.network], except: facet) } : hits
        }
        func counts<V: Vocabulary>(_ facet: NetworkFilter.Facet, _ chosen: Set<V>, _ values: (Network) -> [V]) -> [(V, Int)] {
            var tally: [V: Int] = [:]
            for hit in base(facet, constrained: !chosen.isEmpty) {
                for value in Set(values(networks[hit.network])) { tally[value, default: 0] += 1 }
            }
            return V.allCases.compactMap { value in tally[value].map { (value, $0) } }
        }
        let parties = filter.parties
        let facets = FacetCounts(
            sections: counts(.section, filter.sections) { [$0.section] },
            scopes: counts(.scope, filter.scopes) { [$0.scope] },
            crimeAreas: counts(.crimeArea, filter.crimeAreas) { $0.crimeAreas },
            instruments: counts(.instrument, filter.instruments) { $0.instruments },
            memberTypes: counts(.memberType, filter.memberTypes) { $0.memberTypes },
            statuses: counts(.status, filter.statuses) { [$0.status.value] },
            roles: counts(.role, filter.roles) { network in
                parties.isEmpty ? Array(network.rolesHeld) : parties.flatMap { network.roles(of: $0) }
            })
        return QueryResult(hits: hits, facets: facets)
    }

    /// The values in both ascending lists, ascending.
    static func intersect(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var result: [Int32] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { i += 1 } else if b[j] < a[i] { j += 1 } else {
                result.append(a[i])
                i += 1
                j += 1
            }
        }
        return result
    }
}
