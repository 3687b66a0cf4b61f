import Foundation

/// Networks the report lists twice (the ACN in both tables, the Western Balkans network as itself and as its
/// project): two rows of the report a `same-as` relation joins. Pages show and count each such network once — its active
/// entry, or the one the relation points to — and say that the report lists it twice; the API keeps every row.
struct ListedTwice: Sendable {
    /// The entry shown in place of another: duplicate slug → the slug shown.
    let shownAs: [String: String]
    /// The other way: the slug shown → the duplicate it stands for.
    let alsoListedAs: [String: String]

    init(_ networks: [Network]) {
        // Only the networks a relation names as the same are looked up (not a copy of every network, for a large catalogue).
        let named = Set(networks.lazy.flatMap(\.relations).filter { $0.type == .sameAs }.map(\.target))
        let bySlug = named.isEmpty ? [:] : Dictionary(networks.lazy.filter { named.contains($0.slug) }.map { ($0.slug, $0) },
                                                      uniquingKeysWith: { first, _ in first })
        var shownAs: [String: String] = [:], alsoListedAs: [String: String] = [:]
        for network in networks {
            for relation in network.relations where relation.type == .sameAs {
                // Only rows of the report: an edit cannot make a network vanish from the lists by declaring it a twin.
                guard network.row != nil, let other = bySlug[relation.target], other.row != nil, other.slug != network.slug,
                      shownAs[network.slug] == nil, shownAs[other.slug] == nil, alsoListedAs[network.slug] == nil, alsoListedAs[other.slug] == nil
                else { continue }
                // The active entry stands for the network; when both (or neither) are, the one the relation points to.
                let networkActive = network.status.value == .active, otherActive = other.status.value == .active
                let (shown, duplicate) = networkActive && !otherActive ? (network, other) : (other, network)
                shownAs[duplicate.slug] = shown.slug
                alsoListedAs[shown.slug] = duplicate.slug
            }
        }
        self.shownAs = shownAs
        self.alsoListedAs = alsoListedAs
    }
}

extension Catalogue {
    /// For an entry the report lists twice and that is not the one shown: the slug of the one shown.
    public func shownAs(_ slug: String) -> String? { listedTwice.shownAs[slug] }

    /// For an entry shown for a network the report lists twice: the slug of its other entry.
    public func alsoListedAs(_ slug: String) -> String? { listedTwice.alsoListedAs[slug] }

    /// The second entries of networks the report lists twice: those pages do not show in lists.
    public var duplicateEntries: [Network] { listedTwice.shownAs.keys.sorted().compactMap { network(slug: $0) } }

    /// The networks as pages count them: each network the report lists twice, once.
    public var networksCountedOnce: Int { networks.count - listedTwice.shownAs.count }

    /// Whether a membership is counted where each network counts once: not when it is the duplicate entry's and the
    /// party takes part in the entry shown too (a party only the duplicate lists keeps it).
    public func countsOnce(_ membership: Membership) -> Bool {
        guard let shown = listedTwice.shownAs[membership.networkSlug] else { return true }
        return network(slug: shown)?.roles(of: membership.partyID).isEmpty ?? true
    }

    /// How many networks a party takes part in, and in how many as a full member, each network counted once.
    public func networkCountsOnce(of partyID: String) -> (networks: Int, full: Int) {
        var networks = networkCount(of: partyID), full = networkCountsByRole(of: partyID)[.member] ?? 0
        for (duplicate, shown) in listedTwice.shownAs {
            guard let twice = network(slug: duplicate), let once = network(slug: shown) else { continue }
            let rolesTwice = twice.roles(of: partyID), rolesOnce = once.roles(of: partyID)
            guard !rolesTwice.isEmpty, !rolesOnce.isEmpty else { continue }
            networks -= 1
            if rolesTwice.contains(.member), rolesOnce.contains(.member) { full -= 1 }
        }
        return (networks, full)
    }
}
