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
    /// What each party holds: memberships, and networks per role.
    private let tallies: [String: PartyTally]
    /// Memberships per role across the catalogue.
    public let membershipsByRole: [Role: Int]
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
        // The search index and the party indexes are independent: built at the same time.
        let withNetworks = self.directory
        let (searchIndex, indexes) = Parallel.both(
            { SearchIndex(networks: sorted, directory: withNetworks) }, { PartyIndexes(sorted) })
        self.searchIndex = searchIndex
        self.tallies = indexes.tallies
        self.membershipsByRole = indexes.byRole
        self.networksByParty = indexes.networksByParty
        self.networksByTerm = indexes.networksByTerm
        let tallies = indexes.tallies, byRole = indexes.byRole
        let directory = self.directory
        self.participatingParties = tallies.keys.compactMap { directory.party(id: $0) }.sorted { $0.nameEN < $1.nameEN }
        self.membershipCount = byRole.values.reduce(0, +)
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
        (networksByParty[partyID] ?? []).flatMap { networks[Int($0)].memberships.filter { $0.partyID == partyID } }
    }

    /// How many networks a party takes part in.
    public func networkCount(of partyID: String) -> Int {
        networksByParty[partyID]?.count ?? 0
    }

    /// How many memberships a party holds, without building them.
    public func membershipCount(of partyID: String) -> Int {
        tallies[partyID]?.memberships ?? 0
    }

    /// In how many networks a party holds each role.
    public func networkCountsByRole(of partyID: String) -> [Role: Int] {
        tallies[partyID]?.networksByRole ?? [:]
    }
}

/// Networks by party and by term, and the figures about parties.
///
/// Memberships are not copied out of the networks: a party's are found through the networks it is in,
/// and the figures about parties are counted here once.
struct PartyIndexes {
    var tallies: [String: PartyTally] = [:]
    var byRole: [Role: Int] = [:]
    var networksByParty: [String: [Int32]] = [:]
    var networksByTerm: [String: [Int32]] = [:]

    init(_ networks: [Network]) {
        var held: [String: Set<Role>] = [:]
        for (index, network) in networks.enumerated() {
            held.removeAll(keepingCapacity: true)
            for group in network.groups {
                for entry in group.entries {
                    guard let party = entry.partyID, let role = entry.role ?? group.role else { continue }
                    held[party, default: []].insert(role)
                    tallies[party, default: PartyTally()].memberships += 1
                    byRole[role, default: 0] += 1
                }
            }
            for (party, roles) in held {
                networksByParty[party, default: []].append(Int32(index))
                for role in roles { tallies[party]?.networksByRole[role, default: 0] += 1 }
            }
            for area in network.crimeAreas { networksByTerm["crime_area:" + area.rawValue, default: []].append(Int32(index)) }
            for instrument in network.instruments { networksByTerm["instrument:" + instrument.rawValue, default: []].append(Int32(index)) }
        }
    }
}

/// What one party holds across the catalogue.
struct PartyTally: Sendable {
    var memberships = 0
    var networksByRole: [Role: Int] = [:]
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
