import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// What saving an answer did: saved (its new revision), or refused because another save came first (the answer
    /// as it is now, the saves since the one the form was made from, and the answers that save left — nil when the
    /// form was made from none, or from a save kept before they were).
    public enum ResponseSave: Sendable, Equatable {
        case saved(revision: Int)
        case conflict(current: SurveyResponse, since: [SurveyResponseEdit], base: SurveyAnswers?)
    }

    // MARK: Surveys

    public func createSurvey(_ survey: Survey) async throws -> Survey {
        let questionnaire = try Self.json(survey.questionnaire)
        return try await driver.withDatabase { db in
            guard let id = try await db.raw("""
                INSERT INTO surveys (title_en, title_fr, introduction_en, introduction_fr, questionnaire, closes_at, results_visibility,
                    individual_public, copied_from, sent_at, closed_at, version, created_by, created_at, updated_at)
                VALUES (\(bind: survey.title.en), \(bind: survey.title.fr), \(bind: survey.introduction.en), \(bind: survey.introduction.fr),
                    \(bind: questionnaire), \(bind: Timestamp.string(survey.closesAt)), \(bind: survey.resultsVisibility.rawValue),
                    \(bind: survey.individualAnswersPublic ? 1 : 0), \(bind: survey.copiedFrom), NULL, NULL, 1, \(bind: survey.createdBy),
                    \(bind: Timestamp.string(survey.createdAt)), \(bind: Timestamp.string(survey.createdAt)))
                RETURNING id
                """).first()?.decode(column: "id", as: Int64.self)
            else { throw StoredDataError(column: "surveys.id", value: "", rule: "was not returned by the insert") }
            var stored = survey
            stored.id = id
            stored.version = 1
            stored.sentAt = nil
            stored.closedAt = nil
            return stored
        }
    }

    public func survey(id: Int64) async throws -> Survey? {
        try await driver.withDatabase { db in try await db.raw("SELECT * FROM surveys WHERE id = \(bind: id)").first().map(Self.survey) }
    }

    /// The surveys, the newest first.
    public func surveys(limit: Int = 200) async throws -> [Survey] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM surveys ORDER BY id DESC LIMIT \(bind: limit)").all().map(Self.survey)
        }
    }

    /// Saves a survey's title, introduction, questionnaire, date and publicity, when it is still at `version` (the
    /// version the editor's form was made from): its version moves on. Nil when another change came first, or there
    /// is no such survey.
    /// `keeps` is given the answers stored, read in the same transaction (no answer saved between its check and the
    /// write), and throws to refuse the change.
    public func saveSurvey(_ survey: Survey, version: Int, at date: Date, keeps: @Sendable ([SurveyAnswers]) throws -> Void = { _ in })
        async throws -> Survey?
    {
        guard let id = survey.id else { return nil }
        let questionnaire = try Self.json(survey.questionnaire)
        let dialect = driver.dialect
        return try await driver.transaction { db in
            // PostgreSQL: held as a save of an answer holds it (SQLite writes one transaction at a time).
            if dialect == .postgresql { try await db.raw("SELECT id FROM surveys WHERE id = \(bind: id) FOR UPDATE").run() }
            try keeps(try await db.raw("SELECT * FROM survey_responses WHERE survey_id = \(bind: id)").all().map { try Self.response($0).answers })
            return try await db.raw("""
                UPDATE surveys SET title_en = \(bind: survey.title.en), title_fr = \(bind: survey.title.fr),
                    introduction_en = \(bind: survey.introduction.en), introduction_fr = \(bind: survey.introduction.fr),
                    questionnaire = \(bind: questionnaire), closes_at = \(bind: Timestamp.string(survey.closesAt)),
                    results_visibility = \(bind: survey.resultsVisibility.rawValue), individual_public = \(bind: survey.individualAnswersPublic ? 1 : 0),
                    version = version + 1, updated_at = \(bind: Timestamp.string(date))
                WHERE id = \(bind: id) AND version = \(bind: version) RETURNING *
                """).first().map(Self.survey)
        }
    }

    /// Asks networks (and people named, each for a network of theirs) to answer, in one transaction with the mails
    /// that tell them: the survey is sent from then on. A network or person asked before is not asked again (and
    /// `mails` is given only the new ones). Returns the networks newly asked and how many mails went. Nil when there
    /// is no such survey.
    public func askSurvey(_ id: Int64, networks: [String], people: [(accountID: Int64, network: String)], at date: Date,
                          mails: @Sendable (_ networks: [String], _ people: [(accountID: Int64, network: String)]) throws -> [MailMessage])
        async throws -> (asked: [String], mails: Int)?
    {
        let now = Timestamp.string(date)
        return try await driver.transaction { db -> (asked: [String], mails: Int)? in
            guard try await db.raw("UPDATE surveys SET sent_at = coalesce(sent_at, \(bind: now)) WHERE id = \(bind: id) RETURNING id").first() != nil
            else { return nil }
            var asked: [String] = []
            for network in networks {
                if try await db.raw("""
                    INSERT INTO survey_networks (survey_id, network, asked_at) VALUES (\(bind: id), \(bind: network), \(bind: now))
                    ON CONFLICT (survey_id, network) DO NOTHING RETURNING network
                    """).first() != nil { asked.append(network) }
            }
            var named: [(accountID: Int64, network: String)] = []
            for person in people {
                if try await db.raw("""
                    INSERT INTO survey_people (survey_id, account_id, network, asked_at)
                    VALUES (\(bind: id), \(bind: person.accountID), \(bind: person.network), \(bind: now))
                    ON CONFLICT (survey_id, account_id, network) DO NOTHING RETURNING account_id
                    """).first() != nil { named.append(person) }
            }
            let messages = try mails(asked, named)
            for message in messages { _ = try await Self.enqueue(db, message, at: date) }
            return (asked, messages.count)
        }
    }

    /// Closes a survey before its date (answers are no longer taken).
    public func closeSurvey(_ id: Int64, at date: Date) async throws -> Bool {
        try await driver.withDatabase { db in
            try await db.raw("""
                UPDATE surveys SET closed_at = coalesce(closed_at, \(bind: Timestamp.string(date))) WHERE id = \(bind: id) RETURNING id
                """).first() != nil
        }
    }

    /// The networks a survey asked, with when.
    public func askedNetworks(surveyID: Int64) async throws -> [String: Date] {
        try await driver.withDatabase { db in
            var asked: [String: Date] = [:]
            for row in try await db.raw("SELECT network, asked_at FROM survey_networks WHERE survey_id = \(bind: surveyID) LIMIT 10000").all() {
                asked[try row.decode(column: "network", as: String.self)] = try Self.time(row, "asked_at")
            }
            return asked
        }
    }

    /// The people a survey named, the network each answers for, and when they were asked (nil for those named before
    /// that was kept).
    public func surveyPeople(surveyID: Int64) async throws -> [(accountID: Int64, network: String, askedAt: Date?)] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT account_id, network, asked_at FROM survey_people WHERE survey_id = \(bind: surveyID) ORDER BY account_id LIMIT 10000
                """).all().map { row in
                (try row.decode(column: "account_id", as: Int64.self), try row.decode(column: "network", as: String.self),
                 try row.decode(column: "asked_at", as: String?.self).flatMap(Timestamp.date))
            }
        }
    }

    /// The surveys that asked one of these networks, or named this account, the newest first.
    public func surveys(askingAny networks: [String], orNaming accountID: Int64? = nil) async throws -> [Survey] {
        guard !networks.isEmpty || accountID != nil else { return [] }
        return try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM surveys WHERE id IN (SELECT survey_id FROM survey_networks WHERE network IN (\(binds: networks + [""])))
                    OR id IN (SELECT survey_id FROM survey_people WHERE account_id = \(bind: accountID ?? -1))
                ORDER BY id DESC LIMIT 200
                """).all().map(Self.survey)
        }
    }

    // MARK: Answers

    public func response(surveyID: Int64, network: String) async throws -> SurveyResponse? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM survey_responses WHERE survey_id = \(bind: surveyID) AND network = \(bind: network)").first().map(Self.response)
        }
    }

    /// Every network's answer to a survey (drafts too), by network.
    public func responses(surveyID: Int64) async throws -> [SurveyResponse] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM survey_responses WHERE survey_id = \(bind: surveyID) ORDER BY network LIMIT 10000").all().map(Self.response)
        }
    }

    /// Saves a network's answers when they are still at `revision` (the one the form was made from; 0 for none yet),
    /// in one transaction with its record of who changed which questions and, when it is `submitted`, the proposal
    /// its changed facts make (`proposal`, written by the same transaction). Another save first: refused, with the
    /// answer as it is now and the saves since.
    public func saveResponse(surveyID: Int64, network: String, answers: SurveyAnswers, revision: Int, submitted: Bool, individualPublic: Bool,
                             changed: [String], accountID: Int64?, actor: String, at date: Date,
                             proposal: (draft: ProposalDraft, language: Language, reference: String, mails: @Sendable (Int64) throws -> [MailMessage])? = nil)
        async throws -> ResponseSave
    {
        let now = Timestamp.string(date)
        let text = try Self.json(answers)
        let dialect = driver.dialect
        return try await driver.transaction { db -> ResponseSave in
            // PostgreSQL: the survey's row is held until the end, so that two saves of a network's answer (the first
            // two included, before any row of it exists) go one after the other; SQLite writes one transaction at a time.
            if dialect == .postgresql { try await db.raw("SELECT id FROM surveys WHERE id = \(bind: surveyID) FOR UPDATE").run() }
            let current = try await db.raw("""
                SELECT * FROM survey_responses WHERE survey_id = \(bind: surveyID) AND network = \(bind: network)
                """).first().map(Self.response)
            guard (current?.revision ?? 0) == revision else {
                let since = try await db.raw("""
                    SELECT * FROM survey_response_edits WHERE survey_id = \(bind: surveyID) AND network = \(bind: network) AND revision > \(bind: revision)
                    ORDER BY revision LIMIT 100
                    """).all().map(Self.edit)
                // A form made from a revision that is not there (none yet, or a number of no save): refused as well,
                // against the answer as it is (an empty one when none was saved).
                let shown = current ?? SurveyResponse(surveyID: surveyID, network: network, answers: SurveyAnswers(), revision: 0, submittedAt: nil,
                                                      individualPublic: false, updatedAt: date, updatedBy: "")
                let base = try await db.raw("""
                    SELECT answers FROM survey_response_edits WHERE survey_id = \(bind: surveyID) AND network = \(bind: network) AND revision = \(bind: revision)
                    """).first()?.decode(column: "answers", as: String?.self).map { try Self.answers($0, column: "survey_response_edits.answers") }
                return .conflict(current: shown, since: since, base: base)
            }
            let next = revision + 1
            // Submitted once, an answer stays submitted (a later save changes it, under the promise it was given with).
            let submittedAt: String? = current?.submittedAt.map(Timestamp.string) ?? (submitted ? now : nil)
            let publicity = current?.submittedAt != nil ? (current?.individualPublic ?? false) : (submitted && individualPublic)
            if current == nil {
                try await db.raw("""
                    INSERT INTO survey_responses (survey_id, network, answers, revision, submitted_at, individual_public, updated_at, updated_by)
                    VALUES (\(bind: surveyID), \(bind: network), \(bind: text), \(bind: next), \(bind: submittedAt), \(bind: publicity ? 1 : 0),
                            \(bind: now), \(bind: actor))
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE survey_responses SET answers = \(bind: text), revision = \(bind: next), submitted_at = \(bind: submittedAt),
                        individual_public = \(bind: publicity ? 1 : 0), updated_at = \(bind: now), updated_by = \(bind: actor)
                    WHERE survey_id = \(bind: surveyID) AND network = \(bind: network)
                    """).run()
            }
            try await db.raw("""
                INSERT INTO survey_response_edits (survey_id, network, revision, account_id, actor, at, changed, submitted, answers)
                VALUES (\(bind: surveyID), \(bind: network), \(bind: next), \(bind: accountID), \(bind: actor), \(bind: now),
                        \(bind: changed.joined(separator: " ")), \(bind: submitted ? 1 : 0), \(bind: text))
                """).run()
            if let proposal {
                let id = try await Self.insertProposal(db, proposal.draft, language: proposal.language, address: "survey-\(surveyID)",
                                                       accountID: accountID, reference: proposal.reference, at: date)
                for message in try proposal.mails(id) { _ = try await Self.enqueue(db, message, at: date) }
            }
            return .saved(revision: next)
        }
    }

    /// The saves of a network's answer, the latest first.
    public func responseEdits(surveyID: Int64, network: String, limit: Int = 200) async throws -> [SurveyResponseEdit] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM survey_response_edits WHERE survey_id = \(bind: surveyID) AND network = \(bind: network) ORDER BY revision DESC LIMIT \(bind: limit)
                """).all().map(Self.edit)
        }
    }

    // MARK: Reminders

    /// Sends a reminder of a survey to a network once per `stage`: claimed and queued in one transaction. Returns
    /// whether it was sent now (false: sent before).
    public func remindSurvey(_ id: Int64, network: String, stage: String, mails: [MailMessage], at date: Date) async throws -> Bool {
        try await driver.transaction { db in
            guard try await db.raw("""
                INSERT INTO survey_reminders (survey_id, network, stage, sent_at) VALUES (\(bind: id), \(bind: network), \(bind: stage),
                    \(bind: Timestamp.string(date)))
                ON CONFLICT (survey_id, network, stage) DO NOTHING RETURNING network
                """).first() != nil else { return false }
            for message in mails { _ = try await Self.enqueue(db, message, at: date) }
            return true
        }
    }

    /// The surveys sent, not closed by an editor, whose date is still to come: those reminders may be due for.
    public func openSurveys(at date: Date) async throws -> [Survey] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM surveys WHERE sent_at IS NOT NULL AND closed_at IS NULL AND closes_at > \(bind: Timestamp.string(date)) ORDER BY id LIMIT 1000
                """).all().map(Self.survey)
        }
    }

    // MARK: Rows

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func survey(_ row: any SQLRow) throws -> Survey {
        let text = try row.decode(column: "questionnaire", as: String.self)
        let questionnaire: Questionnaire
        do {
            questionnaire = try JSONDecoder().decode(Questionnaire.self, from: Data(text.utf8))
        } catch {
            throw StoredDataError(column: "surveys.questionnaire", value: TextRules.preview(text), rule: "must be a questionnaire: \(error)")
        }
        let visibility = try row.decode(column: "results_visibility", as: String.self)
        guard let resultsVisibility = ResultsVisibility(rawValue: visibility) else {
            throw StoredDataError(column: "surveys.results_visibility", value: visibility, rule: "must be editors, respondents or everyone")
        }
        return Survey(id: try row.decode(column: "id", as: Int64.self),
                      title: Bilingual(en: try row.decode(column: "title_en", as: String.self), fr: try row.decode(column: "title_fr", as: String.self)),
                      introduction: Bilingual(en: try row.decode(column: "introduction_en", as: String.self),
                                              fr: try row.decode(column: "introduction_fr", as: String.self)),
                      questionnaire: questionnaire, closesAt: try time(row, "closes_at"), resultsVisibility: resultsVisibility,
                      individualAnswersPublic: try row.decode(column: "individual_public", as: Int.self) == 1,
                      copiedFrom: try row.decode(column: "copied_from", as: Int64?.self),
                      sentAt: try row.decode(column: "sent_at", as: String?.self).flatMap(Timestamp.date),
                      closedAt: try row.decode(column: "closed_at", as: String?.self).flatMap(Timestamp.date),
                      version: try row.decode(column: "version", as: Int.self), createdBy: try row.decode(column: "created_by", as: String.self),
                      createdAt: try time(row, "created_at"))
    }

    static func answers(_ text: String, column: String) throws -> SurveyAnswers {
        do {
            return try JSONDecoder().decode(SurveyAnswers.self, from: Data(text.utf8))
        } catch {
            throw StoredDataError(column: column, value: TextRules.preview(text), rule: "must be answers: \(error)")
        }
    }

    static func response(_ row: any SQLRow) throws -> SurveyResponse {
        let answers = try Self.answers(try row.decode(column: "answers", as: String.self), column: "survey_responses.answers")
        return SurveyResponse(surveyID: try row.decode(column: "survey_id", as: Int64.self), network: try row.decode(column: "network", as: String.self),
                              answers: answers, revision: try row.decode(column: "revision", as: Int.self),
                              submittedAt: try row.decode(column: "submitted_at", as: String?.self).flatMap(Timestamp.date),
                              individualPublic: try row.decode(column: "individual_public", as: Int.self) == 1,
                              updatedAt: try time(row, "updated_at"), updatedBy: try row.decode(column: "updated_by", as: String.self))
    }

    static func edit(_ row: any SQLRow) throws -> SurveyResponseEdit {
        SurveyResponseEdit(revision: try row.decode(column: "revision", as: Int.self), actor: try row.decode(column: "actor", as: String.self),
                     at: try time(row, "at"), changed: try row.decode(column: "changed", as: String.self).split(separator: " ").map(String.init),
                     submitted: try row.decode(column: "submitted", as: Int.self) == 1)
    }
}
