import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// `/surveys`: the secretariat builds a survey (its settings, sections and questions, a preview in both languages),
/// sends it to the networks and follows who answered; each network's focal points fill in its one answer
/// (`/surveys/{id}/answer/{network}`); the results are read as the survey says (`/surveys/{id}/results`, with their
/// CSV and JSON).
struct SurveyPages {
    let surveys: SurveyService
    let catalogue: LiveCatalogue
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        let manage = Need.permission(.manageSurveys)
        routes.get("/surveys", needs: .anyone, use: list)
        routes.post("/surveys/new", needs: manage, use: create)
        routes.get("/surveys/:id", needs: manage, use: show)
        routes.post("/surveys/:id/settings", needs: manage, use: settings)
        routes.post("/surveys/:id/sections", needs: manage, use: section)
        routes.get("/surveys/:id/questions/new", needs: manage, use: newQuestion)
        routes.post("/surveys/:id/questions/new", needs: manage, use: addQuestion)
        routes.get("/surveys/:id/questions/:key", needs: manage, use: editQuestion)
        routes.post("/surveys/:id/questions/:key", needs: manage, use: saveQuestion)
        routes.post("/surveys/:id/questions/:key/move", needs: manage, use: moveQuestion)
        routes.get("/surveys/:id/preview", needs: manage, use: preview)
        routes.post("/surveys/:id/send", needs: manage, use: send)
        routes.post("/surveys/:id/close", needs: manage, use: close)
        routes.get("/surveys/:id/answer/:network", needs: .permission(.readRestricted), use: answerForm)
        routes.post("/surveys/:id/answer/:network", needs: .permission(.readRestricted), use: answer)
        routes.get("/surveys/:id/results", needs: .anyone, use: results)
    }

    // MARK: Lists

    /// GET /surveys — the editors' surveys; the surveys one answers for one's networks; results one may read.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let principal = context.principal
        let managing = Policy.allows(principal, .manageSurveys) ? try await surveys.surveys(by: principal) : []
        let toAnswer = try await surveys.surveys(toAnswer: principal)
        let model = SurveyListPage(managing: managing, toAnswer: toAnswer, canManage: Policy.allows(principal, .manageSurveys),
                                   now: surveys.now(), catalogue: catalogue.snapshot, t: t)
        return pages.render(request, context, "surveys", model, forms: model.canManage) { $0["surveys_title"] }
    }

    /// POST /surveys/new — `start`: blank, needs (the shipped "Needs of the networks"), or the number of a survey to copy.
    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let start: SurveyService.Start
        switch form.text(.start) {
        case "blank": start = .blank
        case "needs": start = .needsOfTheNetworks
        case let text:
            guard let id = Int64(text), id > 0, text.count <= 18 else {
                throw InputError.invalidValue(field: "start", value: TextRules.preview(text), rule: "must be blank, needs or the number of a survey")
            }
            start = .copy(id)
        }
        let survey = try await surveys.create(start, by: context.principal, actor: EditPages.actor(context))
        return .redirect("/surveys/\(survey.id ?? 0)")
    }

    // MARK: Building

    /// GET /surveys/{id} — its settings, its questions, sending, and where it stands.
    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await surveyPage(request, context, survey: try await surveys.survey(try Self.id(context)), settings: nil, problem: nil)
    }

    func surveyPage(_ request: Request, _ context: AppRequestContext, survey: Survey, settings: SurveySettingsDraft?, problem: String?,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Localizer.of(request)
        let progress = try await surveys.progress(survey.id ?? 0, by: context.principal)
        let model = SurveyPage(survey: survey, settings: settings ?? SurveySettingsDraft(survey), progress: progress, problem: problem,
                               notice: request.queryFields["done"].map { done in
                                   done == "sent" ? t.format("surveys_done_sent", ["networks": t.count("surveys_sent_networks", Self.number(request, "networks")),
                                                                                   "mails": t.count("surveys_sent_mails", Self.number(request, "mails")),
                                                                                   "without": t.count("surveys_sent_without", Self.number(request, "without"))])
                                       : t["surveys_done_saved"]
                               },
                               catalogue: catalogue.snapshot, now: surveys.now(), t: t)
        return pages.render(request, context, "survey", model, forms: true, status: problem == nil || status != .ok ? status : .badRequest) { _ in model.title }
    }

    /// Runs a change of the survey from the version its form was made from; a refused change shows the survey's page
    /// again with why (400), or, when someone changed it meanwhile, as it is now (409).
    func changing(_ request: Request, _ context: AppRequestContext, form: Form, settings: SurveySettingsDraft? = nil,
                  _ change: (inout Survey) throws -> Void) async throws -> Response {
        let id = try Self.id(context)
        let version = Int(form.text(.version)) ?? -1
        do {
            _ = try await surveys.change(id, version: version, by: context.principal, change)
            return .redirect("/surveys/\(id)?done=saved")
        } catch let changed as SurveyChanged {
            let t = Localizer.of(request)
            return try await surveyPage(request, context, survey: changed.current, settings: nil, problem: t["surveys_changed_meanwhile"], status: .conflict)
        } catch let failure as NetworkEditFailure {
            return try await surveyPage(request, context, survey: try await surveys.survey(id), settings: settings,
                                        problem: failure.errors.map(\.description).joined(separator: "; "))
        } catch let error as InputError {
            return try await surveyPage(request, context, survey: try await surveys.survey(id), settings: settings, problem: error.description)
        }
    }

    /// POST /surveys/{id}/settings — titles, introductions, closing day, who reads the results, individual answers.
    func settings(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        var draft = SurveySettingsDraft()
        draft.titleEN = form.raw(.titleEn)
        draft.titleFR = form.raw(.titleFr)
        draft.introductionEN = form.raw(.introductionEn)
        draft.introductionFR = form.raw(.introductionFr)
        draft.closes = form.text(.closes)
        draft.resultsVisibility = form.text(.resultsVisibility)
        draft.individualPublic = form.text(.individualPublic) == "yes"
        let today = surveys.now()
        return try await changing(request, context, form: form, settings: draft) { survey in survey = try draft.apply(to: survey, today: today) }
    }

    /// POST /surveys/{id}/sections — a new section (`title_en`, `title_fr`), or a section renamed (`section`: its key),
    /// or removed when empty (`action`: remove).
    func section(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let key = form.text(.section)
        let title = Bilingual(en: form.text(.titleEn), fr: form.text(.titleFr))
        let remove = form.text(.action) == "remove"
        return try await changing(request, context, form: form) { survey in
            guard !key.isEmpty else {
                survey.questionnaire.sections.append(SurveySection(key: survey.questionnaire.newKey(prefix: "s"), title: title))
                return
            }
            guard let index = survey.questionnaire.sections.firstIndex(where: { $0.key == key }) else {
                throw InputError.invalidValue(field: "section", value: TextRules.preview(key), rule: "must be a section of the survey")
            }
            if remove {
                guard survey.questionnaire.sections[index].questions.isEmpty else {
                    throw InputError.invalidValue(field: "section", value: key, rule: "holds questions: move or remove them first")
                }
                survey.questionnaire.sections.remove(at: index)
            } else {
                survey.questionnaire.sections[index].title = title
            }
        }
    }

    /// GET /surveys/{id}/questions/new — `section`: where it goes.
    func newQuestion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let survey = try await surveys.survey(try Self.id(context))
        let section = request.queryFields["section"].map(String.init) ?? survey.questionnaire.sections.first?.key ?? ""
        return questionPage(request, context, survey: survey, key: nil, section: section, draft: QuestionDraft(), problem: nil)
    }

    /// GET /surveys/{id}/questions/{key}
    func editQuestion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let survey = try await surveys.survey(try Self.id(context))
        let key = try context.parameters.require("key")
        guard let question = survey.questionnaire.question(key) else { throw CatalogueError.surveyNotFound(id: survey.id ?? 0) }
        return questionPage(request, context, survey: survey, key: key, section: "", draft: QuestionDraft(question), problem: nil)
    }

    func questionPage(_ request: Request, _ context: AppRequestContext, survey: Survey, key: String?, section: String, draft: QuestionDraft,
                      problem: String?, status: HTTPResponse.Status = .badRequest) -> Response {
        let t = Localizer.of(request)
        let model = SurveyQuestionPage(survey: survey, key: key, section: section, draft: draft, problem: problem, t: t)
        return pages.render(request, context, "survey-question", model, forms: true, status: problem == nil ? .ok : status) {
            $0[key == nil ? "surveys_new_question" : "surveys_edit_question"]
        }
    }

    static func questionDraft(_ form: Form) -> QuestionDraft {
        var draft = QuestionDraft()
        draft.kind = form.text(.kind)
        draft.textEN = form.raw(.textEn)
        draft.textFR = form.raw(.textFr)
        draft.helpEN = form.raw(.helpEn)
        draft.helpFR = form.raw(.helpFr)
        draft.required = form.text(.required) == "yes"
        draft.choices = form.raw(.choices)
        draft.other = form.text(.other) == "yes"
        draft.scale = form.raw(.scale)
        draft.condition = form.text(.condition)
        draft.fact = form.text(.fact)
        return draft
    }

    /// POST /surveys/{id}/questions/new — `section`, the question's fields.
    func addQuestion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await savingQuestion(request, context, key: nil)
    }

    /// POST /surveys/{id}/questions/{key}
    func saveQuestion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await savingQuestion(request, context, key: try context.parameters.require("key"))
    }

    func savingQuestion(_ request: Request, _ context: AppRequestContext, key: String?) async throws -> Response {
        let form = try await Form.read(request, context)
        let draft = Self.questionDraft(form)
        let section = form.text(.section)
        let id = try Self.id(context)
        do {
            _ = try await surveys.change(id, version: Int(form.text(.version)) ?? -1, by: context.principal) { survey in
                if let key {
                    guard let place = Self.place(of: key, in: survey.questionnaire) else {
                        throw InputError.invalidValue(field: "question", value: TextRules.preview(key), rule: "must be a question of the survey")
                    }
                    survey.questionnaire.sections[place.section].questions[place.question] = try draft.question(key: key)
                } else {
                    guard let index = survey.questionnaire.sections.firstIndex(where: { $0.key == section }) else {
                        throw InputError.invalidValue(field: "section", value: TextRules.preview(section), rule: "must be a section of the survey")
                    }
                    let question = try draft.question(key: survey.questionnaire.newKey(prefix: "q"))
                    survey.questionnaire.sections[index].questions.append(question)
                }
            }
            return .redirect("/surveys/\(id)?done=saved#questions")
        } catch let changed as SurveyChanged {
            return questionPage(request, context, survey: changed.current, key: key, section: section, draft: draft,
                                problem: Localizer.of(request)["surveys_changed_meanwhile"], status: .conflict)
        } catch let failure as NetworkEditFailure {
            return questionPage(request, context, survey: try await surveys.survey(id), key: key, section: section, draft: draft,
                                problem: failure.errors.map(\.description).joined(separator: "; "))
        } catch let error as InputError {
            return questionPage(request, context, survey: try await surveys.survey(id), key: key, section: section, draft: draft, problem: error.description)
        }
    }

    static func place(of key: String, in questionnaire: Questionnaire) -> (section: Int, question: Int)? {
        for (s, section) in questionnaire.sections.enumerated() {
            if let q = section.questions.firstIndex(where: { $0.key == key }) { return (s, q) }
        }
        return nil
    }

    /// POST /surveys/{id}/questions/{key}/move — `action`: up, down (across sections too) or remove.
    func moveQuestion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let key = try context.parameters.require("key")
        let action = form.text(.action)
        return try await changing(request, context, form: form) { survey in
            guard let place = Self.place(of: key, in: survey.questionnaire) else {
                throw InputError.invalidValue(field: "question", value: TextRules.preview(key), rule: "must be a question of the survey")
            }
            var sections = survey.questionnaire.sections
            let question = sections[place.section].questions[place.question]
            switch action {
            case "remove":
                sections[place.section].questions.remove(at: place.question)
            case "up" where place.question > 0:
                sections[place.section].questions.swapAt(place.question, place.question - 1)
            case "up" where place.section > 0:
                // The first of its section goes to the end of the section before.
                sections[place.section].questions.remove(at: place.question)
                sections[place.section - 1].questions.append(question)
            case "down" where place.question < sections[place.section].questions.count - 1:
                sections[place.section].questions.swapAt(place.question, place.question + 1)
            case "down" where place.section < sections.count - 1:
                // The last of its section goes first in the section after.
                sections[place.section].questions.remove(at: place.question)
                sections[place.section + 1].questions.insert(question, at: 0)
            case "up", "down":
                return
            default:
                throw InputError.invalidValue(field: "action", value: TextRules.preview(action), rule: "must be up, down or remove")
            }
            survey.questionnaire.sections = sections
        }
    }

    /// GET /surveys/{id}/preview — the form as a network sees it, in the page's language (nothing can be sent).
    func preview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let survey = try await surveys.survey(try Self.id(context))
        let model = SurveyAnswerPage(survey: survey, network: nil, answers: SurveyAnswers(), revision: 0, submittedAt: nil, edits: [], open: false,
                                     preview: true, conflict: nil, problem: nil, notice: nil, catalogue: catalogue.snapshot, t: t)
        return pages.render(request, context, "survey-answer", model) { _ in model.title }
    }

    /// POST /surveys/{id}/send — `audience` (every, european, non-european, chosen, covering, none) with `networks` or
    /// `countries`, and `people` (addresses, one a line).
    func send(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let id = try Self.id(context)
        do {
            let selection = try NetworkSelection(choice: form.text(.audience), networks: form.list(.networks), countries: form.list(.countries))
            let people = form.raw(.people).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard people.count <= 500 else { throw InputError.invalidValue(field: "people", value: "\(people.count) lines", rule: "must be at most 500 lines") }
            let report = try await surveys.send(id, networks: selection, people: people, by: context.principal)
            return .redirect("/surveys/\(id)?done=sent&networks=\(report.networks)&mails=\(report.mails)&without=\(report.networksWithoutFocalPoint.count)")
        } catch let error as InputError {
            return try await surveyPage(request, context, survey: try await surveys.survey(id), settings: nil, problem: error.description)
        }
    }

    /// POST /surveys/{id}/close
    func close(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let form = try await Form.read(request, context)
        do {
            try await surveys.close(id, confirm: form.text(.confirm) == "yes", by: context.principal)
            return .redirect("/surveys/\(id)?done=saved")
        } catch let error as InputError {
            return try await surveyPage(request, context, survey: try await surveys.survey(id), settings: nil, problem: error.description)
        }
    }

    // MARK: Answering

    /// GET /surveys/{id}/answer/{network}
    func answerForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let form = try await surveys.answerForm(try Self.id(context), network: try context.parameters.require("network"), by: context.principal)
        let notice = request.queryFields["done"].map { t[$0 == "sent" ? "surveys_answer_sent" : "surveys_answer_saved"] }
        let model = SurveyAnswerPage(survey: form.survey, network: form.network, answers: form.answers, revision: form.revision, submittedAt: form.submittedAt,
                                     edits: form.edits, open: form.open, preview: false, conflict: nil, problem: nil, notice: notice,
                                     catalogue: catalogue.snapshot, t: t)
        return pages.render(request, context, "survey-answer", model, forms: true) { _ in model.title }
    }

    /// POST /surveys/{id}/answer/{network} — `revision` (the form's), `action` (save or submit), the answers.
    func answer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let id = try Self.id(context)
        let slug = try context.parameters.require("network")
        let form = try await Form.read(request, context)
        guard let account = context.identity?.account else { throw AccessDenied(stage: context.identity?.session.stage) }
        let current = try await surveys.answerForm(id, network: slug, by: context.principal)
        // Repeated names (checkboxes, several choices) come joined by line breaks; a text keeps its own.
        let multiple = Set(current.survey.questionnaire.questions.filter(\.kind.isMultiple).map { SurveyAnswers.field($0.key) })
        let fields: @Sendable (String) -> [String] = { [fields = form.fields] name in
            let raw = fields[name] ?? ""
            return multiple.contains(name) ? raw.split(separator: "\n").map(String.init) : [raw]
        }
        let submit = form.text(.action) == "submit"
        func again(_ answers: SurveyAnswers, revision: Int, conflict: SurveyAnswerPage.Conflict?, problem: String?, status: HTTPResponse.Status) -> Response {
            let model = SurveyAnswerPage(survey: current.survey, network: current.network, answers: answers, revision: revision,
                                         submittedAt: current.submittedAt, edits: current.edits, open: current.open, preview: false, conflict: conflict,
                                         problem: problem, notice: nil, catalogue: catalogue.snapshot, t: t)
            return pages.render(request, context, "survey-answer", model, forms: true, status: status) { _ in model.title }
        }
        do {
            let saved = try await surveys.save(id, network: slug, revision: Int(form.text(.revision)) ?? -1, submit: submit, fields: fields,
                                               by: context.principal, account: account)
            switch saved {
            case let .saved(submitted, _):
                return .redirect("/surveys/\(id)/answer/\(slug)?done=\(submitted && submit ? "sent" : "saved")")
            case let .conflict(stored, since, merged, both):
                // The other's answers are shown; the form holds both merged, from the latest revision (saving again
                // loses neither), and the page as it is now (sent meanwhile, who edited).
                let conflict = SurveyAnswerPage.Conflict(stored: stored, since: since, both: both, survey: current.survey,
                                                         catalogue: catalogue.snapshot, t: t)
                let now = try await surveys.answerForm(id, network: slug, by: context.principal)
                let model = SurveyAnswerPage(survey: now.survey, network: now.network, answers: merged, revision: stored.revision,
                                             submittedAt: now.submittedAt, edits: now.edits, open: now.open, preview: false, conflict: conflict,
                                             problem: nil, notice: nil, catalogue: catalogue.snapshot, t: t)
                return pages.render(request, context, "survey-answer", model, forms: true, status: .conflict) { _ in model.title }
            }
        } catch let failure as NetworkEditFailure {
            // The form again as it was typed (a wrong value included), not as it was stored.
            let typed = SurveyAnswers.typed(current.survey.questionnaire, fields: fields)
            return again(typed, revision: Int(form.text(.revision)) ?? current.revision, conflict: nil,
                         problem: failure.errors.map { Self.named($0, in: current.survey, t: t) }.joined(separator: "; "), status: .badRequest)
        } catch let error as InputError {
            let said = error.field == "survey" ? t["surveys_error_closed"] : Self.named(error, in: current.survey, t: t)
            return again(current.answers, revision: current.revision, conflict: nil, problem: said, status: .badRequest)
        }
    }

    /// A count the address carries after sending (0 when it carries none, or no number).
    static func number(_ request: Request, _ name: Substring) -> Int {
        request.queryFields[name].flatMap { Int(String($0)) }.map { max(0, $0) } ?? 0
    }

    /// An error about an answer field, naming its question by its number and text.
    static func named(_ error: InputError, in survey: Survey, t: Localizer) -> String {
        guard let field = error.field, field.hasPrefix("answer-") else { return error.description }
        let key = field.dropFirst("answer-".count).split(separator: "-").first.map(String.init) ?? ""
        guard let question = survey.questionnaire.question(key) else { return error.description }
        // In the page's language: an answer missing (or "other" without saying what), or a value its question refuses.
        let said: String
        switch error {
        case .missingField: said = t[field.hasSuffix("-other") ? "surveys_error_other" : "surveys_error_required"]
        case let .invalidValue(_, value, rule): said = t.format("surveys_error_value", ["value": TextRules.preview(value), "rule": Self.rule(rule, t: t)])
        default: said = error.description
        }
        return "\(question.key). \(question.text.text(t.language)) — \(said)"
    }

    /// A rule an answer broke, in the page's language: the rules of `SurveyAnswers` and `TextRules`, known by their
    /// words (what varies — a number, a list, a character's code — is carried over); any other as it is.
    static func rule(_ rule: String, t: Localizer) -> String {
        let fixed = ["must be a number, such as 12 or 3.5": "surveys_rule_number", "must be a date written YYYY-MM-DD": "surveys_rule_date",
                     "one answer only": "surveys_rule_one", "too many values for this question": "surveys_rule_many",
                     "must be the slug of a network of the catalogue, once": "surveys_rule_network",
                     "must be the code of a party of the catalogue, once": "surveys_rule_party"]
        if let key = fixed[rule] { return t[key] }
        let number = rule.split(separator: " ").first { Int($0) != nil }.map(String.init) ?? ""
        if rule.hasPrefix("must be one of ") { return t.format("surveys_rule_one_of", ["choices": String(rule.dropFirst("must be one of ".count))]) }
        if rule.hasPrefix("must be at most "), rule.hasSuffix(" characters") { return t.format("surveys_rule_length", ["limit": number]) }
        if rule.hasPrefix("must be one line of at most ") { return t.format("surveys_rule_line", ["limit": number]) }
        if rule.contains("control or format characters (found "), let code = rule.split(separator: "(").last?.dropFirst("found ".count).dropLast() {
            return t.format(rule.hasPrefix("must be one line") ? "surveys_rule_line_characters" : "surveys_rule_characters", ["code": String(code)])
        }
        return rule
    }

    // MARK: Results

    /// GET /surveys/{id}/results — `section` or `scope`, `format` (csv, json); for whoever the survey lets read them.
    func results(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let id = try Self.id(context)
        let fields = request.queryFields
        let group = try ResultsGroup(fields["group"].map(String.init) ?? "")
        let found = try await surveys.results(id, group: group, language: t.language, by: context.principal)
        switch fields["format"].map(String.init) ?? "" {
        case "csv":
            var response = Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                                    body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + surveys.csv(found, language: t.language))))
            response.headers[.contentDisposition] = "attachment; filename=\"survey-\(id)-\(t.language.rawValue).csv\""
            response.headers[.cacheControl] = "private, no-store"
            return response
        case "json":
            var response = Response(status: .ok, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: ByteBuffer(data: try surveys.json(found, language: t.language))))
            response.headers[.contentDisposition] = "attachment; filename=\"survey-\(id)-\(t.language.rawValue).json\""
            response.headers[.cacheControl] = "private, no-store"
            return response
        case "":
            let model = SurveyResultsPage(found, group: group, catalogue: catalogue.snapshot, t: t)
            return pages.render(request, context, "survey-results", model) { _ in model.title }
        case let other:
            throw InputError.invalidValue(field: "format", value: TextRules.preview(other), rule: "must be csv or json")
        }
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard text.count <= 18, let id = Int64(text), id > 0 else {
            throw InputError.invalidValue(field: "id", value: TextRules.preview(text), rule: "must be the number of a survey")
        }
        return id
    }
}
