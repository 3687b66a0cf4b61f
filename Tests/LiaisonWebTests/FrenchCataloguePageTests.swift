import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The catalogue in French through the pages and the API: a French-speaking user searches « réseau judiciaire
/// européen » and lands on the EJN, named and described in French; a translation is said to be one, on the page and in
/// the API; an editor changes the French name and says whether it is a translation.
@Suite struct FrenchCataloguePageTests {
    @Test func aFrenchSearchLandsOnTheEJNInFrenchAndTranslationsAreSaid() async throws {
        try await AccountBed.run { bed, client in
            let search = try await client.execute(uri: "/networks?q=r%C3%A9seau+judiciaire+europ%C3%A9en&lang=fr", method: .get, headers: [:], body: nil).page
            let first = try #require(search.firstMatch(of: /<a href="(\/networks\/[a-z0-9-]+)"/)).1
            #expect(first == "/networks/ejn")
            let page = try await client.execute(uri: "/networks/ejn?lang=fr", method: .get, headers: [:], body: nil).page
            #expect(page.contains(#"<h1><span lang="fr">Réseau judiciaire européen</span> <abbr>(EJN)</abbr></h1>"#))
            #expect(page.contains("<title>Réseau judiciaire européen (EJN) · "))
            #expect(page.contains(#"<dt>Nom en anglais</dt><dd><span lang="en">European Judicial Network</span>"#))
            #expect(page.contains("Cet objet est une traduction écrite pour Liaison") && page.contains(#"<div lang="fr">"#))
            #expect(!page.contains("Ce nom français est une traduction"), "the EJN's French name is its official one")
            // A name that is Liaison's translation says so, in French and beside it in English.
            let bes = try await client.execute(uri: "/networks/bes?lang=fr", method: .get, headers: [:], body: nil).page
            #expect(bes.contains("Ce nom français est une traduction écrite pour Liaison"))
            let english = try await client.execute(uri: "/networks/bes?lang=en", method: .get, headers: [:], body: nil).page
            #expect(english.contains("<dt>Name in French</dt>") && english.contains("(a translation written for Liaison)"))
            // The API says the same.
            let api = try await client.execute(uri: "/api/v1/networks/bes", method: .get, headers: [:], body: nil)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [String: Any])
            #expect(object["name_fr"] as? String == bed.catalogue.snapshot.network(slug: "bes")?.nameFR)
            #expect(object["translated"] as? [String] == ["name_fr", "purpose_fr"])
            let ejn = try #require(try JSONSerialization.jsonObject(with: Data(buffer: try await client.execute(uri: "/api/v1/networks/ejn", method: .get,
                                                                                                                headers: [:], body: nil).body)) as? [String: Any])
            #expect(ejn["translated"] as? [String] == ["purpose_fr"])
            #expect((ejn["sources"] as? [[String: String]])?.contains { $0["field"] == "name_fr" } == true)
        }
    }

    /// Lists in French are in the order of the French names they show (they came in the English names' order), on the
    /// list of networks and on a country's page, whose networks are named in French too.
    @Test func frenchListsAreInTheOrderOfTheirFrenchNames() async throws {
        try await AccountBed.run { bed, client in
            let snapshot = bed.catalogue.snapshot
            func slugs(_ page: String) -> [String] { page.matches(of: /<h3><a href="\/networks\/([a-z0-9-]+)">/).map { String($0.1) } }
            func list(_ language: String) async throws -> [String] {
                var all: [String] = []
                for page in 1...2 {
                    all += slugs(try await client.execute(uri: "/networks?lang=\(language)&page=\(page)", method: .get, headers: [:], body: nil).page)
                }
                return all
            }
            let french = try await list("fr"), english = try await list("en")
            // The list's networks (the listed-twice entries are not among them), in the order of their French names.
            let byFrenchName = english.sorted { a, b in
                let (first, second) = (try? #require(snapshot.network(slug: a)), try? #require(snapshot.network(slug: b)))
                return (PartyDirectory.key(first?.nameFR ?? a), a) < (PartyDirectory.key(second?.nameFR ?? b), b)
            }
            #expect(english.count > 30 && english == snapshot.networks.map(\.slug).filter(english.contains))
            #expect(french == byFrenchName)
            #expect(french != english, "the 2017 catalogue's French names order it otherwise")

            let country = try await client.execute(uri: "/countries/FR?lang=fr", method: .get, headers: [:], body: nil).page
            #expect(country.contains(#"<a href="/networks/ejn">Réseau judiciaire européen (EJN)</a>"#))
            for section in country.split(separator: "<section>").dropFirst() {
                let listed = section.matches(of: /<li><a href="\/networks\/([a-z0-9-]+)">/).map { String($0.1) }
                #expect(!listed.isEmpty && listed == byFrenchName.filter(listed.contains))
            }
        }
    }

    @Test func anEditorChangesTheFrenchNameAndSaysItIsTheNetworksOwn() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("editor@example.org", role: .editor, secondFactor: "FrenchKey0123456789ab")
            var editor = Browser(client)
            _ = try await AccountFlowTests.signIn(&editor, bed, "editor@example.org", key: "FrenchKey0123456789ab")
            let form = try await editor.get("/networks/bes/edit?lang=en")
            #expect(form.page.contains(#"name="name_fr""#) && form.page.contains(#"name="name_fr_translated""#))
            let revision = String(try #require(form.page.firstMatch(of: /name="revision" value="(\d+)"/)).1)
            // A French name nothing in the catalogue has yet (BES ships with "Bureau de coopération eurégionale").
            let newName = "Office eurorégional des frontières"
            let old = try #require(try CatalogueFile.catalogue2017().networks().first { $0.slug == "bes" }?.nameFR)
            let before = bed.catalogue.snapshot
            func score(_ snapshot: Catalogue, _ query: String) -> Double? {
                (snapshot.search(query) ?? []).first { snapshot.networks[$0.network].slug == "bes" }?.score
            }
            #expect((before.search(newName) ?? []).first.map { before.networks[$0.network].slug } != "bes")
            let oldScore = try #require(score(before, old))
            var fields = HostileBed.fields(in: form.page)
            fields["revision"] = revision
            fields["name_fr"] = newName
            fields["name_fr_translated"] = ""
            fields["source_name_fr"] = "https://example.org/bes-fr"
            fields["reason"] = "Its own French name"
            let saved = try await editor.post("/networks/bes/edit", fields)
            #expect(saved.status == .seeOther, "\(saved.page.prefix(2000))")
            let bes = try #require(bed.catalogue.snapshot.network(slug: "bes"))
            #expect(bes.nameFR == newName && !bes.translations.contains(.nameFR) && bes.translations.contains(.purposeFR))
            #expect(bes.sources[.nameFR] == "https://example.org/bes-fr")
            // Search finds it by its new French name at once, and the old one is no longer its whole name (the 20 a
            // whole name adds are gone).
            let snapshot = bed.catalogue.snapshot
            #expect((snapshot.search(newName) ?? []).first.map { snapshot.networks[$0.network].slug } == "bes")
            #expect((score(snapshot, old) ?? 0) <= oldScore - 20, "old name scored \(oldScore), now \(score(snapshot, old) ?? 0)")
            // A mark that is neither 1 nor empty is refused, naming its field (on the form as it is now: no conflict).
            let current = try await editor.get("/networks/bes/edit?lang=en")
            var again = HostileBed.fields(in: current.page)
            again["revision"] = String(try #require(current.page.firstMatch(of: /name="revision" value="(\d+)"/)).1)
            again["name_fr_translated"] = "maybe"
            again["reason"] = "A mark of its own"
            let refused = try await editor.post("/networks/bes/edit", again)
            #expect(refused.status == .badRequest && refused.page.contains("name_fr_translated"), "\(refused.status)")
        }
    }

    @Test func aDatabaseSeededWithoutTheFrenchTextsGetsThemWhereItHasNoneAndNothingElseChanges() async throws {
        try await AccountBed.run { bed, _ in
            let curation = Curation(catalogue: bed.catalogue)
            // As a database seeded before the French texts: CARIN has none; an editor wrote the EJN's own.
            let (carin, carinRevision) = try await curation.current(slug: "carin")
            var bare = NetworkDraft(carin)
            (bare.nameFR, bare.nameFRTranslated, bare.purposeFR, bare.purposeFRTranslated, bare.reason) = ("", "", "", "", "before the French texts")
            try await curation.edit(carin, with: bare, revision: carinRevision, by: "test")
            let (ejn, ejnRevision) = try await curation.current(slug: "ejn")
            var own = NetworkDraft(ejn)
            (own.nameFR, own.purposeFR, own.reason) = ("RJE (nom choisi)", "", "an editor's own")
            try await curation.edit(ejn, with: own, revision: ejnRevision, by: "test")
            #expect(bed.catalogue.snapshot.network(slug: "carin")?.nameFR == nil)
            // SEEPAG, renamed and rewritten since, without French texts: a translation of other words is not added.
            let (seepag, seepagRevision) = try await curation.current(slug: "seepag")
            var renamed = NetworkDraft(seepag)
            (renamed.name, renamed.nameFR, renamed.nameFRTranslated, renamed.purposeEN, renamed.purposeFR, renamed.purposeFRTranslated, renamed.reason)
                = ("South-East European Prosecutors Group", "", "", "A new purpose.", "", "", "renamed")
            try await curation.edit(seepag, with: renamed, revision: seepagRevision, by: "test")

            let summary = try await FrenchTexts(curation: curation).add()
            let shipped = try #require(try CatalogueFile.catalogue2017().networks().first { $0.slug == "carin" })
            let now = try #require(bed.catalogue.snapshot.network(slug: "carin"))
            #expect(now.nameFR == shipped.nameFR && now.purpose[.fr] == shipped.purpose[.fr] && now.translations == shipped.translations)
            #expect(now.purpose[.en] == carin.purpose[.en] && now.memberships == carin.memberships)
            // The EJN keeps the name its editor wrote, and gets the purpose it lacked.
            let ejnNow = try #require(bed.catalogue.snapshot.network(slug: "ejn"))
            #expect(ejnNow.nameFR == "RJE (nom choisi)" && ejnNow.purpose[.fr] != nil)
            #expect(summary == FrenchTexts.Summary(added: 2, had: bed.catalogue.snapshot.networks.count - 2, absent: 0))
            let seepagNow = try #require(bed.catalogue.snapshot.network(slug: "seepag"))
            #expect(seepagNow.nameFR == nil && seepagNow.purpose[.fr] == nil)
            #expect(try await curation.history(of: "carin", limit: 1).first?.reason == FrenchTexts.reason)
            // Again: nothing to do.
            #expect(try await FrenchTexts(curation: curation).add().added == 0)
        }
    }
}
