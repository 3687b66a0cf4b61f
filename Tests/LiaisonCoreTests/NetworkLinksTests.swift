import Foundation
import Testing
@testable import LiaisonCore

/// `Catalogue.links(of:)`: one list of a network's links for the page and the API, the inverse ones included.
@Suite struct NetworkLinksTests {
    static func network(_ slug: String, hostedBy: String? = nil, _ relations: [Relation] = []) -> Network {
        Network(slug: slug, name: slug.uppercased(), section: .european, scope: .europe, hostedBy: hostedBy, relations: relations)
    }

    @Test func aNetworkSeesItsHostItsRelationsAndWhatOthersStateTowardsIt() {
        let catalogue = Catalogue(networks: [
            Self.network("hub", hostedBy: "FR", [Relation(type: .partner, target: "peer", note: "since 2010"),
                                                Relation(type: .hosts, target: "named")]),
            Self.network("hosted", hostedBy: "hub"),
            // Hosted and also named by the hub's own `hosts` relation: shown once, as the hub states it.
            Self.network("named", hostedBy: "hub"),
            Self.network("peer", [Relation(type: .mou, target: "hub", note: "2015")]),
            // A `hosts` relation towards the hub says who hosts it: its host field shows that.
            Self.network("claimant", [Relation(type: .hosts, target: "hub")]),
            Self.network("unrelated", [Relation(type: .partner, target: "peer")]),
        ])
        let hub = try! #require(catalogue.network(slug: "hub"))
        #expect(catalogue.links(of: hub) == [
            NetworkLink(kind: .hostedBy, direction: .outgoing, other: "FR", note: nil),
            NetworkLink(kind: .relation(.partner), direction: .outgoing, other: "peer", note: "since 2010"),
            NetworkLink(kind: .relation(.hosts), direction: .outgoing, other: "named", note: nil),
            NetworkLink(kind: .hostedBy, direction: .incoming, other: "hosted", note: nil),
            NetworkLink(kind: .relation(.mou), direction: .incoming, other: "peer", note: "2015"),
        ])
        let peer = try! #require(catalogue.network(slug: "peer"))
        #expect(catalogue.links(of: peer) == [
            NetworkLink(kind: .relation(.mou), direction: .outgoing, other: "hub", note: "2015"),
            NetworkLink(kind: .relation(.partner), direction: .incoming, other: "hub", note: "since 2010"),
            NetworkLink(kind: .relation(.partner), direction: .incoming, other: "unrelated", note: nil),
        ])
        #expect(catalogue.links(of: try! #require(catalogue.network(slug: "hosted"))) == [
            NetworkLink(kind: .hostedBy, direction: .outgoing, other: "hub", note: nil),
        ])
    }

    @Test func anEditIsSeenFromTheOtherSide() {
        let catalogue = Catalogue(networks: [Self.network("a"), Self.network("b")])
        var b = try! #require(catalogue.network(slug: "b"))
        b.relations = [Relation(type: .successorOf, target: "a")]
        let next = catalogue.replacing(b, revision: 3, changedAt: Date())
        #expect(next.links(of: try! #require(next.network(slug: "a"))) == [
            NetworkLink(kind: .relation(.successorOf), direction: .incoming, other: "b", note: nil),
        ])
    }
}

/// The rows the report prints twice: shown and counted once.
@Suite struct ListedTwiceTests {
    @Test func theReportsDoubleRowsCountOnce() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        // The ACN is in both tables; the Western Balkans network also as its (ended) project: the active entry is shown.
        #expect(catalogue.shownAs("acn-non-european") == "acn")
        #expect(catalogue.alsoListedAs("acn") == "acn-non-european")
        #expect(catalogue.shownAs("wbpn-project") == "wbpn")
        #expect(catalogue.shownAs("acn") == nil && catalogue.shownAs("carin") == nil)
        #expect(catalogue.networksCountedOnce == catalogue.networks.count - 2)
        var once = NetworkFilter()
        once.eachNetworkOnce = true
        #expect(catalogue.query(once).hits.count == catalogue.networks.count - 2)
        #expect(once.isEmpty, "counting once is not a condition")
        // Albania takes part in both ACN entries: one network; its counts match its memberships counted once.
        let albania = catalogue.memberships(of: "AL").filter(catalogue.countsOnce)
        #expect(albania.filter { $0.networkSlug.hasPrefix("acn") }.map(\.networkSlug) == ["acn"])
        #expect(catalogue.networkCountsOnce(of: "AL").networks == Set(albania.map(\.networkSlug)).count)
        #expect(catalogue.networkCountsOnce(of: "AL").networks == catalogue.networkCount(of: "AL") - 2)

        // The case finder offers the ACN once for two of its members, and the Western Balkans network once.
        let finder = CaseFinder(catalogue: catalogue)
        let acn = finder.find(.init(parties: ["AL", "UA"])).answers.map(\.network.slug)
        #expect(acn.contains("acn") && !acn.contains("acn-non-european"), "\(acn)")
        let balkans = finder.find(.init(parties: ["AL", "RS"])).answers.map(\.network.slug)
        #expect(balkans.contains("wbpn") && !balkans.contains("wbpn-project"), "\(balkans)")

        // Statistics as the pages count: each network once, the second entries' rows only for parties the first lacks.
        let rows = CatalogueStatistics(catalogue: catalogue), counting = CatalogueStatistics(catalogue: catalogue, eachNetworkOnce: true)
        #expect(rows.networks == catalogue.networks.count && counting.networks == catalogue.networksCountedOnce)
        let counted = catalogue.networks.flatMap(\.memberships).filter(catalogue.countsOnce).count
        #expect(rows.memberships == catalogue.membershipCount && counting.memberships == counted && counted < rows.memberships)
        #expect(counting.membershipsByRole.map(\.1).reduce(0, +) == counted)
        #expect(counting.bySection.map(\.1).reduce(0, +) == catalogue.networksCountedOnce)
        let albaniaOnce = try #require(counting.parties.first { $0.party.id == "AL" })
        #expect(albaniaOnce.networks == catalogue.networkCountsOnce(of: "AL").networks)
        #expect(albaniaOnce.byRole[.member] == catalogue.networkCountsOnce(of: "AL").full)
    }

    @Test func anEditCannotHideANetworkByDeclaringItATwin() {
        // Entries that are not rows of the report: a same-as relation written by an edit hides nothing.
        let a = Network(slug: "a", name: "A", section: .european, scope: .europe, status: NetworkStatus(value: .active),
                        relations: [Relation(type: .sameAs, target: "b")])
        let b = Network(slug: "b", name: "B", section: .european, scope: .europe, status: NetworkStatus(value: .dormant))
        let catalogue = Catalogue(networks: [a, b])
        #expect(catalogue.shownAs("b") == nil && catalogue.networksCountedOnce == 2)
        // The same two as rows of the report: counted once.
        var rowA = a, rowB = b
        rowA.row = 1
        rowB.row = 2
        #expect(Catalogue(networks: [rowA, rowB]).shownAs("b") == "a")
    }
}

