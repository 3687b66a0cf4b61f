import Foundation
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

@Suite struct DiscoveryAPITests {
    @Test func searchRanksAndHighlights() async throws {
        try await withApp { client in
            try await client.get("/api/v1/networks?q=eurojsut") { response async throws in
                let items = try #require(try json(response)["items"] as? [[String: Any]])
                #expect(items.first?["slug"] as? String == "eurojust")
                #expect((items.first?["score"] as? Double ?? 0) > 0)
            }
            try await client.get("/api/v1/networks?q=freezing") { response async throws in
                let items = try #require(try json(response)["items"] as? [[String: Any]])
                let snippet = try #require(items.first?["snippet"] as? [[String: Any]])
                #expect(snippet.contains { $0["highlighted"] as? Bool == true && $0["text"] as? String == "freezing" })
            }
        }
    }

    @Test func theFinderExplainsAndSaysWhenNothingConnects() async throws {
        try await withApp { client in
            try await client.get("/api/v1/finder?from=ES&to=GH") { response async throws in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["covered"] as? Bool == false)
                #expect((body["message"] as? String)?.contains("No single network") == true)
                #expect((body["answers"] as? [Any])?.isEmpty == true)
                // No network of Spain's is really linked to one of Ghana's: no pair; a plan names one for each.
                #expect((body["pairs"] as? [Any])?.isEmpty == true)
                let steps = try #require((body["plan"] as? [String: Any])?["steps"] as? [[String: Any]])
                #expect(steps.map { ($0["reaches"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [] } == [["ES"], ["GH"]])
            }
            try await client.get("/api/v1/finder?from=ES&to=GH&to=BR") { response async throws in
                let steps = try #require((try json(response)["plan"] as? [String: Any])?["steps"] as? [[String: Any]])
                #expect(steps.count == 2)
            }
            // A program naming a country twice gets the answer for it once, and is told (a person on the page is asked).
            try await client.get("/api/v1/finder?from=ES&to=GH&to=GH") { response async throws in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect((body["message"] as? String)?.hasPrefix("Ghana named more than once: counted once.") == true)
                #expect((body["parties"] as? [[String: Any]])?.count == 2)
            }
            try await client.get("/api/v1/finder?from=ES&to=ES") { response async throws in
                #expect((try json(response)["message"] as? String)?.hasPrefix("Spain named more than once") == true)
            }
            // At most 50 values of `party`, repeats counted (as the OpenAPI document says).
            try await client.get("/api/v1/networks?" + Array(repeating: "party=AD", count: 51).joined(separator: "&")) { response async throws in
                #expect(response.status == .badRequest)
            }
            try await client.get("/api/v1/finder?from=GB-SCT&to=FR") { response async throws in
                let answers = try #require(try json(response)["answers"] as? [[String: Any]])
                #expect(answers.contains { ($0["explanation"] as? String)?.contains("Scotland: member (through United Kingdom)") == true })
            }
            try await client.get("/api/v1/finder?from=GH&to=NG&crime_area=cybercrime") { response async throws in
                let body = try json(response)
                let answers = try #require(body["answers"] as? [[String: Any]])
                let first = try #require(answers.first)
                #expect((first["network"] as? [String: Any])?["slug"] as? String == "ecowas-cybercrime-network")
                #expect(first["explanation"] as? String == "Ghana: member · Nigeria: member · cybercrime")
            }
            try await client.get("/api/v1/finder?from=ES") { response async throws in
                #expect(response.status == .badRequest)
                #expect(try json(response)["field"] as? String == "to")
            }
            try await client.get("/api/v1/finder?from=ES&to=QQ") { response async throws in
                #expect(response.status == .badRequest)
                #expect(try json(response)["value"] as? String == "QQ")
            }
        }
    }

    @Test func overlapsAndStatistics() async throws {
        try await withApp { client in
            try await client.get("/api/v1/overlaps?limit=5") { response async throws in
                let body = try json(response)
                #expect((body["pairs"] as? [Any])?.count == 5)
                let identical = try #require(body["identical"] as? [[String: Any]])
                #expect(identical.contains { $0["first"] as? String == "acn" && $0["second"] as? String == "acn-non-european" })
            }
            try await client.get("/api/v1/overlaps?full_members_only=maybe") { response async throws in
                #expect(response.status == .badRequest)
            }
            try await client.get("/api/v1/statistics") { response async throws in
                let body = try json(response)
                #expect(body["networks"] as? Int == 40)
                #expect(body["memberships"] as? Int == 767)
            }
        }
    }

    @Test func aProposalIsCheckedForDuplicates() async throws {
        try await withApp { client in
            let draft = #"{"name": "Western Balkans Prosecutors Network", "parties": ["AL", "RS", "ME"]}"#
            try await client.execute(uri: "/api/v1/proposals/check", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: draft)) { response async throws in
                #expect(response.status == .ok)
                let candidates = try #require(try json(response)["candidates"] as? [[String: Any]])
                let slugs = candidates.prefix(2).compactMap { ($0["network"] as? [String: Any])?["slug"] as? String }
                #expect(Set(slugs) == ["wbpn", "wbpn-project"])
                let reasons = (candidates.first?["reasons"] as? [String]) ?? []
                #expect(reasons.contains("countries in common: 3 of 3 (full members: 3)"))
            }
            try await client.execute(uri: "/api/v1/proposals/check", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"name": "X", "parties": ["ATLANTIS"]}"#)) { response async throws in
                #expect(response.status == .badRequest)
                #expect(try json(response)["field"] as? String == "parties[0]")
            }
            try await client.execute(uri: "/api/v1/proposals/check", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"acronym": "X"}"#)) { response async throws in
                #expect(response.status == .badRequest)
                #expect((try json(response)["detail"] as? String)?.contains("name") == true)
            }
        }
    }

    @Test func discoveryPagesRenderInBothLanguages() async throws {
        try await withApp { client in
            try await client.get("/finder?from=ES&to=GH&to=&crime_area=&instrument=&lang=fr") { response async throws in
                #expect(response.status == .ok)
                let page = html(response)
                #expect(page.contains("Aucun réseau du catalogue ne relie à lui seul"))
                #expect(page.contains("Un plan : 2 réseaux qui, ensemble, couvrent Espagne, Ghana"))
            }
            try await client.get("/finder?from=ES&to=GH&to=BR") { response async throws in
                let page = html(response)
                #expect(page.contains("A plan: 2 networks that together cover Spain, Ghana, Brazil"))
                #expect(page.contains("for Spain, Brazil</a>") && page.contains("for Ghana</a>"))
                // One more select than the countries chosen, to add another.
                #expect(page.contains("id=\"to3\"") && page.contains("id=\"to2\""))
            }
            try await client.get("/finder?from=ES") { response async throws in
                #expect(response.status == .badRequest)
                let page = html(response)
                #expect(page.contains("Choose at least one other country of the case.") && page.contains("<form class=\"finder\""))
                #expect(page.contains("<option value=\"ES\" selected>"))
            }
            try await client.get("/finder?from=ES&to=GH&to=GH") { response async throws in
                #expect(html(response).contains("Ghana is chosen twice"))
            }
            try await client.get("/finder?from=HR&to=RS") { response async throws in
                let page = html(response)
                #expect(page.contains("networks connect Croatia, Serbia"))
                #expect(page.contains("Croatia: member · Serbia: member"))
            }
            try await client.get("/networks?q=freezing") { response async throws in
                #expect(html(response).contains("<mark>freezing</mark>"))
            }
            try await client.get("/networks/g7-roma-lyon-clasg") { response async throws in
                #expect(html(response).contains("Countries in common: 7 of 8"))
            }
            // The table holds the 30 most similar pairs that are not identical; identical pairs are listed apart.
            let snapshot = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
            for fullOnly in [false, true] {
                let ranked = Overlaps(catalogue: snapshot, fullMembersOnly: fullOnly).ranked()
                let expected = min(30, ranked.filter { $0.similarity < 1 }.count)
                #expect(expected > 0 && ranked.contains { $0.similarity >= 1 })
                try await client.get(fullOnly ? "/overlaps?full_members_only=true" : "/overlaps") { response async throws in
                    let page = html(response)
                    let body = try #require(page.range(of: "<tbody>").flatMap { start in
                        page.range(of: "</tbody>").map { page[start.upperBound..<$0.lowerBound] } })
                    #expect(body.components(separatedBy: "<tr>").count - 1 == expected)
                    // No identical pair (similarity 1) among the rows shown.
                    let shown = body.components(separatedBy: "<tr>").dropFirst()
                    let identical = ranked.filter { $0.similarity >= 1 }.map { ("/networks/\($0.first.slug)\"", "/networks/\($0.second.slug)\"") }
                    #expect(!shown.contains { row in identical.contains { row.contains($0.0) && row.contains($0.1) } })
                }
            }
            for path in ["/overlaps", "/overlaps?full_members_only=true", "/statistics", "/finder"] {
                try await client.get(path + (path.contains("?") ? "&" : "?") + "lang=fr") { response async throws in
                    #expect(response.status == .ok, "\(path)")
                    #expect(html(response).contains("<html lang=\"fr\">"))
                }
            }
        }
    }
}
