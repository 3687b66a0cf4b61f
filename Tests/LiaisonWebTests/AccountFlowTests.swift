import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Accounts as people use them, through the pages: invitations, sign-in with a second factor, sessions, forms,
/// throttling, mailed links.
@Suite struct AccountFlowTests {
    static let adminKey = "AdminKey0123456789ab"

    /// A browser signed in as fp@example.org, focal point of `network`.
    static func focalPoint(of network: String, _ bed: AccountBed, _ client: any TestClientProtocol) async throws -> Browser {
        try await bed.account("fp@example.org", role: .focalPoint, networks: [network])
        var focal = Browser(client)
        _ = try await signIn(&focal, bed, "fp@example.org")
        return focal
    }

    /// A browser signed in as an editor (with the second factor `key`).
    static func editor(_ bed: AccountBed, _ client: any TestClientProtocol, email: String = "ed@example.org",
                       key: String = ProposalTests.editorKey) async throws -> Browser {
        try await bed.account(email, role: .editor, secondFactor: key)
        var editor = Browser(client)
        _ = try await signIn(&editor, bed, email, key: key)
        return editor
    }

    /// Signs a browser in (with the second factor when `key` is given); returns the page it lands on.
    static func signIn(_ browser: inout Browser, _ bed: AccountBed, _ email: String, key: String? = nil, steps: Int = 0) async throws -> String? {
        try await browser.get("/sign-in")
        var response = try await browser.post("/sign-in", ["email": email, "password": AccountBed.password])
        if let key {
            #expect(response.location == "/sign-in/code")
            try await browser.get("/sign-in/code")
            response = try await browser.post("/sign-in/code", ["code": bed.code(key, steps: steps)])
        }
        return response.location
    }

    @Test func aPersonChoosesTheLanguageOfTheirMails() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await Self.focalPoint(of: "carin", bed, client)
            let page = try await focal.get("/account")
            #expect(page.page.contains(#"<option value="en" selected>English</option>"#))
            #expect(try await focal.post("/account/language", ["language": "de"]).status == .badRequest)
            #expect(try await focal.post("/account/language", ["language": "fr"]).location == "/account?done=language")
            #expect(try await focal.get("/account?done=language").page.contains(#"<option value="fr" selected>French</option>"#))
            // The next mail (a password reset) is in French.
            var visitor = Browser(client)
            try await visitor.get("/password-reset")
            try await visitor.post("/password-reset", ["email": "fp@example.org"])
            let message = try #require(try await bed.mail().last { $0.contains("To: fp@example.org") })
            #expect(message.contains("Content-Language: fr"))
        }
    }

    @Test func oneClientCannotAskForResetsOfManyAddresses() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("p@example.org", role: .practitioner)
            var busy = Browser(client, address: "203.0.113.50")
            try await busy.get("/password-reset")
            for i in 0..<10 {
                #expect(try await busy.post("/password-reset", ["email": "someone\(i)@example.org"]).status == .ok)
            }
            // The eleventh request from this client is refused, even for an address with an account, and mails nothing.
            let refused = try await busy.post("/password-reset", ["email": "p@example.org"])
            #expect(refused.status == .tooManyRequests && refused.page.contains("Too many attempts. For your security"))
            #expect(try await bed.mail().isEmpty)
            // Another client is not held back.
            var other = Browser(client, address: "198.51.100.60")
            try await other.get("/password-reset")
            #expect(try await other.post("/password-reset", ["email": "p@example.org"]).status == .ok)
            #expect(try await bed.mail().contains { $0.contains("To: p@example.org") })
        }
    }

    @Test func anAdministratorInvitesAFocalPointWhoSignsInThroughTheMailedLink() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("admin@example.org", role: .administrator, secondFactor: Self.adminKey)
            var admin = Browser(client)
            #expect(try await Self.signIn(&admin, bed, "admin@example.org", key: Self.adminKey) == "/account")

            // The administrator invites a focal point of CARIN, in French.
            let form = try await admin.get("/invitations")
            #expect(form.status == .ok && form.page.contains(#"<option value="administrator""#))
            // Networks are ticked in a list of the catalogue's, by name; a short name the catalogue lacks is refused
            // and stays, marked, for the inviter to correct, with the ticked one still ticked.
            #expect(!form.page.contains("<textarea"), "nothing typed, no box for what the list lacks")
            #expect(form.page.contains(#"<input type="checkbox" id="network-carin" name="networks" value="carin"> <label for="network-carin">Camden Assets Recovery Interagency Network"#))
            let typo = try await admin.post("/invitations", ["email": "focal@example.org", "role": "focal_point", "networks": "carin\ncarrin",
                                                             "language": "fr"])
            #expect(typo.status == .badRequest && typo.page.contains("“carrin” is not allowed"))
            #expect(typo.page.contains(#"value="carin" checked>"#) && typo.page.contains(#"aria-invalid="true">carrin</textarea>"#))
            let sent = try await admin.post("/invitations", ["email": "Focal@Example.org", "role": "focal_point", "networks": "carin",
                                                             "language": "fr"])
            #expect(sent.status == .ok && sent.page.contains("focal@example.org is on its way"))

            let message = try #require(try await bed.mail().first { $0.contains("To: focal@example.org") })
            #expect(message.contains("Content-Language: fr") && message.contains("point focal"))
            #expect(message.contains("Camden Assets Recovery Interagency Network"), "the network by its name")
            let link = try bed.link(in: message)
            #expect(link.hasPrefix("/invitations/"))

            // The focal point follows the link, chooses a password and lands on the network's page, signed in.
            var focal = Browser(client, address: "198.51.100.7")
            // The invitation is in French: its page opens in French.
            let opened = try await focal.get(link)
            #expect(opened.status == .seeOther && opened.location == link + "?lang=fr")
            let invitation = try await focal.get(link + "?lang=fr")
            #expect(invitation.status == .ok && invitation.page.contains("focal@example.org") && invitation.page.contains(#"<html lang="fr""#))
            let weak = try await focal.post(link, ["display_name": "Fiona Focal", "password": "password1234", "password_again": "password1234"])
            #expect(weak.status == .badRequest && weak.page.contains("most often tried"))
            let accepted = try await focal.post(link, ["display_name": "Fiona Focal", "password": AccountBed.password,
                                                       "password_again": AccountBed.password])
            #expect(accepted.status == .seeOther && accepted.location == "/networks/carin")
            #expect(focal.session != nil)

            // It sees only what its role allows.
            let network = try await focal.get("/networks/carin")
            #expect(network.status == .ok && network.page.contains("Fiona Focal"))
            #expect(network.page.contains(#"href="/account""#))
            #expect(!network.page.contains(#"href="/admin/accounts""#) && !network.page.contains(#"href="/invitations""#))
            for path in ["/admin/accounts", "/admin/audit", "/invitations"] {
                #expect(try await focal.get(path).status == .forbidden, "\(path)")
            }
            let account = try await focal.get("/account")
            // Still in the invitation's language, which the language cookie now remembers.
            #expect(account.status == .ok && account.page.contains("point focal") && account.page.contains("/networks/carin"))

            // The link works once.
            #expect(try await fresh(client).get(link).status == .gone)

            // The administrator sees the whole story in the audit log: who, when, from where.
            let audit = try await admin.get("/admin/audit")
            #expect(audit.status == .ok)
            for text in ["invitation sent", "invitation accepted", "focal@example.org", "198.51.100.7", "signed in", "account created"] {
                #expect(audit.page.contains(text), "\(text)")
            }
            let entries = try await bed.store.auditLog()
            #expect(entries.first { $0.event == .invitationSent }?.actorEmail == "admin@example.org")
            #expect(entries.first { $0.event == .invitationAccepted }?.address == "198.51.100.7")
        }
    }

    @Test func anEditorMustSetUpASecondFactorBeforeAnythingElse() async throws {
        try await AccountBed.run { bed, client in
            let editor = try await bed.account("ed@example.org", role: .editor)
            var browser = Browser(client)
            #expect(try await Self.signIn(&browser, bed, "ed@example.org") == "/account/two-factor")
            let first = try #require(browser.session)
            // Nothing but the set-up until then.
            for path in ["/invitations", "/account"] {
                let response = try await browser.get(path)
                #expect(response.status == .seeOther && response.location == "/account/two-factor", "\(path)")
            }
            let setup = try await browser.get("/account/two-factor")
            let session = try #require(browser.session)
            let secret = try #require(try await bed.store.secondFactorKey(session: Secrets.hash(session)))
            let base32 = try #require(TOTP(secret: secret).createAuthenticatorURL(label: "x").split(separator: "=").dropFirst().first)
            #expect(setup.status == .ok && setup.page.replacingOccurrences(of: " ", with: "").contains(base32))
            #expect(setup.page.contains("otpauth://totp/Liaison:ed@example.org?secret="))
            // The QR code on the page is the one for that address (a reader decodes it in e2e/).
            let address = try #require(setup.page.firstMatch(of: /href="(otpauth:[^"]+)"/)).1
            let qr = try QRCode(String(address).replacingOccurrences(of: "&amp;", with: "&"), errorCorrection: .medium)
            #expect(setup.page.contains("<path fill=\"#000\" d=\"\(qr.svgPath)\"/>"))
            #expect(setup.page.contains("viewBox=\"0 0 \(qr.drawingSide) \(qr.drawingSide)\" role=\"img\" aria-label=\"QR code"))

            #expect(try await browser.post("/account/two-factor", ["code": "000000"]).status == .badRequest)
            let done = try await browser.post("/account/two-factor", ["code": bed.code(secret)])
            #expect(done.status == .ok)
            let codes = done.page.matches(of: /<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/).map { String($0.1) }
            #expect(codes.count == 10 && Set(codes).count == 10)
            #expect(browser.session != first, "a new session id once signed in")
            #expect(try await browser.get("/invitations").status == .ok)

            // Next time: password, then a code — not the one already used, a fresh one.
            try await browser.post("/sign-out", [:])
            #expect(try await Self.signIn(&browser, bed, "ed@example.org") == "/sign-in/code")
            try await browser.get("/sign-in/code")
            let reused = try await browser.post("/sign-in/code", ["code": bed.code(secret)])
            #expect(reused.status == .badRequest && reused.page.contains("wrong or was used already"))
            bed.clock.advance(30)
            #expect(try await browser.post("/sign-in/code", ["code": bed.code(secret)]).location == "/account")

            // A recovery code works once.
            try await browser.post("/sign-out", [:])
            _ = try await Self.signIn(&browser, bed, "ed@example.org")
            try await browser.get("/sign-in/code")
            #expect(try await browser.post("/sign-in/code", ["code": codes[3].uppercased()]).location == "/account")
            try await browser.post("/sign-out", [:])
            _ = try await Self.signIn(&browser, bed, "ed@example.org")
            try await browser.get("/sign-in/code")
            #expect(try await browser.post("/sign-in/code", ["code": codes[3]]).status == .badRequest)
            #expect(try await bed.store.unusedRecoveryCodes(accountID: editor.id) == 9)

            // New codes, after the password, replace all the earlier ones; the page offers them as a file.
            bed.clock.advance(30)
            #expect(try await browser.post("/sign-in/code", ["code": bed.code(secret)]).location == "/account")
            let accountPage = try await browser.get("/account").page
            #expect(accountPage.contains("action=\"/account/recovery-codes\"") && accountPage.contains("(9 recovery codes left)"))
            let wrongPassword = try await browser.post("/account/recovery-codes", ["current_password": "not it at all"])
            #expect(wrongPassword.status == .badRequest && wrongPassword.page.contains("must be your current password"))
            let renewed = try await browser.post("/account/recovery-codes", ["current_password": AccountBed.password])
            let newCodes = renewed.page.matches(of: /<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/).map { String($0.1) }
            #expect(renewed.status == .ok && newCodes.count == 10 && Set(newCodes).isDisjoint(with: codes))
            #expect(try await bed.store.unusedRecoveryCodes(accountID: editor.id) == 10)
            let file = try #require(renewed.page.firstMatch(of: /href="data:text\/plain;charset=utf-8,([A-Za-z0-9%]+)" download="liaison-recovery-codes.txt"/))
            let text = try #require(String(file.1).removingPercentEncoding)
            #expect(text.hasPrefix("Liaison recovery codes for ed@example.org, made on ") && newCodes.allSatisfy(text.contains))
            #expect(try await bed.store.auditLog(limit: 5).contains { $0.event == .recoveryCodesReplaced })
            try await browser.post("/sign-out", [:])
            _ = try await Self.signIn(&browser, bed, "ed@example.org")
            try await browser.get("/sign-in/code")
            #expect(try await browser.post("/sign-in/code", ["code": codes[4]]).status == .badRequest, "an earlier code no longer works")
            #expect(try await browser.post("/sign-in/code", ["code": newCodes[0]]).location == "/account")

            // An editor cannot turn the second factor off.
            try await browser.get("/account")
            let off = try await browser.post("/account/two-factor/remove", ["current_password": AccountBed.password])
            #expect(off.status == .badRequest && off.page.contains("must sign in with a second factor"))
        }
    }

    @Test func theTimeBasedCodesAreThoseOfRFC6238() async throws {
        // RFC 6238, appendix B: the SHA-1 key "12345678901234567890" gives 94287082 at 59 s (6 digits: 287082).
        try await AccountBed.run { bed, _ in
            bed.clock.advance(59 - bed.clock.now.timeIntervalSince1970)
            #expect(bed.accounts.matchingStep(secret: "12345678901234567890", code: "287082") == 1)
            bed.clock.advance(1_111_111_109 - 59)
            #expect(bed.accounts.matchingStep(secret: "12345678901234567890", code: "081804") == 37_037_036)
            #expect(bed.accounts.matchingStep(secret: "12345678901234567890", code: "081805") == nil)
        }
    }

    @Test func sessionIdsChangeAtEachStepAndCookiesAreGuarded() async throws {
        try await AccountBed.run(https: true) { bed, client in
            try await bed.account("ed@example.org", role: .editor, secondFactor: Self.adminKey)
            var browser = Browser(client)
            // A session id planted before sign-in (session fixation) is never adopted.
            let planted = String(repeating: "A", count: 43)
            browser.cookies["__Host-" + AccountMiddleware.sessionCookie] = planted
            try await browser.get("/sign-in")
            let step = try await browser.post("/sign-in", ["email": "ed@example.org", "password": AccountBed.password])
            // Over HTTPS every cookie has the __Host- prefix: no other host (a sub-domain) can set or shadow it.
            #expect(step.headers[values: .setCookie].allSatisfy { $0.hasPrefix("__Host-") }, "\(step.headers[values: .setCookie])")
            let cookie = try #require(step.headers[values: .setCookie].first { $0.hasPrefix("__Host-liaison_session=") })
            for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] { #expect(cookie.contains(attribute), "\(attribute)") }
            let codeStep = try #require(browser.session)
            #expect(codeStep != planted)
            try await browser.get("/sign-in/code")
            _ = try await browser.post("/sign-in/code", ["code": bed.code(Self.adminKey, steps: 1)])
            let signedIn = try #require(browser.session)
            #expect(signedIn != codeStep)

            for stale in [planted, codeStep] {
                var other = Browser(client)
                other.cookies["__Host-" + AccountMiddleware.sessionCookie] = stale
                let response = try await other.get("/account")
                #expect(response.status == .seeOther && response.location == "/sign-in?next=%2Faccount")
            }
            // The visitor's form cookie is guarded too.
            let visitor = try await fresh(client).get("/sign-in")
            let formCookie = try #require(visitor.headers[values: .setCookie].first { $0.hasPrefix("__Host-liaison_form=") })
            for attribute in ["HttpOnly", "SameSite=Strict", "Secure"] { #expect(formCookie.contains(attribute)) }
            // Public pages set no cookie at all.
            #expect(try await fresh(client).get("/networks/carin").headers[values: .setCookie].isEmpty)
        }
    }

    @Test func formsWithoutTheirTokenOrFromAnotherSiteAreRefused() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("p@example.org", role: .practitioner)
            try await bed.account("q@example.org", role: .practitioner)
            var visitor = Browser(client)
            // No token, or a token that is not the cookie's: refused before anything is checked.
            #expect(try await visitor.post("/sign-in", ["email": "p@example.org", "password": AccountBed.password]).status == .forbidden)
            try await visitor.get("/sign-in")
            #expect(try await visitor.post("/sign-in", ["email": "p@example.org", "password": AccountBed.password], token: "forged").status == .forbidden)
            #expect(visitor.session == nil)

            var p = Browser(client), q = Browser(client)
            _ = try await Self.signIn(&p, bed, "p@example.org")
            _ = try await Self.signIn(&q, bed, "q@example.org")
            try await p.get("/account")
            try await q.get("/account")
            let change = ["current_password": AccountBed.password, "new_password": "a whole new passphrase", "password_again": "a whole new passphrase"]
            let refused = try await p.post("/account/password", change, token: q.formToken)
            #expect(refused.status == .forbidden && refused.page.contains("did not come from this site"))
            #expect(try await p.post("/account/password", change, extra: [HTTPField.Name("Origin")!: "https://evil.example"]).status == .forbidden)
            #expect(try await p.post("/account/password", change, token: "").status == .forbidden)
            // Behind a proxy the Host may differ: the public address counts as this site.
            let viaProxy = try await p.post("/account/password", ["current_password": "wrong"], extra: [HTTPField.Name("Origin")!: "http://liaison.test"])
            #expect(viaProxy.status == .badRequest)
            // The right token, from this site: done.
            let done = try await p.post("/account/password", change, extra: [HTTPField.Name("Origin")!: "http://localhost"])
            #expect(done.status == .seeOther && done.location == "/account?done=password")

            // The API takes JSON only (a page elsewhere cannot send JSON without asking first).
            let plain = try await client.execute(uri: "/api/v1/proposals/check", method: .post, headers: [.contentType: "text/plain"],
                                                 body: ByteBuffer(string: #"{"name":"x"}"#))
            #expect(plain.status == .unsupportedMediaType)
            let json = try await client.execute(uri: "/api/v1/proposals/check", method: .post, headers: [.contentType: "application/json"],
                                                body: ByteBuffer(string: #"{"name":"Camden Assets Recovery Interagency Network"}"#))
            #expect(json.status == .ok)
        }
    }

    @Test func signInIsThrottledByAccountAndByAddressWithoutTellingWhichAccountsExist() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("real@example.org", role: .practitioner)
            try await bed.account("other@example.org", role: .practitioner)
            var pages: [String: String] = [:]
            for email in ["real@example.org", "nobody@example.org"] {
                var browser = Browser(client, address: "192.0.2.1")
                try await browser.get("/sign-in")
                for _ in 0..<5 {
                    let wrong = try await browser.post("/sign-in", ["email": email, "password": "not the password at all"])
                    #expect(wrong.status == .badRequest && wrong.page.contains("The e-mail address or the password is wrong."))
                }
                let sixth = try await browser.post("/sign-in", ["email": email, "password": AccountBed.password])
                #expect(sixth.status == .tooManyRequests && sixth.page.contains("Too many attempts. For your security"))
                #expect(browser.session == nil)
                // The minutes left count from the first attempt: a loaded machine may cross a minute between the two.
                pages[email] = sixth.page.replacingOccurrences(of: email, with: "EMAIL")
                    .replacingOccurrences(of: #"value="[^"]{43}""#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"try again in \d+ minutes"#, with: "try again in N minutes", options: .regularExpression)
            }
            #expect(pages["real@example.org"] == pages["nobody@example.org"], "the same answer whether or not the account exists")

            // Twenty failures from one address, over many accounts: that address waits, another does not.
            var busy = Browser(client, address: "203.0.113.9")
            try await busy.get("/sign-in")
            for i in 0..<20 { try await busy.post("/sign-in", ["email": "guess\(i)@example.org", "password": "wrong"]) }
            #expect(try await busy.post("/sign-in", ["email": "other@example.org", "password": AccountBed.password]).status == .tooManyRequests)
            var elsewhere = Browser(client, address: "203.0.113.10")
            #expect(try await Self.signIn(&elsewhere, bed, "other@example.org") == "/account")

            // After the window, the account signs in again.
            bed.clock.advance(15 * 60 + 1)
            var later = Browser(client, address: "192.0.2.1")
            #expect(try await Self.signIn(&later, bed, "real@example.org") == "/account")
            #expect(try await bed.store.auditLog(limit: 1000).contains { $0.event == .signInThrottled && $0.address == "203.0.113.9" })
        }
    }

    @Test func afterSignInOnlyAPathOfThisSiteIsFollowed() async throws {
        for bad in ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "https://evil.example", "evil", "/ok path"] {
            #expect(localPath(bad) == nil, "\(bad)")
        }
        #expect(localPath("/networks/carin?lang=fr") == "/networks/carin?lang=fr")
        try await AccountBed.run { bed, client in
            try await bed.account("p@example.org", role: .practitioner)
            var browser = Browser(client)
            let form = try await browser.get("/sign-in?next=%2F%09%2Fevil.example")
            #expect(!form.page.contains(#"name="next""#), "no way back to a path that is not this site's")
            #expect(!(try await browser.get("/sign-in?next=%2F%2Fevil.example")).page.contains(#"name="next""#), "nor to another site")
            let signedIn = try await browser.post("/sign-in", ["email": "p@example.org", "password": AccountBed.password,
                                                               "next": "/\t/evil.example"])
            #expect(signedIn.location == "/account")
        }
    }

    @Test func aRoleThatNeedsASecondFactorGetsNoSessionWithoutOne() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("admin@example.org", role: .administrator, secondFactor: Self.adminKey)
            try await bed.account("p@example.org", role: .practitioner)
            var person = Browser(client)
            _ = try await Self.signIn(&person, bed, "p@example.org")
            // An invitation raises the practitioner to editor: the session from before ends.
            var admin = Browser(client)
            _ = try await Self.signIn(&admin, bed, "admin@example.org", key: Self.adminKey)
            try await admin.get("/invitations")
            try await admin.post("/invitations", ["email": "p@example.org", "role": "editor", "networks": "", "language": "en"])
            let link = try bed.link(in: try #require(try await bed.mail().last))
            var accepting = Browser(client)
            let page = try await accepting.get(link)
            #expect(page.page.contains("Your account exists already"))
            #expect(try await accepting.post(link, [:]).location == "/account/two-factor")
            #expect(try await person.get("/invitations").location == "/sign-in?next=%2Finvitations")

            // An editor whose second factor an administrator removed keeps a session only to set up a new one.
            var editor = Browser(client)
            let key = "EditorKey0123456789a"
            let ed = try await bed.account("ed@example.org", role: .editor, secondFactor: key)
            _ = try await Self.signIn(&editor, bed, "ed@example.org", key: key)
            #expect(try await editor.get("/invitations").status == .ok)
            try await admin.get("/admin/accounts")
            #expect(try await admin.post("/admin/accounts/\(ed.id)/second-factor/remove", [:]).location == "/admin/accounts")
            #expect(try await editor.get("/invitations").location == "/account/two-factor")

            // The key being set up is the session's: a reload or a wrong code shows it again, another session
            // (another person who knows the password) gets another.
            let keyOf = { (page: String) in page.firstMatch(of: /<code class="key">([^<]*)</).map { String($0.1) } }
            let first = try await editor.get("/account/two-factor").page
            let reload = try await editor.get("/account/two-factor").page
            #expect(keyOf(first) != nil && keyOf(first) == keyOf(reload))
            let retry = try await editor.post("/account/two-factor", ["code": "000000"])
            #expect(keyOf(retry.page) == keyOf(first))
            var intruder = Browser(client, address: "203.0.113.66")
            #expect(try await Self.signIn(&intruder, bed, "ed@example.org") == "/account/two-factor")
            let theirs = try await intruder.get("/account/two-factor").page
            #expect(keyOf(theirs) != nil && keyOf(theirs) != keyOf(first))
        }
    }

    @Test func aPasswordTypedIntoTheAddressFieldIsNeverStored() async throws {
        try await AccountBed.run { bed, client in
            var browser = Browser(client)
            try await browser.get("/sign-in")
            let response = try await browser.post("/sign-in", ["email": "my secret passphrase", "password": "x"])
            #expect(response.status == .badRequest && response.page.contains("The e-mail address or the password is wrong."))
            #expect(!response.page.contains("my secret passphrase"))
            let log = try await bed.store.auditLog()
            #expect(log.map(\.event) == [.signInFailed])
            #expect(log.allSatisfy { !"\($0)".contains("my secret passphrase") } && log.first?.subject == "(not an e-mail address)")
        }
    }

    @Test func resetLinksWorkOnceExpireAndEndEverySession() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("p@example.org", role: .practitioner)
            var signedIn = Browser(client)
            _ = try await Self.signIn(&signedIn, bed, "p@example.org")

            var browser = Browser(client)
            try await browser.get("/password-reset")
            let asked = try await browser.post("/password-reset", ["email": "P@example.org"])
            try await browser.get("/password-reset")
            let unknown = try await browser.post("/password-reset", ["email": "nobody@example.org"])
            #expect(asked.status == .ok && asked.page.contains("If an account uses this address"))
            #expect(unknown.page == asked.page, "no hint whether the address has an account")
            let mail = try await bed.mail()
            #expect(mail.count == 1 && mail[0].contains("To: p@example.org"))
            let link = try bed.link(in: mail[0])

            #expect(try await browser.get(link).status == .ok)
            let mismatch = try await browser.post(link, ["password": "a new long passphrase", "password_again": "a new long passphrase!"])
            #expect(mismatch.status == .badRequest && mismatch.page.contains("must repeat the password"))
            let done = try await browser.post(link, ["password": "a new long passphrase", "password_again": "a new long passphrase"])
            #expect(done.status == .ok && done.page.contains("every session of your account has ended"))
            #expect(try await browser.post(link, ["password": "another long passphrase", "password_again": "another long passphrase"]).status == .gone)
            #expect(try await signedIn.get("/account").location == "/sign-in?next=%2Faccount", "the old session ended")
            let relog = try await browser.post("/sign-in", ["email": "p@example.org", "password": "a new long passphrase"], token: browser.cookies["liaison_form"])
            #expect(relog.location == "/account")

            // A link past its hour is refused.
            try await fresh(client).get("/password-reset")
            var again = Browser(client)
            try await again.get("/password-reset")
            try await again.post("/password-reset", ["email": "p@example.org"])
            let second = try bed.link(in: try #require(try await bed.mail().last))
            bed.clock.advance(3601)
            let expired = try await again.get(second)
            #expect(expired.status == .gone && expired.page.contains("expired"))
            #expect(try await again.get("/password-reset/not-a-token").status == .notFound)
        }
    }

    @Test func sessionsEndWhenIdleWhenOldAndEverywhereOnRequest() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("p@example.org", role: .practitioner)
            var idle = Browser(client)
            _ = try await Self.signIn(&idle, bed, "p@example.org")
            bed.clock.advance(59 * 60)
            #expect(try await idle.get("/account").status == .ok)
            bed.clock.advance(61 * 60)
            let gone = try await idle.get("/account")
            #expect(gone.status == .seeOther && idle.session == nil, "idle for an hour: ended and its cookie cleared")

            var busy = Browser(client)
            _ = try await Self.signIn(&busy, bed, "p@example.org")
            for _ in 0..<14 {  // 14 × 50 min = 11 h 40 min, used all along
                bed.clock.advance(50 * 60)
                #expect(try await busy.get("/account").status == .ok)
            }
            bed.clock.advance(30 * 60)
            #expect(try await busy.get("/account").status == .seeOther, "twelve hours after sign-in, whatever the activity")

            var one = Browser(client), two = Browser(client)
            _ = try await Self.signIn(&one, bed, "p@example.org")
            _ = try await Self.signIn(&two, bed, "p@example.org")
            let account = try await one.get("/account")
            #expect(account.page.components(separatedBy: "<tr><td>").count - 1 == 2, "both sessions listed")
            try await one.post("/account/sign-out-everywhere", [:])
            #expect(try await two.get("/account").status == .seeOther)
            #expect(try await one.get("/account").status == .seeOther)
        }
    }

    @Test func anAddressChangeIsConfirmedByMailAndTheOldAddressIsTold() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("old@example.org", role: .practitioner)
            var browser = Browser(client)
            _ = try await Self.signIn(&browser, bed, "old@example.org")
            try await browser.get("/account")
            let wrong = try await browser.post("/account/email", ["new_email": "new@example.org", "current_password": "nope nope nope"])
            #expect(wrong.status == .badRequest && wrong.page.contains("current_password"))
            #expect(try await browser.post("/account/email", ["new_email": "New@Example.org", "current_password": AccountBed.password]).location
                    == "/account?done=email")
            #expect(try await bed.store.storedAccount(email: "old@example.org") != nil, "nothing changes before the confirmation")
            let link = try bed.link(in: try #require(try await bed.mail().first { $0.contains("To: new@example.org") }))
            var other = Browser(client)
            #expect(try await other.get(link).status == .ok)
            let confirmed = try await other.post(link, [:])
            #expect(confirmed.status == .ok && confirmed.page.contains("new@example.org"))
            #expect(try await bed.store.storedAccount(email: "new@example.org") != nil)
            #expect(try await bed.mail().contains { $0.contains("To: old@example.org") && $0.contains("new@example.org") })
            #expect(try await other.post(link, [:]).status == .gone)

            // Two changes asked, the first to a mistyped address: once one is confirmed, the other link opens nothing.
            try await browser.get("/sign-in")
            _ = try await Self.signIn(&browser, bed, "new@example.org")
            try await browser.get("/account")
            try await browser.post("/account/email", ["new_email": "typo@exampel.org", "current_password": AccountBed.password])
            try await browser.post("/account/email", ["new_email": "right@example.org", "current_password": AccountBed.password])
            let messages = try await bed.mail()
            let typo = try bed.link(in: try #require(messages.first { $0.contains("To: typo@exampel.org") }))
            let right = try bed.link(in: try #require(messages.first { $0.contains("To: right@example.org") }))
            try await other.get(right)
            #expect(try await other.post(right, [:]).status == .ok)
            #expect(try await other.get(typo).status == .gone)
            #expect(try await bed.store.storedAccount(email: "right@example.org") != nil)
        }
    }

    @Test func administratorsChangeRolesAndDisableAccountsButNotTheirOwn() async throws {
        try await AccountBed.run { bed, client in
            let admin = try await bed.account("admin@example.org", role: .administrator, secondFactor: Self.adminKey)
            let person = try await bed.account("p@example.org", role: .practitioner)
            var browser = Browser(client), victim = Browser(client)
            _ = try await Self.signIn(&browser, bed, "admin@example.org", key: Self.adminKey)
            _ = try await Self.signIn(&victim, bed, "p@example.org")
            let list = try await browser.get("/admin/accounts")
            #expect(list.status == .ok && list.page.contains("p@example.org") && list.page.contains("your own account"))
            #expect(!list.page.contains("/admin/accounts/\(admin.id)/disable"))

            let missing = try await browser.post("/admin/accounts/\(person.id)/role", ["role": "focal_point", "networks": ""])
            #expect(missing.status == .badRequest && missing.page.contains("networks"))
            #expect(try await browser.post("/admin/accounts/\(person.id)/role", ["role": "focal_point", "networks": "carin seepag"]).status == .seeOther)
            #expect(try await bed.store.storedAccount(id: person.id)?.account.networks == ["carin", "seepag"])
            #expect(try await victim.get("/account").status == .seeOther, "a new role: sign in again")

            _ = try await Self.signIn(&victim, bed, "p@example.org")
            #expect(try await browser.post("/admin/accounts/\(person.id)/disable", [:]).status == .seeOther)
            #expect(try await victim.get("/account").status == .seeOther)
            var again = Browser(client)
            try await again.get("/sign-in")
            #expect(try await again.post("/sign-in", ["email": "p@example.org", "password": AccountBed.password]).status == .badRequest)

            let own = try await browser.post("/admin/accounts/\(admin.id)/disable", [:])
            #expect(own.status == .badRequest && own.page.contains("you cannot change your own account"))
            #expect(try await browser.post("/admin/accounts/999/enable", [:]).status == .badRequest)
            let log = try await bed.store.auditLog()
            #expect(log.first { $0.event == .roleChanged }?.detail == "practitioner → focal_point (carin, seepag)")
            #expect(log.first { $0.event == .accountDisabled }?.actorEmail == "admin@example.org")
        }
    }
}
