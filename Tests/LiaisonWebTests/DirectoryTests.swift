import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The restricted directory as its readers and everyone else meet it.
@Suite struct DirectoryTests {
    static let key = "DirectoryKey01234567"

    static var sample: String {
        get throws {
            try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../docs/data/directory-sample.csv"), encoding: .utf8)
        }
    }

    /// The id of the entry named `name`, as an editor (who sees every entry) finds it.
    static func id(of name: String, _ bed: AccountBed) async throws -> Int64 {
        try #require(try await bed.store.allDirectoryEntries().first { $0.name == name }?.id)
    }

    @Test func onlyPractitionersWithASecondFactorReadItAndEveryViewIsRecorded() async throws {
        try await AccountBed.run { bed, client in
            let imported = try await bed.directory.importFile(try Self.sample, source: "directory-sample.csv", actor: "test")
            #expect(imported.added == 7 && imported.updated == 0)

            // A visitor is sent to sign in; a practitioner without a second factor is told what opens the directory.
            #expect(try await fresh(client).get("/directory").location == "/sign-in?next=%2Fdirectory")
            try await bed.account("plain@example.org", role: .practitioner)
            var plain = Browser(client)
            _ = try await AccountFlowTests.signIn(&plain, bed, "plain@example.org")
            let refused = try await plain.get("/directory")
            #expect(refused.status == .forbidden && refused.page.contains("who sign in with a second factor"))
            let plainAccount = try await plain.get("/account").page
            #expect(!refused.page.contains("Alba") && !plainAccount.contains(#"href="/directory""#))

            // A practitioner with one sees the entries open to every practitioner, by name; not the lapsed one, nor
            // the one narrowed to Eurojust's people.
            let reader = try await bed.account("reader@example.org", role: .practitioner, secondFactor: Self.key)
            var practitioner = Browser(client)
            _ = try await AccountFlowTests.signIn(&practitioner, bed, "reader@example.org", key: Self.key)
            let list = try await practitioner.get("/directory?lang=en")
            #expect(list.status == .ok && list.page.contains("5 entries") && list.page.contains(#"href="/directory""#))
            #expect(list.headers[.cacheControl] == "no-store" && list.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow")
            for name in ["Alba Ejemplo", "Kwame Sample", "Beatriz Exemplo", "Marta Przykład", "Central Authority for Mutual Legal Assistance"] {
                #expect(list.page.contains(name), "\(name)")
            }
            #expect(!list.page.contains("Claire Exemple") && !list.page.contains("Jonas Beispiel"))

            // The facets: a country (where one works, or is posted, or that a posting covers), a posting, a language,
            // a network, a kind.
            for (query, names) in [("country=GH", ["Alba Ejemplo", "Kwame Sample"]), ("from=ES&to=GH", ["Alba Ejemplo"]),
                                   ("language=pt", ["Beatriz Exemplo"]), ("network=wacap", ["Kwame Sample"]),
                                   ("kind=liaison-magistrate", ["Alba Ejemplo", "Marta Przykład"]), ("country=BJ", ["Alba Ejemplo"]),
                                   ("q=procuradoria", ["Beatriz Exemplo"])] {
                let page = try await practitioner.get("/directory?lang=en&" + query).page
                #expect(page.contains(names.count == 1 ? "1 entry" : "\(names.count) entries") && names.allSatisfy(page.contains), "\(query)")
            }
            #expect(try await practitioner.get("/directory?country=Atlantis").status == .notFound)
            #expect(try await practitioner.get("/directory?language=xx").status == .badRequest)

            // The case finder answers "whom do I call" beside "which network": per country, the contact points of the
            // networks it offers; and the liaison magistrates posted between the countries. Nobody else sees names.
            let finder = try await practitioner.get("/finder?from=ES&to=GH&lang=en")
            let whom = try #require(finder.page.components(separatedBy: #"<section class="whom""#).dropFirst().first)
            #expect(whom.contains("Kwame Sample") && whom.contains("focal point") && whom.contains("West African Network of Central Authorities"))
            let posted = try #require(whom.components(separatedBy: "Liaison magistrates posted between these countries").last)
            #expect(posted.contains("Alba Ejemplo") && posted.contains("posted by Spain in Ghana") && posted.contains("reachable 24/7"))
            #expect(finder.headers[.cacheControl] == "no-store")
            let anonymous = try await fresh(client).get("/finder?from=ES&to=GH&lang=en")
            #expect(!anonymous.page.contains("Kwame") && !anonymous.page.contains("Alba Ejemplo")
                    && anonymous.page.contains("Practitioners who sign in with a second factor also see here whom to call"))
            #expect(!(try await plain.get("/finder?from=ES&to=GH").page.contains("Kwame")))

            // A country page shows its people to readers of the directory: who works for Spain, and whom Spain posts abroad.
            let spain = try await practitioner.get("/countries/ES?lang=en")
            let people = try #require(spain.page.components(separatedBy: #"<section class="whom""#).dropFirst().first)
            #expect(people.contains("Alba Ejemplo") && people.contains("Liaison magistrates Spain posts abroad")
                    && people.contains("posted by Spain in Ghana") && spain.headers[.cacheControl] == "no-store")
            #expect(!(try await fresh(client).get("/countries/ES").page.contains("Alba Ejemplo")))

            // One entry: whom to call, in which languages, at any hour; the view is recorded.
            let alba = try await Self.id(of: "Alba Ejemplo", bed)
            let entry = try await practitioner.get("/directory/\(alba)?lang=en")
            #expect(entry.status == .ok && entry.page.contains(#"<a href="tel:+34600000001">+34600000001</a>"#))
            #expect(entry.page.contains("posted by Spain in Ghana") && entry.page.contains("also covers Togo, Benin"))
            #expect(entry.page.contains("Spanish, English, French") && entry.headers[.cacheControl] == "no-store")
            #expect(try await bed.store.directoryViews(entryID: alba).map(\.accountID) == [reader.id])
            #expect(!entry.page.contains("Views of this entry"), "who viewed is for administrators")
            let card = try await practitioner.get("/directory/\(alba)/vcard")
            #expect(card.headers[.contentType] == "text/vcard; charset=utf-8" && card.page.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\n"))
            let cards = try await practitioner.get("/directory.vcf?country=GH")
            #expect(cards.page.components(separatedBy: "BEGIN:VCARD").count - 1 == 2)

            // Entries the practitioner may not see do not exist for them.
            let claire = try await Self.id(of: "Claire Exemple", bed), jonas = try await Self.id(of: "Jonas Beispiel", bed)
            #expect(try await practitioner.get("/directory/\(claire)").status == .notFound)
            #expect(try await practitioner.get("/directory/\(jonas)").status == .notFound)
            #expect(try await practitioner.get("/directory.csv").status == .forbidden)

            // An editor sees the narrowed entry and exports the whole directory; an administrator sees who viewed.
            var editor = try await AccountFlowTests.editor(bed, client)
            #expect(try await editor.get("/directory/\(claire)").status == .ok)
            let csv = try await editor.get("/directory.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.page.hasPrefix(DirectoryFile.columns.joined(separator: ",")))
            #expect(csv.page.contains("Jonas Beispiel"), "the export holds every entry, lapsed ones too")
            try await bed.account("admin@example.org", role: .administrator, secondFactor: Self.key)
            var admin = Browser(client)
            _ = try await AccountFlowTests.signIn(&admin, bed, "admin@example.org", key: Self.key)
            let seen = try await admin.get("/directory/\(alba)?lang=en")
            #expect(seen.page.contains("Views of this entry") && seen.page.contains("Viewed 4 times."), "the page, its card, the selection, this view")
            let log = try await admin.get("/admin/directory-access?lang=en")
            #expect(log.status == .ok && log.page.contains("<td>reader@example.org</td><td><a href=\"/directory/\(alba)\">Alba Ejemplo</a>"))
            #expect(try await editor.get("/admin/directory-access").status == .forbidden)
        }
    }

    @Test func aScraperMeetsAClear429() async throws {
        try await AccountBed.run { bed, client in
            _ = try await bed.directory.importFile(try Self.sample, source: "directory-sample.csv", actor: "test")
            try await bed.account("reader@example.org", role: .practitioner, secondFactor: Self.key)
            var practitioner = Browser(client)
            _ = try await AccountFlowTests.signIn(&practitioner, bed, "reader@example.org", key: Self.key)
            let alba = try await Self.id(of: "Alba Ejemplo", bed)
            for _ in 0..<bed.directory.viewsPerHour {
                #expect(try await practitioner.get("/directory/\(alba)").status == .ok)
            }
            let refused = try await practitioner.get("/directory/\(alba)?lang=en")
            #expect(refused.status == .tooManyRequests && refused.page.contains("hourly limit is reached") && !refused.page.contains("+34"))
            #expect(try await practitioner.get("/directory/\(alba)/vcard").status == .tooManyRequests)
            // An hour later (signed in again: the session ended after an hour idle) the account may look again.
            bed.clock.advance(3_601)
            _ = try await AccountFlowTests.signIn(&practitioner, bed, "reader@example.org", key: Self.key)
            #expect(try await practitioner.get("/directory/\(alba)").status == .ok)
        }
    }

    /// Names and roles are personal data too: the lists (a search, the people for a case or a country) give no
    /// telephone or address, and paging through them is limited per account as opening entries is.
    @Test func pagingThroughTheListsMeetsAClear429() async throws {
        try await AccountBed.run { bed, client in
            _ = try await bed.directory.importFile(try Self.sample, source: "directory-sample.csv", actor: "test")
            try await bed.account("reader@example.org", role: .practitioner, secondFactor: Self.key)
            var practitioner = Browser(client)
            _ = try await AccountFlowTests.signIn(&practitioner, bed, "reader@example.org", key: Self.key)
            let first = try await practitioner.get("/directory?lang=en")
            #expect(first.status == .ok && first.page.contains("Alba Ejemplo"))
            #expect(!first.page.contains("600 000 001") && !first.page.contains("+34600000001") && !first.page.contains("alba.ejemplo@"))
            let finder = try await practitioner.get("/finder?from=ES&to=GH&lang=en")
            #expect(finder.page.contains("Kwame Sample") && !finder.page.contains("600000001") && !finder.page.contains("+233"))
            let country = try await practitioner.get("/countries/ES?lang=en")
            #expect(country.page.contains("Alba Ejemplo"))
            // The search, the finder and the country page drew on one allowance: spend the rest of it.
            for _ in 3..<bed.directory.lookupsPerHour {
                #expect(try await practitioner.get("/directory?country=GH").status == .ok)
            }
            let refused = try await practitioner.get("/directory?lang=en")
            #expect(refused.status == .tooManyRequests && refused.page.contains("hourly limit is reached") && !refused.page.contains("Alba"))
            // The finder and the country page still answer with the networks, and say why the people are missing.
            let limitedFinder = try await practitioner.get("/finder?from=ES&to=GH&lang=en")
            let firstNetwork = try #require(finder.page.components(separatedBy: #"href="/networks/"#).dropFirst().first?.prefix { $0 != "\"" })
            #expect(limitedFinder.status == .ok && limitedFinder.page.contains(#"href="/networks/\#(firstNetwork)""#))
            #expect(limitedFinder.page.contains("may open or list only so many") && !limitedFinder.page.contains("Kwame"))
            let limitedCountry = try await practitioner.get("/countries/ES?lang=fr")
            #expect(limitedCountry.status == .ok && limitedCountry.page.contains("limité de ses fiches") && !limitedCountry.page.contains("Alba"))
            #expect(try await practitioner.get("/directory.vcf").status == .tooManyRequests)
            // A day later the lookups are forgotten, and the account may list again.
            bed.clock.advance(24 * 3600 + 1)
            #expect(try await bed.directory.forgetOldLookups() == bed.directory.lookupsPerHour)
            _ = try await AccountFlowTests.signIn(&practitioner, bed, "reader@example.org", key: Self.key)
            #expect(try await practitioner.get("/directory").status == .ok)
        }
    }

    @Test func aListedPersonSeesDownloadsCorrectsAndErasesTheirEntry() async throws {
        try await AccountBed.run { bed, client in
            _ = try await bed.directory.importFile(try Self.sample, source: "directory-sample.csv", actor: "test")
            let alba = try await Self.id(of: "Alba Ejemplo", bed)
            // A focal point of CARIN reads the entry (their view is what Alba will see).
            try await bed.account("carin-fp@example.org", role: .focalPoint, networks: ["carin"], secondFactor: Self.key)
            var viewer = Browser(client)
            _ = try await AccountFlowTests.signIn(&viewer, bed, "carin-fp@example.org", key: Self.key)
            #expect(try await viewer.get("/account").page.contains(#"action="/account/authority""#))
            #expect(try await viewer.post("/account/authority", ["authority": "Camden Asset Recovery Office (sample)"]).location
                    == "/account?done=authority")
            #expect(try await viewer.get("/directory/\(alba)").status == .ok)

            // Alba, invited with the address the directory lists, finds her entry from her account.
            try await bed.account("alba.ejemplo@example.org", role: .practitioner)
            var person = Browser(client)
            _ = try await AccountFlowTests.signIn(&person, bed, "alba.ejemplo@example.org")
            #expect(try await person.get("/account?lang=en").page.contains(#"href="/account/directory""#))
            let own = try await person.get("/account/directory?lang=en")
            #expect(own.status == .ok && own.page.contains("Alba Ejemplo") && own.page.contains("Viewed 1 time."))
            #expect(own.page.contains("Camden Asset Recovery Office (sample) (focal point of CARIN): 1") && !own.page.contains("carin-fp"),
                    "who viewed, by authority, role and network, not by name")
            #expect(own.headers[.cacheControl] == "no-store")

            // Everything held about her, as JSON.
            let download = try await person.get("/account/directory.json")
            #expect(download.headers[.contentType] == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(download.page.utf8)) as? [String: Any])
            let items = try #require(json["entries"] as? [[String: Any]])
            let entry = try #require(items.first?["entry"] as? [String: Any])
            #expect(json["email"] as? String == "alba.ejemplo@example.org" && entry["name"] as? String == "Alba Ejemplo")
            #expect((items.first?["views"] as? [[String: Any]])?.first?["role"] as? String == "focal_point")
            #expect((items.first?["views"] as? [[String: Any]])?.first?["authority"] as? String == "Camden Asset Recovery Office (sample)")
            #expect((items.first?["revisions"] as? [[String: Any]])?.map { $0["action"] as? String } == ["created"])

            // A correction: a wrong number is named and nothing is written; a right one is saved with a revision.
            var fields = ["function": "Fiscal de enlace", "phones": "+34 910 000 001\n00 34 91", "languages": "es en pt",
                          "available_24_7": "yes", "urgent_phone": "+34 600 000 009", "reason": "new urgent line"]
            let wrong = try await person.post("/account/directory/\(alba)/correct", fields)
            #expect(wrong.status == .badRequest && wrong.page.contains("phones: “00 34 91” is not allowed"))
            #expect(wrong.page.contains("00 34 91</textarea>"), "the input is kept")
            fields["phones"] = "+34 910 000 001"
            #expect(try await person.post("/account/directory/\(alba)/correct", fields).location == "/account/directory?done=corrected")
            let corrected = try #require(try await bed.store.directoryEntry(id: alba))
            #expect(corrected.urgentPhone == "+34600000009" && corrected.languages == ["es", "en", "pt"] && corrected.roles.count == 3)
            // Someone else's entry is not hers to correct or erase.
            let kwame = try await Self.id(of: "Kwame Sample", bed)
            #expect(try await person.post("/account/directory/\(kwame)/correct", fields).status == .notFound)
            #expect(try await person.post("/account/directory/\(kwame)/erase", ["confirm": "yes"]).status == .notFound)

            // Erasure: confirmed, at once.
            #expect(try await person.post("/account/directory/\(alba)/erase", [:]).status == .badRequest)
            #expect(try await person.post("/account/directory/\(alba)/erase", ["confirm": "yes"]).location == "/account/directory?done=erased")
            #expect(try await bed.store.directoryEntry(id: alba) == nil)
            #expect(try await person.get("/account/directory?lang=en").page.contains("The directory holds no entry with your address"))
            #expect(try await viewer.get("/directory/\(alba)").status == .notFound)

            // An editor invites a person listed to keep their entry true: the invitation goes to its first address.
            var editor = try await AccountFlowTests.editor(bed, client)
            let beatriz = try await Self.id(of: "Beatriz Exemplo", bed)
            #expect(try await editor.post("/directory/\(beatriz)/invite", [:]).location == "/directory/\(beatriz)?invited=1")
            #expect(try await bed.mail().contains { $0.contains("To: beatriz.exemplo@example.org") && $0.contains("/invitations/") })
            // An editor erases an entry with a reason.
            #expect(try await editor.get("/directory/\(kwame)").page.contains(#"action="/directory/\#(kwame)/erase""#))
            #expect(try await editor.post("/directory/\(kwame)/erase", ["reason": ""]).status == .badRequest)
            #expect(try await editor.post("/directory/\(kwame)/erase", ["reason": "left the office"]).location == "/directory?done=erased")
            #expect(try await bed.store.directoryEntry(id: kwame) == nil)
        }
    }

    /// Retention: an entry whose every role ended more than the period ago is erased; the others stay.
    @Test func lapsedEntriesAreErasedAfterTheRetentionPeriod() async throws {
        try await AccountBed.run { bed, client in
            _ = try await bed.directory.importFile(try Self.sample, source: "directory-sample.csv", actor: "test")
            let jonas = try await Self.id(of: "Jonas Beispiel", bed)
            // Jonas Beispiel's role ended in December 2023: not yet after five years, erased after two.
            bed.clock.set(try #require(ISO8601DateFormatter().date(from: "2026-12-06T12:00:00Z")))
            #expect(try await bed.directory.eraseLapsed(olderThan: 60) == 0)
            #expect(try await bed.directory.eraseLapsed(olderThan: 24) == 1)
            #expect(try await bed.store.directoryEntry(id: jonas) == nil)
            #expect(try await bed.store.allDirectoryEntries().count == 6)
            #expect(try await bed.store.directoryHistory(entryID: jonas).first?.actor == "retention")
        }
    }

    /// An editor imports the directory from the site: the whole file checked, every mistake named, nothing kept.
    @Test func anEditorImportsTheSampleDirectory() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await AccountFlowTests.editor(bed, client)
            let form = try await editor.get("/directory/import?lang=en")
            #expect(form.status == .ok && form.page.contains(#"<textarea id="csv" name="csv""#))
            let wrong = try Self.sample.replacingOccurrences(of: "+233 30 000 0002", with: "0302")
            let refused = try await editor.post("/directory/import?lang=en", ["csv": wrong])
            #expect(refused.status == .badRequest && refused.page.contains("the pasted file:4: phone: “0302” is not allowed"))
            let stored = try await bed.store.allDirectoryEntries()
            #expect(refused.page.contains("Kwame Sample") && stored.isEmpty, "kept in the form, nothing written")
            // The file itself, uploaded as a browser sends it (multipart), with the form's token.
            #expect(form.page.contains(#"enctype="multipart/form-data""#) && form.page.contains(#"<input id="csv_file" name="csv_file" type="file""#))
            let token = try #require(form.page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
            let body = MultipartFormTests.body([("csrf_token", nil, String(token)), ("csv_file", "directory-sample.csv", try Self.sample),
                                                ("csv", nil, "")])
            let done = try await editor.send("/directory/import?lang=en", body: body, contentType: "multipart/form-data; boundary=XyZ123")
            #expect(done.status == .ok && done.page.contains("Imported: 7 added, 0 updated."))
            #expect(try await bed.store.allDirectoryEntries().count == 7)
            #expect(try await editor.get("/directory?lang=en").page.contains(#"href="/directory/import""#))
        }
    }

    /// A network's focal points keep its entries true (edits with a reason, confirmations), the editors all of them.
    @Test func aNetworksFocalPointsMaintainItsEntries() async throws {
        try await AccountBed.run { bed, client in
            _ = try await bed.directory.importFile(try Self.sample, source: "directory-sample.csv", actor: "test")
            let kwame = try await Self.id(of: "Kwame Sample", bed), alba = try await Self.id(of: "Alba Ejemplo", bed)
            try await bed.account("wacap-fp@example.org", role: .focalPoint, networks: ["wacap"], secondFactor: Self.key)
            var focal = Browser(client)
            _ = try await AccountFlowTests.signIn(&focal, bed, "wacap-fp@example.org", key: Self.key)
            let entry = try await focal.get("/directory/\(kwame)?lang=en")
            #expect(entry.page.contains(#"href="/directory/\#(kwame)/edit""#) && entry.page.contains(#"action="/directory/\#(kwame)/confirm""#))
            let form = try await focal.get("/directory/\(kwame)/edit?lang=en")
            #expect(form.status == .ok && form.page.contains("contact-point | wacap | focal point | 2020-01 |  |  |  | </textarea>"))
            var fields = CurationTests.fields(of: form.page)
            fields["phones"] = "+233 30 000 0009"
            fields["reason"] = "new office number"
            fields["roles"] = "contact-point | wacap | focal point | 2020-01\nnational-correspondent | atlantis-network | x"
            let wrong = try await focal.post("/directory/\(kwame)/edit", fields)
            #expect(wrong.status == .badRequest && wrong.page.contains("roles[2].network: “atlantis-network” is not allowed"))
            fields["roles"] = "contact-point | carin | focal point | 2020-01"
            let moved = try await focal.post("/directory/\(kwame)/edit", fields)
            #expect(moved.status == .badRequest && moved.page.contains("must keep a role in a network you maintain"))
            fields["roles"] = "contact-point | wacap | focal point | 2020-01"
            #expect(try await focal.post("/directory/\(kwame)/edit", fields).location == "/directory/\(kwame)?saved=1")
            #expect(try await bed.store.directoryEntry(id: kwame)?.phones == ["+233300000009"])
            let history = try await bed.store.directoryHistory(entryID: kwame)
            #expect(history.first?.action == "edited" && history.first?.reason == "new office number" && history.first?.actor == "wacap-fp")
            #expect(try await focal.post("/directory/\(kwame)/confirm", [:]).location == "/directory/\(kwame)?confirmed=1")
            #expect(try await bed.store.directoryHistory(entryID: kwame).first?.action == "confirmed")
            let historyPage = try await focal.get("/directory/\(kwame)/history?lang=en").page
            #expect(historyPage.contains("<strong>confirmed as still correct</strong>") && historyPage.contains("wacap-fp — new office number")
                    && historyPage.contains("<strong>created</strong>"))
            #expect(historyPage.contains("<dt>Telephone</dt>\n  <dd><del>+233300000002</del><br><ins>+233300000009</ins><br></dd>"),
                    "the edit's changed field, before and after")
            // Another network's entry is not theirs.
            #expect(try await focal.get("/directory/\(alba)/edit").status == .forbidden)
            #expect(try await focal.post("/directory/\(alba)/confirm", [:]).status == .forbidden)
            let others = try await focal.get("/directory/\(alba)").page
            #expect(!others.contains("/directory/\(alba)/edit"))
            // The editors maintain every entry.
            var editor = try await AccountFlowTests.editor(bed, client)
            #expect(try await editor.get("/directory/\(alba)/edit").status == .ok)
        }
    }

    /// Entries not confirmed for two years: their network's focal points are reminded, in their language, once a month.
    @Test func maintainersAreRemindedOfEntriesDueForConfirmation() async throws {
        try await AccountBed.run { bed, client in
            _ = try await bed.directory.importFile(try Self.sample, source: "directory-sample.csv", actor: "test")
            let kwame = try await Self.id(of: "Kwame Sample", bed)
            let focal = try await bed.account("wacap-fp@example.org", role: .focalPoint, networks: ["wacap"], secondFactor: Self.key)
            try await bed.accounts.setLanguage(focal, to: .fr)
            #expect(try await bed.directory.remindStale() == 0, "just imported: confirmed today")
            bed.clock.advance(25 * 31 * 24 * 3600)
            #expect(try await bed.directory.remindStale() == 1)
            let mail = try #require(try await bed.mail().first { $0.contains("To: wacap-fp@example.org") })
            #expect(mail.contains("Content-Language: fr") && mail.contains("/directory/\(kwame)") && !mail.contains("Kwame"),
                    "in French, with the link, without the person's name")
            #expect(try await bed.directory.remindStale() == 0, "once a month at most")
            bed.clock.advance(31 * 24 * 3600)
            #expect(try await bed.directory.remindStale() == 1)
            // Confirmed, it is no longer due.
            var browser = Browser(client)
            _ = try await AccountFlowTests.signIn(&browser, bed, "wacap-fp@example.org", key: Self.key)
            #expect(try await browser.post("/directory/\(kwame)/confirm", [:]).location == "/directory/\(kwame)?confirmed=1")
            bed.clock.advance(31 * 24 * 3600)
            #expect(try await bed.directory.remindStale() == 0)
        }
    }
}
