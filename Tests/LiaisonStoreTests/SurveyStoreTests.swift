import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// Surveys on SQLite and PostgreSQL: the questionnaire kept whole and changed only from its latest version, networks
/// asked once each with their mails, one answer per network saved only from its latest revision (the later of two
/// saves refused with the other's changes), submitted once under the promise of its time, reminders sent once.
@Suite struct SurveyStoreTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func mail(_ to: String) throws -> MailMessage {
        try MailMessage(to: to, subject: "Needs of the networks", text: "Please answer.", language: .en)
    }

    @Test(arguments: Backend.available)
    func aSurveyIsAskedAnsweredOnceByEachNetworkAndReminded(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let template = NeedsOfTheNetworks.survey(closesAt: Self.start.addingTimeInterval(30 * 86_400), createdBy: "editor", createdAt: Self.start)
            let survey = try await store.createSurvey(template)
            let id = try #require(survey.id)
            #expect(try await store.survey(id: id) == survey, "the questionnaire is kept whole")
            #expect(survey.status(at: Self.start) == .draft)

            // The questionnaire changes from its latest version only.
            var changed = survey
            changed.title.en = "Needs of the networks, 2027"
            let saved = try #require(try await store.saveSurvey(changed, version: 1, at: Self.start))
            #expect(saved.version == 2 && saved.title.en == "Needs of the networks, 2027")
            #expect(try await store.saveSurvey(changed, version: 1, at: Self.start) == nil, "made from version 1, which is gone")

            // Asked: each network once, the mails with it; asking again adds only the new.
            let first = try await store.askSurvey(id, networks: ["carin", "ejn"], people: [], at: Self.start) { networks, _ in
                try networks.map { try Self.mail("\($0)@example.org") }
            }
            #expect(first?.asked == ["carin", "ejn"] && first?.mails == 2)
            let again = try await store.askSurvey(id, networks: ["ejn", "iberred"], people: [(accountID: 7, network: "gpen")], at: Self.start) { networks, people in
                #expect(people.map(\.network) == ["gpen"])
                return try networks.map { try Self.mail("\($0)@example.org") }
            }
            #expect(again?.asked == ["iberred"] && again?.mails == 1, "only the new network is written to")
            // A person named answers for their network; the network itself is not asked (its focal points are not).
            #expect(try await store.askedNetworks(surveyID: id).keys.sorted() == ["carin", "ejn", "iberred"])
            #expect(try await store.surveyPeople(surveyID: id).map(\.accountID) == [7])
            #expect(try await store.surveyPeople(surveyID: id).first?.askedAt == Self.start)
            #expect(try await store.survey(id: id)?.status(at: Self.start) == .open)
            #expect(try await store.surveys(askingAny: ["gpen"]).isEmpty)
            #expect(try await store.surveys(askingAny: [], orNaming: 7).map(\.id) == [id])
            #expect(try await store.outbox().count == 3)

            // A form made from a revision that was never saved is refused, nothing written.
            let astray = try await store.saveResponse(surveyID: id, network: "carin", answers: SurveyAnswers(), revision: 5, submitted: false,
                                                      individualPublic: false, changed: [], accountID: 1, actor: "ann", at: Self.start)
            guard case let .conflict(nothing, none, noBase) = astray else { Issue.record("\(astray)"); return }
            #expect(nothing.revision == 0 && none.isEmpty && noBase == nil)
            #expect(try await store.response(surveyID: id, network: "carin") == nil)
            // CARIN's answer: a draft, then two focal points from revision 1 at once — the later is refused, shown the other's.
            let draft = SurveyAnswers(["q4": SurveyAnswer(values: ["4"])])
            #expect(try await store.saveResponse(surveyID: id, network: "carin", answers: draft, revision: 0, submitted: false, individualPublic: false,
                                                 changed: ["q4"], accountID: 1, actor: "ann", at: Self.start) == .saved(revision: 1))
            var ann = draft
            ann.values["q5"] = SurveyAnswer(values: ["platform"])
            #expect(try await store.saveResponse(surveyID: id, network: "carin", answers: ann, revision: 1, submitted: false, individualPublic: false,
                                                 changed: ["q5"], accountID: 1, actor: "ann", at: Self.start) == .saved(revision: 2))
            var ben = draft
            ben.values["q9"] = SurveyAnswer(values: ["3"])
            let refused = try await store.saveResponse(surveyID: id, network: "carin", answers: ben, revision: 1, submitted: true, individualPublic: true,
                                                       changed: ["q9"], accountID: 2, actor: "ben", at: Self.start)
            guard case let .conflict(current, since, base) = refused else { Issue.record("the later save went through: \(refused)"); return }
            #expect(current.answers == ann && current.revision == 2 && since.map(\.actor) == ["ann"] && since.first?.changed == ["q5"])
            #expect(base == draft, "the answers Ben's form was made from, to merge against")
            #expect(try await store.response(surveyID: id, network: "carin")?.answers == ann, "nothing of Ben's was written")

            // Ben saves again from revision 2: submitted, under the promise then; a later change keeps it submitted.
            var merged = ann
            merged.values["q9"] = SurveyAnswer(values: ["3"])
            #expect(try await store.saveResponse(surveyID: id, network: "carin", answers: merged, revision: 2, submitted: true, individualPublic: true,
                                                 changed: ["q9"], accountID: 2, actor: "ben", at: Self.start.addingTimeInterval(60)) == .saved(revision: 3))
            #expect(try await store.saveResponse(surveyID: id, network: "carin", answers: merged, revision: 3, submitted: false, individualPublic: false,
                                                 changed: [], accountID: 1, actor: "ann", at: Self.start.addingTimeInterval(120)) == .saved(revision: 4))
            let kept = try #require(try await store.response(surveyID: id, network: "carin"))
            #expect(kept.submittedAt == Self.start.addingTimeInterval(60) && kept.individualPublic && kept.updatedBy == "ann")
            #expect(try await store.responseEdits(surveyID: id, network: "carin").map(\.actor) == ["ann", "ben", "ann", "ann"])
            #expect(try await store.responses(surveyID: id).map(\.network) == ["carin"])

            // A submission whose facts changed carries its proposal in the same transaction.
            let proposal = ProposalDraft(kind: .change, slug: "ejn", fields: NetworkDraft(), source: "Survey", proposerName: "Eve", proposerEmail: "eve@example.org")
            _ = try await store.saveResponse(surveyID: id, network: "ejn", answers: draft, revision: 0, submitted: true, individualPublic: false,
                                             changed: ["q4"], accountID: nil, actor: "eve", at: Self.start,
                                             proposal: (proposal, .en, "survey-reference", { _ in [try Self.mail("editor@example.org")] }))
            #expect(try await store.proposals(pendingOnly: true).map(\.draft.slug) == ["ejn"])

            // Reminders: once per network and stage.
            #expect(try await store.remindSurvey(id, network: "ejn", stage: "week", mails: [try Self.mail("ejn@example.org")], at: Self.start))
            #expect(try await !store.remindSurvey(id, network: "ejn", stage: "week", mails: [try Self.mail("ejn@example.org")], at: Self.start))
            #expect(try await store.openSurveys(at: Self.start).map(\.id) == [id])
            #expect(try await store.closeSurvey(id, at: Self.start))
            #expect(try await store.openSurveys(at: Self.start).isEmpty)
            #expect(try await store.survey(id: id)?.status(at: Self.start) == .closed)
        }
    }
}
