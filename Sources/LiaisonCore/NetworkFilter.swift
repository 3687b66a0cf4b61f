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

    public var isEmpty: Bool { self == NetworkFilter() }

    /// The facets a filter can narrow by.
    public enum Facet: String, CaseIterable, Sendable {
        case section, scope, crimeArea = "crime_area", instrument, memberType = "member_type", status, role
    }

    /// The same filter without one facet: facet counts are computed this way, so that each facet's
    /// counts respect every other filter.
    public func without(_ facet: Facet) -> NetworkFilter {
        var copy = self
        switch facet {
        case .section: copy.sections = []
        case .scope: copy.scopes = []
        case .crimeArea: copy.crimeAreas = []
        case .instrument: copy.instruments = []
        case .memberType: copy.memberTypes = []
        case .status: copy.statuses = []
        case .role: copy.roles = []
        }
        return copy
    }

    func matches(_ network: Network, in catalogue: Catalogue) -> Bool {
        if !sections.isEmpty, !sections.contains(network.section) { return false }
        if !scopes.isEmpty, !scopes.contains(network.scope) { return false }
        if !statuses.isEmpty, !statuses.contains(network.status.value) { return false }
        if !crimeAreas.isEmpty, crimeAreas.isDisjoint(with: network.crimeAreas) { return false }
        if !instruments.isEmpty, instruments.isDisjoint(with: network.instruments) { return false }
        if !memberTypes.isEmpty, memberTypes.isDisjoint(with: network.memberTypes) { return false }
        if !parties.isEmpty || !roles.isEmpty {
            let memberships = network.memberships
            let wanted = parties.isEmpty ? nil : Set(parties)
            // With parties: each must hold one of the roles; without: some party must hold one.
            if let wanted {
                for party in wanted {
                    let held = memberships.filter { $0.partyID == party }.map(\.role)
                    if held.isEmpty || (!roles.isEmpty && roles.isDisjoint(with: held)) { return false }
                }
            } else if !memberships.contains(where: { roles.contains($0.role) }) {
                return false
            }
        }
        return true
    }
}

/// Folding of text for matching: lowercase, no accents, words of letters and digits.
public enum TextKey {
    public static func words(_ text: String) -> [String] {
        PartyDirectory.key(text).split(separator: " ").map(String.init).filter { !$0.isEmpty }
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
}

extension Catalogue {
    /// The networks that match: by relevance when there are words to search, else in name order.
    public func networks(matching filter: NetworkFilter) -> [Network] {
        hits(matching: filter).map { networks[$0.network] }
    }

    /// The matching networks with their scores: ranked when the filter has words, else in name order.
    public func hits(matching filter: NetworkFilter) -> [SearchHit] {
        let ranked = search(filter.query) ?? networks.indices.map { SearchHit(network: $0, score: 0, matchedWords: []) }
        var others = filter
        others.query = ""
        if others.isEmpty { return ranked }
        return ranked.filter { others.matches(networks[$0.network], in: self) }
    }

    /// For each facet, how many networks each value would give, with every other filter applied.
    public func facets(for filter: NetworkFilter) -> FacetCounts {
        func counts<V: Vocabulary>(_ facet: NetworkFilter.Facet, _ values: (Network) -> [V]) -> [(V, Int)] {
            var tally: [V: Int] = [:]
            for network in networks(matching: filter.without(facet)) {
                for value in Set(values(network)) { tally[value, default: 0] += 1 }
            }
            return V.allCases.compactMap { value in tally[value].map { (value, $0) } }
        }
        let parties = Set(filter.parties)
        return FacetCounts(
            sections: counts(.section) { [$0.section] },
            scopes: counts(.scope) { [$0.scope] },
            crimeAreas: counts(.crimeArea) { $0.crimeAreas },
            instruments: counts(.instrument) { $0.instruments },
            memberTypes: counts(.memberType) { $0.memberTypes },
            statuses: counts(.status) { [$0.status.value] },
            roles: counts(.role) { network in
                network.memberships.filter { parties.isEmpty || parties.contains($0.partyID) }.map(\.role)
            })
    }

}
