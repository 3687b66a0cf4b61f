import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Surveys through their pages: the secretariat opens "Needs of the networks", adds a question, sends it to every
/// network; two of CARIN's focal points fill in its answer at once (the later save is refused, the other's changes
/// shown, the typed answers kept); the results are drawn as SVG beside their tables and downloaded as CSV.
@Suite struct SurveyPageTests {
    static func token(_ page: String) throws -> String {
        String(try #require(page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1)
    }

    @Test func theSecretariatSendsTheNeedsSurveyAndCARINAnswersThroughThePages() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("editor@example.org", role: .editor, secondFactor: "SurveyKey0123456789ab")
            try await bed.account("ann@example.org", role: .focalPoint, networks: ["carin"])
            try await bed.account("ben@example.org", role: .focalPoint, networks: ["carin"])
            var editor = Browser(client), ann = Browser(client), ben = Browser(client), visitor = Browser(client)
            _ = try await AccountFlowTests.signIn(&editor, bed, "editor@example.org", key: "SurveyKey0123456789ab")
            _ = try await AccountFlowTests.signIn(&ann, bed, "ann@example.org")
            _ = try await AccountFlowTests.signIn(&ben, bed, "ben@example.org")

            // The editor opens the shipped survey, adds a question, and sends it to every network.
            #expect(try await editor.get("/surveys?lang=en").page.contains("“Needs of the networks”, ready to adjust and send"))
            let created = try await editor.post("/surveys/new", ["start": "needs"])
            let path = try #require(created.location)
            let page = try await editor.get(path + "?lang=en")
            #expect(page.status == .ok && page.page.contains("What further services and assistance does your network require?"))
            let version = String(try #require(page.page.firstMatch(of: /name="version" value="(\d+)"/)).1)
            _ = try await editor.get(path + "/questions/new?section=s3&lang=en")
            let added = try await editor.post(path + "/questions/new", ["version": version, "section": "s3", "kind": "scale", "text_en": "How useful are meetings?",
                                                                       "text_fr": "Quelle est l’utilité des réunions ?", "scale": "Not | Pas\n\n\n\nVery | Très"])
            #expect(added.status == .seeOther)
            // A second change from the same version is refused: the survey changed meanwhile.
            _ = try await editor.get(path + "/questions/new?section=s3&lang=en")
            let stale = try await editor.post(path + "/questions/new", ["version": version, "section": "s3", "kind": "short-text", "text_en": "Late?"])
            #expect(stale.status == .conflict && stale.page.contains("Someone changed the survey meanwhile"))
            let preview = try await editor.get(path + "/preview?lang=fr").page
            #expect(preview.contains("Quelle est l’utilité des réunions ?") && preview.contains("1 – Pas") && preview.contains("5 – Très"),
                    "each label on its point, the empty lines keeping theirs")
            // The last question of a section moved down goes first in the next; its neighbour stays.
            let surveyID = try #require(Int64(path.split(separator: "/").last ?? ""))
            let before = try #require(try await bed.store.survey(id: surveyID))
            _ = try await editor.get(path + "?lang=en")
            #expect(try await editor.post(path + "/questions/q4/move", ["version": String(before.version), "action": "down"]).status == .seeOther)
            let moved = try #require(try await bed.store.survey(id: surveyID))
            #expect(moved.questionnaire.sections[0].questions.map(\.key) == ["q1", "q2", "q3"])
            #expect(moved.questionnaire.sections[1].questions.map(\.key).prefix(2) == ["q4", "q5"])
            _ = try await editor.get(path + "?lang=en")
            #expect(try await editor.post(path + "/questions/q4/move", ["version": String(moved.version), "action": "up"]).status == .seeOther)
            #expect(try await bed.store.survey(id: surveyID)?.questionnaire.sections[0].questions.last?.key == "q4")
            _ = try await editor.get(path + "?lang=en")
            #expect(try await editor.post(path + "/send", ["audience": "every"]).status == .seeOther)
            let active = bed.catalogue.snapshot.networks.filter { $0.status.value == .active }.count
            #expect(try await editor.get(path + "?lang=en").page.contains("<p>0 of \(active) networks asked have sent their answer.</p>"))

            // Ann's list leads to CARIN's answer, filled in from the catalogue.
            let list = try await ann.get("/surveys?lang=en")
            let answerPath = try #require(list.page.firstMatch(of: /href="(\/surveys\/\d+\/answer\/carin)"/)).1
            let form = try await ann.get(String(answerPath) + "?lang=en")
            let website = try #require(bed.catalogue.snapshot.network(slug: "carin")?.website)
            #expect(form.status == .ok && form.page.contains("value=\"\(website)\""))
            _ = try await ben.get(String(answerPath) + "?lang=en")
            // Ann saves a draft; Ben, from the same form, saves after her: refused, shown what she changed, his kept.
            let saved = try await ann.post(String(answerPath), ["revision": "0", "action": "save", "answer-q4": "4", "answer-q5": "platform\nmailing-list"])
            #expect(saved.status == .seeOther)
            let refused = try await ben.post(String(answerPath), ["revision": "0", "action": "save", "answer-q4": "2", "answer-q13": "Training."])
            #expect(refused.status == .conflict && refused.page.contains("<p>ann</p>") && refused.page.contains("Training."))
            #expect(refused.page.contains("<li>q4. How useful is the catalogue of international judicial networks to your network?: 4 "
                                          + "<strong>(you changed it too: your answer is kept below)</strong></li>"))
            #expect(refused.page.contains("value=\"platform\" checked"), "what Ann chose, which Ben left empty, is kept in his form")
            // Sending without the required questions names them; then it goes.
            _ = try await ann.get(String(answerPath) + "?lang=en")
            let missing = try await ann.post(String(answerPath), ["revision": "1", "action": "submit", "answer-q4": "4"])
            #expect(missing.status == .badRequest && missing.page.contains("q5. Which of these services would help your network? — an answer is required."))
            _ = try await ann.get(String(answerPath) + "?lang=fr")
            let manquante = try await ann.post(String(answerPath), ["revision": "1", "action": "submit", "answer-q4": "4"])
            #expect(manquante.page.contains("q5. Lesquels de ces services aideraient votre réseau ? — une réponse est obligatoire."), "said in French")
            _ = try await ann.get(String(answerPath) + "?lang=en")
            // A wrong value: the form comes back as typed, the wrong value with it.
            let wrong = try await ann.post(String(answerPath), ["revision": "1", "action": "save", "answer-q9": "about five", "answer-q13": "Kept words."])
            #expect(wrong.status == .badRequest && wrong.page.contains("value=\"about five\"") && wrong.page.contains("Kept words."))
            _ = try await ann.get(String(answerPath) + "?lang=en")
            _ = try await ann.get(String(answerPath) + "?lang=en")
            let sent = try await ann.post(String(answerPath), ["revision": "1", "action": "submit", "answer-q4": "4", "answer-q5": "platform", "answer-q7": "virtual"])
            #expect(sent.status == .seeOther)
            #expect(try await ann.get(String(answerPath) + "?lang=en").page.contains("Sent on"))

            // The editor reads the results: a chart with its name and description beside its table; the CSV spelled out.
            let results = try await editor.get(path + "/results?lang=en")
            #expect(results.status == .ok && results.page.contains("<svg role=\"img\" aria-labelledby=\"q-q4-title q-q4-desc\""))
            #expect(results.page.contains("<caption>q5. Which of these services would help your network?</caption>"))
            let csv = try await editor.get(path + "/results?format=csv&lang=fr")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let rows = csv.page.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.count == 2 && rows[0].hasPrefix("Réseau;Abréviation;") && rows[1].contains("Une plateforme de partage des connaissances"))
            // The focal points read the results only as published (one network answered: nothing shown); a visitor not at all.
            #expect(try await ann.get(path + "/results?lang=en").page.contains("The results are published when the survey closes"))
            #expect(try await visitor.get(path + "/results").status == .notFound)
            #expect(try await visitor.get(path).status == .seeOther)
        }
    }
}
