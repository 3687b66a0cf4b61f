import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore
import Logging
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The OpenAPI document describes exactly the API the router serves.
@Suite struct OpenAPITests {
    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.data)) as? [String: Any])
    }

    @Test func everyRouteIsDescribedAndEveryDescribedRouteExists() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-openapi-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = Settings(database: .sqlite(dataDirectory: directory.path), seed: false)
        let routes = try await Services.with(settings) { services in
            try await composeApplication(services, settings: settings, logger: Logger(label: "test")).routes
        }

        var served: Set<String> = []
        for route in routes {
            let path: String = route.path.description
            guard path.hasPrefix("/api/") || path == "/healthz" else { continue }
            let templated = path.replacingOccurrences(of: #":([a-z]+)"#, with: "{$1}", options: .regularExpression)
            served.insert(route.method.rawValue + " " + templated)
        }
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })

        #expect(served.count >= 8)
        #expect(served.subtracting(described).sorted() == [], "routes missing from the OpenAPI document")
        #expect(described.subtracting(served).sorted() == [], "operations in the document that no route serves")
    }

    @Test func theDocumentsEnumsAreTheVocabularies() throws {
        let schemas = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        func enumOf(_ schema: String, _ property: String) -> [String]? {
            let properties = schemas[schema]?["properties"] as? [String: [String: Any]]
            let node = properties?[property]
            return (node?["enum"] as? [String]) ?? ((node?["items"] as? [String: Any])?["enum"] as? [String])
        }
        #expect(enumOf("Membership", "role") == Role.allCases.map(\.rawValue))
        #expect(enumOf("NetworkSummary", "scope") == Scope.allCases.map(\.rawValue))
        #expect(enumOf("NetworkSummary", "status") == NetworkStatusValue.allCases.map(\.rawValue))
        #expect(enumOf("NetworkSummary", "function") == NetworkFunction.allCases.map(\.rawValue))
        #expect(enumOf("NetworkDetail", "crime_areas") == CrimeArea.allCases.map(\.rawValue))
        #expect(enumOf("NetworkDetail", "instruments") == Instrument.allCases.map(\.rawValue))
        #expect(enumOf("NetworkDetail", "member_types") == MemberType.allCases.map(\.rawValue))
        #expect(enumOf("PartyRef", "kind") == PartyKind.allCases.map(\.rawValue))
        #expect(enumOf("Relation", "type") == RelationType.allCases.map(\.rawValue))
        #expect(enumOf("DataProblem", "kind") == DataProblem.Kind.allCases.map(\.rawValue))
        #expect(try Self.document()["openapi"] as? String == "3.1.0")
    }

    @Test func theDocumentIsServed() async throws {
        try await withApp { client in
            try await client.get("/api/v1/openapi.json") { response async throws in
                #expect(response.status == .ok)
                #expect(try json(response)["openapi"] as? String == "3.1.0")
            }
        }
    }
}
