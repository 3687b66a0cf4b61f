import Foundation
import Hummingbird
import HummingbirdTesting
import LiaisonStore
import Testing
@testable import LiaisonWeb

/// The real application, built as `liaison serve` builds it, on a temporary SQLite database.
@Suite struct APITests {
    func withApp(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-web-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await buildApplication(AppConfiguration(database: .sqlite(dataDirectory: directory.path)))
        try await app.test(.router, test)
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

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
            try await client.execute(uri: "/no/such/page", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
