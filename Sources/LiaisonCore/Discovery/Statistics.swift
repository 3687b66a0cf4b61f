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
            PartyFigure(party: party, networks: catalogue.networkCount(of: party.id), byRole: catalogue.networkCountsByRole(of: party.id))
        }
        .sorted { ($0.networks, $1.party.nameEN) > ($1.networks, $0.party.nameEN) }
        let facets = catalogue.facets(for: NetworkFilter())
        bySection = facets.sections
        byScope = facets.scopes.sorted { $0.1 > $1.1 }
        byCrimeArea = facets.crimeAreas.sorted { $0.1 > $1.1 }
        byInstrument = facets.instruments.sorted { $0.1 > $1.1 }
        byStatus = facets.statuses
        membershipsByRole = Role.allCases.compactMap { role in catalogue.membershipsByRole[role].map { (role, $0) } }
    }
}
