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

    public init(catalogue: Catalogue) {
        networks = catalogue.networks.count
        memberships = catalogue.membershipCount
        parties = catalogue.participatingParties.map { party in
            let held = catalogue.memberships(of: party.id)
            var byRole: [Role: Set<String>] = [:]
            for membership in held { byRole[membership.role, default: []].insert(membership.networkSlug) }
            return PartyFigure(party: party, networks: Set(held.map(\.networkSlug)).count, byRole: byRole.mapValues(\.count))
        }
        .sorted { ($0.networks, $1.party.nameEN) > ($1.networks, $0.party.nameEN) }
        let facets = catalogue.facets(for: NetworkFilter())
        bySection = facets.sections
        byScope = facets.scopes.sorted { $0.1 > $1.1 }
        byCrimeArea = facets.crimeAreas.sorted { $0.1 > $1.1 }
        byInstrument = facets.instruments.sorted { $0.1 > $1.1 }
        byStatus = facets.statuses
        var roles: [Role: Int] = [:]
        for network in catalogue.networks {
            for membership in network.memberships { roles[membership.role, default: 0] += 1 }
        }
        membershipsByRole = Role.allCases.compactMap { role in roles[role].map { (role, $0) } }
    }
}
