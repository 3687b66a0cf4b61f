import Foundation

/// An immutable snapshot of the whole catalogue with the indexes reads need.
///
/// Requests read one snapshot from start to end; a write builds the next snapshot and swaps it in,
/// so a reader never sees half a write.
public struct Catalogue: Sendable {
    /// Networks in name order.
    public let networks: [Network]
    /// What the snapshot built from its networks' own fields: name order, directory, search index (kept by an edit
    /// that leaves those fields as they were).
    private let preparation: CataloguePreparation
    /// Every known party: the standard directory plus the catalogue's networks.
    public var directory: PartyDirectory { preparation.directory }
    /// The sequence number of the last revision this snapshot includes (0 when empty).
    public let revision: Int64
    /// When a person last changed each network (an edit, a restore, an accepted proposal), by slug; a network as
    /// loaded (the 2017 catalogue, an import) and never changed since has none.
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
    public var searchIndex: SearchIndex { preparation.searchIndex }
    /// The parties that take part in at least one network, by English name.
    public let participatingParties: [Party]
    public let membershipCount: Int
    /// What other networks state towards each network (`links(of:)`).
    let incomingLinks: IncomingLinks
    /// Networks the report lists twice (`shownAs`, `alsoListedAs`).
    let listedTwice: ListedTwice

    public init(networks: [Network], revision: Int64 = 0, lastChanged: [String: Date] = [:],
                directory: PartyDirectory = .standard) {
        let order = CataloguePreparation.nameOrder(networks)
        let sorted = order.map { networks[$0] }
        // The search index and the party indexes are independent: built at the same time.
        let (prepared, indexes) = Parallel.both(
            { CataloguePreparation(sorted: sorted, order: order, directory: directory) }, { PartyIndexes(sorted) })
        self.init(sorted: sorted, revision: revision, lastChanged: lastChanged, prepared: prepared, indexes: indexes)
    }

    /// A snapshot whose name order, directory and search index were prepared from the same networks before
    /// their member lists were read (they do not depend on them). Should the networks given not be, slug for
    /// slug, those prepared, the preparation is done again.
    package init(networks: [Network], revision: Int64 = 0, lastChanged: [String: Date] = [:], prepared: CataloguePreparation) {
        let prepared = prepared.fits(networks) ? prepared : CataloguePreparation(networks: networks, directory: prepared.base)
        let sorted = prepared.order.map { networks[$0] }
        self.init(sorted: sorted, revision: revision, lastChanged: lastChanged, prepared: prepared, indexes: PartyIndexes(sorted))
    }

    /// A snapshot from a snapshot file's contents: its networks are in name order (checked) and its search index, when
    /// it has one, is used instead of indexing the purposes again.
    package init(_ contents: SnapshotFile.Contents) {
        let networks = contents.networks
        guard let search = contents.search, CataloguePreparation.nameOrder(networks).elementsEqual(networks.indices) else {
            self.init(networks: networks, revision: contents.key.revision, lastChanged: contents.lastChanged)
            return
        }
        let (prepared, indexes) = Parallel.both(
            { CataloguePreparation(sorted: networks, order: Array(networks.indices), directory: .standard, search: search) },
            { PartyIndexes(networks) })
        self.init(sorted: networks, revision: contents.key.revision, lastChanged: contents.lastChanged, prepared: prepared, indexes: indexes)
    }

    private init(sorted: [Network], revision: Int64, lastChanged: [String: Date], prepared: CataloguePreparation,
                 indexes: PartyIndexes) {
        self.networks = sorted
        self.revision = revision
        self.lastChanged = lastChanged
        self.preparation = prepared
        self.indexBySlug = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.slug, $0) })
        self.tallies = indexes.tallies
        self.membershipsByRole = indexes.byRole
        self.networksByParty = indexes.networksByParty
        self.networksByTerm = indexes.networksByTerm
        let directory = prepared.directory
        self.participatingParties = indexes.tallies.keys.compactMap { directory.party(id: $0) }.sorted { $0.nameEN < $1.nameEN }
        self.membershipCount = indexes.byRole.values.reduce(0, +)
        self.incomingLinks = IncomingLinks(sorted)
        self.listedTwice = ListedTwice(sorted)
    }

    public static let empty = Catalogue(networks: [])

    /// This snapshot with one network replaced (or added) as of `revision`, built in memory: what loading the
    /// store again would give when `revision` is the only one since this snapshot's. What the edit cannot have
    /// changed is kept: the name order, directory and search index when the names and purpose are the same; the
    /// party and term indexes when the members, crime areas and instruments are.
    public func replacing(_ network: Network, revision: Int64, changedAt date: Date) -> Catalogue {
        var lastChanged = self.lastChanged
        // The latest of its revisions, as a load finds it (a revision may carry an earlier date than one before it).
        lastChanged[network.slug] = max(lastChanged[network.slug] ?? date, date)
        guard let index = indexBySlug[network.slug] else {
            return Catalogue(networks: networks + [network], revision: revision, lastChanged: lastChanged, directory: preparation.base)
        }
        let old = networks[index]
        var list = networks
        list[index] = network
        guard old.name == network.name, old.nameFR == network.nameFR, old.acronym == network.acronym, old.otherNames == network.otherNames,
              old.purpose == network.purpose
        else {
            return Catalogue(networks: list, revision: revision, lastChanged: lastChanged, directory: preparation.base)
        }
        let indexes = old.groups == network.groups && old.crimeAreas == network.crimeAreas && old.instruments == network.instruments
            ? PartyIndexes(tallies: tallies, byRole: membershipsByRole, networksByParty: networksByParty, networksByTerm: networksByTerm)
            : PartyIndexes(list)
        return Catalogue(sorted: list, revision: revision, lastChanged: lastChanged, prepared: preparation, indexes: indexes)
    }

    public func network(slug: String) -> Network? {
        indexBySlug[slug].map { networks[$0] }
    }

    /// A network's position in `networks` (name order), as the indexes hold it.
    func position(slug: String) -> Int? { indexBySlug[slug] }

    /// `items` in the order of their networks' names in `language` (`network`: the position of an item's network in
    /// `networks`; a position past the end, last), items of one network in the order given. `networks` is in English
    /// name order; the French order (`nameFR`, else the name, folded alike) is made when a French list first asks, and
    /// kept while the names stay as they are (an edit of anything else keeps it).
    func inNameOrder<T>(_ items: [T], language: Language, network: (T) -> Int) -> [T] {
        let count = networks.count
        let ranks: [Int32]? = language == .en ? nil : preparation.frenchRanks.value {
            var ranks = [Int32](repeating: 0, count: networks.count)
            for (rank, position) in CataloguePreparation.nameOrder(networks, language: .fr).enumerated() { ranks[position] = Int32(rank) }
            return ranks
        }
        let keys = items.map { item -> Int in
            let position = network(item)
            guard position >= 0, position < count else { return count }
            return ranks.map { Int($0[position]) } ?? position
        }
        // A whole list (tens of thousands of hits at 100,000 networks) is placed by counting, in one pass over the
        // ranks; a few items are sorted.
        guard items.count > 64, items.count * 16 > count else {
            return keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }.map { items[$0] }
        }
        var starts = [Int](repeating: 0, count: count + 2)
        for key in keys { starts[key + 1] += 1 }
        for index in 1..<starts.count { starts[index] += starts[index - 1] }
        var order = [Int](repeating: 0, count: items.count)
        for (index, key) in keys.enumerated() {
            order[starts[key]] = index
            starts[key] += 1
        }
        return order.map { items[$0] }
    }

    /// `items` in the order of their networks' names in `language` (`slug`: an item's network); an item of no network last.
    public func inNameOrder<T>(_ items: [T], language: Language, slug: (T) -> String) -> [T] {
        inNameOrder(items, language: language) { indexBySlug[slug($0)] ?? networks.count }
    }

    public func party(id: String) -> Party? {
        directory.party(id: id)
    }

    /// Every membership of a party, by network name order.
    public func memberships(of partyID: String) -> [Membership] {
        (networksByParty[partyID] ?? []).flatMap { networks[Int($0)].memberships(of: partyID) }
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

/// What a snapshot needs of its networks' own fields, not of their member lists: their name order, the party
/// directory with the networks added, and the search index. Building it is most of a snapshot's work; a
/// loader can do it while the member rows are still being read.
package struct CataloguePreparation: Sendable {
    /// Positions of the networks given, in name order (case and accents folded), then slug order.
    let order: [Int]
    /// Their slugs in that order: what a snapshot checks its networks against.
    let slugs: [String]
    let base: PartyDirectory
    let directory: PartyDirectory
    let searchIndex: SearchIndex
    /// Each network's place in the order of French names, made when a French list first needs it
    /// (`Catalogue.inNameOrder`); shared by the snapshots that keep this preparation, whose names are the same.
    let frenchRanks = Memo<[Int32]>()

    package init(networks: [Network], directory: PartyDirectory = .standard) {
        let order = Self.nameOrder(networks)
        self.init(sorted: order.map { networks[$0] }, order: order, directory: directory)
    }

    /// `search`: the words and postings of `sorted` indexed before (a snapshot file's), used instead of indexing again.
    init(sorted: [Network], order: [Int], directory: PartyDirectory, search: SearchIndex.Stored? = nil) {
        self.order = order
        slugs = sorted.map(\.slug)
        base = directory
        let withNetworks = directory.adding(networks: sorted)
        self.directory = withNetworks
        searchIndex = search.map { SearchIndex(networks: sorted, directory: withNetworks, stored: $0) }
            ?? SearchIndex(networks: sorted, directory: withNetworks)
    }

    /// Positions in name order (English unless said); each name is folded once, not at every comparison.
    static func nameOrder(_ networks: [Network], language: Language = .en) -> [Int] {
        let keys = networks.map { PartyDirectory.key(language == .fr ? $0.nameFR ?? $0.name : $0.name) }
        return networks.indices.sorted { (keys[$0], networks[$0].slug) < (keys[$1], networks[$1].slug) }
    }

    /// Whether `networks` are, position for position, the networks this was prepared from.
    func fits(_ networks: [Network]) -> Bool {
        networks.count == order.count && zip(order, slugs).allSatisfy { networks[$0.0].slug == $0.1 }
    }
}

/// Networks by party and by term, and the figures about parties.
///
/// Memberships are not copied out of the networks: a party's are found through the networks it is in,
/// and the figures about parties are counted here once.
struct PartyIndexes: Sendable {
    var tallies: [String: PartyTally] = [:]
    var byRole: [Role: Int] = [:]
    var networksByParty: [String: [Int32]] = [:]
    var networksByTerm: [String: [Int32]] = [:]

    init(tallies: [String: PartyTally], byRole: [Role: Int], networksByParty: [String: [Int32]], networksByTerm: [String: [Int32]]) {
        self.tallies = tallies
        self.byRole = byRole
        self.networksByParty = networksByParty
        self.networksByTerm = networksByTerm
    }

    /// Counted in parallel slices of the networks, then merged in order (positions stay ascending).
    init(_ networks: [Network]) {
        let sliceCount = networks.count < 2_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let slices = Parallel.map(0..<sliceCount) { slice in
            PartyIndexes(networks, from: networks.count * slice / sliceCount, to: networks.count * (slice + 1) / sliceCount)
        }
        for slice in slices {
            byRole.merge(slice.byRole, uniquingKeysWith: +)
            networksByParty.merge(slice.networksByParty, uniquingKeysWith: +)
            networksByTerm.merge(slice.networksByTerm, uniquingKeysWith: +)
            tallies.merge(slice.tallies) { first, second in
                PartyTally(memberships: first.memberships + second.memberships,
                           networksByRole: first.networksByRole.merging(second.networksByRole, uniquingKeysWith: +))
            }
        }
    }

    private init(_ networks: [Network], from start: Int, to end: Int) {
        // Parties are numbered as they are met, and counted in arrays by number (a dictionary keyed by text per entry,
        // and a set of roles per party and network, were a quarter of a start of 100,000 networks).
        let roles = MemberEntries.roles
        var numbers: [String: Int] = [:]
        var ids: [String] = []
        var memberships: [Int] = []
        var networksHeld: [[Int32]] = []
        var networksByRole: [[Int]] = []
        var roleCounts = [Int](repeating: 0, count: roles.count)
        // The roles each party holds in the network being read (one bit per role), and the parties met in it.
        var held: [UInt32] = []
        var met: [Int] = []
        for index in start..<end {
            let network = networks[index]
            for group in network.groups {
                group.entries.forEachMembership(groupRole: group.role) { party, role in
                    let number: Int
                    if let known = numbers[party] {
                        number = known
                    } else {
                        number = ids.count
                        numbers[party] = number
                        ids.append(party)
                        memberships.append(0)
                        networksHeld.append([])
                        networksByRole.append([Int](repeating: 0, count: roles.count))
                        held.append(0)
                    }
                    let roleNumber = roles.firstIndex(of: role)!
                    memberships[number] += 1
                    roleCounts[roleNumber] += 1
                    if held[number] == 0 { met.append(number) }
                    held[number] |= 1 << UInt32(roleNumber)
                }
            }
            for number in met {
                networksHeld[number].append(Int32(index))
                for roleNumber in roles.indices where held[number] & (1 << UInt32(roleNumber)) != 0 { networksByRole[number][roleNumber] += 1 }
                held[number] = 0
            }
            met.removeAll(keepingCapacity: true)
            for area in network.crimeAreas { networksByTerm["crime_area:" + area.rawValue, default: []].append(Int32(index)) }
            for instrument in network.instruments { networksByTerm["instrument:" + instrument.rawValue, default: []].append(Int32(index)) }
        }
        for (roleNumber, count) in roleCounts.enumerated() where count > 0 { byRole[roles[roleNumber]] = count }
        for (number, party) in ids.enumerated() {
            networksByParty[party] = networksHeld[number]
            var byRole: [Role: Int] = [:]
            for (roleNumber, count) in networksByRole[number].enumerated() where count > 0 { byRole[roles[roleNumber]] = count }
            tallies[party] = PartyTally(memberships: memberships[number], networksByRole: byRole)
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
        self.init(items: all, total: all.count, page: page, perPage: perPage)
    }

    /// The page'th page of a list of `total` items of which only the first are given (at least up to this page's end).
    public init(items first: [Item], total: Int, page: Int, perPage: Int) {
        // Multiplying can overflow for absurd page numbers: such a page is simply past the end.
        let (offset, overflow) = max(0, page - 1).multipliedReportingOverflow(by: max(0, perPage))
        let start = overflow ? first.count : min(first.count, offset)
        let end = min(first.count, start + perPage)
        self.items = Array(first[start..<end])
        self.total = total
        self.page = page
        self.perPage = perPage
    }

    /// Checks paging parameters from a request; errors name the parameter and the rule.
    public static func validate(page: Int, perPage: Int, maxPerPage: Int = 500) throws {
        if !(1...1_000_000).contains(page) {
            throw InputError.invalidValue(field: "page", value: "\(page)", rule: "must be between 1 and 1000000")
        }
        if !(1...maxPerPage).contains(perPage) {
            throw InputError.invalidValue(field: "per_page", value: "\(perPage)", rule: "must be between 1 and \(maxPerPage)")
        }
    }
}

/// A value made the first time it is asked for and kept: what a snapshot computes only for the readers who need it.
final class Memo<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?

    func value(_ make: () -> Value) -> Value {
        lock.withLock {
            if let made { return made }
            let value = make()
            made = value
            return value
        }
    }
}
