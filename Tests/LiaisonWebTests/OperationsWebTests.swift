import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
@testable import LiaisonServices
@testable import LiaisonStore
@testable import LiaisonWeb
import Logging
import Testing

/// What an operator relies on: `/metrics` on a port of its own with what happened, never on the site; a request id on
/// every answer that its error page shows; a database that cannot be written answered with 503 and Retry-After while
/// the catalogue is still read.
@Suite struct OperationsWebTests {
    /// The samples of a Prometheus text exposition: "name{labels}" → value; comment lines are checked for form.
    static func samples(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") { continue }
            let match = try #require(line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|\+Inf|NaN)/), "a sample line: \(line)")
            samples[String(match.1)] = Double(match.2) ?? .nan
        }
        return samples
    }

    @Test func metricsAreServedOnTheirOwnPortAndNeverOnTheSite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = Settings(port: 0, database: .sqlite(dataDirectory: directory.path))
        settings.openDataDirectory = directory.appendingPathComponent("open-data").path
        let metricsPort = Int.random(in: 40_000...59_999)
        settings.metricsPort = metricsPort
        let logger = Logger(label: "test")
        Telemetry.start()
        try await Services.with(settings, logger: logger) { services in
            let (app, _) = try await composeApplication(services, settings: settings, logger: logger)
            try await app.test(.live) { client in
                let url = try #require(URL(string: "http://127.0.0.1:\(metricsPort)/metrics"))
                func scrape() async throws -> (text: String, samples: [String: Double]) {
                    for _ in 0..<50 {
                        if let (data, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 {
                            let text = String(decoding: data, as: UTF8.self)
                            return (text, try Self.samples(text))
                        }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    throw CancellationError()
                }
                // The sum over every series of the family with those labels (other tests add series of their own).
                func value(_ samples: [String: Double], _ name: String, _ labels: [String] = []) -> Double {
                    samples.filter { key, _ in (key == name || key.hasPrefix(name + "{")) && labels.allSatisfy(key.contains) }.values.reduce(0, +)
                }
                // The registry is the process's: other tests count too, so what these requests did is read as a difference.
                let before = try await scrape().samples
                let page = [#"http_route="/networks/{slug}""#, #"http_response_status_code="200""#]
                #expect(try await client.execute(uri: "/networks/carin", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/no-such-page", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound, "never on the public site")
                _ = try? await services.accounts.signIn(email: "nobody@example.org", password: "wrong", address: "192.0.2.1", userAgent: nil, replacing: nil)
                let (text, after) = try await scrape()
                #expect(value(after, "liaison_http_requests_total", page) - value(before, "liaison_http_requests_total", page) >= 1)
                #expect(value(after, "liaison_http_requests_total", [#"http_response_status_code="404""#])
                        - value(before, "liaison_http_requests_total", [#"http_response_status_code="404""#]) >= 2)
                #expect(value(after, "liaison_http_request_duration_seconds_bucket", page + [#"le="+Inf""#]) >= 1)
                #expect(value(after, "liaison_http_request_duration_seconds_count", page) == value(after, "liaison_http_requests_total", page))
                #expect(value(after, "liaison_snapshot_revision") == Double(services.catalogue.snapshot.revision) && services.catalogue.snapshot.revision > 0)
                #expect(after["liaison_snapshot_age_seconds"].map { $0 >= 0 } == true)
                #expect(after["liaison_outbox_queued"] == 0 && after["liaison_database_up"] == 1)
                #expect(value(after, "liaison_sign_in_failures_total") - value(before, "liaison_sign_in_failures_total") >= 1)
                #expect(value(after, "liaison_snapshot_load_seconds_count") >= 1)
                // Routes are named by their pattern: no address asked for, and so no personal data, reaches a label.
                #expect(!text.contains("carin") && !text.contains("no-such-page") && !text.contains("nobody@example.org"))
            }
        }
    }

    @Test func everyAnswerCarriesItsRequestIdAndAnErrorPageShowsIt() async throws {
        try await AccountBed.run { _, client in
            var visitor = Browser(client)
            let missing = try await visitor.get("/no-such-page")
            let id = try #require(missing.headers[HTTPField.Name("X-Request-Id")!])
            #expect(id.count >= 16 && missing.page.contains("<code>\(id)</code>"))
            let other = try await visitor.get("/networks/carin")
            #expect(other.headers[HTTPField.Name("X-Request-Id")!].map { $0 != id } == true, "one id per request")
            let french = try await visitor.get("/no-such-page?lang=fr")
            #expect(french.page.contains("citez cette référence"))
        }
    }

    /// Another process holds the database's write lock past the wait: a form that writes is answered 503 with
    /// Retry-After and a page that says so, with its reference; the catalogue is read as before; once the lock is
    /// gone, writes work again without restarting anything.
    @Test func aDatabaseThatCannotBeWrittenIsAnswered503WhileReadsGoOn() async throws {
        try await AccountBed.run { bed, client in
            guard case let .sqlite(path) = await bed.store.configuration else { return }
            var visitor = Browser(client)
            try await visitor.get("/sign-in")
            try await DatabaseCopies.withSQLite(path, logger: Logger(label: "test")) { db in
                try await db.raw("BEGIN EXCLUSIVE").run()
                let refused = try await visitor.post("/sign-in", ["email": "someone@example.org", "password": "not the password"])
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.retryAfter] == "30")
                #expect(refused.page.contains("Changes are not possible for a moment"))
                #expect(refused.headers[HTTPField.Name("X-Request-Id")!].map { refused.page.contains("<code>\($0)</code>") } == true)
                var reader = Browser(client)
                #expect(try await reader.get("/networks/carin").status == .ok)
                #expect(try await client.execute(uri: "/api/v1/networks?q=cybercrime", method: .get).status == .ok)
                try await db.raw("ROLLBACK").run()
            }
            try await visitor.get("/sign-in")
            let after = try await visitor.post("/sign-in", ["email": "someone@example.org", "password": "not the password"])
            #expect(after.status != .serviceUnavailable && after.status != .internalServerError)
        }
    }
}
