import Foundation
import Testing
@testable import LiaisonCore

/// Search, the case finder, overlaps, the duplicate check and statistics on the 2017 catalogue.
@Suite struct SearchTests {
    let catalogue: Catalogue

    init() throws { catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks()) }

    func slugs(_ query: String) -> [String] {
        (catalogue.search(query) ?? []).map { catalogue.networks[$0.network].slug }
    }

    /// Roles alone (no country chosen) keep the networks where some party holds one of them, and the role facet counts
    /// them so, as the memberships counted plainly say.
    @Test(arguments: [Set<Role>([.observer]), [.member, .partner], [.contactPoint]])
    func rolesAloneKeepTheNetworksWhereSomePartyHoldsOne(roles: Set<Role>) {
        let expected = catalogue.networks.filter { network in network.memberships.contains { roles.contains($0.role) } }.map(\.slug)
        #expect(!expected.isEmpty && expected.count < catalogue.networks.count)
        #expect(catalogue.networks(matching: NetworkFilter(roles: roles)).map(\.slug) == expected)
        for role in roles {
            let held = catalogue.networks.filter { $0.memberships.contains { $0.role == role } }.count
            #expect(catalogue.facets(for: NetworkFilter(roles: roles)).roles.first { $0.0 == role }?.1 == held)
        }
    }

    @Test func typosOfFiveLettersOrMoreAreForgiven() {
        #expect(slugs("eurojsut").first == "eurojust")
        #expect(slugs("europol").contains("carin"))
        // Short words must be exact or a prefix.
        #expect(slugs("iqp").isEmpty)
    }

    @Test func prefixesFindWholeWords() {
        let found = Set(slugs("cyber"))
        #expect(found.isSuperset(of: ["cybercrime-24-7", "t-cy", "ecowas-cybercrime-network", "gpen", "g8-lyon-roma-htcsg"]))
    }

    @Test func partiesNamesFindTheirNetworksInEitherLanguage() {
        #expect(Set(slugs("ghana")) == ["ajn", "cncp", "ecowas-cybercrime-network", "wacap"])
        let germany = Set(catalogue.memberships(of: "DE").map(\.networkSlug))
        #expect(Set(slugs("Allemagne")) == germany)
        // "germany" also finds "German" one edit away, in the WBPN's purpose.
        #expect(Set(slugs("germany")).isSuperset(of: germany))
        #expect(slugs("Croatie").contains("carin"))
    }

    @Test func vocabularyLabelsInFrenchFindNetworks() {
        let found = Set(slugs("cybercriminalité"))
        #expect(found.isSuperset(of: ["cybercrime-24-7", "t-cy", "gpen"]))
        #expect(found == Set(slugs("cybercriminalite")))
    }

    @Test func accentsAndCaseAreFolded() {
        let reseau = Network(slug: "reseau", name: "Réseau judiciaire de la Francophonie", section: .nonEuropean, scope: .global)
        let other = Network(slug: "other", name: "Something else", section: .european, scope: .europe)
        let small = Catalogue(networks: [reseau, other])
        #expect(small.search("reseau")?.map { small.networks[$0.network].slug } == ["reseau"])
        #expect(small.search("RÉSEAU judiciaire")?.count == 1)
    }

    @Test func acronymAndNameRankAbovePurpose() {
        // GPEN's purpose names the IAP; the IAP itself must come first.
        let iap = slugs("IAP")
        #expect(iap.first == "iap")
        #expect(iap.contains("gpen"))
        #expect(slugs("European Judicial Network").first == "ejn")
        #expect(slugs("carin").first == "carin")
    }

    @Test func everyWordMustMatch() {
        #expect(slugs("cybercrime ghana") == ["ecowas-cybercrime-network"])
        #expect(slugs("cybercrime atlantis").isEmpty)
    }

    @Test func snippetsMarkTheMatchedWords() throws {
        let hit = try #require(catalogue.search("freezing")?.first)
        let parts = catalogue.snippet(for: hit, language: .en)
        #expect(catalogue.networks[hit.network].slug == "carin")
        #expect(parts.filter(\.highlighted).map(\.text) == ["freezing"])
        #expect(parts.map(\.text).joined().contains("asset tracing, freezing, seizure and confiscation"))
    }

    @Test func filtersCombineWithSearch() {
        let filter = NetworkFilter(query: "prosecutors", sections: [.european])
        let found = catalogue.networks(matching: filter)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.section == .european })
    }
}

/// A snapshot prepared before its member lists were read is the snapshot built in one go.
@Suite struct PreparationTests {
    let networks: [Network]

    init() throws { networks = try CatalogueFile.catalogue2017().networks() }

    func summary(_ catalogue: Catalogue) -> [String] {
        catalogue.networks.map(\.slug) + ["ghana", "cyber", "eurojsut", "réseau"].flatMap { query in
            (catalogue.search(query) ?? []).map { "\(query):\(catalogue.networks[$0.network].slug):\($0.score)" }
        } + catalogue.participatingParties.map { "\($0.id):\(catalogue.networkCount(of: $0.id))" } + ["\(catalogue.membershipCount)"]
    }

    @Test func preparedWithoutMembersEqualsBuiltAtOnce() {
        let withoutMembers = networks.map { network in
            var copy = network
            copy.groups = network.groups.map { group in
                MemberGroup(heading: group.heading, role: group.role, statedCount: group.statedCount, text: group.text, entries: [])
            }
            return copy
        }
        let prepared = Catalogue(networks: networks, prepared: CataloguePreparation(networks: withoutMembers))
        let direct = Catalogue(networks: networks)
        #expect(networks.count == 40 && direct.membershipCount == 767)
        #expect(summary(prepared) == summary(direct))
    }

    @Test func aPreparationOfOtherNetworksIsDoneAgain() {
        let stale = CataloguePreparation(networks: Array(networks.dropLast()))
        #expect(summary(Catalogue(networks: networks, prepared: stale)) == summary(Catalogue(networks: networks)))
    }
}

/// Ranking only a page's worth of a large result must give the same first hits as ranking them all.
@Suite struct RankingTests {
    func hits(_ count: Int) -> [SearchHit] {
        // Scores with many ties (ties go to name order, i.e. the lower position), in a scrambled order.
        (0..<count).map { i in
            let network = (i * 7_919) % count
            return SearchHit(network: network, score: Double((network * 31) % 97), matchedWords: [])
        }
    }

    @Test(arguments: [1, 5, 20, 100, 999, 5_000])
    func aRankedPrefixIsTheFullRankingsPrefix(first: Int) {
        var all = hits(5_000)
        var partial = all
        Catalogue.rank(&all, first: all.count)
        Catalogue.rank(&partial, first: first)
        #expect(partial.prefix(first).map(\.network) == all.prefix(first).map(\.network))
        #expect(partial.map(\.network).sorted() == all.map(\.network).sorted())
        // The full ranking is by score, then by position.
        #expect(zip(all, all.dropFirst()).allSatisfy { ($0.score, -$0.network) > ($1.score, -$1.network) })
    }
}

@Suite struct CaseFinderTests {
    let catalogue: Catalogue

    init() throws { catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks()) }

    @Test func spainAndGhanaShareNoNetworkAndThePlanNamesOneForEach() throws {
        let result = CaseFinder(catalogue: catalogue).find(.init(parties: ["ES", "GH"]))

        #expect(result.answers.isEmpty)
        // No network of Spain's is linked to one of Ghana's by a relation, a host or a membership: no pair is
        // offered for members they happen to share.
        #expect(result.pairs.isEmpty)
        let plan = try #require(result.plan)
        #expect(plan.steps.map(\.reaches) == [["ES"], ["GH"]])
    }

    @Test func fullMembersOnAllSidesRankFirst() throws {
        let result = CaseFinder(catalogue: catalogue).find(.init(parties: ["HR", "RS"]))

        let slugs = result.answers.map(\.network.slug)
        let carin = try #require(slugs.firstIndex(of: "carin"))
        #expect(result.answers[carin].roles.map(\.role) == [.observer, .observer])
        // Operational channels come before policy forums and training, whatever the roles.
        let functions = result.answers.map { $0.network.function == .operational ? 0 : 1 }
        #expect(functions == functions.sorted(), "\(result.answers.map(\.network.slug))")
        // Among active operational channels, every one where both are full members comes before any where one is not;
        // an ended project ranks below the active channels. (The Western Balkans network's second, ended entry is
        // offered here because only it lists Croatia; its active entry does not reach both.)
        let operational = result.answers.filter { $0.network.function == .operational }
        let active = operational.filter { $0.network.status.value == .active }
        #expect(operational.last?.network.slug == "wbpn-project" && !slugs.contains("wbpn"))
        let allFull = active.map { $0.roles.allSatisfy { $0.role == .member } }
        let lastFull = try #require(allFull.lastIndex(of: true))
        let firstOther = try #require(allFull.firstIndex(of: false))
        #expect(lastFull < firstOther)
        #expect(try #require(active.firstIndex { $0.network.slug == "carin" }) > lastFull)
    }

    @Test func crimeAreaAndInstrumentRaiseTheRank() throws {
        let finder = CaseFinder(catalogue: catalogue)
        let plain = finder.find(.init(parties: ["FR", "DE"])).answers
        let asked = finder.find(.init(parties: ["FR", "DE"], crimeAreas: [.cybercrime], instruments: [.mutualLegalAssistance])).answers

        #expect(Set(plain.map(\.network.slug)) == Set(asked.map(\.network.slug)))
        // Among answers where the parties hold the same roles and the status is the same, those that match
        // the crime area or the instrument come first.
        func profile(_ answer: CaseFinder.Answer) -> String {
            answer.roles.map(\.role.rawValue).joined(separator: ",") + " " + answer.network.status.value.rawValue
                + " " + (answer.network.function?.rawValue ?? "-")
        }
        let groups = Dictionary(grouping: asked.enumerated(), by: { profile($0.element) })
        var compared = 0
        for (_, members) in groups {
            let matching = members.filter { !$0.element.crimeAreas.isEmpty || !$0.element.instruments.isEmpty }.map(\.offset)
            let other = members.filter { $0.element.crimeAreas.isEmpty && $0.element.instruments.isEmpty }.map(\.offset)
            if let lastMatching = matching.max(), let firstOther = other.min() {
                #expect(lastMatching < firstOther)
                compared += 1
            }
        }
        #expect(compared > 0)
        // Without the request, the cybercrime networks are not all ahead.
        let plainOrder = plain.map(\.network.slug), askedOrder = asked.map(\.network.slug)
        #expect(plainOrder != askedOrder)
    }

    @Test func threePartiesWithoutACommonNetworkGetThoseCoveringMost() {
        let result = CaseFinder(catalogue: catalogue).find(.init(parties: ["ES", "PT", "GH"]))
        #expect(result.answers.isEmpty)
        #expect(!result.partial.isEmpty)
        #expect(result.partial.allSatisfy { $0.missing == ["GH"] })
    }
}

@Suite struct OverlapTests {
    let catalogue: Catalogue

    init() throws { catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks()) }

    @Test func identicalMemberSetsAreFound() {
        let identical = Set(Overlaps(catalogue: catalogue).identical().map { [$0.first.slug, $0.second.slug].sorted().joined(separator: "+") })
        #expect(identical.isSuperset(of: ["acn+acn-non-european", "genocide-network+jit-network", "ejn+genocide-network", "ejn+jit-network"]))
        #expect(!identical.contains("g7-roma-lyon-clasg+g8-lyon-roma-htcsg"))
    }

    @Test func similarityIsJaccardAtCountryLevel() throws {
        let pair = try #require(Overlaps(catalogue: catalogue).similar(to: "g7-roma-lyon-clasg").first)
        #expect(pair.second.slug == "g8-lyon-roma-htcsg")
        #expect(pair.shared == 7)
        #expect(pair.union == 8)
        #expect(abs(pair.similarity - 7.0 / 8.0) < 1e-9)
    }

    @Test func fullMembersOnlyLeavesOutOtherRoles() throws {
        let all = Overlaps(catalogue: catalogue).similar(to: "carin", limit: 100)
        let full = Overlaps(catalogue: catalogue, fullMembersOnly: true).similar(to: "carin", limit: 100)
        let withAcn = try #require(all.first { $0.second.slug == "acn" })
        // Through its observers (Albania, Georgia, …) CARIN overlaps with the ACN; through its members less so.
        let fullWithAcn = full.first { $0.second.slug == "acn" }
        #expect(withAcn.shared > (fullWithAcn?.shared ?? 0))
    }

    @Test func mostOverlappingPairsComeFirst() {
        let pairs = Overlaps(catalogue: catalogue).pairs(limit: 20)
        #expect(pairs.count == 20)
        #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
    }
}

@Suite struct DuplicateCheckTests {
    let catalogue: Catalogue

    init() throws { catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks()) }

    @Test func aWesternBalkansProposalSurfacesBothWesternBalkansRows() {
        let draft = DuplicateCheck.Draft(name: "Western Balkans Prosecutors Network", parties: ["AL", "RS", "ME"])

        let candidates = DuplicateCheck(catalogue: catalogue).candidates(for: draft)

        #expect(Set(candidates.prefix(2).map(\.network.slug)) == ["wbpn", "wbpn-project"])
        let reasons = candidates[0].reasons
        #expect(reasons.contains { if case .similarName = $0 { true } else { false } })
        #expect(reasons.contains { if case let .memberOverlap(shared, count, _, _) = $0 { shared == 3 && count == 3 } else { false } })
    }

    @Test func theSameAcronymCounts() {
        let candidates = DuplicateCheck(catalogue: catalogue).candidates(for: .init(name: "Some new thing", acronym: "CARIN"))
        #expect(candidates.first?.network.slug == "carin")
    }

    @Test func theSameWebsiteAndAPartyOfTheSameNameCount() throws {
        let check = DuplicateCheck(catalogue: catalogue)
        // The same site, written otherwise (https, www, a trailing slash): CARIN.
        let bySite = check.candidates(for: .init(name: "Zzz", website: "https://www.CARIN-network.org"))
        #expect(bySite.first?.network.slug == "carin" && bySite.first?.maySameNetwork == true)
        // ARIN-WA is a party of the directory, not a network of the catalogue: found by its name and by its acronym.
        let byName = check.parties(matching: .init(name: "Asset Recovery Inter-Agency Network for West Africa"))
        #expect(byName.map(\.party.id).contains("arin-wa"))
        #expect(check.parties(matching: .init(name: "Zzz", acronym: "ARIN-WA")).map(\.party.id) == ["arin-wa"])
        #expect(check.parties(matching: .init(name: "Something else entirely")).isEmpty)
        // Sharing members makes a network related, not the same one.
        let shared = check.candidates(for: .init(name: "Zzz", parties: ["AL", "RS", "ME"]))
        #expect(!shared.isEmpty && shared.allSatisfy { !$0.maySameNetwork })
    }

    @Test func crimeAreasAloneAreNoDuplicate() {
        let candidates = DuplicateCheck(catalogue: catalogue).candidates(for: .init(name: "Zzz", crimeAreas: [.cybercrime]))
        #expect(candidates.isEmpty)
    }
}

@Suite struct StatisticsTests {
    @Test func figuresAddUp() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        let statistics = CatalogueStatistics(catalogue: catalogue)

        #expect(statistics.networks == 40)
        #expect(statistics.membershipsByRole.reduce(0) { $0 + $1.1 } == 767)
        #expect(statistics.bySection.map(\.1) == [15, 25])
        let top = try #require(statistics.parties.first)
        #expect(zip(statistics.parties, statistics.parties.dropFirst()).allSatisfy { $0.networks >= $1.networks })
        #expect(top.networks == catalogue.memberships(of: top.party.id).map(\.networkSlug).reduce(into: Set<String>()) { $0.insert($1) }.count)
        let switzerland = try #require(statistics.parties.first { $0.party.id == "CH" })
        #expect(switzerland.byRole[.liaisonProsecutor] == 1)
    }
}

@Suite struct PagingTests {
    @Test func absurdPagesAreEmptyOrRefusedNeverACrash() {
        let page = Page(items: Array(1...10), page: Int.max, perPage: 500)
        #expect(page.items.isEmpty)
        #expect(page.total == 10)
        #expect(Page(items: Array(1...10), page: 2, perPage: 4).items == [5, 6, 7, 8])
        #expect(throws: InputError.self) { try Page<Int>.validate(page: Int.max, perPage: 10) }
        #expect(throws: InputError.self) { try Page<Int>.validate(page: 0, perPage: 10) }
    }
}

/// The case finder's plan and its honest pairs (issue 14).
@Suite struct CaseFinderPlanTests {
    let catalogue: Catalogue
    let finder: CaseFinder

    init() throws {
        catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        finder = CaseFinder(catalogue: catalogue)
    }

    @Test func aSpanishProsecutorGetsAPlanForGhanaAndBrazil() throws {
        let result = finder.find(.init(parties: ["ES", "GH", "BR"]))
        #expect(result.answers.isEmpty)
        let plan = try #require(result.plan)
        // No network has all three: two do, and the first takes in Spain with Brazil.
        #expect(plan.steps.count == 2 && plan.unreachable.isEmpty)
        let first = try #require(plan.steps.first)
        #expect(Set(first.answer.roles.map(\.party)) == ["ES", "BR"], "\(first.answer.network.slug)")
        #expect(first.reaches == ["ES", "BR"])
        #expect(plan.steps[1].reaches == ["GH"])
        // Every country is said exactly once.
        #expect(plan.steps.flatMap(\.reaches).sorted() == ["BR", "ES", "GH"])
    }

    @Test func thePlanIsTheFewestNetworks() throws {
        // Brute force over pairs and triples of networks: none smaller than the plan covers the case.
        let parties = ["ES", "GH", "BR", "JP"]
        let plan = try #require(finder.find(.init(parties: parties)).plan)
        let sets = catalogue.networks.map { network in Set(network.memberships.map(\.partyID)).intersection(parties) }
        let wanted = Set(parties).subtracting(plan.unreachable)
        var smallest = Int.max
        for a in sets.indices where !sets[a].isEmpty {
            if sets[a].isSuperset(of: wanted) { smallest = min(smallest, 1) }
            for b in sets.indices where b > a && sets[a].union(sets[b]).isSuperset(of: wanted) { smallest = min(smallest, 2) }
        }
        if smallest == Int.max { smallest = 3 }
        #expect(plan.steps.count <= max(smallest, 3))
        #expect(plan.steps.count == min(smallest, plan.steps.count))
        #expect(Set(plan.steps.flatMap(\.reaches)) == wanted)
    }

    @Test func pairsNeedARealLinkNeverSharedMembersAlone() throws {
        func network(_ slug: String, _ members: [String], sub: String? = nil, hostedBy: String? = nil) -> Network {
            var groups = [MemberGroup(role: .member, text: members.joined(separator: ", "),
                                      entries: members.map { MemberEntry(printed: $0, partyID: $0) })]
            if let sub { groups.append(MemberGroup(role: .subNetwork, text: sub, entries: [MemberEntry(printed: sub, partyID: sub)])) }
            return Network(slug: slug, name: slug.uppercased(), section: .european, scope: .global, hostedBy: hostedBy, groups: groups)
        }
        let catalogue = Catalogue(networks: [
            // Spain's network lists Ghana's as its sub-network: a pair.
            network("global", ["ES", "FR", "DE", "IT"], sub: "regional"),
            network("regional", ["GH", "NG"]),
            // Four members in common with the global network, and no relation: never a pair.
            network("lookalike", ["GH", "FR", "DE", "IT"]),
        ])
        let result = CaseFinder(catalogue: catalogue).find(.init(parties: ["ES", "GH"]))
        #expect(result.answers.isEmpty)
        #expect(result.pairs.map { "\($0.first.network.slug)+\($0.second.network.slug)" } == ["global+regional"])
        #expect(result.pairs.first?.links == [.membership(member: "regional", role: .subNetwork)])
    }

    @Test func aSubdivisionTakesPartThroughItsState() throws {
        let result = finder.find(.init(parties: ["GB-SCT", "FR"]))
        let ejn = try #require(result.answers.first { $0.network.slug == "ejn" })
        #expect(ejn.through == ["GB-SCT": "GB"])
        #expect(ejn.roles.contains { $0.party == "GB-SCT" && $0.role == .member })
    }
}

/// The catalogue knows what each network is used for, and the finder offers open networks as such.
@Suite struct NetworkFunctionTests {
    @Test func aPolicyForumNoLongerComesFirstAndOpenNetworksAreOffered() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        #expect(catalogue.network(slug: "g20-acwg")?.function == .policy)
        #expect(catalogue.network(slug: "ejn")?.function == .operational)
        #expect(catalogue.network(slug: "iap")?.openMembership == true && catalogue.network(slug: "ejn")?.openMembership == false)
        let result = CaseFinder(catalogue: catalogue).find(.init(parties: ["ES", "FR"], crimeAreas: [.corruption]))
        let first = try #require(result.answers.first)
        #expect(first.network.function == .operational, "\(first.network.slug)")
        #expect(result.answers.firstIndex { $0.network.slug == "g20-acwg" } ?? 0 > result.answers.lastIndex { $0.network.function == .operational } ?? 0)
        #expect(Set(result.open.map(\.slug)).isSuperset(of: ["iap", "gpen"]))
        // The data file keeps both fields: written and read back, the same networks.
        let file = CatalogueFile(networks: catalogue.networks)
        let again = try CatalogueFile.decode(try CatalogueFile.encoder().encode(file), source: "again.json").networks()
        #expect(again.first { $0.slug == "iap" }?.openMembership == true && again.first { $0.slug == "g20-acwg" }?.function == .policy)
    }

    @Test func aFunctionOutsideTheVocabularyIsRefusedNamingIt() throws {
        var draft = NetworkDraft(Network(slug: "x", name: "X", section: .european, scope: .europe))
        draft.function = "gossip"
        draft.openMembership = "maybe"
        draft.reason = "test"
        #expect { try draft.apply(to: Network(slug: "x", name: "X", section: .european, scope: .europe)) } throws: { error in
            let errors = (error as? NetworkEditFailure)?.errors ?? []
            return errors.contains { $0.field == "function" } && errors.contains { $0.field == "open_membership" }
        }
        draft.function = "operational"
        draft.openMembership = "1"
        let edited = try draft.apply(to: Network(slug: "x", name: "X", section: .european, scope: .europe))
        #expect(edited.function == .operational && edited.openMembership)
    }
}
