import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Runs a test against the real application, built as `liaison serve` builds it, on a temporary SQLite database.
func withApp(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-web-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let settings = Settings(database: .sqlite(dataDirectory: directory.path))
    try await Services.with(settings) { services in
        try await buildApplication(services, settings: settings).test(.router, test)
    }
}

func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}

func html(_ response: TestResponse) -> String {
    String(buffer: response.body)
}

extension TestClientProtocol {
    /// GET a path with optional headers; the response goes to `check`.
    func get(_ uri: String, headers: HTTPFields = [:], _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        try await execute(uri: uri, method: .get, headers: headers) { response async throws in try await check(response) }
    }
}
