import Foundation
import LiaisonCore
import LiaisonStore

extension SurveyService {
    /// A survey's results for a reader: the counts (as `SurveyResults` publishes them to anyone but the editors), and
    /// the networks' own answers the reader may see — every one for the editors, otherwise only those given while the
    /// survey said they would be public.
    public struct Results: Sendable {
        public let survey: Survey
        public let results: SurveyResults
        public let rows: [(network: Network, answers: SurveyAnswers)]
        /// The networks asked.
        public let asked: Int
        public let published: Bool
        /// Published results wait for the survey to close (a count that moves while it is open would tell each new
        /// answer): nothing is counted until then.
        public let pending: Bool
    }

    /// The results, for one who may read them (`CatalogueError.surveyNotFound` for anyone else: a survey's existence
    /// is not told).
    public func results(_ id: Int64, group: ResultsGroup, language: Language, by principal: Principal) async throws -> Results {
        let survey = try await survey(id)
        let asked = try await store.askedNetworks(surveyID: id)
        let people = try await store.surveyPeople(surveyID: id)
        let sent = try await store.responses(surveyID: id).filter { $0.submittedAt != nil }
        // The networks whose answers the reader knows: those they answer for (as its focal point, or named).
        let named = Set(people.filter { $0.accountID == principal.accountID }.map(\.network))
        let readers = (principal.role == .focalPoint ? principal.networks.intersection(asked.keys) : []).union(named)
        // "The answering networks": one of the reader's networks has sent its answer.
        let respondent = !readers.isDisjoint(with: sent.map(\.network))
        guard survey.sentAt != nil || Policy.allows(principal, .manageSurveys),
              Policy.allows(principal, .readSurveyResults(survey.resultsVisibility, respondent: respondent)) else {
            throw CatalogueError.surveyNotFound(id: id)
        }
        let published = !Policy.allows(principal, .manageSurveys)
        let pending = published && survey.status(at: now()) != .closed
        let snapshot = catalogue.snapshot
        let submitted = pending ? [] : sent.map { SubmittedAnswers(network: $0.network, answers: $0.answers, individualPublic: $0.individualPublic) }
        // Published to everyone, any reader may be one who answered, signed in or not: every group needs one more.
        let results = SurveyResults(survey.questionnaire, answers: submitted, group: group, published: published, readers: readers,
                                    anyReaderAnswered: survey.resultsVisibility == .everyone, language: language, catalogue: snapshot)
        let inGroup = submitted.compactMap { answer -> (Network, SubmittedAnswers)? in
            guard let network = snapshot.network(slug: answer.network), group.contains(network) else { return nil }
            return (network, answer)
        }
        // Each network's own answers, published only when every answer counted may be: else the counts less the
        // rows shown would give the answers of those not shown.
        let shown = !published || inGroup.allSatisfy { $0.1.individualPublic }
        let rows = shown && !results.hidden ? inGroup.map { ($0.0, $0.1.answers) }
            .sorted { $0.0.displayName.localizedStandardCompare($1.0.displayName) == .orderedAscending } : []
        return Results(survey: survey, results: results, rows: rows, asked: asked.count, published: published, pending: pending)
    }

    /// The networks' answers as CSV: one row per network, one column per question (headed by its text), choices,
    /// parties and networks spelled out in `language` — what a spreadsheet opens and reads without a code book. In
    /// French, as French spreadsheets read it: fields separated by `;`, numbers with a decimal comma.
    public func csv(_ found: Results, language: Language) -> String {
        let questions = found.survey.questionnaire.questions
        let header = [language == .fr ? "Réseau" : "Network", language == .fr ? "Abréviation" : "Acronym"]
            + questions.map { "\($0.key). \($0.text.text(language))" }
        let snapshot = catalogue.snapshot
        let separator: Unicode.Scalar = language == .fr ? ";" : ","
        let lines = [header] + found.rows.map { row in
            [row.network.name, row.network.acronym ?? ""] + questions.map { question in
                let text = row.answers.text(of: question, language, catalogue: snapshot)
                return question.kind == .number && language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
            }
        }
        return lines.map { $0.map { Escaper.csvField($0, separator: separator) }.joined(separator: String(separator)) }
            .joined(separator: "\r\n") + "\r\n"
    }

    /// The results as JSON: the survey, the group, and per question its counts, median and texts; then the networks'
    /// own answers the reader may see, spelled out in `language`.
    public func json(_ found: Results, language: Language) throws -> Data {
        let snapshot = catalogue.snapshot
        let questions: [[String: Any]] = found.results.questions.map { result in
            var entry: [String: Any] = ["key": result.question.key, "kind": result.question.kind.rawValue, "text": result.question.text.text(language),
                                        "answered": result.answered, "hidden": result.hidden]
            entry["counts"] = result.counts.map { ["value": $0.value, "label": $0.label, "count": $0.count, "percent": $0.percent] as [String: Any] }
            if let median = result.median { entry["median"] = median }
            entry["texts"] = result.texts.map { text -> [String: Any] in
                var item: [String: Any] = ["text": text.text]
                if let network = text.network { item["network"] = network }
                return item
            }
            entry["texts_withheld"] = result.textsWithheld
            return entry
        }
        let group = found.results.group.parameter.isEmpty ? "all" : found.results.group.parameter
        let object: [String: Any] = [
            "survey": ["id": found.survey.id ?? 0, "title": found.survey.title.text(language)] as [String: Any],
            "language": language.rawValue, "group": group, "networks_asked": found.asked, "respondents": found.results.respondents,
            "hidden": found.results.hidden, "pending": found.pending, "questions": questions,
            "answers": found.rows.map { row -> [String: Any] in
                ["network": row.network.slug, "name": row.network.localizedDisplayName(language),
                 "answers": Dictionary(uniqueKeysWithValues: found.survey.questionnaire.questions.compactMap { question -> (String, String)? in
                     let text = row.answers.text(of: question, language, catalogue: snapshot)
                     return text.isEmpty ? nil : (question.key, text)
                 })]
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
