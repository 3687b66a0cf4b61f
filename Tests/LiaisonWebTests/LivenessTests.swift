import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import NIOCore
import Synchronization
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The link checker against a real local web site that answers, fails, redirects in a loop, is slow and
/// recovers; and the whole liveness path: a network whose site stops answering needs verification, its focal
/// point is mailed, and one click confirms it.
@Suite struct LivenessWebTests {
    /// A small web site of the test's own, on a random local port.
    final class Site: Sendable {
        let down = Mutex(true)

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.get("/ok") { _, _ in "fine" }
            router.get("/missing") { _, _ -> Response in Response(status: .notFound) }
            router.get("/loop") { _, _ -> Response in Response(status: .found, headers: [.location: "/loop"]) }
            router.get("/hop/:n") { _, context -> Response in
                let n = Int(context.parameters.get("n") ?? "0") ?? 0
                return Response(status: .movedPermanently, headers: [.location: n <= 1 ? "/ok" : "/hop/\(n - 1)"])
            }
            router.get("/slow") { _, _ -> String in
                try await Task.sleep(for: .seconds(3))
                return "late"
            }
            router.get("/down") { [self] _, _ -> Response in
                self.down.withLock { $0 } ? Response(status: .serviceUnavailable) : Response(status: .ok)
            }
            router.get("/agent") { request, _ -> Response in
                (request.headers[.userAgent] ?? "").hasPrefix("Liaison link checker/") ? Response(status: .ok) : Response(status: .forbidden)
            }
            return router
        }

        /// Runs `body` with the site's base address.
        func serve(_ body: @Sendable (String) async throws -> Void) async throws {
            let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                try await body("http://127.0.0.1:\(try #require(client.port))")
            }
        }
    }

    @Test func theCheckerTellsAnswersFailuresLoopsAndTimeoutsApart() async throws {
        let site = Site()
        try await site.serve { base in
            var checker = LinkChecker(site: "https://liaison.test")
            checker.policy.allowPrivate = true
            checker.timeout = .seconds(1)
            checker.concurrency = 3
            let urls = ["ok", "missing", "loop", "hop/3", "hop/9", "slow", "agent"].map { "\(base)/\($0)" }
                + ["http://127.0.0.1:1/refused", "ftp://example.org/file"]
            let seen = Mutex(0)
            let results = Dictionary(uniqueKeysWithValues: await checker.check(urls + urls, progress: { _, _, _ in seen.withLock { $0 += 1 } })
                .map { ($0.url, $0) })
            #expect(results.count == urls.count && seen.withLock { $0 } == urls.count, "each address once")
            #expect(results["\(base)/ok"]?.outcome == .ok && results["\(base)/ok"]?.status == 200)
            #expect(results["\(base)/missing"]?.outcome == .httpError && results["\(base)/missing"]?.status == 404)
            let loop = try #require(results["\(base)/loop"])
            #expect(loop.outcome == .tooManyRedirects && loop.detail?.contains("loop") == true)
            #expect(results["\(base)/hop/3"]?.outcome == .ok && results["\(base)/hop/3"]?.finalURL == "\(base)/ok")
            #expect(results["\(base)/hop/9"]?.outcome == .tooManyRedirects, "more than five redirects")
            #expect(results["\(base)/slow"]?.outcome == .timeout)
            #expect(results["\(base)/agent"]?.outcome == .ok, "an honest User-Agent")
            #expect(results["http://127.0.0.1:1/refused"]?.outcome == .unreachable)
            #expect(results["ftp://example.org/file"]?.outcome == .invalid)
        }
    }

    @Test func aNetworkWhoseSiteStopsAnsweringNeedsVerificationAndItsFocalPointIsMailed() async throws {
        let site = Site()
        try await site.serve { base in
            try await AccountBed.run(seed: false) { bed, client in
                // Setup: one network whose website is the test's site, confirmed today, with a focal point.
                var network = try #require(try CatalogueFile.catalogue2017().networks().first { $0.slug == "seepag" })
                network.website = "\(base)/down"
                network.references = []
                try await bed.catalogue.importNetworks([network], actor: "test", reason: "a network of the test")
                try await bed.account("fp@example.org", role: .focalPoint, networks: ["seepag"])
                try await bed.store.confirmNetwork(slug: "seepag", by: "test", at: bed.clock.now)
                var monitor = bed.liveness
                monitor.checker.timeout = .seconds(2)
                monitor.checker.policy.allowPrivate = true

                // The site fails once, twice: not yet "keeps failing".
                for _ in 0..<2 {
                    let run = try await monitor.run()
                    #expect(run.checked == 1 && run.failed.count == 1 && run.needingVerification.isEmpty && run.reminders == 0)
                    bed.clock.advance(86_400)
                }
                // The third failure in a row: the entry needs verification and its focal point is mailed, once.
                let third = try await monitor.run()
                #expect(third.needingVerification["seepag"] == [.linkFailing(url: "\(base)/down")])
                #expect(third.reminders == 1)
                let page = try await fresh(client).get("/networks/seepag")
                #expect(page.page.contains("needs verification")
                        && page.page.contains("<li>the address \(base)/down has not answered properly for several checks in a row</li>"))
                bed.clock.advance(86_400)
                #expect(try await monitor.run().reminders == 0, "no second mail within a month")

                let mail = try #require(try await bed.mail().first { $0.contains("To: fp@example.org") })
                #expect(mail.contains("\(base)/down") && mail.contains("SEEPAG"))
                let link = try bed.link(in: mail.components(separatedBy: "\r\n").filter { $0.contains("/confirm/") }.joined(separator: "\r\n"))
                #expect(link.hasPrefix("/networks/seepag/confirm/"))

                // One click on the page the link opens says it is still correct.
                var browser = Browser(client)
                let confirmPage = try await browser.get(link)
                #expect(confirmPage.status == .ok && confirmPage.page.contains("Still correct"))
                #expect(try await bed.store.verification(slug: "seepag")?.confirmedBy == "test", "opening the link confirms nothing")
                let done = try await browser.post(link, [:])
                #expect(done.location == "/networks/seepag?confirmed=1")
                #expect(try await bed.store.verification(slug: "seepag")?.confirmedBy == "fp@example.org")
                #expect(try await fresh(client).get(link).status == .gone)

                // The site recovers: the next check clears the link's reason.
                site.down.withLock { $0 = false }
                bed.clock.advance(86_400)
                let recovered = try await monitor.run()
                #expect(recovered.failed.isEmpty && recovered.needingVerification.isEmpty)
                let after = try await fresh(client).get("/networks/seepag")
                #expect(!after.page.contains("needs verification"))
            }
        }
    }

    @Test func theEditorsDashboardShowsProposalsBrokenLinksEntriesToVerifyAndChanges() async throws {
        let site = Site()
        try await site.serve { base in
            try await AccountBed.run(seed: false) { bed, client in
                var network = try #require(try CatalogueFile.catalogue2017().networks().first { $0.slug == "seepag" })
                network.website = "\(base)/down"
                network.references = []
                try await bed.catalogue.importNetworks([network], actor: "test", reason: "a network of the test")
                var monitor = bed.liveness
                monitor.checker.policy.allowPrivate = true
                for _ in 0..<3 {
                    _ = try await monitor.run()
                    bed.clock.advance(86_400)
                }
                var visitor = Browser(client)
                let form = try await visitor.get("/networks/seepag/propose")
                var fields = CurationTests.fields(of: form.page)
                fields["notes"] = "Its site has been down for days."
                fields["source"] = "Tried it myself"
                try await visitor.post("/networks/seepag/propose", fields.merging(["step": "send"]) { $1 })

                var editor = try await AccountFlowTests.editor(bed, client)
                let dashboard = try await editor.get("/admin")
                #expect(dashboard.status == .ok)
                for text in ["1 pending proposals", "1 broken links", "1 entries to verify", "<code>\(base)/down</code>", "HTTP 503",
                             "change to South Eastern European Prosecutors Advisory Group", "has not answered properly", "a network of the test"] {
                    #expect(dashboard.page.contains(text), "\(text)")
                }
                #expect(dashboard.page.contains(#"href="/admin""#), "the dashboard is in the editor's header")
                // The data-quality problems by kind, in the reader's language.
                #expect(dashboard.page.contains("networks without a reference: ") && !dashboard.page.contains("no-reference"))
                #expect(try await editor.get("/admin?lang=fr").page.contains("réseaux sans référence: "))
            }
        }
    }

    @Test func privateAndUnusualAddressesAreNeverOpened() async throws {
        let site = Site()
        try await site.serve { base in
            // The default policy, as `serve` and `check-links` use it: the test's own local site is refused too.
            let checker = LinkChecker(site: "https://liaison.test")
            let urls = ["\(base)/ok", "http://127.0.0.1/admin", "http://2130706433/", "http://no-such-name.invalid/", "http://10.1.2.3/", "http://localhost/", "http://[::1]/", "http://169.254.169.254/latest",
                        "https://example.org:22/", "file:///etc/passwd", "http+unix://%2Fvar%2Frun%2Fdocker.sock/info"]
            let results = await checker.check(urls)
            #expect(results.count == urls.count)
            for result in results {
                #expect(result.outcome == .invalid && result.status == nil, "\(result.url): \(result.outcome)")
                #expect(result.detail?.hasPrefix("not checked") == true || result.detail == "not an address", "\(result.url): \(result.detail ?? "")")
            }
        }
        for address in ["127.0.0.1", "10.0.0.8", "172.16.4.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1",
                        "fe80::1", "febf::1", "fec0::1", "::ffff:10.0.0.1", "::10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "::", "not an address"] {
            #expect(AddressPolicy.isPrivate(address), "\(address)")
        }
        for address in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "172.32.0.1", "100.128.0.1", "64:ff9b::5db8:d822",
                        "2002:5db8:d822::1"] {
            #expect(!AddressPolicy.isPrivate(address), "\(address)")
        }
    }

    @Test func theRequestGoesToTheAddressThePolicyCheckedNotToAFreshLookUp() async throws {
        let site = Site()
        try await site.serve { base in
            let port = try #require(URL(string: base)?.port)
            // A name only the policy's resolver knows: connecting by a fresh look-up of it would fail.
            var checker = LinkChecker(site: "https://liaison.test")
            checker.policy.allowPrivate = true
            checker.policy.resolver = { $0 == "pinned.invalid" ? ["127.0.0.1"] : [] }
            let results = await checker.check(["http://pinned.invalid:\(port)/agent", "http://other.invalid:\(port)/ok"])
            #expect(results.first { $0.url.contains("pinned") }?.outcome == .ok, "\(results)")
            #expect(results.first { $0.url.contains("other") }?.detail == "not checked: the name other.invalid does not resolve")

            // Each hop is decided on its own look-up: a name whose answer turns private (DNS rebinding between a redirect's
            // hops) is refused at that hop, and an open decision carries the one address the request will go to.
            let answers = Mutex(["198.51.100.7"])
            var policy = AddressPolicy()
            policy.resolver = { _ in answers.withLock { $0 } }
            #expect(await policy.decide(try #require(URL(string: "http://rebind.example/"))) == .open(address: "198.51.100.7"))
            answers.withLock { $0 = ["127.0.0.1"] }
            #expect(await policy.decide(try #require(URL(string: "http://rebind.example/"))) == .refused("rebind.example is a private or local address (127.0.0.1)"))
        }
    }

    @Test func pageViewsAtOnceShareOneReadingOfTheLivenessState() async throws {
        try await AccountBed.run { bed, client in
            let state = bed.liveness.state
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try? await state.current(bed.store) } }
            }
            #expect(state.loadCount == 1, "twenty views, one reading")
            _ = try await state.current(bed.store)
            #expect(state.loadCount == 1, "fresh: no second reading")
            state.forget()
            _ = try await state.current(bed.store)
            #expect(state.loadCount == 2, "after a confirmation, read again")
        }
    }

    @Test func aFocalPointOrAnEditorConfirmsFromThePageOthersCannot() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "carin", bed, client)
            let page = try await focal.get("/networks/carin")
            #expect(page.page.contains(#"action="/networks/carin/confirm""#))
            #expect(!(try await focal.get("/networks/seepag")).page.contains(#"action="/networks/seepag/confirm""#), "not their network")
            #expect(try await focal.post("/networks/carin/confirm", [:]).location == "/networks/carin?confirmed=1")
            #expect(try await bed.store.verification(slug: "carin")?.confirmedBy == "fp@example.org")
            try await focal.get("/networks/seepag")
            #expect(try await focal.post("/networks/seepag/confirm", [:]).status == .forbidden)
            let visitorPage = try await fresh(client).get("/networks/carin")
            #expect(!visitorPage.page.contains("/confirm\""))
        }
    }
}
