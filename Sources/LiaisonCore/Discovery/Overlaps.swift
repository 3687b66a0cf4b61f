import Foundation

/// How much networks overlap: the Jaccard similarity of their member sets, at country level
/// (a subdivision counts as its country; organisations and networks are left out).
public struct Overlaps: Sendable {
    public struct Pair: Sendable {
        public let first: Network
        public let second: Network
        public let similarity: Double
        public let shared: Int
        public let union: Int
    }

    public let fullMembersOnly: Bool
    let catalogue: Catalogue
    let memberSets: [Set<String>]

    public init(catalogue: Catalogue, fullMembersOnly: Bool = false) {
        self.catalogue = catalogue
        self.fullMembersOnly = fullMembersOnly
        memberSets = catalogue.networks.map { Self.countries(of: $0, in: catalogue, fullMembersOnly: fullMembersOnly) }
    }

    /// The countries of a network's members (of its full members only, when asked).
    static func countries(of network: Network, in catalogue: Catalogue, fullMembersOnly: Bool) -> Set<String> {
        Set(network.memberships.filter { !fullMembersOnly || $0.role == .member }.compactMap { catalogue.party(id: $0.partyID)?.countryCode })
    }

    public static func jaccard(_ a: Set<String>, _ b: Set<String>) -> (similarity: Double, shared: Int, union: Int) {
        let shared = a.intersection(b).count, union = a.union(b).count
        return (union == 0 ? 0 : Double(shared) / Double(union), shared, union)
    }

    /// The most similar pairs (at least `minimumSimilarity`), at most `limit`.
    public func pairs(minimumSimilarity: Double = 0, limit: Int = 50) -> [Pair] {
        Array(ranked().filter { $0.similarity >= minimumSimilarity }.prefix(limit))
    }

    /// Pairs whose member sets are the same (and not empty).
    public func identical() -> [Pair] {
        ranked().filter { $0.similarity >= 1 }
    }

    /// Every pair of networks sharing at least one country, most similar first (identical sets first of all).
    /// Candidates come from the countries' own lists, so unrelated networks are never compared. A caller that
    /// needs both the top pairs and the identical ones takes them from one ranking.
    public func ranked() -> [Pair] {
        var byCountry: [String: [Int]] = [:]
        for (index, members) in memberSets.enumerated() {
            for country in members { byCountry[country, default: []].append(index) }
        }
        var seen = Set<Int64>()
        var found: [Pair] = []
        for (index, members) in memberSets.enumerated() {
            for country in members {
                for other in byCountry[country] ?? [] where other > index {
                    guard seen.insert(Int64(index) << 32 | Int64(other)).inserted else { continue }
                    let figure = Self.jaccard(members, memberSets[other])
                    if figure.shared > 0 {
                        found.append(Pair(first: catalogue.networks[index], second: catalogue.networks[other],
                                          similarity: figure.similarity, shared: figure.shared, union: figure.union))
                    }
                }
            }
        }
        return found.sorted(by: Self.ordered)
    }

    /// The networks most like one network, most similar first.
    public func similar(to slug: String, limit: Int = 5) -> [Pair] {
        Self.similar(to: slug, in: catalogue, fullMembersOnly: fullMembersOnly, limit: limit)
    }

    /// The networks most like one network, comparing it only with networks that share a party with it.
    public static func similar(to slug: String, in catalogue: Catalogue, fullMembersOnly: Bool = false, limit: Int = 5) -> [Pair] {
        guard let network = catalogue.network(slug: slug) else { return [] }
        let members = countries(of: network, in: catalogue, fullMembersOnly: fullMembersOnly)
        var candidates = Set<Int32>()
        for party in Set(network.memberships.map(\.partyID)) { candidates.formUnion(catalogue.networksByParty[party] ?? []) }
        return candidates.map { catalogue.networks[Int($0)] }.filter { $0.slug != slug }.compactMap { other -> Pair? in
            let figure = jaccard(members, countries(of: other, in: catalogue, fullMembersOnly: fullMembersOnly))
            guard figure.shared > 0 else { return nil }
            return Pair(first: network, second: other, similarity: figure.similarity, shared: figure.shared, union: figure.union)
        }
        .sorted(by: ordered).prefix(limit).map { $0 }
    }

    static func ordered(_ a: Pair, _ b: Pair) -> Bool {
        if a.similarity != b.similarity { return a.similarity > b.similarity }
        if a.shared != b.shared { return a.shared > b.shared }
        return (a.first.name, a.second.name) < (b.first.name, b.second.name)
    }
}
