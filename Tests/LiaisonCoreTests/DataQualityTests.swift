import Foundation
import Testing
@testable import LiaisonCore

@Suite struct DataQualityTests {
    @Test func findsTheReportsOwnDefectsEachOnce() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())

        let report = DataQualityReport(catalogue: catalogue)

        let duplicates = report.problems(of: .duplicateNetwork).map { [$0.network, $0.otherNetwork ?? ""] }
        #expect(duplicates == [["acn", "acn-non-european"], ["wbpn", "wbpn-project"]])
        let duplicateParties = report.problems(of: .duplicateParty)
        #expect(duplicateParties.map(\.network) == ["prosecutors-source-transit-destination"])
        #expect(duplicateParties.first?.evidence.contains("Uzbekistan") == true)
        #expect(Set(report.problems(of: .countMismatch).map(\.network)) == ["carin", "eurojust", "ejtn"])
        #expect(report.problems(of: .countMismatch).first { $0.network == "carin" }?.evidence.contains("states 54 but lists 36") == true)
        #expect(report.problems(of: .truncatedList).map(\.network) == ["network-asia-pacific"])
        #expect(report.problems(of: .truncatedList).first?.evidence.contains("Cambodia,") == true)
        #expect(Set(report.problems(of: .emptyMemberList).map(\.network)) == ["gpen", "nacp", "iap", "tipp", "ctpn"])
        #expect(report.problems(of: .emptyMemberList).first { $0.network == "iap" }?.evidence.contains("172") == true)
        #expect(report.problems(of: .unresolvedParty).map(\.evidence) == ["“Liaison Magistrates” under “Partners” resolves to no known party"])
        // Each problem is reported once.
        #expect(Set(report.problems).count == report.problems.count)
    }

    @Test func eachRuleOnASmallCatalogue() throws {
        let listed = MemberGroup(heading: "5 Members", role: .member, statedCount: 5, text: "Spain, Ghana, Spain, Atlantis,",
                                 entries: [MemberEntry(printed: "Spain", partyID: "ES"), MemberEntry(printed: "Ghana", partyID: "GH"),
                                           MemberEntry(printed: "Spain", partyID: "ES"), MemberEntry(printed: "Atlantis", partyID: nil)])
        let first = Network(slug: "a-network", name: "Atlantic Prosecutors Network", section: .european, scope: .europe,
                            references: [Reference(footnote: 1, url: nil)], groups: [listed])
        let second = Network(slug: "b-network", name: "Atlantic Prosecutors' Networks Project", section: .nonEuropean, scope: .global)

        let report = DataQualityReport(catalogue: Catalogue(networks: [first, second]))

        let kinds = report.problems.map { "\($0.kind.rawValue) \($0.network)" }.sorted()
        #expect(kinds == [
            "count-mismatch a-network", "duplicate-network a-network", "duplicate-party a-network",
            "empty-member-list b-network", "no-reference b-network", "reference-without-url a-network",
            "truncated-list a-network", "unresolved-party a-network",
        ])
    }

    @Test func differentInstitutionsOfOneCountryAreNotDuplicates() {
        let group = MemberGroup(role: .member, text: "Hungary: Courts, Hungary: Prosecution", entries: [
            MemberEntry(printed: "Hungary: Courts", partyID: "HU"), MemberEntry(printed: "Hungary: Prosecution", partyID: "HU"),
        ])
        let network = Network(slug: "n", name: "N", section: .european, scope: .europe, references: [Reference(url: "https://n.example")],
                              groups: [group])
        #expect(DataQualityReport(catalogue: Catalogue(networks: [network])).problems.isEmpty)
    }
}

@Suite struct InclusionCriteriaTests {
    @Test func verdictsAndReasons() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        let carin = try #require(catalogue.network(slug: "carin")).inclusionCriteria(directory: catalogue.directory)
        #expect(carin.map(\.verdict) == [.holds, .holds, .holds, .holds])
        #expect(carin[0].reason.contains("countries"))

        let project = try #require(catalogue.network(slug: "wbpn-project")).inclusionCriteria(directory: catalogue.directory)
        #expect(project[2].verdict == .fails)
        #expect(project[2].reason.contains("2017-10"))

        let gpen = try #require(catalogue.network(slug: "gpen")).inclusionCriteria(directory: catalogue.directory)
        #expect(gpen[0].verdict == .unknown)

        let imolin = try #require(catalogue.network(slug: "imolin")).inclusionCriteria(directory: catalogue.directory)
        #expect(imolin[0].verdict == .unknown)
        #expect(imolin[0].reason.contains("organisations"))
    }

    @Test func oneCountryAndNonJudicialMembersFail() {
        let network = Network(slug: "n", name: "N", section: .european, scope: .europe, memberTypes: [.lawyers],
                              groups: [MemberGroup(role: .member, text: "Spain", entries: [MemberEntry(printed: "Spain", partyID: "ES")])])
        let results = network.inclusionCriteria(directory: .standard)
        #expect(results[0].verdict == .fails)
        #expect(results[1].verdict == .fails)
        #expect(results[2].verdict == .unknown)
        #expect(results[3].verdict == .unknown)
    }
}

@Suite struct CriterionReasonTests {
    @Test func everyReasonHasAnEnglishWording() {
        let reasons: [CriterionReason] = [
            .countries(3), .oneCountry("ES"), .noMembers, .organisationsOnly, .judicialMembers([.judges]), .memberTypesUnknown,
            .nonJudicialMembers([.lawyers]), .active, .dormant, .defunct(until: nil), .defunct(until: try? PartialDate("2019", field: "")),
            .projectEnded(until: nil), .projectEnded(until: try? PartialDate("2017-10", field: "")), .statusUnknown,
            .crimeAreas([.cybercrime]), .noCrimeArea,
        ]
        #expect(Set(reasons.map(\.key)) == Set(CriterionReason.allKeys))
        for reason in reasons {
            #expect(!reason.english.contains("{"), "\(reason.key)")
        }
        #expect(CriterionReason.projectEnded(until: try? PartialDate("2017-10", field: "")).english == "The project has ended (until 2017-10).")
        #expect(CriterionReason.crimeAreas([.cybercrime, .fraud]).values(.fr)["list"] == "cybercriminalité, fraude")
    }
}
