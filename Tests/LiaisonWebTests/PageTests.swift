import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import LiaisonCore
@testable import LiaisonServices
@testable import LiaisonWeb

@Suite struct PageTests {
    static let pages = ["/", "/networks", "/networks/carin", "/countries", "/countries/HR", "/organisations/europol", "/about"]

    @Test(arguments: pages)
    func everyPageTypeRendersInEnglishAndFrench(path: String) async throws {
        try await withApp { client in
            for lang in ["en", "fr"] {
                let separator = path.contains("?") ? "&" : "?"
                try await client.get(path + separator + "lang=" + lang) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    let page = html(response)
                    #expect(page.contains("<html lang=\"\(lang)\">"))
                    #expect(page.contains("hreflang=\"en\""))
                    #expect(page.contains("hreflang=\"fr\""))
                    // Every string went through the table: no key shows through.
                    #expect(!page.contains("{{"))
                    #expect(page.range(of: #">[a-z]+(_[a-z]+)+<"#, options: .regularExpression) == nil, "a localisation key shows in \(path)")
                }
            }
        }
    }

    @Test func anEntryAsTheReportPrintedItSaysSoAndClaimsNoChange() async throws {
        try await withApp { client in
            try await client.get("/networks/carin") { response async throws in
                let page = html(response)
                #expect(page.contains("as printed in CDPC (2017) 1, not yet confirmed by the network"))
                #expect(!page.contains("Last changed"), "the load of the catalogue is not a change")
                #expect(!page.contains("kept up to date"))
            }
            try await client.get("/api/v1/networks/carin") { response async throws in
                #expect(try json(response)["last_changed"] == nil)
            }
            try await client.get("/networks/carin?lang=fr") { response async throws in
                #expect(html(response).contains("telle que publiée dans le CDPC (2017) 1, pas encore confirmée par le réseau"))
            }
        }
    }

    @Test func aNetworkPageShowsPartiesByRoleInTheReadersLanguage() async throws {
        try await withApp { client in
            try await client.get("/networks/carin?lang=fr") { response async throws in
                let page = html(response)
                #expect(page.contains("Observateurs"))
                #expect(page.contains("Croatie"))
                #expect(page.contains("Hébergé par"))
                #expect(page.contains("Europol"))
                #expect(page.contains("Critères d’inclusion"))
                let observers = try #require(page.range(of: "Observateurs"))
                let members = try #require(page.range(of: "<h3>Membres"))
                #expect(members.lowerBound < observers.lowerBound)
                #expect(!page[members.lowerBound..<observers.lowerBound].contains("Croatie"), "not among the members")
                // Croatia is listed among the observers, not the members.
                let croatia = try #require(page.range(of: "Croatie", range: observers.lowerBound..<page.endIndex))
                #expect(croatia.lowerBound > observers.lowerBound)
            }
            try await client.get("/networks/ejtn?lang=en") { response async throws in
                let page = html(response)
                #expect(page.contains("Hungary: National Office for the Judiciary"))
                #expect(page.contains("England and Wales"))
            }
            try await client.get("/networks/iap") { response async throws in
                let page = html(response)
                for hosted in ["/networks/gpen", "/networks/tipp", "/networks/ctpn", "/networks/nacp"] {
                    #expect(page.contains(hosted))
                }
            }
        }
    }

    @Test func aCountryPageGroupsNetworksByRole() async throws {
        try await withApp { client in
            try await client.get("/countries/CH?lang=en") { response async throws in
                let page = html(response)
                #expect(page.contains("Switzerland"))
                #expect(page.contains("Liaison prosecutors"))
                #expect(page.contains("Cooperation agreements"))
                #expect(page.contains("/networks/eurojust"))
            }
            try await client.get("/countries/ch") { response async throws in
                #expect(response.status == .movedPermanently)
                #expect(response.headers[.location] == "/countries/CH")
            }
            try await client.get("/countries?code=GH") { response async throws in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/countries/GH")
            }
            try await client.get("/countries?code=DE-NW") { response async throws in
                #expect(response.headers[.location] == "/countries/DE-NW")
            }
            try await client.get("/countries/DE-NW") { response async throws in
                #expect(response.status == .ok)
                #expect(html(response).contains("/networks/bes"))
            }
        }
    }

    @Test func theLanguageComesFromTheQueryThenTheCookieThenTheBrowser() async throws {
        try await withApp { client in
            try await client.get("/about", headers: [.acceptLanguage: "fr-CH, fr;q=0.9, en;q=0.8"]) { response async throws in
                #expect(html(response).contains("<html lang=\"fr\">"))
                #expect(response.headers[.setCookie] == nil)
            }
            try await client.get("/about?lang=fr") { response async throws in
                #expect(html(response).contains("<html lang=\"fr\">"))
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.contains("lang=fr"))
                #expect(cookie.contains("SameSite=Lax"))
            }
            try await client.get("/about", headers: [.cookie: "lang=fr", .acceptLanguage: "en"]) { response async throws in
                #expect(html(response).contains("<html lang=\"fr\">"))
            }
            try await client.get("/about?lang=en", headers: [.cookie: "lang=fr"]) { response async throws in
                #expect(html(response).contains("<html lang=\"en\">"))
            }
            try await client.get("/about", headers: [.acceptLanguage: "de, es"]) { response async throws in
                #expect(html(response).contains("<html lang=\"en\">"))
            }
        }
    }

    @Test func theListFiltersAndPages() async throws {
        try await withApp { client in
            try await client.get("/networks?party=ES&party=GH") { response async throws in
                #expect(html(response).contains("0 networks found"))
            }
            try await client.get("/networks?crime_area=cybercrime") { response async throws in
                let page = html(response)
                #expect(page.contains("5 networks found"))
                #expect(page.contains("/networks/gpen"))
                #expect(!page.contains("/networks/carin\""))
            }
            try await client.get("/networks") { response async throws in
                let page = html(response)
                #expect(page.contains("Page 1 of 2"))
                #expect(page.contains("rel=\"next\""))
            }
        }
    }

    @Test func aSearchIsEchoedAsTypedAndNoMatchOffersTheNetworksMatchingAnyWord() async throws {
        try await withApp { client in
            // A form sends spaces as `+`; a plus sign typed is `%2B`.
            try await client.get("/networks?q=money+laundering") { response async throws in
                let page = html(response)
                #expect(page.contains("value=\"money laundering\""))
                #expect(!page.contains("money+laundering"))
            }
            try await client.get("/networks?q=C%2B%2B") { response async throws in
                #expect(html(response).contains("value=\"C++\""))
            }
            // No network has every word: said so, with those having some, and the finder for the two countries named.
            try await client.get("/networks?q=Spain+Ghana+zzqqxx") { response async throws in
                let page = html(response)
                #expect(page.contains("No network matches all the words of “Spain Ghana zzqqxx”"))
                #expect(page.contains("class=\"networks any-word\""))
                #expect(page.contains("href=\"/networks/iberred\"") || page.contains("href=\"/networks/wacap\""))
                #expect(page.contains("href=\"/finder?from=ES&amp;to=GH\""), "\(page)")
            }
            try await client.get("/networks?q=Espagne+Ghana+zzqqxx&lang=fr") { response async throws in
                let page = html(response)
                #expect(page.contains("Aucun réseau ne correspond à tous les mots de « Espagne Ghana zzqqxx »"))
                #expect(page.contains("Quels réseaux relient Espagne, Ghana ?"))
            }
            // Nothing at all: the plain message, no list.
            try await client.get("/networks?q=zzqqxx+yyvvww") { response async throws in
                let page = html(response)
                #expect(page.contains("No network matches any word of"))
                #expect(!page.contains("href=\"/finder?from="))
            }
        }
    }

    @Test func outputIsEscaped() async throws {
        try await withApp { client in
            try await client.get("/networks?q=%3Cscript%3Ealert(1)%3C/script%3E") { response async throws in
                let page = html(response)
                #expect(!page.contains("<script>alert(1)</script>"))
                #expect(page.contains("&lt;script&gt;"))
            }
        }
    }

    @Test func errorPagesHelpAndNeverShowInternals() async throws {
        try await withApp { client in
            try await client.get("/no/such/page?lang=fr") { response async throws in
                #expect(response.status == .notFound)
                let page = html(response)
                #expect(page.contains("Page introuvable"))
                #expect(page.contains("action=\"/networks\""))
            }
            try await client.get("/networks/atlantis") { response async throws in
                #expect(response.status == .notFound)
                #expect(html(response).contains("Page not found"))
            }
            try await client.get("/networks?crime_area=piracy") { response async throws in
                #expect(response.status == .badRequest)
                let page = html(response)
                #expect(page.contains("piracy"))
                #expect(page.contains("cybercrime"))
            }
            try await client.get("/networks?crime_area=piracy&lang=fr") { response async throws in
                #expect(html(response).contains("La valeur « piracy » n’est pas admise pour « crime_area »"))
            }
        }
    }

    @Test func theStylesheetIsServed() async throws {
        try await withApp { client in
            try await client.get("/static/liaison.css") { response async throws in
                #expect(response.status == .ok)
                #expect(html(response).contains("@media print"))
            }
        }
    }
}

@Suite struct ErrorPageTests {
    struct Secret: Error { let detail = "connection to db-internal:5432 refused" }

    @Test func aServerErrorShowsNoInternals() async throws {
        // The two groups of routes as the application makes them, each with a route that fails.
        let router = Router(context: AppRequestContext.self)
        let answers = ErrorAnswers(renderer: try await PageRenderer.load())
        let methods = RouteMethods()
        Routes(router, for: .pages, answers: answers, methods: methods).get("/boom", needs: .anyone) { _, _ -> String in throw Secret() }
        Routes(router, for: .api, answers: answers, methods: methods).get("/api/v1/boom", needs: .anyone) { _, _ -> String in throw Secret() }
        let app = Application(router: router)

        try await app.test(.router) { client in
            try await client.get("/boom?lang=fr") { response async throws in
                #expect(response.status == .internalServerError)
                let page = html(response)
                #expect(page.contains("Une erreur s’est produite"))
                #expect(!page.contains("db-internal"))
                #expect(!page.contains("Secret"))
            }
            try await client.get("/api/v1/boom") { response async throws in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(!html(response).contains("db-internal"))
            }
        }
    }
}

@Suite struct PageModelTests {
    @Test func everyPrintedEntryIsShownOnceInReadingOrder() throws {
        let networks = try LiaisonCore.CatalogueFile.catalogue2017().networks()
        let catalogue = LiaisonCore.Catalogue(networks: networks)
        let ejtn = try #require(catalogue.network(slug: "ejtn"))

        let page = NetworkPage(ejtn, in: catalogue, t: .english)

        let members = try #require(page.roleGroups.first)
        #expect(members.parties.count == 35)
        #expect(members.parties.filter { $0.name == "Hungary" }.compactMap(\.printed)
                == ["Hungary: National Office for the Judiciary", "Hungary: Office of the Prosecutor General"])
        // Countries by name first, then organisations.
        #expect(members.parties.first?.name == "Austria")
        #expect(members.parties.last?.name == "Academy of European Law (ERA)")
        let transit = try #require(catalogue.network(slug: "prosecutors-source-transit-destination"))
        let names = NetworkPage(transit, in: catalogue, t: .french).roleGroups.first?.parties.map(\.name)
        #expect(names == ["États-Unis", "Kazakhstan", "Kirghizstan", "Ouzbékistan", "Ouzbékistan", "Suède"])
    }
}

/// Dates, times, pages and the history as a European reader expects them, in both languages.
@Suite struct ReadersWordsTests {
    @Test func datesAreDayMonthYearWithA24HourClockInBothLanguages() {
        let date = Date(timeIntervalSince1970: 1_796_566_500) // 6 December 2026, 14:15 UTC
        #expect(DateText.date(date, .en) == "6 December 2026")
        #expect(DateText.date(date, .fr) == "6 décembre 2026")
        #expect(DateText.dateTime(date, .en) == "6 December 2026 at 14:15 UTC")
        #expect(DateText.dateTime(date, .fr) == "6 décembre 2026 à 14:15 UTC")
    }

    @Test func theHistoryAndTheChangesSpeakTheReadersLanguage() async throws {
        try await withApp { client in
            for path in ["/networks/carin/history?lang=fr", "/changes?lang=fr"] {
                try await client.get(path) { response async throws in
                    let page = html(response)
                    #expect(page.contains("telle que publiée dans le rapport CDPC (2017) 1"), "\(path)")
                    #expect(!page.contains("first start"), "\(path)")
                    #expect(page.range(of: #"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4} à \d{2}:\d{2} UTC"#,
                                       options: .regularExpression) != nil, "\(path)")
                }
            }
        }
    }

    @Test func aPagePastTheLastIsSaidNotShownEmpty() async throws {
        try await withApp { client in
            try await client.get("/networks?page=99") { response async throws in
                #expect(response.status == .badRequest)
                #expect(html(response).contains("the list has 2 pages"))
            }
            try await client.get("/networks?page=2") { response async throws in
                #expect(response.status == .ok)
            }
        }
    }
}

/// The report's lists, and pages in the language they are for.
@Suite struct ReadersLanguageTests {
    @Test func theReportsDashLinesAreListsAndTheTextSaysItsLanguage() async throws {
        #expect(TextBlock.blocks("Intro.\n\n-First point.\n\n- Second point.\n\nAfter.").map(\.isList) == [false, true, false])
        #expect(TextBlock.blocks("-First point.\n\n- Second point.").first?.items == ["First point.", "Second point."])
        try await withApp { client in
            try await client.get("/networks/eurojust?lang=fr") { response async throws in
                let page = html(response)
                #expect(page.contains("<ul><li>Eurojust est une unité de coopération judiciaire"))
                #expect(page.contains(#"<div lang="fr">"#))
            }
        }
        // A purpose in English only: marked as English on the French page, and said to be.
        var english = try #require(try CatalogueFile.catalogue2017().networks().first { $0.slug == "eurojust" })
        english.purpose[.fr] = nil
        english.translations = []
        let model = NetworkPage(english, in: Catalogue(networks: [english]), t: Localizer.french)
        #expect(model.purposeLang == "en" && model.purposeLanguageNote == Localizer.french["purpose_in_english"])
    }

    @Test func anInvitationOpensInItsLanguage() async throws {
        try await AccountBed.run { bed, client in
            try await bed.accounts.invite(email: "nadia@example.org", role: .focalPoint, networks: ["carin"], language: .fr,
                                          networkNames: ["carin": "CARIN"], by: nil, address: "cli")
            let mail = try #require(try await bed.mail().first { $0.contains("To: nadia@example.org") })
            let link = try bed.link(in: mail)
            var browser = Browser(client)
            let opened = try await browser.get(link)
            #expect(opened.status == .seeOther && opened.location?.hasSuffix("?lang=fr") == true)
            let page = try await browser.get(try #require(opened.location))
            #expect(page.status == .ok && page.page.contains("Votre invitation à Liaison"))
            // Chosen otherwise by the person, it stays as chosen.
            #expect(try await browser.get(link + "?lang=en").status == .ok)
        }
    }
}

@Suite struct ListedTwicePageTests {
    @Test func aCountryPagesCountIsItsListAndTheDoubleRowsSaySo() async throws {
        try await withApp { client in
            try await client.get("/countries/AL") { response async throws in
                let page = html(response)
                let listed = page.components(separatedBy: #"<a href="/networks/"#).count - 1
                let summary = try #require(page.range(of: #"(\d+) networks"#, options: .regularExpression).map { String(page[$0]) })
                #expect(summary == "\(listed) networks", "\(summary) for \(listed) listed")
                #expect(!page.contains(#"href="/networks/acn-non-european""#))
            }
            try await client.get("/networks?lang=en") { response async throws in
                #expect(html(response).contains("38 networks found"))
            }
            try await client.get("/statistics?lang=en") { response async throws in
                #expect(html(response).contains("38 networks ·"), "the statistics count each network once too")
            }
            try await client.get("/networks/acn-non-european") { response async throws in
                let page = html(response)
                #expect(page.contains("The report lists this network twice; the catalogue shows and counts it once"))
                #expect(page.contains(#"<a href="/networks/acn">"#))
            }
        }
    }
}

@Suite struct NetworkFunctionPageTests {
    @Test func pagesAndTheAPISayWhatANetworkIsForAndOfferOpenNetworks() async throws {
        try await withApp { client in
            try await client.get("/networks/iap") { response async throws in
                #expect(html(response).contains("open to (the authorities of) any country; its members are not listed"))
            }
            try await client.get("/networks/g20-acwg?lang=fr") { response async throws in
                #expect(html(response).contains("forum d’orientation (sans traitement d’affaires)"))
            }
            try await client.get("/finder?from=ES&to=GH") { response async throws in
                let page = html(response)
                // The answer can be sent and printed: its own address, the day and revision it was given from.
                #expect(page.contains(#"<a href="/finder?from=ES&amp;to=GH&amp;lang=en">link to this answer</a>"#))
                #expect(page.contains("from revision ") && page.contains("printing leaves out the form"))
                #expect(page.contains("Networks open to any country (their members are not listed)") && page.contains(#"href="/networks/iap""#))
            }
            try await client.get("/api/v1/networks/ejn") { response async throws in
                let body = try json(response)
                #expect(body["function"] as? String == "operational" && body["open_membership"] as? Bool == false)
            }
            try await client.get("/api/v1/finder?from=ES&to=GH") { response async throws in
                let open = try #require(try json(response)["open"] as? [[String: Any]])
                #expect(open.contains { $0["slug"] as? String == "gpen" })
            }
            try await client.get("/networks/ejn/edit") { response async throws in
                // Only its editors see the form; a visitor is sent to sign in.
                #expect(response.status == .seeOther)
            }
        }
    }
}
