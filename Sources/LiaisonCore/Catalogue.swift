import Foundation

/// An immutable snapshot of the whole catalogue with the indexes reads need.
///
/// Requests read one snapshot from start to end; a write builds the next snapshot and swaps it in,
/// so a reader never sees half a write.
public struct Catalogue: Sendable {
    /// Networks in name order.
    public let networks: [Network]
    /// Every known party: the standard directory plus the catalogue's networks.
    public let directory: PartyDirectory
    /// The sequence number of the last revision this snapshot includes (0 when empty).
    public let revision: Int64
    /// When each network last changed, by slug.
    public let lastChanged: [String: Date]

    private let indexBySlug: [String: Int]
    private let membershipsByParty: [String: [Membership]]
    /// Positions in `networks` by party, crime area and instrument, for search and the case finder.
    let networksByParty: [String: [Int32]]
    let networksByTerm: [String: [Int32]]
    /// The ranked full-text index.
    public let searchIndex: SearchIndex
    /// The parties that take part in at least one network, by English name.
    public let participatingParties: [Party]
    public let membershipCount: Int

    public init(networks: [Network], revision: Int64 = 0, lastChanged: [String: Date] = [:],
                directory: PartyDirectory = .standard) {
        // Name order, case and accents folded; each name is folded once, not at every comparison.
        let keys = networks.map { PartyDirectory.key($0.name) }
        let sorted = networks.indices.sorted { (keys[$0], networks[$0].slug) < (keys[$1], networks[$1].slug) }.map { networks[$0] }
        self.networks = sorted
        self.revision = revision
        self.lastChanged = lastChanged
        self.directory = directory.adding(networks: sorted)
        self.indexBySlug = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.slug, $0) })
        var byParty: [String: [Membership]] = [:]
        var networksByParty: [String: [Int32]] = [:]
        var networksByTerm: [String: [Int32]] = [:]
        for (index, network) in sorted.enumerated() {
            var parties: Set<String> = []
            for membership in network.memberships {
                byParty[membership.partyID, default: []].append(membership)
                parties.insert(membership.partyID)
            }
            for party in parties { networksByParty[party, default: []].append(Int32(index)) }
            for area in network.crimeAreas { networksByTerm["crime_area:" + area.rawValue, default: []].append(Int32(index)) }
            for instrument in network.instruments { networksByTerm["instrument:" + instrument.rawValue, default: []].append(Int32(index)) }
        }
        self.membershipsByParty = byParty
        self.networksByParty = networksByParty
        self.networksByTerm = networksByTerm
        self.searchIndex = SearchIndex(networks: sorted, directory: self.directory)
        let directory = self.directory
        self.participatingParties = byParty.keys.compactMap { directory.party(id: $0) }.sorted { $0.nameEN < $1.nameEN }
        self.membershipCount = byParty.values.reduce(0) { $0 + $1.count }
    }

    public static let empty = Catalogue(networks: [])

    public func network(slug: String) -> Network? {
        indexBySlug[slug].map { networks[$0] }
    }

    public func party(id: String) -> Party? {
        directory.party(id: id)
    }

    /// Every membership of a party, by network name order.
    public func memberships(of partyID: String) -> [Membership] {
        membershipsByParty[partyID] ?? []
    }


}

/// A page of a longer list.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
    public let page: Int
    public let perPage: Int

    /// The page'th slice of `all` (pages count from 1; a page past the end is empty).
    public init(items all: [Item], page: Int, perPage: Int) {
        // Multiplying can overflow for absurd page numbers: such a page is simply past the end.
        let (offset, overflow) = max(0, page - 1).multipliedReportingOverflow(by: max(0, perPage))
        let start = overflow ? all.count : min(all.count, offset)
        let end = min(all.count, start + perPage)
        self.items = Array(all[start..<end])
        self.total = all.count
        self.page = page
        self.perPage = perPage
    }

    /// Checks paging parameters from a request; errors name the parameter and the rule.
    public static func validate(page: Int, perPage: Int, maxPerPage: Int = 500) throws {
        if !(1...1_000_000).contains(page) {
            throw CatalogueError.invalidValue(field: "page", value: "\(page)", rule: "must be between 1 and 1000000")
        }
        if !(1...maxPerPage).contains(perPage) {
            throw CatalogueError.invalidValue(field: "per_page", value: "\(perPage)", rule: "must be between 1 and \(maxPerPage)")
        }
    }
}
