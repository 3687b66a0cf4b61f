import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// The history of checked addresses and the confirmations of entries, on SQLite and PostgreSQL.
@Suite struct LivenessStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: Backend.available)
    func checksAreKeptAndTheLatestComeFirst(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            for day in 0..<5 {
                try await store.recordLinkChecks([
                    LinkCheck(url: "https://a.example", checkedAt: Self.t0.addingTimeInterval(Double(day) * 86_400),
                              outcome: day < 3 ? .ok : .httpError, status: day < 3 ? 200 : 503, detail: day < 3 ? nil : "HTTP 503"),
                    LinkCheck(url: "https://b.example", checkedAt: Self.t0.addingTimeInterval(Double(day) * 86_400), outcome: .timeout, status: nil),
                ])
            }
            let latest = try await store.latestLinkChecks(limit: 3)
            #expect(latest["https://a.example"]?.map(\.outcome) == [.httpError, .httpError, .ok])
            #expect(latest["https://a.example"]?.first?.checkedAt == Self.t0.addingTimeInterval(4 * 86_400))
            #expect(latest["https://b.example"]?.count == 3)
            let all = try await store.latestLinkChecks(limit: 10)
            #expect(all.count == 2 && all["https://a.example"]?.count == 5 && all["https://a.example"]?.first?.status == 503)
        }
    }

    @Test(arguments: Backend.available)
    func confirmationsRemindersAndOneClickLinks(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let focal = try await store.createAccount(email: "fp@example.org", displayName: "FP", role: .focalPoint, networks: ["carin"],
                                                      language: .fr, passwordHash: nil, by: .commandLine)
            let off = try await store.createAccount(email: "off@example.org", displayName: "Off", role: .focalPoint, networks: ["carin"],
                                                    language: .en, passwordHash: nil, by: .commandLine)
            _ = try await store.setDisabled(accountID: off.id, true, by: .commandLine)
            _ = try await store.createAccount(email: "ed@example.org", displayName: "Ed", role: .editor, language: .en, passwordHash: nil,
                                              by: .commandLine)
            #expect(try await store.accounts().filter { $0.maintains("carin") }.map(\.email) == ["fp@example.org"],
                    "enabled focal points of that network only")

            try await store.markReminded(slug: "carin", at: Self.t0)
            try await store.confirmNetwork(slug: "carin", by: "ed@example.org", at: Self.t0.addingTimeInterval(60))
            let record = try #require(try await store.verification(slug: "carin"))
            #expect(record.confirmedAt == Self.t0.addingTimeInterval(60) && record.confirmedBy == "ed@example.org" && record.remindedAt == Self.t0)

            try await store.createVerificationToken(hash: "h", slug: "carin", accountID: focal.id, at: Self.t0, expires: Self.t0.addingTimeInterval(3600))
            #expect(try await store.verificationLink(hash: "h", at: Self.t0).slug == "carin")
            await #expect(throws: AccountError.linkExpired) { _ = try await store.confirmNetwork(linkHash: "h", at: Self.t0.addingTimeInterval(3601)) }
            #expect(try await store.confirmNetwork(linkHash: "h", at: Self.t0.addingTimeInterval(10)) == "carin")
            await #expect(throws: AccountError.linkUsed) { _ = try await store.confirmNetwork(linkHash: "h", at: Self.t0.addingTimeInterval(20)) }
            await #expect(throws: AccountError.linkUnknown) { _ = try await store.verificationLink(hash: "nope", at: Self.t0) }
            // A link of a focal point who no longer is one opens nothing.
            try await store.createVerificationToken(hash: "h2", slug: "carin", accountID: focal.id, at: Self.t0, expires: Self.t0.addingTimeInterval(3600))
            _ = try await store.setRole(accountID: focal.id, role: .focalPoint, networks: ["seepag"], by: .commandLine)
            await #expect(throws: AccountError.linkUnknown) { _ = try await store.confirmNetwork(linkHash: "h2", at: Self.t0.addingTimeInterval(30)) }
            let all = try await store.verifications()
            #expect(all["carin"]?.confirmedBy == "fp@example.org" && all["carin"]?.confirmedAt == Self.t0.addingTimeInterval(10)
                    && all["carin"]?.remindedAt == Self.t0 && all.count == 1)
        }
    }
}
