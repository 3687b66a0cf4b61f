import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// What every request is held to, whatever its route: methods, sizes, paths, and the account rules a stranger
/// could otherwise turn against a person.
@Suite struct RequestLimitsTests {
    @Test func aMethodAPathDoesNotTakeIsAnswered405WithAllowAndHeadAnswersAsGet() async throws {
        try await AccountBed.run { bed, client in
            for (method, path, allow) in [(HTTPRequest.Method.delete, "/api/v1/networks", "GET, HEAD"), (.trace, "/", "GET, HEAD"),
                                          (.put, "/networks/carin/edit", "GET, HEAD, POST"), (.get, "/sign-out", "POST"),
                                          (.options, "/api/v1/networks/carin", "GET, HEAD")] {
                let response = try await client.execute(uri: path, method: method, headers: [:], body: nil)
                #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
            }
            let api = try await client.execute(uri: "/api/v1/networks", method: .delete, headers: [:], body: nil)
            #expect(api.headers[.contentType] == "application/problem+json")
            let page = try await client.execute(uri: "/", method: .trace, headers: [.acceptLanguage: "fr"], body: nil)
            #expect(page.page.contains("Impossible à cette adresse"))
            let head = try await client.execute(uri: "/networks/carin", method: .head, headers: [:], body: nil)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            // A path no route has is still 404, whatever the method.
            #expect(try await client.execute(uri: "/nowhere", method: .delete, headers: [:], body: nil).status == .notFound)
        }
    }

    @Test func oversizeBodiesAre413AndOversizeQueriesAndSearches400() async throws {
        try await AccountBed.run { bed, client in
            var browser = Browser(client)
            try await browser.get("/propose")
            let form = try await browser.post("/propose", ["name": String(repeating: "x", count: 600 * 1024)])
            #expect(form.status == .contentTooLarge, "\(form.status)")
            let json = try await client.execute(uri: "/api/v1/proposals/check", method: .post, headers: [.contentType: "application/json"],
                                                body: ByteBuffer(string: #"{"name":""# + String(repeating: "x", count: 70_000) + #""}"#))
            #expect(json.status == .contentTooLarge && json.headers[.contentType] == "application/problem+json")
            let search = try await client.execute(uri: "/api/v1/networks?q=" + String(repeating: "a", count: 100_000), method: .get,
                                                  headers: [:], body: nil)
            #expect(search.status == .badRequest && search.page.contains("query string"))
            let long = try await client.execute(uri: "/networks?q=" + String(repeating: "a", count: 201), method: .get, headers: [:], body: nil)
            #expect(long.status == .badRequest && long.page.contains("at most 200 characters"))
            let notUTF8 = try await client.execute(uri: "/networks?q=%FF%FE", method: .get, headers: [:], body: nil)
            #expect(notUTF8.status == .badRequest && notUTF8.page.contains("percent-encoded UTF-8"))
        }
    }

    @Test func aPageAskedForWithTwoSlashesLinksOnlyToThisSite() async throws {
        try await AccountBed.run { bed, client in
            let response = try await client.execute(uri: "//evil.example/x", method: .get, headers: [:], body: nil)
            #expect(response.status == .notFound)
            #expect(!response.page.contains(#"href="//"#) && !response.page.contains(#"href="/\"#), "no link leaves the site")
            #expect(response.page.contains(#"href="/evil.example/x?lang=fr""#))
        }
    }

    @Test func acceptingAnInvitationWithANewPasswordEndsTheAccountsOtherSessions() async throws {
        try await AccountBed.run { bed, client in
            let person = try await bed.account("p@example.org", role: .practitioner)
            var before = Browser(client)
            _ = try await AccountFlowTests.signIn(&before, bed, "p@example.org")
            #expect(try await before.get("/account").status == .ok)
            try await bed.accounts.invite(email: person.email, role: .focalPoint, networks: ["carin"], language: .en,
                                          networkNames: ["carin": "CARIN"], by: nil, address: nil)
            let link = try bed.link(in: try #require(try await bed.mail().last))
            var other = Browser(client, address: "198.51.100.4")
            try await other.get(link)
            let accepted = try await other.post(link, ["password": "a-new-passphrase-for-p", "password_again": "a-new-passphrase-for-p"])
            #expect(accepted.status == .seeOther, "\(accepted.status) \(accepted.page.prefix(300))")
            // The session opened with the old password is over; the new one works.
            let after = try await before.get("/account")
            #expect(after.status == .seeOther && after.location?.hasPrefix("/sign-in") == true)
            #expect(try await other.get("/account").status == .ok)
        }
    }

    @Test func addressChangesAreLimitedPerAccount() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("p@example.org", role: .practitioner)
            var browser = Browser(client)
            _ = try await AccountFlowTests.signIn(&browser, bed, "p@example.org")
            for i in 0..<5 {
                try await browser.get("/account")
                let asked = try await browser.post("/account/email", ["new_email": "p\(i)@example.org", "current_password": AccountBed.password])
                #expect(asked.location == "/account?done=email")
            }
            try await browser.get("/account")
            let sixth = try await browser.post("/account/email", ["new_email": "p9@example.org", "current_password": AccountBed.password])
            #expect(sixth.page.contains("Too many attempts"), "\(sixth.status)")
            #expect(try await bed.mail().count == 5, "no sixth link mailed")
        }
    }
}
