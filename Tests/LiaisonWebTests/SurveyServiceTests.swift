import Foundation
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices

/// Surveys through the services, as the secretariat and the networks use them: the shipped survey opened and sent to
/// every network's focal points in their language, one answer per network (a draft, a colleague's save first, a
/// submission that proposes the changed facts), reminders before the date to those who have not answered, results
/// read as the survey says.
@Suite struct SurveyServiceTests {
    static let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)

    @Test func theNeedsOfTheNetworksAreAskedAnsweredRemindedAndRead() async throws {
        try await AccountBed.run { bed, _ in
            let ann = try await bed.account("ann@example.org", role: .focalPoint, networks: ["carin"])
            let ben = try await bed.account("ben@example.org", role: .focalPoint, networks: ["carin"])
            let eve = try await bed.account("eve@example.org", role: .focalPoint, networks: ["ejn"])
            let practitioner = try await bed.account("paul@example.org", role: .practitioner, networks: ["carin"])
            await #expect(throws: ServiceDenied.self) { _ = try await bed.surveys.create(.needsOfTheNetworks, by: ann.principal, actor: "ann") }
            let survey = try await bed.surveys.create(.needsOfTheNetworks, by: Self.editor, actor: "editor")
            let id = try #require(survey.id)
            #expect(survey.title.en == "Needs of the networks" && survey.questionnaire.questions.count == 13)

            // Sent to every network: each focal point gets a mail in their language with their network's link.
            let report = try await bed.surveys.send(id, networks: .every, people: [], by: Self.editor)
            let active = bed.catalogue.snapshot.networks.filter { $0.status.value == .active }.count
            #expect(report.networks == active && report.mails == 3 && report.networksWithoutFocalPoint.count == active - 2)
            let mail = try #require(try await InvitationTests.mails(to: "ann@example.org", bed).last)
            #expect(mail.contains("Subject: Survey: Needs of the networks") && mail.contains("/surveys/\(id)/answer/carin?lang=en"))
            #expect(try await bed.surveys.send(id, networks: .every, people: [], by: Self.editor).mails == 0, "asked once")
            // A practitioner of CARIN may not answer for it; Eve may not answer for CARIN.
            await #expect(throws: CatalogueError.self) { _ = try await bed.surveys.answerForm(id, network: "carin", by: practitioner.principal) }
            await #expect(throws: CatalogueError.self) { _ = try await bed.surveys.answerForm(id, network: "carin", by: eve.principal) }
            await #expect(throws: CatalogueError.self) {
                _ = try await bed.surveys.save(id, network: "carin", revision: 0, submit: false, fields: { _ in [] }, by: eve.principal, account: eve)
            }

            // Ann's form comes with the catalogue's facts; she saves a draft.
            let form = try await bed.surveys.answerForm(id, network: "carin", by: ann.principal)
            let carin = try #require(bed.catalogue.snapshot.network(slug: "carin"))
            #expect(form.answers["q1"]?.values == [try #require(carin.website)] && form.revision == 0)
            var fields: [String: [String]] = ["answer-q1": form.answers["q1"]?.values ?? [], "answer-q3": form.answers["q3"]?.values ?? [],
                                              "answer-q4": ["4"], "answer-q5": ["platform"]]
            let draft = try await bed.surveys.save(id, network: "carin", revision: 0, submit: false, fields: { [fields] in fields[$0] ?? [] },
                                                   by: ann.principal, account: ann)
            guard case .saved(submitted: false, proposed: false) = draft else { Issue.record("\(draft)"); return }
            // Ben, from the same empty form, saves after her: refused, shown what she changed.
            let late = try await bed.surveys.save(id, network: "carin", revision: 0, submit: false, fields: { ["answer-q4": ["2"]][$0] ?? [] },
                                                  by: ben.principal, account: ben)
            guard case let .conflict(current, since, yours, both) = late else { Issue.record("\(late)"); return }
            #expect(current.answers["q4"]?.values == ["4"] && since.map(\.actor) == ["ann"])
            // Merged: his q4 kept (both changed it: said), her q5 taken (he left it as his form had it).
            #expect(yours["q4"]?.values == ["2"] && yours["q5"]?.values == ["platform"] && both == ["q4"])
            // Submitting needs the required questions shown (q7 here); then goes, with the changed website proposed.
            await #expect(throws: NetworkEditFailure.self) {
                _ = try await bed.surveys.save(id, network: "carin", revision: 1, submit: true, fields: { [fields] in fields[$0] ?? [] },
                                               by: ann.principal, account: ann)
            }
            fields["answer-q7"] = ["virtual"]
            fields["answer-q1"] = ["https://carin.example.org"]
            let sent = try await bed.surveys.save(id, network: "carin", revision: 1, submit: true, fields: { [fields] in fields[$0] ?? [] },
                                                  by: ann.principal, account: ann)
            guard case .saved(submitted: true, proposed: true) = sent else { Issue.record("\(sent)"); return }
            let proposal = try #require(try await bed.store.proposals(pendingOnly: true).first)
            #expect(proposal.draft.slug == "carin" && proposal.draft.fields.website == "https://carin.example.org")
            #expect(try await bed.surveys.progress(id, by: Self.editor).first { $0.network == "carin" }?.response?.submittedAt != nil)

            // A week before it closes, those who have not answered are reminded once; CARIN, which answered, is not.
            bed.clock.advance(23.5 * 86_400)
            #expect(try await bed.surveys.sendReminders() == 1)
            #expect(try await bed.surveys.sendReminders() == 0, "once per stage")
            #expect(try await InvitationTests.mails(to: "eve@example.org", bed).last?.contains("Subject: Reminder: Needs of the networks closes") == true)
            #expect(try await !InvitationTests.mails(to: "ann@example.org", bed).contains { $0.contains("Reminder") })

            // Results: the survey says the answering networks read them; one network answered, so nothing is published
            // to them, while the editors see it all; a visitor is told nothing of the survey.
            let editors = try await bed.surveys.results(id, group: .all, language: .en, by: Self.editor)
            #expect(!editors.results.hidden && editors.rows.count == 1 && editors.asked == active)
            let csv = bed.surveys.csv(editors, language: .fr)
            #expect(csv.hasPrefix("Réseau;Abréviation;q1. Quel est le site web de votre réseau ?") && csv.contains("Une plateforme de partage"))
            let open = try await bed.surveys.results(id, group: .all, language: .en, by: ann.principal)
            #expect(open.pending && open.rows.isEmpty && open.results.respondents == 0, "published when it closes, not answer by answer")
            await #expect(throws: CatalogueError.self) { _ = try await bed.surveys.results(id, group: .all, language: .en, by: .visitor) }
            await #expect(throws: CatalogueError.self) { _ = try await bed.surveys.results(id, group: .all, language: .en, by: practitioner.principal) }
            // Closed (said twice): no more answers; one network answered, so nothing is published, not even how many.
            await #expect { try await bed.surveys.close(id, confirm: false, by: Self.editor) } throws: { ($0 as? InputError)?.field == "confirm" }
            try await bed.surveys.close(id, confirm: true, by: Self.editor)
            let closed = try await bed.surveys.results(id, group: .all, language: .en, by: ann.principal)
            #expect(!closed.pending && closed.results.hidden && closed.results.respondents == 0 && closed.rows.isEmpty)
            await #expect(throws: InputError.self) {
                _ = try await bed.surveys.save(id, network: "carin", revision: 2, submit: false, fields: { _ in [] }, by: ann.principal, account: ann)
            }
        }
    }

    @Test func aFactCorrectedInADraftIsProposedWhenSentAndAHiddenQuestionBlocksNothing() async throws {
        try await AccountBed.run { bed, _ in
            let ann = try await bed.account("ann@example.org", role: .focalPoint, networks: ["carin"])
            let id = try #require(try await bed.surveys.create(.needsOfTheNetworks, by: Self.editor, actor: "editor").id)
            _ = try await bed.surveys.send(id, networks: .chosen(["carin"]), people: [], by: Self.editor)
            // The web site corrected in a draft, saved; sent the next day as it was: the correction is proposed.
            var fields: [String: [String]] = ["answer-q1": ["https://carin.example.org"], "answer-q4": ["3"], "answer-q5": ["platform"],
                                              "answer-q7": ["virtual"]]
            guard case .saved(submitted: false, proposed: false) = try await bed.surveys.save(
                id, network: "carin", revision: 0, submit: false, fields: { [fields] in fields[$0] ?? [] }, by: ann.principal, account: ann)
            else { Issue.record("the draft was not saved"); return }
            // Drafts are checked whole: a network that is not one is refused there, even under a condition not met.
            fields["answer-q10"] = ["no"]
            fields["answer-q11"] = ["no-such-network"]
            await #expect(throws: NetworkEditFailure.self) {
                _ = try await bed.surveys.save(id, network: "carin", revision: 1, submit: false, fields: { [fields] in fields[$0] ?? [] },
                                               by: ann.principal, account: ann)
            }
            // Sent, the question its condition hides is neither checked nor kept.
            let sent = try await bed.surveys.save(id, network: "carin", revision: 1, submit: true, fields: { [fields] in fields[$0] ?? [] },
                                                  by: ann.principal, account: ann)
            guard case .saved(submitted: true, proposed: true) = sent else { Issue.record("\(sent)"); return }
            #expect(try await bed.store.proposals(pendingOnly: true).first?.draft.fields.website == "https://carin.example.org")
            #expect(try await bed.store.response(surveyID: id, network: "carin")?.answers["q11"] == nil)

            // Answered, a condition that would hide an answered question is refused; one that hides nothing answered goes.
            let version = try await bed.surveys.survey(id).version
            fields["answer-q9"] = ["4"]
            _ = try await bed.surveys.save(id, network: "carin", revision: 2, submit: true, fields: { [fields] in fields[$0] ?? [] },
                                           by: ann.principal, account: ann)
            await #expect { _ = try await bed.surveys.change(id, version: version, by: Self.editor) {
                $0.questionnaire.sections[1].questions[4].condition = SurveyCondition(question: "q7", values: ["no"])
            } } throws: { ($0 as? InputError)?.field == "condition" }
            let changed = try await bed.surveys.change(id, version: version, by: Self.editor) {
                $0.questionnaire.sections[1].questions[4].condition = SurveyCondition(question: "q7", values: ["virtual", "no"])
            }
            #expect(changed.questionnaire.question("q9")?.condition != nil)
        }
    }

    @Test func remindersFollowWhenEachNetworkWasAskedAndResultsGoToTheNetworksThatAnswered() async throws {
        try await AccountBed.run { bed, _ in
            let ann = try await bed.account("ann@example.org", role: .focalPoint, networks: ["carin"])
            let eve = try await bed.account("eve@example.org", role: .focalPoint, networks: ["ejn"])
            let id = try #require(try await bed.surveys.create(.needsOfTheNetworks, by: Self.editor, actor: "editor").id)
            // Sent five days before it closes: no seven-day reminder right after the invitation; the two-day one when due.
            bed.clock.advance(25 * 86_400)
            _ = try await bed.surveys.send(id, networks: .chosen(["carin"]), people: [], by: Self.editor)
            #expect(try await bed.surveys.sendReminders() == 0)
            // A network asked a day before it closes gets no reminder at all; the other its two-day one.
            bed.clock.advance(3.5 * 86_400)
            _ = try await bed.surveys.send(id, networks: .chosen(["ejn"]), people: [], by: Self.editor)
            #expect(try await bed.surveys.sendReminders() == 1)
            #expect(try await InvitationTests.mails(to: "ann@example.org", bed).contains { $0.contains("Subject: Reminder") })
            #expect(try await !InvitationTests.mails(to: "eve@example.org", bed).contains { $0.contains("Subject: Reminder") })
            // The results are the answering networks': a network asked that has not answered reads nothing.
            _ = try await bed.surveys.save(id, network: "carin", revision: 0, submit: true,
                                           fields: { ["answer-q4": ["3"], "answer-q5": ["platform"], "answer-q7": ["no"]][$0] ?? [] },
                                           by: ann.principal, account: ann)
            #expect(try await bed.surveys.results(id, group: .all, language: .en, by: ann.principal).pending)
            await #expect(throws: CatalogueError.self) { _ = try await bed.surveys.results(id, group: .all, language: .en, by: eve.principal) }
            // A survey whose closing date has passed is not sent.
            let late = try #require(try await bed.surveys.create(.needsOfTheNetworks, by: Self.editor, actor: "editor").id)
            bed.clock.advance(31 * 86_400)
            await #expect { _ = try await bed.surveys.send(late, networks: .every, people: [], by: Self.editor) } throws: {
                ($0 as? InputError)?.field == "closes"
            }
        }
    }

    @Test func aSurveyIsCopiedAndChangedOnlyFromItsLatestVersionKeepingWhatWasAnswered() async throws {
        try await AccountBed.run { bed, _ in
            let ann = try await bed.account("ann@example.org", role: .focalPoint, networks: ["carin"])
            let first = try await bed.surveys.create(.needsOfTheNetworks, by: Self.editor, actor: "editor")
            let id = try #require(first.id)
            let copy = try await bed.surveys.create(.copy(id), by: Self.editor, actor: "editor")
            #expect(copy.copiedFrom == id && copy.questionnaire == first.questionnaire && copy.id != id)
            // A change from version 1 goes; a second from version 1 is refused, naming the survey as it is.
            let changed = try await bed.surveys.change(id, version: 1, by: Self.editor) { $0.title.en = "Needs, 2027" }
            #expect(changed.version == 2)
            await #expect(throws: SurveyChanged.self) { _ = try await bed.surveys.change(id, version: 1, by: Self.editor) { $0.title.en = "Other" } }
            // A broken questionnaire is refused whole.
            await #expect(throws: NetworkEditFailure.self) {
                _ = try await bed.surveys.change(id, version: 2, by: Self.editor) { $0.questionnaire.sections[1].questions[0].choices = [] }
            }
            // Answered, a question can be reworded but not removed.
            _ = try await bed.surveys.send(id, networks: .chosen(["carin"]), people: [], by: Self.editor)
            _ = try await bed.surveys.save(id, network: "carin", revision: 0, submit: false, fields: { ["answer-q5": ["platform"]][$0] ?? [] },
                                           by: ann.principal, account: ann)
            await #expect { _ = try await bed.surveys.change(id, version: 2, by: Self.editor) { $0.questionnaire.sections[1].questions.removeFirst() } } throws: {
                ($0 as? InputError)?.field == "question"
            }
            let reworded = try await bed.surveys.change(id, version: 2, by: Self.editor) { $0.questionnaire.sections[1].questions[0].text.en = "Which services help?" }
            #expect(reworded.questionnaire.question("q5")?.text.en == "Which services help?")
            // Named people answer for their network; one with no network cannot be named.
            try await bed.account("nobody@example.org", role: .practitioner)
            await #expect { _ = try await bed.surveys.send(id, networks: nil, people: ["nobody@example.org"], by: Self.editor) } throws: {
                ($0 as? InputError)?.field == "people[1]"
            }
            let paul = try await bed.account("paul@example.org", role: .practitioner, networks: ["ejn"])
            #expect(try await bed.surveys.send(id, networks: nil, people: ["Paul@Example.org"], by: Self.editor).mails == 1)
            #expect(try await bed.surveys.answerForm(id, network: "ejn", by: paul.principal).network.slug == "ejn")
            #expect(try await bed.surveys.surveys(toAnswer: paul.principal).map(\.networks) == [["ejn"]])
        }
    }
}
