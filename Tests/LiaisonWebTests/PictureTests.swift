import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The pictures drawn on the server: a network's countries by role, how many networks each country takes part in,
/// the networks that overlap most; each has a node (linked, named) for every party or network it claims, and the
/// same facts as text beside it.
@Suite struct PictureTests {
    /// The links of a page's first `<figure class="…">`.
    static func links(in page: String, figure: String) throws -> [(href: String, label: String)] {
        let start = try #require(page.range(of: "<figure class=\"\(figure)\""))
        let end = try #require(page.range(of: "</figure>", range: start.upperBound..<page.endIndex))
        return page[start.upperBound..<end.lowerBound].matches(of: /<a href="([^"]+)" aria-label="([^"]+)">/).map { (String($0.1), String($0.2)) }
    }

    @Test func everyCountryTheCatalogueNamesHasAPlaceOnTheMap() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        let unplaced = catalogue.participatingParties.filter { $0.isCountryLevel && WorldMap.shipped.shape(of: $0) == nil }
        #expect(unplaced.map(\.id) == [])
        // England and Wales is a point of its own, not the United Kingdom's outline; Spain an outline; Monaco a point.
        #expect({ if case .point = WorldMap.shipped.shape(of: try! #require(catalogue.party(id: "GB-EAW")))! { true } else { false } }())
        #expect({ if case .area = WorldMap.shipped.shape(of: try! #require(catalogue.party(id: "ES")))! { true } else { false } }())
        #expect(WorldMap.shipped.areaCodes.count > 170 && WorldMap.shipped.attribution.contains("Natural Earth"))
    }

    @Test func aNetworksMapHasEachOfItsCountriesByRoleWithTheTableBesideIt() async throws {
        try await AccountBed.run { bed, client in
            let snapshot = bed.catalogue.snapshot
            for slug in ["carin", "ejn", "iberred"] {
                let page = try await client.execute(uri: "/networks/\(slug)?lang=en", method: .get, headers: [:], body: nil).page
                let network = try #require(snapshot.network(slug: slug))
                let countries = Set(network.memberships.compactMap { snapshot.party(id: $0.partyID) }.filter(\.isCountryLevel).map(PartyItem.url))
                let links = try Self.links(in: page, figure: "map")
                #expect(Set(links.map(\.href)) == countries && links.count == countries.count, "\(slug)")
                // Each named with its role, in the table too.
                #expect(links.contains { $0.href == "/countries/ES" && $0.label == "Spain: member" } || !countries.contains("/countries/ES"))
                let table = try #require(page.range(of: "<caption>The countries on the map and their role</caption>"))
                #expect(page[table.upperBound...].matches(of: /<tr><th scope="row"><a href="\/countries\//).count >= countries.count)
            }
            // CARIN's observers are coloured as observers, and the legend counts them.
            let carin = try await client.execute(uri: "/networks/carin?lang=fr", method: .get, headers: [:], body: nil).page
            #expect(carin.contains("class=\"role-observer\"") && carin.contains("Les pays de Camden Assets Recovery Interagency Network (CARIN) par rôle"))
            // A network open to any country, listing none, has no map.
            #expect(try await client.execute(uri: "/networks/iap", method: .get, headers: [:], body: nil).page.contains("<figure class=\"map\"") == false)
        }
    }

    @Test func theCountriesAndStatisticsMapsAndTheOverlapGraphNameWhatTheyClaim() async throws {
        try await AccountBed.run { bed, client in
            let snapshot = bed.catalogue.snapshot
            let counted = CatalogueStatistics(catalogue: snapshot, eachNetworkOnce: true).parties.filter { $0.party.isCountryLevel && $0.networks > 0 }
            for path in ["/countries", "/statistics"] {
                let page = try await client.execute(uri: path + "?lang=en", method: .get, headers: [:], body: nil).page
                let links = try Self.links(in: page, figure: "map")
                let claimed = Set(counted.map { PartyItem.url($0.party) })
                #expect(Set(links.map(\.href)) == claimed && links.count == counted.count,
                        "\(path): \(Set(links.map(\.href)).symmetricDifference(claimed).sorted())")
                let spain = try #require(counted.first { $0.party.id == "ES" })
                #expect(links.contains { $0.href == "/countries/ES" && $0.label == "Spain: \(spain.networks) networks" })
            }
            let statistics = try await client.execute(uri: "/statistics?lang=en", method: .get, headers: [:], body: nil).page
            #expect(statistics.matches(of: /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"/).count == 5, "a bar chart for each figure")

            let overlaps = try await client.execute(uri: "/overlaps?lang=en", method: .get, headers: [:], body: nil).page
            let pairs = Overlaps(catalogue: snapshot).ranked().filter { $0.similarity < 1 }.prefix(30)
            let drawn = Set(pairs.flatMap { ["/networks/\($0.first.slug)", "/networks/\($0.second.slug)"] })
            let nodes = try Self.links(in: overlaps, figure: "graph")
            #expect(Set(nodes.map(\.href)) == drawn && nodes.count == drawn.count)
            #expect(overlaps.matches(of: /<line [^>]*class="overlap"/).count == pairs.count)
            let hosted = drawn.compactMap { snapshot.network(slug: String($0.dropFirst("/networks/".count))) }.filter { network in
                network.hostedBy.flatMap { snapshot.party(id: $0)?.networkSlug }.map { drawn.contains("/networks/\($0)") } ?? false
            }
            #expect(overlaps.matches(of: /<line [^>]*class="hosts"/).count == hosted.count)
        }
    }
}
