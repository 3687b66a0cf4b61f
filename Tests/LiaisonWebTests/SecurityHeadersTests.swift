import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Every kind of response carries the security headers: pages, API answers, static files, errors.
@Suite struct SecurityHeadersTests {
    static let paths = [
        "/", "/networks?q=cyber", "/networks/carin", "/countries/ES", "/finder?from=ES&to=GH", "/statistics",
        "/api/v1/networks/carin", "/api/v1/networks?party=ES", "/healthz", "/static/liaison.css",
        "/nowhere", "/api/v1/networks/nowhere", "/api/v1/networks?per_page=0",
    ]

    @Test func everyResponseCarriesTheHeaders() async throws {
        try await withApp { client in
            for path in Self.paths {
                try await client.get(path) { response async throws in
                    let csp = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                    #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "\(path)")
                    #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "\(path)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                    #expect(response.headers[.referrerPolicy] == "same-origin", "\(path)")
                    #expect(response.headers[.xFrameOptions] == "DENY", "\(path)")
                    // Not over plain HTTP.
                    #expect(response.headers[.strictTransportSecurity] == nil, "\(path)")
                }
            }
            // The error responses among them really are errors (the headers are not only on successes).
            try await client.get("/nowhere") { response async throws in #expect(response.status == .notFound) }
            try await client.get("/api/v1/networks?per_page=0") { response async throws in #expect(response.status == .badRequest) }
        }
    }

    @Test func strictTransportSecurityBehindAnHTTPSProxy() async throws {
        try await withApp { client in
            try await client.get("/", headers: [.xForwardedProto: "https"]) { response async throws in
                #expect(response.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
            }
            try await client.get("/", headers: [.xForwardedProto: "http"]) { response async throws in
                #expect(response.headers[.strictTransportSecurity] == nil)
            }
        }
    }
}
