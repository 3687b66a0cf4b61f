import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Editing an entry through its form, its history with what changed, undoing a change, and the Atom feeds.
@Suite struct CurationTests {
    @Test func aFocalPointEditsTheEntryAndTheHistoryShowsItAndItCanBeUndone() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "carin", bed, client)
            let before = try #require(bed.catalogue.snapshot.network(slug: "carin"))
            let form = try await focal.get("/networks/carin/edit")
            #expect(form.status == .ok && form.page.contains(#"name="website""#) && form.page.contains("Camden Assets Recovery Interagency Network"))

            // Invalid input: every problem shown beside its field, nothing written.
            var fields = Self.fields(of: form.page)
            fields["name"] = ""
            fields["website"] = "carin.example"
            fields["status"] = "dormant"
            fields["reason"] = ""
            let refused = try await focal.post("/networks/carin/edit", fields)
            #expect(refused.status == .badRequest)
            for problem in ["name: is required", "website: “carin.example” is not allowed", "reason: is required",
                            "status_since: “” is not allowed: a network that becomes dormant needs the date it became so",
                            "status_note: “” is not allowed: a network that becomes dormant needs the reason, with its source"] {
                #expect(refused.page.contains(problem), "\(problem)")
            }
            #expect(refused.page.contains(#"id="website" name="website" type="text" value="carin.example" aria-invalid="true""#))
            #expect(try await bed.store.history(ofNetwork: "carin").count == 1, "only the import")
            #expect(bed.catalogue.snapshot.network(slug: "carin") == before)

            // A valid edit: one revision with its reason, the page shows the new value at once.
            fields = Self.fields(of: form.page)
            fields["website"] = "https://www.carin.network"
            fields["status"] = "dormant"
            fields["status_since"] = "2019"
            fields["status_note"] = "no plenary since 2019 (letter of the secretariat)"
            fields["reason"] = "The network's secretariat moved the site; no plenary since 2019"
            let saved = try await focal.post("/networks/carin/edit", fields)
            #expect(saved.location == "/networks/carin?saved=1")
            // Before the edit, CARIN was as the report printed it (PageTests); now it says when a person changed it, and
            // the change verifies it.
            let page = try await fresh(client).get("/networks/carin")
            #expect(page.page.contains("https://www.carin.network"))
            let today = DateText.date(bed.clock.now, .en)
            #expect(page.page.contains("<dt>Last changed</dt><dd>\(today)</dd>"), "\(today)")
            #expect(page.page.contains("<dt>Last verified</dt>\n  <dd>\(today)"))
            #expect(!page.page.contains("not yet confirmed by the network"))
            #expect(page.page.contains(#"<a href="/networks/carin/history">"#) && !page.page.contains(#"href="/networks/carin/edit""#),
                    "a visitor: the history, not the edit form")
            #expect(try await focal.get("/networks/carin").page.contains(#"<a href="/networks/carin/edit">"#))
            let edited = try #require(bed.catalogue.snapshot.network(slug: "carin"))
            #expect(edited.status.value == .dormant && edited.status.since?.description == "2019")
            #expect(edited.memberships == before.memberships, "the members are untouched")

            let history = try await fresh(client).get("/networks/carin/history")
            #expect(history.status == .ok)
            for text in ["no plenary since 2019", "<ins>https://www.carin.network</ins>", "<strong>edited</strong>"] {
                #expect(history.page.contains(text), "\(text)")
            }
            #expect(!history.page.contains("fp@example.org"), "the history names people, not their addresses")
            #expect(!history.page.contains("/restore"), "visitors see no undo button")

            // The feeds name the change; feed readers accept them (well-formed Atom).
            for (path, title) in [("/networks/carin/changes.atom", "Liaison: changes of Camden Assets Recovery Interagency Network (CARIN)"),
                                  ("/changes.atom", "Liaison: recent changes")] {
                let feed = try await fresh(client).get(path)
                #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let titles = try Self.atomTitles(feed.page)
                #expect(titles.first == title)
                #expect(titles.contains("Camden Assets Recovery Interagency Network (CARIN): edited"), "\(path): \(titles)")
            }
            #expect(try await fresh(client).get("/changes").page.contains("no plenary since 2019"))

            // Undo: the state before the edit comes back, as a new revision.
            let edit = try #require(try await bed.store.history(ofNetwork: "carin").first)
            try await focal.get("/networks/carin/history")
            #expect(try await focal.post("/networks/carin/history/\(edit.seq)/undo", [:]).location == "/networks/carin/history")
            #expect(bed.catalogue.snapshot.network(slug: "carin") == before)
            let revisions = try await bed.store.history(ofNetwork: "carin")
            #expect(revisions.count == 3 && revisions.first?.reason.contains("undid revision \(edit.seq)") == true)
            #expect(NetworkRevisionChange.decode(try #require(revisions.first).change)?.differences().map(\.field).contains("website") == true)

            // Only the latest change can be undone.
            #expect(try await focal.post("/networks/carin/history/\(edit.seq)/undo", [:]).status == .badRequest)

            // Two people edit at once: the second save, on an older revision, is refused and changes nothing.
            var editorOne = try await AccountFlowTests.editor(bed, client, email: "ed1@example.org", key: "EditorOneKey01234567")
            var editorTwo = try await AccountFlowTests.editor(bed, client, email: "ed2@example.org", key: "EditorTwoKey01234567")
            let formOne = try await editorOne.get("/networks/carin/edit").page
            let formTwo = try await editorTwo.get("/networks/carin/edit").page
            var one = Self.fields(of: formOne), two = Self.fields(of: formTwo)
            #expect(one["revision"] != nil && one["revision"] == two["revision"], "both forms opened on the same revision")
            one["notes"] = "Checked with the secretariat."
            one["reason"] = "a note"
            two["founded"] = "2004"
            two["reason"] = "the founding year"
            #expect(try await editorOne.post("/networks/carin/edit", one).location == "/networks/carin?saved=1")
            let conflict = try await editorTwo.post("/networks/carin/edit", two)
            #expect(conflict.status == .conflict && conflict.page.contains("changed meanwhile"))
            #expect(bed.catalogue.snapshot.network(slug: "carin")?.notes == "Checked with the secretariat.")
            #expect(bed.catalogue.snapshot.network(slug: "carin")?.founded == nil)
            // The refusal shows who saved what meanwhile, keeps the input, and carries the latest revision: saving again
            // knowingly goes through.
            #expect(conflict.page.contains("Saved by someone else meanwhile") && conflict.page.contains("a note"))
            #expect(conflict.page.contains("<ins>Checked with the secretariat.</ins>"))
            var kept = Self.fields(of: conflict.page)
            #expect(conflict.page.contains(#"name="reason" type="text" required value="the founding year""#))
            kept["reason"] = two["reason"]
            #expect(kept["founded"] == "2004" && kept["revision"] != two["revision"])
            let knowingly = try await editorTwo.post("/networks/carin/edit", kept)
            #expect(knowingly.location == "/networks/carin?saved=1", "\(knowingly.status) \(knowingly.page.components(separatedBy: "problem").dropFirst().first?.prefix(400) ?? "")")
            #expect(bed.catalogue.snapshot.network(slug: "carin")?.founded?.description == "2004")

            // A form sent back unchanged (browsers send CRLF line breaks) changes nothing.
            let again = try await editorOne.get("/networks/carin/edit").page
            var same = Self.fields(of: again)
            same["purpose_en"] = same["purpose_en"]?.replacingOccurrences(of: "\n", with: "\r\n")
            same["reason"] = "no change at all"
            let unchanged = try await editorOne.post("/networks/carin/edit", same)
            #expect(unchanged.status == .badRequest && unchanged.page.contains("nothing was changed"))

            // Another network is not theirs to edit.
            #expect(try await focal.get("/networks/seepag/edit").status == .forbidden)
            #expect(try await fresh(client).get("/networks/carin/edit").location == "/sign-in?next=%2Fnetworks%2Fcarin%2Fedit")
        }
    }

    @Test func anyEarlierVersionCanBeRestoredAsANewRevisionAfterSeeingWhatItChanges() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "carin", bed, client)
            let imported = try #require(bed.catalogue.snapshot.network(slug: "carin"))
            // Three edits through the form.
            for (field, value) in [("website", "https://www.carin.network"), ("notes", "Checked with the secretariat."), ("founded", "2004")] {
                let form = try await focal.get("/networks/carin/edit").page
                var fields = Self.fields(of: form)
                fields[field] = value
                fields["reason"] = "setting \(field)"
                #expect(try await focal.post("/networks/carin/edit", fields).location == "/networks/carin?saved=1")
            }
            let revisions = try await bed.store.history(ofNetwork: "carin")
            #expect(revisions.count == 4)
            let firstEdit = revisions[2], importRevision = revisions[3]
            let history = try await focal.get("/networks/carin/history").page
            // Every earlier version can be restored; only the latest change is undone in one step.
            for seq in [firstEdit.seq, revisions[1].seq, importRevision.seq] {
                #expect(history.contains("/networks/carin/history/\(seq)/restore\""), "\(seq)")
            }
            #expect(!history.contains("/networks/carin/history/\(revisions[0].seq)/restore\""), "the latest version is the entry itself")
            #expect(history.contains("/networks/carin/history/\(revisions[0].seq)/undo\""))
            #expect(!(try await fresh(client).get("/networks/carin/history").page.contains("/restore")), "visitors see no restore link")

            // The page shows what restoring the first edit's version would take away: the two later changes.
            let page = try await focal.get("/networks/carin/history/\(firstEdit.seq)/restore")
            #expect(page.status == .ok)
            #expect(page.page.contains("<del>Checked with the secretariat.</del>") && page.page.contains("<del>2004</del>"))
            #expect(!page.page.contains("carin.network</del>"), "the first edit's own website stays")
            let latest = try #require(Self.fields(of: page.page)["revision"])
            #expect(latest == String(revisions[0].seq))

            // No reason: refused, nothing written.
            let refused = try await focal.post("/networks/carin/history/\(firstEdit.seq)/restore", ["revision": latest, "reason": " "])
            #expect(refused.status == .badRequest && refused.page.contains("reason: is required"))
            // The same rule as every other change's reason.
            let long = try await focal.post("/networks/carin/history/\(firstEdit.seq)/restore", ["revision": latest, "reason": String(repeating: "x", count: 501)])
            #expect(long.status == .badRequest && long.page.contains("must be one line of at most 500 characters"))
            #expect(try await bed.store.history(ofNetwork: "carin").count == 4)

            // Restored: the entry is as it was after the first edit, in a new revision naming it.
            let done = try await focal.post("/networks/carin/history/\(firstEdit.seq)/restore", ["revision": latest, "reason": "the later notes were wrong"])
            #expect(done.location == "/networks/carin/history")
            var expected = imported
            expected.website = "https://www.carin.network"
            #expect(bed.catalogue.snapshot.network(slug: "carin") == expected)
            let restored = try #require(try await bed.store.history(ofNetwork: "carin").first)
            #expect(restored.reason == "restored the version of revision \(firstEdit.seq): the later notes were wrong")
            let restoredChange = try #require(NetworkRevisionChange.decode(restored.change))
            #expect(restoredChange.restoredVersion == firstEdit.seq && restoredChange.restoredFrom == nil)
            #expect(try await fresh(client).get("/networks/carin/history").page.contains("the later notes were wrong"))

            // A form opened before that restore is refused (the entry changed meanwhile); so is restoring what the entry is.
            let stale = try await focal.post("/networks/carin/history/\(importRevision.seq)/restore", ["revision": latest, "reason": "back to 2017"])
            #expect(stale.status == .conflict && stale.page.contains("changed meanwhile"))
            let same = try await focal.post("/networks/carin/history/\(firstEdit.seq)/restore", ["revision": String(restored.seq), "reason": "again"])
            #expect(same.status == .badRequest && same.page.contains("nothing to restore"))

            // The imported version (the import keeps no copy: the first edit's "before" is it).
            let back = try await focal.post("/networks/carin/history/\(importRevision.seq)/restore", ["revision": String(restored.seq), "reason": "back to 2017"])
            #expect(back.location == "/networks/carin/history")
            #expect(bed.catalogue.snapshot.network(slug: "carin") == imported)

            // A revision of another network, or none: refused by name.
            let seepag = try #require(try await bed.store.history(ofNetwork: "seepag").first)
            #expect(try await focal.get("/networks/carin/history/\(seepag.seq)/restore").status == .badRequest)
            #expect(try await focal.get("/networks/carin/history/x/restore").status == .badRequest)
        }
    }

    @Test func eachFieldCanNameItsSourceShownOnThePageInTheAPIAndInTheHistory() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "carin", bed, client)
            let form = try await focal.get("/networks/carin/edit").page
            #expect(form.contains(#"<label for="source_website">Source of: Website</label>"#))
            var fields = Self.fields(of: form)
            fields["website"] = "https://www.carin.network"
            fields["source_website"] = String(repeating: "x", count: 501)
            fields["reason"] = "the new site"
            let refused = try await focal.post("/networks/carin/edit", fields)
            #expect(refused.status == .badRequest && refused.page.contains("source_website: “xxxx") && refused.page.contains("one line of at most 500"))
            #expect(refused.page.contains("<details class=\"sources\" open>"), "the sources are open where the problem is")

            fields["source_website"] = "https://www.carin.network/about <2026>"
            fields["source_status"] = "Letter of the secretariat, 3 March 2026"
            #expect(try await focal.post("/networks/carin/edit", fields).location == "/networks/carin?saved=1")
            let carin = try #require(bed.catalogue.snapshot.network(slug: "carin"))
            #expect(carin.sources == [.website: "https://www.carin.network/about <2026>", .status: "Letter of the secretariat, 3 March 2026"])

            let page = try await fresh(client).get("/networks/carin").page
            #expect(page.contains("<h3>Sources of the fields</h3>"))
            #expect(page.contains("<dt>Website</dt><dd>https://www.carin.network/about &lt;2026&gt;</dd>"), "escaped; not a link (not an address)")
            #expect(page.contains("<dt>Status</dt><dd>Letter of the secretariat, 3 March 2026</dd>"))
            let json = try JSONSerialization.jsonObject(with: Data(try await fresh(client).get("/api/v1/networks/carin").page.utf8)) as? [String: Any]
            let sources = try #require(json?["sources"] as? [[String: String]])
            #expect(sources == [["field": "status", "source": "Letter of the secretariat, 3 March 2026"],
                                ["field": "website", "source": "https://www.carin.network/about <2026>"]])
            let history = try await fresh(client).get("/networks/carin/history").page
            #expect(history.contains("<dt>Sources of the fields</dt>") && history.contains("<ins>status: Letter of the secretariat, 3 March 2026</ins>"))

            // A source that is an address is a link; emptying a field's source removes it.
            var again = Self.fields(of: try await focal.get("/networks/carin/edit").page)
            again["source_website"] = "https://www.carin.network/about"
            again["source_status"] = ""
            again["reason"] = "sources"
            #expect(try await focal.post("/networks/carin/edit", again).location == "/networks/carin?saved=1")
            #expect(bed.catalogue.snapshot.network(slug: "carin")?.sources == [.website: "https://www.carin.network/about"])
            #expect(try await fresh(client).get("/networks/carin").page
                .contains(#"<dt>Website</dt><dd><a href="https://www.carin.network/about" rel="noopener">https://www.carin.network/about</a></dd>"#))
        }
    }

    @Test func aNetworkThatBecomesDefunctSaysWhenAndWhyAndStaysFindableClearlyMarked() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "carin", bed, client)
            var fields = Self.fields(of: try await focal.get("/networks/carin/edit").page)
            fields["status"] = "defunct"
            fields["reason"] = "the network was wound up"
            let refused = try await focal.post("/networks/carin/edit", fields)
            #expect(refused.status == .badRequest)
            #expect(refused.page.contains("status_since: “” is not allowed: a network that becomes defunct needs the date it became so"))
            #expect(refused.page.contains("status_note: “” is not allowed: a network that becomes defunct needs the reason, with its source"))
            fields["status_since"] = "2025-06"
            fields["status_note"] = "wound up by its plenary (minutes of June 2025)"
            #expect(try await focal.post("/networks/carin/edit", fields).location == "/networks/carin?saved=1")

            // Still found by search, in the list and on its members' pages, each marking it defunct.
            let found = try await fresh(client).get("/networks?q=CARIN").page
            #expect(found.contains("/networks/carin") && found.contains(#"<strong class="status">defunct since 2025-06</strong>"#), "search")
            let page = try await fresh(client).get("/networks/carin").page
            #expect(page.contains(#"<strong class="status">defunct since 2025-06</strong>"#) && page.contains("wound up by its plenary (minutes of June 2025)"))
            let member = try #require(bed.catalogue.snapshot.network(slug: "carin")?.memberships.first?.partyID)
            let party = try await fresh(client).get("/countries/\(member)").page
            #expect(party.contains("/networks/carin") && party.contains(#"<strong class="status">defunct"#), "the member's page")
            let french = try await fresh(client).get("/networks/carin?lang=fr").page
            #expect(french.contains(#"<strong class="status">disparu depuis 2025-06</strong>"#))
        }
    }

    @Test func theHostTheStatedCountAndThePrintedNameAreEditedToo() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "seepag", bed, client)
            let before = try #require(bed.catalogue.snapshot.network(slug: "seepag"))
            #expect(before.hostedBy == "selec")
            var fields = Self.fields(of: try await focal.get("/networks/seepag/edit").page)
            #expect(fields["hosted_by"] == "selec" && fields["printed_name"] == before.printedName)
            fields["hosted_by"] = "Spain"
            fields["stated_member_count"] = "many"
            fields["reason"] = "the secretariat moved"
            let refused = try await focal.post("/networks/seepag/edit", fields)
            #expect(refused.status == .badRequest)
            #expect(refused.page.contains("hosted_by: “Spain” is not allowed: must name a network or an organisation of the catalogue"))
            #expect(refused.page.contains("stated_member_count: “many” is not allowed: is a number"))
            fields["hosted_by"] = "seepag"
            fields["stated_member_count"] = ""
            #expect(try await focal.post("/networks/seepag/edit", fields).page.contains("a network cannot host itself"))
            #expect(bed.catalogue.snapshot.network(slug: "seepag") == before)

            fields["hosted_by"] = "United Nations Office on Drugs and Crime (UNODC)"
            fields["stated_member_count"] = "11 | eleven member states"
            fields["printed_name"] = "South Eastern European Prosecutors Advisory Group (SEEPAG)"
            #expect(try await focal.post("/networks/seepag/edit", fields).location == "/networks/seepag?saved=1")
            let after = try #require(bed.catalogue.snapshot.network(slug: "seepag"))
            #expect(after.hostedBy == "unodc" && after.statedMemberCount == StatedCount(count: 11, text: "eleven member states"))
            #expect(after.printedName == "South Eastern European Prosecutors Advisory Group (SEEPAG)")
            let history = try await fresh(client).get("/networks/seepag/history").page
            #expect(history.contains("<dt>Hosted by</dt>") && history.contains("<del>selec</del>") && history.contains("<ins>unodc</ins>"))
            #expect(try await fresh(client).get("/networks/seepag").page.contains("United Nations Office on Drugs and Crime"))
        }
    }

    @Test func anEditThatChangesNothingOrBreaksARuleIsRefusedInCore() throws {
        let network = try #require(try CatalogueFile.catalogue2017().networks().first { $0.slug == "seepag" })
        var draft = NetworkDraft(network)
        draft.reason = "checking"
        #expect(throws: NetworkEditFailure.self) { try draft.apply(to: network) }
        draft.crimeAreas = ["cybercrime", "not-a-crime"]
        draft.founded = "2019-13"
        draft.name = String(repeating: "x", count: 301)
        do {
            _ = try draft.apply(to: network)
            Issue.record("accepted")
        } catch let failure as NetworkEditFailure {
            #expect(failure.error(for: "crime_areas") != nil && failure.error(for: "founded") != nil && failure.error(for: "name") != nil)
        }
        draft = NetworkDraft(network)
        draft.reason = "a new purpose in French"
        draft.purposeFR = "Coopération entre procureurs d’Europe du Sud-Est."
        let edited = try draft.apply(to: network)
        let change = try NetworkRevisionChange(action: .edited, before: network, after: edited)
        let decoded = try #require(NetworkRevisionChange.decode(try change.encoded()))
        #expect(decoded == change)
        #expect(decoded.differences() == [FieldChange(field: "purpose", before: network.purpose.keys.sorted { $0.rawValue < $1.rawValue }
            .map { "\($0.rawValue): \(network.purpose[$0]!)" }, after: edited.purpose.keys.sorted { $0.rawValue < $1.rawValue }
            .map { "\($0.rawValue): \(edited.purpose[$0]!)" })])
        #expect(try NetworkRevisionChange.network(decoded.before, networkSlugs: ["seepag"]) == network)

        // References and relations, a line each.
        draft = NetworkDraft(network)
        #expect(draft.references == "http://www.seepag.info/index.php?section=about&id=2 |  | 17")
        draft.reason = "links"
        draft.references += "\nnot-an-address | x | \n | | 4x"
        draft.relations = "partner | eurojust | cooperation agreement\npartner | atlantis |\nsame-as | seepag |\nfriend | eurojust |"
        do {
            _ = try draft.apply(to: network, isNetwork: ["eurojust", "seepag"].contains)
            Issue.record("accepted")
        } catch let failure as NetworkEditFailure {
            let fields = failure.errors.map(\.description)
            for expected in ["references[2].address", "references[3]:", "relations[2].network: “atlantis”", "relations[3].network: “seepag” is not allowed: a network cannot be related to itself",
                             "relations[4].type: “friend”"] {
                #expect(fields.contains { $0.contains(expected) }, "\(expected): \(fields)")
            }
        }
        // An address stored before the rules tightened (a space) does not block an edit of another field; a new one is checked.
        var older = network
        older.website = "http://www.seepag.info/about us"
        older.references = [Reference(footnote: 17, url: "http://www.seepag.info/a b.pdf")]
        var untouched = NetworkDraft(older)
        untouched.notes = "a note"
        untouched.reason = "a note"
        #expect(try untouched.apply(to: older).notes == "a note")
        untouched.references += "\nhttp://www.seepag.info/c d.pdf | | "
        #expect(throws: NetworkEditFailure.self) { try untouched.apply(to: older) }
        draft.references = "http://www.seepag.info/index.php?section=about&id=2 | About SEEPAG | 17"
        draft.relations = "partner | eurojust | cooperation agreement"
        let linked = try draft.apply(to: network, isNetwork: ["eurojust", "seepag"].contains)
        #expect(linked.references == [Reference(footnote: 17, url: "http://www.seepag.info/index.php?section=about&id=2", title: "About SEEPAG")])
        #expect(linked.relations == [Relation(type: .partner, target: "eurojust", note: "cooperation agreement")])
    }

    /// The values of a form's inputs, selected options and checked boxes, as the browser would send them.
    static func fields(of page: String) -> [String: String] {
        var fields: [String: String] = [:]
        for match in page.matches(of: /<input id="([a-z_]+)" name="([a-z_]+)" type="text" value="([^"]*)"/) {
            fields[String(match.2)] = unescape(String(match.3))
        }
        for match in page.matches(of: /<textarea id="[a-z_]+" name="([a-z_]+)"[^>]*>([^<]*)<\/textarea>/) {
            fields[String(match.1)] = unescape(String(match.2))
        }
        for select in page.matches(of: /<select id="([a-z_]+)" name="[a-z_]+">(.*?)<\/select>/) {
            if let chosen = String(select.2).firstMatch(of: /<option value="([^"]*)" selected>/) { fields[String(select.1)] = String(chosen.1) }
        }
        if let revision = page.firstMatch(of: /<input type="hidden" name="revision" value="(\d+)">/) { fields["revision"] = String(revision.1) }
        var lists: [String: [String]] = [:]
        for box in page.matches(of: /<input type="checkbox" name="([a-z_]+)" value="([^"]*)" checked>/) {
            lists[String(box.1), default: []].append(String(box.2))
        }
        for (name, values) in lists { fields[name] = values.joined(separator: " ") }
        return fields
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The feed's and its entries' titles; throws when the XML is not well formed.
    static func atomTitles(_ xml: String) throws -> [String] {
        final class Titles: NSObject, XMLParserDelegate {
            var titles: [String] = []
            var current: String?
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if name == "title" { current = "" }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "title", let current { titles.append(current) }
                current = nil
            }
        }
        let parser = XMLParser(data: Data(xml.utf8))
        let delegate = Titles()
        parser.delegate = delegate
        guard parser.parse() else { throw InputError.invalidInput(source: "feed", line: parser.lineNumber, field: nil, reason: "not well-formed XML") }
        return delegate.titles
    }
}

/// Editing the members: the picker's list, roles, dates, notes, removals and additions, all checked first.
@Suite struct MembersEditingTests {
    @Test func aFocalPointChangesRolesRemovesAndAddsMembersWithTheirSource() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "seepag", bed, client)
            let before = try #require(bed.catalogue.snapshot.network(slug: "seepag"))
            let form = try await focal.get("/networks/seepag/members")
            #expect(form.status == .ok && form.page.contains(#"<option value="Croatia (HR)">Croatie</option>"#), "the picker, in both languages")
            var fields = Self.rows(of: form.page)
            let croatia = try #require(fields.first { $0.value == "Croatia (HR)" }?.key).replacingOccurrences(of: "party_", with: "")
            let turkey = try #require(fields.first { $0.value.hasPrefix("Turkey") || $0.value.hasPrefix("Türkiye") }?.key)
                .replacingOccurrences(of: "party_", with: "")
            fields["role_\(croatia)"] = "observer"
            fields["remove_\(turkey)"] = "1"
            let firstNew = before.groups.reduce(0) { $0 + $1.entries.count }
            fields["party_\(firstNew)"] = "Atlantis"
            fields["reason"] = "the secretariat's list of 2026"

            // An unknown party: refused, naming the row, nothing written.
            let refused = try await focal.post("/networks/seepag/members", fields)
            #expect(refused.status == .badRequest && refused.page.contains("members[\(firstNew + 1)].party: “Atlantis” is not allowed"))
            #expect(bed.catalogue.snapshot.network(slug: "seepag") == before)

            fields["party_\(firstNew)"] = "GH"
            fields["since_\(firstNew)"] = "2024"
            fields["note_\(firstNew)"] = "https://seepag.example/news/ghana"
            fields["party_\(firstNew + 1)"] = "Croatia (HR)"
            fields["role_\(firstNew + 1)"] = "observer"
            let duplicate = try await focal.post("/networks/seepag/members", fields)
            #expect(duplicate.status == .badRequest && duplicate.page.contains("Croatia (HR) as observer"))
            fields["party_\(firstNew + 1)"] = ""

            let saved = try await focal.post("/networks/seepag/members", fields)
            #expect(saved.location == "/networks/seepag?saved=1")
            let after = try #require(bed.catalogue.snapshot.network(slug: "seepag"))
            let roles = Dictionary(after.memberships.map { ($0.partyID, $0) }, uniquingKeysWith: { a, _ in a })
            #expect(roles["HR"]?.role == .observer && roles["TR"] == nil)
            #expect(roles["GH"]?.role == .member && roles["GH"]?.since?.description == "2024" && roles["GH"]?.note == "https://seepag.example/news/ghana")
            #expect(after.memberships.count == before.memberships.count)
            #expect(roles["AL"]?.asPrinted == "Albania", "untouched entries keep their printed form")
            // The network page says since when Ghana takes part, and that it was saved.
            let page = try await focal.get("/networks/seepag?saved=1").page
            #expect(page.contains(#">Ghana</a> <span class="code">GH</span> <span class="meta">· since 2024</span>"#), "\(page)")
            #expect(page.contains("Saved. The entry shows the change"))
            #expect(try await fresh(client).get("/networks/seepag?lang=fr").page.contains("· depuis 2024"))

            let history = try await fresh(client).get("/networks/seepag/history").page
            for text in ["Members", "<ins>member: ", "Ghana", "<del>member: ", "Turkey", "the secretariat&#39;s list of 2026"] {
                #expect(history.contains(text) || history.contains(text.replacingOccurrences(of: "&#39;", with: "'")), "\(text)")
            }
            #expect(try await focal.get("/networks/carin/members").status == .forbidden)
        }
    }

    @Test func partiesTheSourceSaysDoNotTakePartStaySoAndAnEntryIsNamedOnce() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "euromed-justice", bed, client)
            let before = try #require(bed.catalogue.snapshot.network(slug: "euromed-justice"))
            let form = try await focal.get("/networks/euromed-justice/members")
            #expect(form.page.contains(#"<option value="" selected>— not taking part —</option>"#))
            var fields = MembersEditingTests.rows(of: form.page)
            let first = try #require(fields.first { $0.key.hasPrefix("party_") && !$0.value.isEmpty }?.key).replacingOccurrences(of: "party_", with: "")
            fields["note_\(first)"] = "checked with the project"
            fields["reason"] = "a note"
            #expect(try await focal.post("/networks/euromed-justice/members", fields).location == "/networks/euromed-justice?saved=1")
            let after = try #require(bed.catalogue.snapshot.network(slug: "euromed-justice"))
            #expect(after.memberships.count == before.memberships.count, "nobody who does not take part became a member")
            #expect(after.groups.map { $0.role } == before.groups.map { $0.role })

            // The same entry named twice (to edit and to remove it) is refused, and nothing changes.
            let again = try await focal.get("/networks/euromed-justice/members")
            var twice = MembersEditingTests.rows(of: again.page)
            twice["place_1"] = twice["place_0"]
            twice["remove_0"] = "1"
            twice["reason"] = "twice"
            let refused = try await focal.post("/networks/euromed-justice/members", twice)
            #expect(refused.status == .badRequest && refused.page.contains("members[2].place"))
            #expect(bed.catalogue.snapshot.network(slug: "euromed-justice") == after)
        }
    }

    @Test func anEntryTheSourcePrintsWithoutAKnownPartyStaysAsPrintedWhenOthersChange() async throws {
        try await AccountBed.run { bed, client in
            var focal = try await AccountFlowTests.focalPoint(of: "eurojust", bed, client)
            let before = try #require(bed.catalogue.snapshot.network(slug: "eurojust"))
            let printedOnly = before.otherEntries.map(\.entry.printed)
            #expect(printedOnly.contains("Liaison Magistrates"), "setup: the report prints an entry that is no party")
            let form = try await focal.get("/networks/eurojust/members")
            var fields = Self.rows(of: form.page)
            let first = try #require(fields.first { $0.key.hasPrefix("party_") && $0.value.hasPrefix("Denmark") }?.key).replacingOccurrences(of: "party_", with: "")
            fields["note_\(first)"] = "agreement of 2019"
            fields["reason"] = "a note on Denmark"
            #expect(try await focal.post("/networks/eurojust/members", fields).location == "/networks/eurojust?saved=1")
            let after = try #require(bed.catalogue.snapshot.network(slug: "eurojust"))
            #expect(after.otherEntries.map(\.entry.printed) == printedOnly)
            #expect(after.memberships.first { $0.partyID == "DK" }?.note == "agreement of 2019")

            // Typing another unknown name in its place is refused.
            let again = try await focal.get("/networks/eurojust/members")
            var renamed = Self.rows(of: again.page)
            let row = try #require(renamed.first { $0.key.hasPrefix("party_") && $0.value == "Liaison Magistrates" }?.key)
            renamed[row] = "Liaison Judges"
            renamed["reason"] = "renamed"
            let refused = try await focal.post("/networks/eurojust/members", renamed)
            #expect(refused.status == .badRequest && refused.page.contains("“Liaison Judges” is not allowed"))
        }
    }

    /// The values of the members form, as the browser would send them.
    static func rows(of page: String) -> [String: String] {
        var fields = CurationTests.fields(of: page)
        for match in page.matches(of: /<input (?:id="[a-z_0-9]+" )?name="((?:party|place|since|until|note)_\d+)" type="(?:text|hidden)"[^>]* value="([^"]*)"/) {
            fields[String(match.1)] = CurationTests.unescape(String(match.2))
        }
        for match in page.matches(of: /<input type="hidden" name="(place_\d+)" value="([^"]*)">/) {
            fields[String(match.1)] = String(match.2)
        }
        for select in page.matches(of: /<select name="(role_\d+)"[^>]*>(.*?)<\/select>/) {
            if let chosen = String(select.2).firstMatch(of: /<option value="([^"]*)" selected>/) { fields[String(select.1)] = String(chosen.1) }
        }
        return fields
    }
}
