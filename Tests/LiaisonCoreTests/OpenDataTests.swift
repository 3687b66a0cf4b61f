import Foundation
import Testing
@testable import LiaisonCore

/// The open-data files and the linked data, on the 2017 catalogue: what `/data` serves and `liaison export` writes.
@Suite struct OpenDataTests {
    static let catalogue = Catalogue(networks: try! CatalogueFile.catalogue2017().networks())
    static let site = "https://liaison.example"

    @Test func theJSONFileWrittenANetworkAtATimeIsTheEncodersWholeFileByteForByte() throws {
        var whole = try CatalogueFile.encoder().encode(CatalogueFile(networks: Self.catalogue.networks))
        whole.append(UInt8(ascii: "\n"))
        var pieces = 0
        var streamed = Data()
        try OpenDataFile.json.write(Self.catalogue, site: Self.site) { streamed.append($0); pieces += 1 }
        #expect(streamed == whole && pieces > Self.catalogue.networks.count)
        // It reads back as the catalogue; so do the JSON Lines.
        #expect(try CatalogueFile.decode(streamed, source: "catalogue.json").networks() == Self.catalogue.networks)
        let lines = try OpenDataFile.jsonl.data(Self.catalogue, site: Self.site)
        #expect(try JSONLines.networks(lines, source: "catalogue.jsonl") == Self.catalogue.networks)
        // An empty catalogue too.
        let empty = try OpenDataFile.json.data(Catalogue(networks: []), site: Self.site)
        #expect(try CatalogueFile.decode(empty, source: "empty.json").networks().isEmpty)
    }

    @Test func theTablesHaveOneRowANetworkAndAMembershipWithTheirHeaders() throws {
        let networks = String(decoding: try OpenDataFile.networksCSV.data(Self.catalogue, site: Self.site), as: UTF8.self)
        let rows = networks.components(separatedBy: "\r\n").dropLast()
        #expect(rows.first == NetworkTable.header.joined(separator: ","))
        #expect(rows.count == 1 + Self.catalogue.networks.count)
        let carin = try #require(rows.first { $0.hasPrefix("carin,") })
        #expect(carin.contains(",europol,") && carin.contains("Camden Assets Recovery Interagency Network"))
        let memberships = String(decoding: try OpenDataFile.membershipsCSV.data(Self.catalogue, site: Self.site), as: UTF8.self)
        #expect(memberships == MembershipTable.csv(Self.catalogue), "the streamed table is the whole one")
        #expect(memberships.components(separatedBy: "\r\n").dropLast().count == 1 + Self.catalogue.membershipCount)
    }

    @Test func aNetworkIsAnOrganizationWithItsMembersAsRolesAndItsTies() throws {
        let document = try LinkedData.document(try #require(Self.catalogue.network(slug: "gpen")), in: Self.catalogue, site: Self.site)
        let object = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
        #expect(object["@type"] as? String == "Organization" && object["@id"] as? String == "\(Self.site)/networks/gpen")
        #expect((object["@context"] as? [Any])?.first as? String == "https://schema.org/")
        // GPEN is hosted by the IAP, a network of the catalogue: its parent organisation, and its host.
        #expect((object["parentOrganization"] as? [[String: Any]])?.compactMap { $0["@id"] as? String } == ["\(Self.site)/networks/iap"])
        #expect((object["liaison:hostedBy"] as? [String: Any])?["@id"] as? String == "\(Self.site)/networks/iap")
        let iapNetwork = try #require(Self.catalogue.network(slug: "iap"))
        let iap = try #require(try JSONSerialization.jsonObject(with: try LinkedData.document(iapNetwork, in: Self.catalogue, site: Self.site)) as? [String: Any])
        #expect(Set((iap["subOrganization"] as? [[String: Any]])?.compactMap { $0["@id"] as? String } ?? [])
                == Set(["gpen", "tipp", "ctpn", "nacp"].map { "\(Self.site)/networks/\($0)" }))

        // CARIN's members: a Role each, around the state as the government organisation of its ISO area.
        let carin = try #require(Self.catalogue.network(slug: "carin"))
        let node = LinkedData.node(carin, in: Self.catalogue, hosts: LinkedData.Hosts(Self.catalogue), site: Self.site)
        let members = try #require(node["member"] as? [[String: Any]])
        #expect(members.count == carin.membershipCount)
        let spain = try #require(members.first { (($0["member"] as? [String: Any])?["@id"] as? String) == "\(Self.site)/countries/ES" })
        #expect(spain["@type"] as? String == "Role" && spain["roleName"] as? String == "member")
        let party = try #require(spain["member"] as? [String: Any])
        #expect(party["@type"] as? String == "GovernmentOrganization")
        #expect((party["identifier"] as? [String: Any])?["value"] as? String == "ES")
        #expect((party["name"] as? [[String: String]])?.contains(["@value": "Espagne", "@language": "fr"]) == true)
        // The host that is an organisation is named by its page.
        #expect((node["liaison:hostedBy"] as? [String: Any])?["@id"] as? String == "\(Self.site)/organisations/europol")
        #expect(node["parentOrganization"] == nil)

        // The whole graph: one node a network, one context.
        let graph = try #require(try JSONSerialization.jsonObject(with: try OpenDataFile.jsonld.data(Self.catalogue, site: Self.site)) as? [String: Any])
        #expect((graph["@graph"] as? [[String: Any]])?.count == Self.catalogue.networks.count && graph["@context"] != nil)
    }

    /// A network's page finds its hosts from the catalogue's index of incoming links, as the whole file finds them in
    /// one pass: the same networks, in the same order, for every network (EJN and Eurojust host others).
    @Test func aNetworksHostsAreFoundFromItsIncomingLinksAsFromThePassOverAll() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        let all = LinkedData.Hosts(catalogue)
        #expect(!all.hostsOf.isEmpty)
        for network in catalogue.networks {
            #expect(LinkedData.Hosts(of: network, in: catalogue).hostsOf[network.slug] == all.hostsOf[network.slug], "\(network.slug)")
        }
    }

    @Test func jsonInAScriptElementCannotEndItAndMeansTheSame() throws {
        let json = #"{"name":"</script><script>alert(1)</script> & <!-- \#u{2028}"}"#
        let safe = Escaper.scriptJSON(json)
        #expect(!safe.contains("<") && !safe.contains(">") && !safe.contains("&") && !safe.unicodeScalars.contains("\u{2028}"))
        let read = try #require(try JSONSerialization.jsonObject(with: Data(safe.utf8)) as? [String: String])
        #expect(read["name"] == "</script><script>alert(1)</script> & <!-- \u{2028}")
    }
}
