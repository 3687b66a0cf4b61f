import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Proposals as people make them: a visitor proposes, sees the duplicate check, sends; an editor reviews,
/// accepts or rejects; the proposer is told; the history and the feed show it; it can be undone.
@Suite struct ProposalTests {
    static let editorKey = "EditorKey0123456789a"

    static let seepagLike: [String: String] = [
        "slug": "south-east-prosecutors", "name": "South-East European Prosecutors Group", "section": "european",
        "scope": "south-east-europe", "status": "active", "crime_areas": "serious-crime", "member_types": "prosecutors",
        "purpose_en": "Prosecutors of South-East Europe help each other in cross-border cases.",
        "members": "Albania, Bosnia and Herzegovina, Bulgaria, Croatia, Greece, Hungary, Montenegro, Romania, Serbia, Turkey, Spain, Portugal",
        "source": "https://sepg.example/about", "proposer_name": "Vera Visitor", "proposer_email": "vera@example.org",
    ]

    @Test func aVisitorsProposalIsFlaggedReviewedAcceptedShownInTheHistoryAndFeedAndUndone() async throws {
        try await AccountBed.run { bed, client in
            // The visitor checks first: the page says it looks like SEEPAG, with the countries in common, and the criteria.
            var visitor = Browser(client, address: "198.51.100.20")
            #expect(try await visitor.get("/propose").status == .ok)
            let checked = try await visitor.post("/propose", Self.seepagLike.merging(["step": "check"]) { $1 })
            #expect(checked.status == .ok)
            #expect(checked.page.contains("This looks like a network the catalogue already has"))
            #expect(checked.page.contains("South Eastern European Prosecutors Advisory Group"))
            #expect(checked.page.contains("Countries in common: 10 of 12 (full members: 10)"))
            #expect(checked.page.contains(#"<a href="/networks/seepag/report">propose a correction to it instead</a>"#))
            #expect(checked.page.contains(#"<td>Members are from more than one country.</td><td class="verdict-holds">"#))
            #expect(try await bed.store.proposals().isEmpty, "a check stores nothing")

            // A program that fills the hidden field is thanked as a person is, and forgotten.
            var robot = Browser(client, address: "203.0.113.99")
            try await robot.get("/propose")
            let robotSent = try await robot.post("/propose", Self.seepagLike.merging(["step": "send", "homepage": "http://spam.example"]) { $1 })
            #expect(robotSent.status == .ok && robotSent.page.contains("Thank you"))
            #expect(try await bed.store.proposals().isEmpty)

            // Sent, the visitor lands on the page that follows the proposal, under its reference.
            let sent = try await visitor.post("/propose", Self.seepagLike.merging(["step": "send"]) { $1 })
            let proposal = try #require(try await bed.store.proposals().first)
            let reference = try #require(proposal.reference)
            #expect(sent.location == "/proposals/\(reference)?sent=1")
            let status = try await fresh(client).get("/proposals/\(reference)")
            #expect(status.page.contains("a new network: South-East European Prosecutors Group") && status.page.contains("pending"))
            #expect(!status.page.contains("vera@example.org") && !status.page.contains("Vera Visitor"), "nothing of who sent it")
            #expect(proposal.status == .pending && proposal.draft.proposerEmail == "vera@example.org")

            // The editor reviews it in the queue and accepts it with an edit.
            var editor = try await AccountFlowTests.editor(bed, client)
            let queue = try await editor.get("/admin/proposals")
            #expect(queue.page.contains("new network: South-East European Prosecutors Group") && queue.page.contains("pending"))
            let review = try await editor.get("/admin/proposals/\(proposal.id)")
            #expect(review.page.contains("vera@example.org") && review.page.contains("South Eastern European Prosecutors Advisory Group"))
            var fields = CurationTests.fields(of: review.page)
            fields["name"] = "South-East European Prosecutors Group (SEPG)"
            // The member lines are the editor's to correct too.
            #expect(fields["members"] == Self.seepagLike["members"])
            // Turkey named in French: a row of the report would show that label as printed; this entry was never printed.
            fields["members"] = "Albania, Bosnia and Herzegovina, Bulgaria, Croatia, Greece, Hungary, Montenegro, Romania, Serbia, Turquie"
            let accepted = try await editor.post("/admin/proposals/\(proposal.id)/accept", fields)
            #expect(accepted.location == "/networks/south-east-prosecutors/history")
            let network = try #require(bed.catalogue.snapshot.network(slug: "south-east-prosecutors"))
            #expect(network.name == "South-East European Prosecutors Group (SEPG)" && network.memberships.count == 10)
            #expect(!network.memberships.contains { $0.partyID == "ES" }, "Spain and Portugal left out by the editor")
            // The proposal keeps what was proposed; the revision, what was accepted.
            #expect(try await bed.store.proposal(proposal.id)?.status == .accepted)
            #expect(try await bed.store.proposal(proposal.id)?.draft.members == Self.seepagLike["members"])

            // An entry the platform created claims nothing of the report: no section of it, no printed list or names.
            let platformEntry = try await fresh(client).get("/networks/south-east-prosecutors?lang=en").page
            #expect(platformEntry.contains("<dt>Section of the catalogue</dt>") && !platformEntry.contains("Section of the report"))
            #expect(!platformEntry.contains("exactly as printed") && !platformEntry.contains(#"class="printed""#))
            let row = try await fresh(client).get("/networks/seepag?lang=en").page
            #expect(row.contains("<dt>Section of the report</dt>") && row.contains("exactly as printed"))
            let history = try await fresh(client).get("/networks/south-east-prosecutors/history")
            #expect(history.page.contains("ed, proposed by Vera Visitor") && history.page.contains("proposal \(proposal.id): https://sepg.example/about"))
            #expect(!history.page.contains("vera@example.org"))
            let titles = try CurationTests.atomTitles(try await fresh(client).get("/changes.atom").page)
            #expect(titles.contains("South-East European Prosecutors Group (SEPG): created"))
            let mail = try #require(try await bed.mail().first { $0.contains("To: vera@example.org") })
            #expect(mail.contains("accepted") && mail.contains("/networks/south-east-prosecutors"))

            // Undone: the network is removed again, with a revision saying so.
            let created = try #require(try await bed.store.history(ofNetwork: "south-east-prosecutors").first)
            try await editor.get("/networks/south-east-prosecutors/history")
            #expect(try await editor.post("/networks/south-east-prosecutors/history/\(created.seq)/undo", [:]).location == "/changes")
            #expect(bed.catalogue.snapshot.network(slug: "south-east-prosecutors") == nil)
            #expect(try await fresh(client).get("/changes").page.contains("<td>removed</td>"))
        }
    }

    @Test func aProposedChangeCanBeRejectedWithAReasonAndProposalsAreLimited() async throws {
        try await AccountBed.run { bed, client in
            var visitor = Browser(client, address: "198.51.100.30")
            let form = try await visitor.get("/networks/carin/propose")
            var fields = CurationTests.fields(of: form.page)
            fields["website"] = "https://carin.example"
            fields["source"] = ""
            let missing = try await visitor.post("/networks/carin/propose", fields.merging(["step": "check"]) { $1 })
            #expect(missing.status == .badRequest && missing.page.contains("source: is required"))
            fields["source"] = "The network's annual report 2026"
            fields["proposer_email"] = "sam@example.org"
            fields["proposer_name"] = "Sam"
            let checked = try await visitor.post("/networks/carin/propose", fields.merging(["step": "check"]) { $1 })
            #expect(!checked.page.contains("This looks like a network the catalogue already has"), "a change is not its own duplicate")
            try await visitor.post("/networks/carin/propose", fields.merging(["step": "send"]) { $1 })
            let proposal = try #require(try await bed.store.proposals().first)
            #expect(proposal.draft.kind == .change && proposal.draft.slug == "carin")

            var editor = try await AccountFlowTests.editor(bed, client)
            let review = try await editor.get("/admin/proposals/\(proposal.id)")
            #expect(review.page.contains("<ins>https://carin.example</ins>"), "the review shows what would change")
            let noReason = try await editor.post("/admin/proposals/\(proposal.id)/reject", ["decision_reason": ""])
            #expect(noReason.status == .badRequest && noReason.page.contains("<li>decision_reason: is required</li>"))
            // The page shown again can still accept: its form is at the entry's revision.
            #expect(CurationTests.fields(of: noReason.page)["revision"] == String(try await bed.store.latestRevision(ofNetwork: "carin")))
            #expect(try await editor.post("/admin/proposals/\(proposal.id)/reject", ["decision_reason": "The report names another site"]).location
                    == "/admin/proposals")
            #expect(bed.catalogue.snapshot.network(slug: "carin")?.website != "https://carin.example")
            #expect(try await bed.mail().contains { $0.contains("To: sam@example.org") && $0.contains("The report names another site") })
            #expect(try await editor.post("/admin/proposals/\(proposal.id)/reject", ["decision_reason": "again"]).status == .badRequest,
                    "decided once")

            // A change proposed before a later edit brings only its own change when accepted.
            let second = try await visitor.post("/networks/carin/propose", fields.merging(["step": "send", "website": "https://carin.example/new"]) { $1 })
            #expect(second.status == .seeOther && second.location?.hasPrefix("/proposals/") == true)
            var focal = try await AccountFlowTests.focalPoint(of: "carin", bed, client)
            var edit = CurationTests.fields(of: try await focal.get("/networks/carin/edit").page)
            edit["notes"] = "A note written after the proposal."
            edit["reason"] = "a later edit"
            #expect(try await focal.post("/networks/carin/edit", edit).location == "/networks/carin?saved=1")
            let pending = try #require(try await bed.store.proposals().first { $0.status == .pending })
            let reviewPage = try await editor.get("/admin/proposals/\(pending.id)")
            #expect(reviewPage.page.contains("<ins>https://carin.example/new</ins>") && !reviewPage.page.contains("<del>A note written after"))
            #expect(try await editor.post("/admin/proposals/\(pending.id)/accept", CurationTests.fields(of: reviewPage.page)).location
                    == "/networks/carin/history")
            let carin = try #require(bed.catalogue.snapshot.network(slug: "carin"))
            #expect(carin.website == "https://carin.example/new" && carin.notes == "A note written after the proposal.")
            #expect(try await editor.post("/admin/proposals/\(pending.id)/accept", CurationTests.fields(of: reviewPage.page)).status == .badRequest,
                    "accepted once")

            // Five proposals an hour from one address.
            for _ in 0..<3 { try await visitor.post("/networks/carin/propose", fields.merging(["step": "send"]) { $1 }) }
            let sixth = try await visitor.post("/networks/carin/propose", fields.merging(["step": "send"]) { $1 })
            #expect(sixth.status == .tooManyRequests)
            #expect(try await bed.store.proposals().count == 5)
        }
    }

    @Test func aVisitorProposesMembersToAddRemoveAndGiveAnotherRoleAndTheEditorAcceptsThem() async throws {
        try await AccountBed.run { bed, client in
            let seepag = try #require(bed.catalogue.snapshot.network(slug: "seepag"))
            let members = seepag.memberships.filter { $0.role == .member }
            let gone = try #require(members.first), observer = try #require(members.dropFirst().first)
            let goneName = try #require(bed.catalogue.snapshot.party(id: gone.partyID)).nameEN
            let observerName = try #require(bed.catalogue.snapshot.party(id: observer.partyID)).nameEN
            #expect(!seepag.memberships.contains { $0.partyID == "AT" }, "setup: Austria is not in SEEPAG")

            var visitor = Browser(client, address: "198.51.100.30")
            let form = try await visitor.get("/networks/seepag/propose")
            #expect(form.page.contains(#"name="members""#) && form.page.contains(#"name="removals""#))
            var fields = CurationTests.fields(of: form.page)
            fields["source"] = "https://seepag.example/news/2026-members"
            fields["proposer_name"] = "Mira Member"

            // Mistakes are named: an unknown party, a party to remove that is not listed, a party that has the role already.
            let wrong = try await visitor.post("/networks/seepag/propose", fields.merging([
                "step": "check", "members": "observer: Autriche, Atlantis\n\(goneName)", "removals": "Japan"]) { $1 })
            #expect(wrong.status == .badRequest)
            for text in ["members[1]: “Atlantis” is not allowed: must name a known country or organisation",
                         "members[2]: “\(goneName)” is not allowed: takes part as member already",
                         "removals[1]: “Japan” is not allowed: is not listed in this network"] {
                #expect(wrong.page.contains(text), "\(text)")
            }
            #expect(wrong.page.contains(#"id="removals-error""#))

            // Austria (named in French) added as an observer, one member becomes an observer, one leaves.
            let change = fields.merging(["members": "observer: Autriche, \(observerName)", "removals": goneName]) { $1 }
            let checked = try await visitor.post("/networks/seepag/propose", change.merging(["step": "check"]) { $1 })
            #expect(checked.status == .ok && checked.page.contains(#"value="send""#))
            // The check step shows exactly what accepting it would change.
            #expect(checked.page.contains("What accepting it would change") && checked.page.contains("<ins>observer: Austria</ins>")
                    && checked.page.contains("<del>member: \(gone.asPrinted)</del>"))
            let sent = try await visitor.post("/networks/seepag/propose", change.merging(["step": "send"]) { $1 })
            #expect(try await visitor.get(try #require(sent.location)).page.contains("Thank you"))
            let proposal = try #require(try await bed.store.proposals().first)
            #expect(proposal.draft.removals == goneName)

            var editor = try await AccountFlowTests.editor(bed, client)
            let review = try await editor.get("/admin/proposals/\(proposal.id)")
            #expect(review.page.contains("<ins>observer: Austria</ins>")
                        && review.page.contains("<del>member: \(gone.asPrinted)</del>")
                        && review.page.contains("<ins>observer: \(observer.asPrinted)"),
                    "the review shows the members added and removed")
            // The editor may correct the member lines when accepting; a party the directory does not know is named, in
            // the form, with nothing written.
            var accepting = CurationTests.fields(of: review.page)
            #expect(accepting["members"] == "observer: Autriche, \(observerName)" && accepting["removals"] == goneName)
            accepting["removals"] = "\(goneName), Atlantis"
            let refused = try await editor.post("/admin/proposals/\(proposal.id)/accept", accepting)
            #expect(refused.status == .badRequest && refused.page.contains("removals[2]: “Atlantis” is not allowed"))
            #expect(refused.page.contains(#"id="removals-error""#) && refused.page.contains(">\(goneName), Atlantis</textarea>"))
            #expect(bed.catalogue.snapshot.network(slug: "seepag") == seepag)
            accepting["removals"] = goneName
            #expect(try await editor.post("/admin/proposals/\(proposal.id)/accept", accepting).location == "/networks/seepag/history")
            let after = try #require(bed.catalogue.snapshot.network(slug: "seepag"))
            #expect(!after.memberships.contains { $0.partyID == gone.partyID })
            #expect(after.memberships.filter { $0.partyID == observer.partyID }.map(\.role) == [.observer])
            let austria = try #require(after.memberships.first { $0.partyID == "AT" })
            // The source goes with the revision, not into the public note of each entry the proposal adds.
            #expect(austria.role == .observer && austria.note == nil)
            #expect(after.memberships.count == seepag.memberships.count)
            #expect(after.name == seepag.name && after.purpose == seepag.purpose, "the fields are untouched")
            let history = try await fresh(client).get("/networks/seepag/history").page
            #expect(history.contains("proposed by Mira Member") && history.contains("<ins>observer: Austria</ins>")
                    && history.contains("https://seepag.example/news/2026-members"))

            // A change that changes nothing is refused.
            let nothing = try await visitor.post("/networks/seepag/propose", CurationTests.fields(of: try await visitor.get("/networks/seepag/propose").page)
                .merging(["step": "check", "source": "x"]) { $1 })
            #expect(nothing.status == .badRequest && nothing.page.contains("nothing was changed"))
        }
    }

    @Test func aVisitorReportsAWrongMemberInOneBoxItsReviewersAreToldAndTheVisitorFollowsIt() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("carin-fp@example.org", role: .focalPoint, networks: ["carin"])
            try await bed.account("other-fp@example.org", role: .focalPoint, networks: ["ejn"])
            try await bed.account("secretariat@example.org", role: .editor, secondFactor: "SecretariatKey0123456")
            var visitor = Browser(client, address: "198.51.100.30")
            let page = try await visitor.get("/networks/carin")
            #expect(page.page.contains(#"<a href="/networks/carin/report">Report an error</a>"#))
            let form = try await visitor.get("/networks/carin/report")
            #expect(form.status == .ok && form.page.contains(#"name="report""#))

            // Nothing said: the form again, with what to fix.
            let empty = try await visitor.post("/networks/carin/report", ["report": " ", "source": "https://carin.example/members"])
            #expect(empty.status == .badRequest && empty.page.contains("Say what is wrong."))
            #expect(try await bed.store.proposals().isEmpty)

            let sent = try await visitor.post("/networks/carin/report", [
                "report": "Gibraltar is listed as a member but left the network in 2024.", "source": "https://carin.example/members",
                "proposer_name": "Rita", "proposer_email": "rita@example.org",
            ])
            let proposal = try #require(try await bed.store.proposals().first)
            #expect(proposal.draft.isReport && proposal.draft.kind == .change && proposal.draft.slug == "carin")
            #expect(sent.location == "/proposals/\(try #require(proposal.reference))?sent=1")
            let thanks = try await visitor.get(try #require(sent.location)).page
            #expect(thanks.contains("Thank you") && thanks.contains("an error reported in the entry of"))

            // CARIN's focal point and the editors are told, each in their language; the EJN's focal point is not.
            let mail = try await bed.mail()
            let told = mail.filter { $0.contains("A proposal about") }
            #expect(told.contains { $0.contains("To: carin-fp@example.org") && $0.contains("left the network in 2024") })
            #expect(told.contains { $0.contains("To: secretariat@example.org") && $0.contains("/admin/proposals/\(proposal.id)") })
            #expect(!mail.contains { $0.contains("To: other-fp@example.org") })

            // CARIN's focal point finds it on their page and declines it there, with a reason; the page that follows it says
            // so, and nothing of who sent it.
            let fpMail = try #require(told.first { $0.contains("To: carin-fp@example.org") })
            #expect(fpMail.contains("/networks/carin/proposals/\(proposal.id)"))
            var focal = try await AccountFlowTests.focalPoint(of: "carin", bed, client)
            let mine = try await focal.get("/account/networks")
            #expect(mine.page.contains(#"href="/networks/carin/proposals/\#(proposal.id)""#) && mine.page.contains("left the network in 2024"))
            let review = try await focal.get("/networks/carin/proposals/\(proposal.id)")
            #expect(review.status == .ok && review.page.contains("left the network in 2024"))
            #expect(!review.page.contains("rita@example.org"), "the proposer's address is the secretariat's only")
            #expect(review.page.contains(#"action="/networks/carin/proposals/\#(proposal.id)/reject""#))
            #expect(!review.page.contains("Rita"), "who proposed is the secretariat's to know")
            // Under another network's address, the proposal is not theirs to decide: refused by the route's need, and,
            // for that network's own focal point, by the proposal's network.
            #expect(try await focal.get("/networks/ejn/proposals/\(proposal.id)").status == .forbidden)
            var ejnFocal = Browser(client, address: "198.51.100.31")
            _ = try await AccountFlowTests.signIn(&ejnFocal, bed, "other-fp@example.org")
            #expect(try await ejnFocal.get("/networks/ejn/proposals/\(proposal.id)").status == .notFound)
            #expect(try await ejnFocal.post("/networks/ejn/proposals/\(proposal.id)/reject", ["decision_reason": "not mine"]).status == .notFound)
            let declined = try await focal.post("/networks/carin/proposals/\(proposal.id)/reject",
                                                ["decision_reason": "Gibraltar is still listed on CARIN's own site."])
            #expect(declined.location == "/account/networks?done=rejected")
            // The proposer is told who decided: the network's focal point; the link leads to the proposal's page.
            let decision = try #require(try await bed.mail().first { $0.contains("To: rita@example.org") })
            let reference = try #require(proposal.reference)
            #expect(decision.contains("The network's focal point did not accept it.") && decision.contains("/proposals/\(reference)"))
            let status = try await fresh(client).get("/proposals/\(try #require(proposal.reference))?lang=fr")
            #expect(status.page.contains("refusée"), "\(status.page)")
            #expect(status.page.contains("still listed on CARIN"))
            #expect(!status.page.contains("rita@example.org"))
            // A reference that names nothing: said, not a crash.
            #expect(try await fresh(client).get("/proposals/not-a-reference").status == .notFound)
        }
    }
}

/// `/contact`: a message to the secretariat, by mail to the address the operator set.
@Suite struct ContactTests {
    @Test func aMessageGoesByMailToTheSecretariatInItsLanguageAndIsLimited() async throws {
        try await AccountBed.run(contact: ContactSettings(address: "secretariat@liaison.example", language: .fr)) { bed, client in
            var visitor = Browser(client, address: "198.51.100.40")
            let form = try await visitor.get("/contact")
            #expect(form.status == .ok && form.page.contains(#"action="/contact""#))
            // Every page's footer, error pages included, gives the address.
            #expect(try await visitor.get("/about").page.contains("mailto:secretariat@liaison.example"))
            #expect(try await visitor.get("/no/such/page").page.contains("mailto:secretariat@liaison.example"))

            let wrong = try await visitor.post("/contact", ["email": "not-an-address", "subject": "", "message": "Hello"])
            #expect(wrong.status == .badRequest)
            #expect(wrong.page.contains(#"id="email-error""#) && wrong.page.contains(#"id="subject-error""#))
            #expect(try await bed.mail().isEmpty)

            let sent = try await visitor.post("/contact", ["name": "Ana", "email": "ana@example.org", "subject": "The EJN's address",
                                                           "message": "The EJN's site moved to a new address."])
            #expect(sent.status == .ok && sent.page.contains("Your message is on its way to the secretariat."))
            let mail = try #require(try await bed.mail().first { $0.contains("To: secretariat@liaison.example") })
            // In French; the visitor's subject is in the body only (a sent message keeps its subject in the outbox).
            #expect(mail.contains("formulaire de contact de Liaison") && mail.contains("De : Ana <ana@example.org>")
                    && mail.contains("Objet : The EJN's address") && mail.contains("moved to a new address"))
            #expect(!mail.split(separator: "\r\n").contains { $0.hasPrefix("Subject:") && $0.contains("EJN") })

            // A program filling the hidden field sends nothing; five messages an hour from one address.
            #expect(try await visitor.post("/contact", ["email": "bot@example.org", "subject": "x", "message": "y", "homepage": "http://x"]).status == .ok)
            for i in 0..<4 {
                #expect(try await visitor.post("/contact", ["email": "ana@example.org", "subject": "Again \(i)", "message": "More."]).status == .ok)
            }
            #expect(try await visitor.post("/contact", ["email": "ana@example.org", "subject": "Sixth", "message": "More."]).status == .tooManyRequests)
            #expect(try await bed.mail().filter { $0.contains("To: secretariat@liaison.example") }.count == 5)
        }
    }

    @Test func withoutAnAddressThereIsNoForm() async throws {
        try await withApp { client in
            try await client.get("/contact") { response async throws in
                let page = html(response)
                #expect(page.contains("has not given the secretariat") && !page.contains(#"action="/contact""#))
            }
        }
    }
}
