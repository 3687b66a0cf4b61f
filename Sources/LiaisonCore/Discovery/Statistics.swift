import Foundation

/// Figures about the catalogue: who takes part most, and how networks and memberships spread.
public struct CatalogueStatistics: Sendable {
    public struct PartyFigure: Sendable {
        public let party: Party
        public let networks: Int
        /// Networks per role held.
        public let byRole: [Role: Int]
    }

    public let networks: Int
    public let memberships: Int
    public let parties: [PartyFigure]
    public let bySection: [(Section, Int)]
    public let byScope: [(Scope, Int)]
    public let byCrimeArea: [(CrimeArea, Int)]
    public let byInstrument: [(Instrument, Int)]
    public let byStatus: [(NetworkStatusValue, Int)]
    public let membershipsByRole: [(Role, Int)]

    /// `eachNetworkOnce`: as the pages count, a network the report lists twice once (and a party's membership of its
    /// second entry only when the first does not list the party); the API counts every row.
    public init(catalogue: Catalogue, eachNetworkOnce: Bool = false) {
        // Memberships of a second entry that the first entry also holds: not counted once each network counts once.
        let twinRows = eachNetworkOnce ? catalogue.duplicateEntries.flatMap { $0.memberships.filter { !catalogue.countsOnce($0) } } : []
        let twinRowsByParty = Dictionary(grouping: twinRows, by: \.partyID)
        networks = eachNetworkOnce ? catalogue.networksCountedOnce : catalogue.networks.count
        memberships = catalogue.membershipCount - twinRows.count
        parties = catalogue.participatingParties.map { party in
            let twins = twinRowsByParty[party.id] ?? []
            var byRole = catalogue.networkCountsByRole(of: party.id)
            for (role, rows) in Dictionary(grouping: twins, by: \.role) {
                byRole[role, default: 0] -= Set(rows.map(\.networkSlug)).count
            }
            return PartyFigure(party: party, networks: catalogue.networkCount(of: party.id) - Set(twins.map(\.networkSlug)).count,
                               byRole: byRole.filter { $0.value > 0 })
        }
        .sorted { ($0.networks, $1.party.nameEN) > ($1.networks, $0.party.nameEN) }
        var everyNetwork = NetworkFilter()
        everyNetwork.eachNetworkOnce = eachNetworkOnce
        let facets = catalogue.facets(for: everyNetwork)
        bySection = facets.sections
        byScope = facets.scopes.sorted { $0.1 > $1.1 }
        byCrimeArea = facets.crimeAreas.sorted { $0.1 > $1.1 }
        byInstrument = facets.instruments.sorted { $0.1 > $1.1 }
        byStatus = facets.statuses
        let twinRowsByRole = Dictionary(grouping: twinRows, by: \.role).mapValues(\.count)
        membershipsByRole = Role.allCases.compactMap { role in
            catalogue.membershipsByRole[role].map { (role, $0 - (twinRowsByRole[role] ?? 0)) }.flatMap { $0.1 > 0 ? $0 : nil }
        }
    }
}
