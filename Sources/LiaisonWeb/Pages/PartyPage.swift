import Foundation
import LiaisonCore

/// `/countries/{code}` and `/organisations/{slug}`: every network a party takes part in, grouped by role, with counts.
struct PartyPage {
    /// The country's people in the restricted directory, for those who may read it.
    var directory: CountryDirectory?
    /// The documents about it the reader may see.
    var library = LibrarySection()
    /// Why the directory's people are missing: the account listed as much of it as it may this hour.
    var directoryLimited: String?
    struct RoleGroup {
        let title: String
        let count: String
        let networks: [Entry]
    }

    struct Entry {
        let url: String
        let name: String
        let printed: String?
        let inactive: Bool
        let status: String
    }

    let name: String
    let code: String?
    let kind: String
    let summary: String
    let roleGroups: [RoleGroup]
    let finderURL: String
    let networkURL: String?
    let apiURL: String

    init(_ party: Party, in catalogue: Catalogue, t: Localizer) {
        name = party.name(t.language)
        code = party.code
        kind = party.kind.label(t.language)
        // Each network once: the entry the report prints twice is not listed again (the summary is the list's count).
        let memberships = catalogue.memberships(of: party.id).filter(catalogue.countsOnce)
        summary = t.count("count_networks", Set(memberships.map(\.networkSlug)).count)
        roleGroups = Role.allCases.compactMap { role in
            let held = memberships.filter { $0.role == role }
            guard !held.isEmpty else { return nil }
            let networks = held.compactMap { m in catalogue.network(slug: m.networkSlug).map { ($0, m) } }
            let entries = catalogue.inNameOrder(networks, language: t.language) { $0.0.slug }.map { network, m in
                Entry(url: "/networks/\(network.slug)", name: network.localizedDisplayName(t.language),
                      printed: PartyDirectory.key(m.asPrinted) == PartyDirectory.key(party.nameEN) ? nil : m.asPrinted,
                      inactive: network.status.value != .active, status: t.status(network.status))
            }
            return RoleGroup(title: t["role_heading.\(role.rawValue)"], count: t.count("count_networks", Set(held.map(\.networkSlug)).count),
                             networks: entries)
        }
        finderURL = "/networks?party=\(party.id)"
        networkURL = party.networkSlug.map { "/networks/\($0)" }
        apiURL = "/api/v1/parties/\(party.id)"
    }
}

/// `/countries`: every country-level party with the number of networks it takes part in.
struct CountryListPage {
    struct Row {
        let url: String
        let name: String
        let code: String
        let kind: String
        let networks: Int
        let full: Int
    }

    let summary: String
    let rows: [Row]
    let organisations: [Row]
    /// How many networks each country takes part in, as a map (the table below is its table).
    let maps: [MapPicture]

    init(_ catalogue: Catalogue, t: Localizer) {
        var map = MapPicture.networksPerCountry(CatalogueStatistics(catalogue: catalogue, eachNetworkOnce: true), t: t)
        map.hasTable = false
        maps = [map]
        func row(_ party: Party) -> Row {
            let counts = catalogue.networkCountsOnce(of: party.id)
            return Row(url: PartyItem.url(party), name: party.name(t.language), code: party.code ?? party.id,
                       kind: party.kind.label(t.language), networks: counts.networks, full: counts.full)
        }
        let parties = t.sortedByName(catalogue.participatingParties)
        rows = parties.filter(\.isCountryLevel).map(row)
        organisations = parties.filter { !$0.isCountryLevel }.map(row)
        summary = t.count("count_countries", rows.count)
    }
}
