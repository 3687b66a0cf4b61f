import Foundation
import Hummingbird
import HummingbirdTesting
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The real application, built as `liaison serve` builds it, on a temporary SQLite database.
@Suite struct APITests {
    @Test func healthReportsTheCatalogue() async throws {
        try await withApp { client in
            try await client.execute(uri: "/healthz", method: .get) { response async throws in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["status"] as? String == "ok")
                #expect(body["networks"] as? Int == 40)
            }
        }
    }

    @Test func aNetworkShowsTheLinksOthersStateTowardsItOnItsPageAndInTheAPI() async throws {
        try await withApp { client in
            // The WBPN Project states no relation; the EJN and the WBPN state theirs towards it.
            try await client.get("/api/v1/networks/wbpn-project") { response async throws in
                let links = try #require(try json(response)["links"] as? [[String: Any]])
                let seen = links.map { "\($0["direction"] as? String ?? "") \($0["type"] as? String ?? "") \($0["target"] as? String ?? "")" }
                #expect(seen.contains("incoming partner ejn") && seen.contains("incoming same-as wbpn"), "\(seen)")
            }
            // Eurojust hosts the JIT network, which names Eurojust as its host.
            try await client.get("/api/v1/networks/eurojust") { response async throws in
                let links = try #require(try json(response)["links"] as? [[String: Any]])
                #expect(links.contains { $0["type"] as? String == "hosted-by" && $0["direction"] as? String == "incoming"
                    && $0["target"] as? String == "jit-network" })
            }
            try await client.get("/networks/wbpn-project") { response async throws in
                let page = html(response)
                #expect(page.contains("href=\"/networks/ejn\"") && page.contains("href=\"/networks/wbpn\""))
            }
            try await client.get("/networks/eurojust") { response async throws in
                #expect(html(response).contains("href=\"/networks/jit-network\""))
            }
        }
    }

    @Test func listsEveryNetworkOfTheReportWithPaging() async throws {
        try await withApp { client in
            var slugs: [String] = []
            for page in 1...3 {
                try await client.execute(uri: "/api/v1/networks?page=\(page)&per_page=15", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    let body = try json(response)
                    #expect(body["total"] as? Int == 40)
                    #expect(body["page"] as? Int == page)
                    #expect(body["per_page"] as? Int == 15)
                    let items = try #require(body["items"] as? [[String: Any]])
                    slugs += items.compactMap { $0["slug"] as? String }
                }
            }
            #expect(slugs.count == 40)
            #expect(Set(slugs).count == 40)
            #expect(slugs.contains("carin") && slugs.contains("wacap") && slugs.contains("tipp"))
        }
    }

    @Test func aNetworkCarriesItsMembershipsWithCodesAndRoles() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/networks/carin", method: .get) { response async throws in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["acronym"] as? String == "CARIN")
                let memberships = try #require(body["memberships"] as? [[String: Any]])
                let croatia = try #require(memberships.first { ($0["party"] as? [String: Any])?["code"] as? String == "HR" })
                #expect(croatia["role"] as? String == "observer")
                #expect(croatia["as_printed"] as? String == "Croatia")
                #expect((croatia["party"] as? [String: Any])?["kind"] as? String == "state")
                #expect((croatia["party"] as? [String: Any])?["name"] as? String == "Croatia")
                let imf = try #require(memberships.first { ($0["party"] as? [String: Any])?["id"] as? String == "imf" })
                #expect(imf["role"] as? String == "associate")
                #expect((imf["party"] as? [String: Any])?["code"] == nil)
                #expect((body["hosted_by"] as? [String: Any])?["id"] as? String == "europol")
                let references = try #require(body["references"] as? [[String: Any]])
                #expect(references.first?["url"] as? String == "http://carin-network.org/")
                #expect((body["inclusion_criteria"] as? [[String: Any]])?.count == 4)
            }
            try await client.execute(uri: "/api/v1/networks/seepag", method: .get) { response async throws in
                let memberships = try #require(try json(response)["memberships"] as? [[String: Any]])
                let partners = memberships.filter { $0["role"] as? String == "operational-partner" }
                    .compactMap { ($0["party"] as? [String: Any])?["code"] as? String }
                #expect(partners == ["IT", "US"])
            }
            try await client.execute(uri: "/api/v1/networks/iap", method: .get) { response async throws in
                let relations = try #require(try json(response)["relations"] as? [[String: Any]])
                #expect(relations.compactMap { $0["target"] as? String } == ["gpen", "tipp", "ctpn", "nacp"])
                #expect(relations.allSatisfy { $0["type"] as? String == "hosts" })
            }
        }
    }

    @Test func errorsAreProblemDocuments() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/networks/atlantis", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try json(response)
                #expect(body["status"] as? Int == 404)
                #expect((body["detail"] as? String)?.contains("atlantis") == true)
            }
            try await client.execute(uri: "/api/v1/networks?page=zero", method: .get) { response async throws in
                #expect(response.status == .badRequest)
                let body = try json(response)
                #expect(body["field"] as? String == "page")
                #expect(body["value"] as? String == "zero")
            }
            try await client.execute(uri: "/api/v1/networks?per_page=100000", method: .get) { response async throws in
                #expect(response.status == .badRequest)
                #expect((try json(response)["detail"] as? String)?.contains("per_page") == true)
            }
            try await client.execute(uri: "/api/v1/no/such/thing", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }
}

@Suite struct APIFilterTests {
    func slugs(_ body: [String: Any]) -> [String] {
        ((body["items"] as? [[String: Any]]) ?? []).compactMap { $0["slug"] as? String }
    }

    @Test func everyGivenPartyMustTakePart() async throws {
        try await withApp { client in
            try await client.get("/api/v1/networks?party=ES&party=GH&per_page=100") { response async throws in
                #expect(response.status == .ok)
                #expect(try json(response)["total"] as? Int == 0)
            }
            try await client.get("/api/v1/networks?party=HR&role=observer") { response async throws in
                #expect(self.slugs(try json(response)) == ["carin"])
            }
            try await client.get("/api/v1/networks?party=IT&party=US&role=operational-partner") { response async throws in
                #expect(self.slugs(try json(response)) == ["seepag"])
            }
            try await client.get("/api/v1/networks?crime_area=cybercrime&section=european&per_page=100") { response async throws in
                let found = Set(self.slugs(try json(response)))
                #expect(found == ["cybercrime-24-7", "t-cy"])
            }
            try await client.get("/api/v1/networks?q=asset%20recovery&per_page=100") { response async throws in
                #expect(self.slugs(try json(response)).contains("carin"))
            }
            try await client.get("/api/v1/networks?q=ghana&per_page=100") { response async throws in
                let found = Set(self.slugs(try json(response)))
                #expect(found == ["ajn", "cncp", "ecowas-cybercrime-network", "wacap"])
            }
        }
    }

    @Test func facetCountsRespectTheOtherFilters() async throws {
        try await withApp { client in
            try await client.get("/api/v1/networks?section=european&crime_area=cybercrime&facets=true") { response async throws in
                let facets = try #require(try json(response)["facets"] as? [String: [[String: Any]]])
                // Section counts ignore the section filter but keep the crime area.
                let sections = Dictionary(uniqueKeysWithValues: (facets["section"] ?? []).map { ($0["value"] as! String, $0["count"] as! Int) })
                #expect(sections["european"] == 2)
                #expect(sections["non-european"] == 3)
                let status = (facets["status"] ?? []).map { $0["value"] as! String }
                #expect(status == ["active"])
            }
        }
    }

    @Test func unknownValuesAndParametersAreNamed() async throws {
        try await withApp { client in
            try await client.get("/api/v1/networks?role=boss") { response async throws in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try json(response)
                #expect(body["field"] as? String == "role")
                #expect(body["value"] as? String == "boss")
                #expect((body["detail"] as? String)?.contains("operational-partner") == true)
            }
            try await client.get("/api/v1/networks?party=ATLANTIS") { response async throws in
                #expect(response.status == .badRequest)
                #expect(try json(response)["value"] as? String == "ATLANTIS")
            }
            try await client.get("/api/v1/networks?crime_area=cybercrime") { response async throws in
                #expect(try json(response)["facets"] == nil)
            }
            try await client.get("/api/v1/networks?colour=blue") { response async throws in
                #expect(response.status == .badRequest)
                #expect((try json(response)["detail"] as? String)?.contains("crime_area") == true)
            }
        }
    }

    @Test func partiesWithTheirMemberships() async throws {
        try await withApp { client in
            try await client.get("/api/v1/parties/CH") { response async throws in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["name"] as? String == "Switzerland")
                #expect(body["name_fr"] as? String == "Suisse")
                let memberships = try #require(body["memberships"] as? [[String: Any]])
                let eurojust = try #require(memberships.first { $0["slug"] as? String == "eurojust" })
                let roles = ((eurojust["roles"] as? [[String: Any]]) ?? []).compactMap { $0["role"] as? String }
                #expect(Set(roles) == ["contact-point", "cooperation-agreement", "liaison-prosecutor"])
                // Networks per role, counted from the memberships the answer lists.
                var expected: [String: Int] = [:]
                for network in memberships {
                    let held = Set(((network["roles"] as? [[String: Any]]) ?? []).compactMap { $0["role"] as? String })
                    for role in held { expected[role, default: 0] += 1 }
                }
                #expect(!expected.isEmpty && (body["role_counts"] as? [String: Int]) == expected)
            }
            try await client.get("/api/v1/parties/europol") { response async throws in
                let body = try json(response)
                #expect(body["kind"] as? String == "organisation")
                #expect(body["code"] == nil)
            }
            try await client.get("/api/v1/parties?kind=subdivision") { response async throws in
                let items = try #require(try json(response)["items"] as? [[String: Any]])
                #expect(Set(items.compactMap { $0["id"] as? String }) == ["DE-NW", "GB-EAW", "GB-NIR", "GB-SCT"])
            }
            try await client.get("/api/v1/parties/QQ") { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func vocabulariesAndDataQuality() async throws {
        try await withApp { client in
            try await client.get("/api/v1/vocabularies") { response async throws in
                let body = try json(response)
                let roles = try #require(body["roles"] as? [[String: Any]])
                #expect(roles.count == 9)
                #expect((roles.first?["label"] as? [String: String])?["fr"] == "membre")
            }
            try await client.get("/api/v1/data-quality") { response async throws in
                let body = try json(response)
                let problems = try #require(body["problems"] as? [[String: Any]])
                #expect(problems.contains { $0["kind"] as? String == "truncated-list" && $0["network"] as? String == "network-asia-pacific" })
            }
        }
    }
}
