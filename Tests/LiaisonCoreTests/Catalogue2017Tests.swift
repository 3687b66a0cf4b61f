import Foundation
import Testing
@testable import LiaisonCore

/// The shipped 2017 catalogue, checked against the report party by party and role by role.
@Suite struct Catalogue2017Tests {
    let catalogue: Catalogue

    init() throws {
        catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
    }

    func network(_ slug: String) throws -> Network {
        try #require(catalogue.network(slug: slug), "no network \(slug)")
    }

    /// party id → roles of that party in the network.
    func roles(_ slug: String) throws -> [String: Set<Role>] {
        try network(slug).memberships.reduce(into: [:]) { $0[$1.partyID, default: []].insert($1.role) }
    }

    @Test func everyRowOfBothTablesIsPresentInOrder() throws {
        let european = catalogue.networks.filter { $0.section == .european && $0.row != nil }.compactMap(\.row).sorted()
        let nonEuropean = catalogue.networks.filter { $0.section == .nonEuropean && $0.row != nil }.compactMap(\.row).sorted()
        #expect(european == Array(1...15))
        #expect(nonEuropean == Array(1...23))
        // The networks that exist only inside another row.
        for slug in ["tipp", "ctpn"] {
            #expect(try network(slug).row == nil)
            #expect(try network(slug).hostedBy == "iap")
        }
        #expect(try network("gpen").row == 12)
        #expect(try network("nacp").row == 13)
        #expect(catalogue.networks.count == 40)
        let iapHosts = try network("iap").relations.filter { $0.type == .hosts }.map(\.target)
        #expect(Set(iapHosts) == ["gpen", "tipp", "ctpn", "nacp"])
    }

    @Test func membershipCountsPerNetworkAndRole() throws {
        // Counted by hand from section 4 of the report.
        let expected: [String: [Role: Int]] = [
            "bes": [.member: 3],
            "carin": [.member: 36, .observer: 24, .associate: 2, .subNetwork: 4],
            "pc-oc": [.member: 68],
            "cybercrime-24-7": [.member: 48],
            "t-cy": [.member: 29],
            "eurojust": [.member: 28, .contactPoint: 23, .cooperationAgreement: 9, .liaisonProsecutor: 3, .partner: 3],
            "euromed-justice": [.member: 10],
            "encj": [.member: 21],
            "ejn": [.member: 29],
            "ejtn": [.member: 35],
            "genocide-network": [.member: 28],
            "jit-network": [.member: 28],
            "acn": [.member: 25],
            "seepag": [.member: 12, .operationalPartner: 2],
            "wbpn-project": [.member: 7],
            "ajn": [.member: 12],
            "ajne": [.member: 18],
            "cncp": [.member: 53],
            "ecowas-cybercrime-network": [.member: 12],
            "g7-roma-lyon-clasg": [.member: 7],
            "g8-lyon-roma-htcsg": [.member: 8],
            "g20-acwg": [.member: 21],
            "glrjcn": [.member: 17],
            "hemispheric-network": [.member: 34],
            "iberred": [.member: 22],
            "iap": [:], "gpen": [:], "tipp": [:], "ctpn": [:], "nacp": [:],
            "imolin": [.member: 1],
            "jrp-indian-ocean": [.member: 5],
            "jrp-sahel": [.member: 4],
            "network-asia-pacific": [.member: 9],
            "portuguese-speaking-network": [.member: 8],
            "prosecutors-source-transit-destination": [.member: 6],
            "acn-non-european": [.member: 25],
            "untoc-wg-international-cooperation": [.member: 9],
            "wacap": [.member: 13],
            "wbpn": [.member: 6],
        ]
        #expect(Set(expected.keys) == Set(catalogue.networks.map(\.slug)))
        for (slug, counts) in expected {
            let actual = try network(slug).memberships.reduce(into: [Role: Int]()) { $0[$1.role, default: 0] += 1 }
            #expect(actual == counts, "\(slug)")
        }
        #expect(catalogue.membershipCount == expected.values.flatMap(\.values).reduce(0, +))
        #expect(catalogue.membershipCount == 767)
    }

    @Test func rolesThePractitionerMustBeAbleToTrust() throws {
        #expect(try roles("carin")["HR"] == [.observer])
        #expect(try roles("carin")["imf"] == [.associate])
        #expect(try roles("carin")["world-bank"] == [.associate])
        #expect(try roles("carin")["europol"] == [.observer])
        #expect(try roles("carin")["arin-wa"] == [.subNetwork])
        #expect(try roles("carin")["GI"] == [.member])
        #expect(try roles("seepag")["IT"] == [.operationalPartner])
        #expect(try roles("seepag")["US"] == [.operationalPartner])
        #expect(try roles("eurojust")["CH"] == [.contactPoint, .cooperationAgreement, .liaisonProsecutor])
        #expect(try roles("eurojust")["US"] == [.contactPoint, .cooperationAgreement, .liaisonProsecutor])
        #expect(try roles("eurojust")["NO"] == [.contactPoint, .cooperationAgreement, .liaisonProsecutor])
        #expect(try roles("eurojust")["ejn"] == [.partner])
        #expect(try roles("eurojust")["olaf"] == [.partner])
        #expect(try roles("ejn")["european-commission"] == [.member])
        #expect(try roles("g20-acwg")["european-union"] == [.member])
        #expect(try roles("imolin")["united-nations"] == [.member])
    }

    @Test func subdivisionsTerritoriesAndVariantNames() throws {
        #expect(try roles("bes").keys.sorted() == ["BE", "DE-NW", "NL"])
        #expect(try roles("encj")["GB-EAW"] == [.member])
        #expect(try roles("encj")["GB-SCT"] == [.member])
        #expect(try roles("ejtn")["GB-NIR"] == [.member])
        #expect(try roles("ejtn")["era"] == [.member])
        #expect(try network("ejtn").memberships.filter { $0.partyID == "HU" }.map(\.asPrinted)
                == ["Hungary: National Office for the Judiciary", "Hungary: Office of the Prosecutor General"])
        #expect(try roles("iberred")["PR"] == [.member])
        #expect(try roles("wbpn")["XK"] == [.member])
        #expect(try roles("portuguese-speaking-network").keys.sorted() == ["AO", "BR", "CV", "GW", "MZ", "PT", "ST", "TL"])
        #expect(try roles("cncp")["SZ"] == [.member])
        #expect(try roles("network-asia-pacific")["MM"] == [.member])
        #expect(try roles("network-asia-pacific")["KP"] == [.member])
        #expect(try roles("network-asia-pacific")["CN"] == [.member])
        #expect(try roles("acn")["MK"] == [.member])
        #expect(try roles("jrp-indian-ocean")["FR"] == [.member])
    }

    @Test func partiesTheReportSaysAreNotPartAreNotMembers() throws {
        let euromed = try network("euromed-justice")
        #expect(try roles("euromed-justice")["BY"] == nil)
        let notPart = euromed.otherEntries.map(\.entry.partyID)
        #expect(notPart == ["AM", "AZ", "BY", "GE", "MD", "UA"])
    }

    @Test func everyPrintedNameStandsInItsGroupTextInOrder() throws {
        for network in catalogue.networks {
            for group in network.groups {
                var rest = group.text[...]
                for entry in group.entries {
                    let range = try #require(rest.range(of: entry.printed), "\(network.slug): “\(entry.printed)” not in order in “\(group.text)”")
                    rest = rest[range.upperBound...]
                }
            }
        }
    }

    @Test func everyFootnoteBelongsToExactlyOneNetwork() {
        let footnotes = catalogue.networks.flatMap(\.references).compactMap(\.footnote).sorted()
        #expect(footnotes == Array(2...37))
    }

    @Test func onlyLiaisonMagistratesResolvesToNoParty() {
        let unresolved = catalogue.networks.flatMap { network in
            network.otherEntries.filter { $0.entry.partyID == nil }.map { "\(network.slug): \($0.entry.printed)" }
        }
        #expect(unresolved == ["eurojust: Liaison Magistrates"])
    }

    @Test func everyNetworkHasPurposeAndVocabularies() throws {
        for network in catalogue.networks where network.slug != "nacp" {
            #expect(!(network.purpose[.en] ?? "").isEmpty, "\(network.slug) has no purpose")
        }
        #expect(try network("carin").crimeAreas.contains(.assetRecovery))
        #expect(try network("genocide-network").crimeAreas.contains(.coreInternationalCrimes))
        #expect(try network("gpen").crimeAreas.contains(.cybercrime))
        #expect(try network("wbpn-project").status == NetworkStatus(
            value: .projectEnded, since: try PartialDate("2014-11", field: ""), until: try PartialDate("2017-10", field: ""),
            note: try network("wbpn-project").status.note))
    }
}
