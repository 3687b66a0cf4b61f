import Foundation
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// When a question is asked, in words (`key`: the sentence, given the question and the values named): "" for always.
func conditionText(_ question: SurveyQuestion, in survey: Survey, _ key: String, t: Localizer) -> String {
    guard let condition = question.condition else { return "" }
    let asked = survey.questionnaire.question(condition.question)
    return t.format(key, ["question": condition.question, "values": condition.values.map { asked?.label(of: $0, t.language) ?? $0 }.joined(separator: ", ")])
}

/// A kind of question in words.
func kindLabel(_ kind: QuestionKind, _ t: Localizer) -> String {
    t["surveys_kind_\(kind.rawValue.replacingOccurrences(of: "-", with: "_"))"]
}

/// `/surveys`: the editors' surveys and the start of a new one; the surveys one answers for one's networks.
struct SurveyListPage {
    struct Item {
        let url: String
        let title: String
        let status: String
        let closes: String
        let resultsURL: String
    }

    struct ToAnswer {
        let title: String
        let closes: String
        let status: String
        let open: Bool
        let links: [Choice]
        let resultsURL: String
    }

    let managing: [Item]
    let hasManaging: Bool
    let toAnswer: [ToAnswer]
    let hasToAnswer: Bool
    let canManage: Bool
    /// Earlier surveys to copy (the yearly survey).
    let copies: [Choice]

    init(managing: [Survey], toAnswer: [(survey: Survey, networks: [String])], canManage: Bool, now: Date, catalogue: Catalogue, t: Localizer) {
        self.managing = managing.map { survey in
            let id = survey.id ?? 0
            return Item(url: "/surveys/\(id)", title: survey.title.text(t.language), status: t["surveys_status_\(survey.status(at: now).rawValue)"],
                        closes: t.dateTime(survey.closesAt), resultsURL: "/surveys/\(id)/results")
        }
        hasManaging = !self.managing.isEmpty
        self.toAnswer = toAnswer.map { found in
            ToAnswer(title: found.survey.title.text(t.language), closes: t.dateTime(found.survey.closesAt),
                     status: t["surveys_status_\(found.survey.status(at: now).rawValue)"], open: found.survey.status(at: now) == .open,
                     links: found.networks.map { slug in
                         Choice(value: "/surveys/\(found.survey.id ?? 0)/answer/\(slug)", label: catalogue.network(slug: slug)?.localizedDisplayName(t.language) ?? slug,
                                selected: false)
                     }, resultsURL: "/surveys/\(found.survey.id ?? 0)/results")
        }
        hasToAnswer = !self.toAnswer.isEmpty
        self.canManage = canManage
        copies = managing.map { Choice(value: String($0.id ?? 0), label: $0.title.text(t.language), selected: false) }
    }
}

/// `/surveys/{id}`: the survey's settings, its sections and questions, sending it, and where each network stands.
struct SurveyPage {
    struct Question {
        let key: String
        let text: String
        let kind: String
        let required: Bool
        let condition: String
        let hasCondition: Bool
        let editURL: String
        let moveURL: String
    }

    struct Section {
        let key: String
        let title: String
        let titleEN: String
        let titleFR: String
        let questions: [Question]
        let isEmpty: Bool
        let newQuestionURL: String
    }

    struct Row {
        let name: String
        let status: String
        let by: String
        let when: String
    }

    let id: Int64
    let title: String
    let status: String
    let version: Int
    let settings: SurveySettingsDraft
    let visibilities: [Choice]
    let sections: [Section]
    let problem: String
    let hasProblem: Bool
    let notice: String
    let hasNotice: Bool
    let rows: [Row]
    let hasRows: Bool
    let answered: String
    let networks: [Choice]
    /// Not closed: sent, changed and closed from this page.
    let canChange: Bool

    init(survey: Survey, settings: SurveySettingsDraft, progress: [SurveyService.Progress], problem: String?, notice: String?, catalogue: Catalogue,
         now: Date, t: Localizer) {
        let id = survey.id ?? 0
        self.id = id
        title = survey.title.text(t.language)
        let state = survey.status(at: now)
        status = t["surveys_status_\(state.rawValue)"] + " · " + t.format("surveys_closes", ["date": t.dateTime(survey.closesAt)])
        version = survey.version
        self.settings = settings
        visibilities = ResultsVisibility.allCases.map { Choice(value: $0.rawValue, label: t["surveys_results_\($0.rawValue)"], selected: $0.rawValue == settings.resultsVisibility) }
        sections = survey.questionnaire.sections.map { section in
            Section(key: section.key, title: section.title.text(t.language), titleEN: section.title.en, titleFR: section.title.fr,
                    questions: section.questions.map { question in
                        Question(key: question.key, text: question.text.text(t.language), kind: kindLabel(question.kind, t),
                                 required: question.required,
                                 condition: conditionText(question, in: survey, "surveys_shown_when", t: t),
                                 hasCondition: question.condition != nil, editURL: "/surveys/\(id)/questions/\(question.key)",
                                 moveURL: "/surveys/\(id)/questions/\(question.key)/move")
                    },
                    isEmpty: section.questions.isEmpty, newQuestionURL: "/surveys/\(id)/questions/new?section=\(section.key)")
        }
        self.problem = problem ?? ""
        hasProblem = problem != nil
        self.notice = notice ?? ""
        hasNotice = notice != nil
        rows = catalogue.inNameOrder(progress, language: t.language) { $0.network }.map { item in
            let response = item.response
            let status = response?.submittedAt != nil ? "surveys_answer_status_sent" : response != nil ? "surveys_answer_status_draft" : "surveys_answer_status_none"
            return Row(name: catalogue.network(slug: item.network)?.localizedDisplayName(t.language) ?? item.network, status: t[status],
                       by: response?.updatedBy ?? "", when: response.map { t.dateTime($0.updatedAt) } ?? "")
        }
        hasRows = !rows.isEmpty
        answered = t.format("surveys_answered_count", ["sent": progress.filter { $0.response?.submittedAt != nil }.count, "asked": progress.count])
        networks = catalogue.inNameOrder(catalogue.networks.filter { $0.status.value == .active }, language: t.language) { $0.slug }
            .map { Choice(value: $0.slug, label: $0.localizedDisplayName(t.language), selected: false) }
        canChange = state != .closed
    }
}

/// `/surveys/{id}/questions/…`: a question's form.
struct SurveyQuestionPage {
    let id: Int64
    let title: String
    let heading: String
    let action: String
    let version: Int
    let section: String
    let draft: QuestionDraft
    let kinds: [Choice]
    let facts: [Choice]
    let earlier: String
    let problem: String
    let hasProblem: Bool

    init(survey: Survey, key: String?, section: String, draft: QuestionDraft, problem: String?, t: Localizer) {
        id = survey.id ?? 0
        title = survey.title.text(t.language)
        heading = t[key == nil ? "surveys_new_question" : "surveys_edit_question"] + (key.map { " \($0)" } ?? "")
        action = key.map { "/surveys/\(survey.id ?? 0)/questions/\($0)" } ?? "/surveys/\(survey.id ?? 0)/questions/new"
        version = survey.version
        self.section = section
        self.draft = draft
        kinds = QuestionKind.allCases.map { kind in
            Choice(value: kind.rawValue, label: kindLabel(kind, t), selected: kind.rawValue == draft.kind)
        }
        facts = [Choice(value: "", label: t["surveys_fact_none"], selected: draft.fact.isEmpty)]
            + CatalogueFact.allCases.map { Choice(value: $0.rawValue, label: t["surveys_fact_\($0.rawValue)"], selected: $0.rawValue == draft.fact) }
        // The questions a condition may name, with the values they offer.
        earlier = survey.questionnaire.questions.filter { $0.kind.hasChoices || $0.kind == .scale }.map { question in
            "\(question.key): " + question.offeredValues.joined(separator: ", ")
        }.joined(separator: " · ")
        self.problem = problem ?? ""
        hasProblem = problem != nil
    }
}

/// `/surveys/{id}/answer/{network}` (and the preview): the questions, section by section, with the network's answers.
struct SurveyAnswerPage {
    struct Option {
        let value: String
        let label: String
        let checked: Bool
        let id: String
    }

    struct Question {
        let key: String
        let field: String
        let otherField: String
        let number: String
        let text: String
        let help: String
        let hasHelp: Bool
        let required: Bool
        let condition: String
        let hasCondition: Bool
        let isChoice: Bool
        let isMultiple: Bool
        let isScale: Bool
        let isList: Bool
        let isLongText: Bool
        let isLine: Bool
        let inputType: String
        let inputMode: String
        let value: String
        let options: [Option]
        let other: Bool
        let otherValue: String
        let fromCatalogue: Bool
        /// The ids of the notes a text field is described by.
        let describedBy: String
        let hasDescription: Bool
    }

    struct Section {
        let title: String
        let questions: [Question]
    }

    struct Edit {
        let text: String
    }

    /// Another focal point saved first: what they changed, and their answers now.
    struct Conflict {
        struct Change {
            let question: String
            let theirs: String
            /// This person changed it too, to another answer: theirs is kept in the form.
            let both: Bool
        }

        let who: String
        let changes: [Change]

        init() {
            who = ""
            changes = []
        }

        init(stored: SurveyResponse, since: [SurveyResponseEdit], both: Set<String>, survey: Survey, catalogue: Catalogue, t: Localizer) {
            who = Set(since.map(\.actor)).sorted().joined(separator: ", ")
            let keys = Set(since.flatMap(\.changed))
            changes = survey.questionnaire.questions.filter { keys.contains($0.key) }.map { question in
                let theirs = stored.answers.text(of: question, t.language, catalogue: catalogue)
                return Change(question: "\(question.key). \(question.text.text(t.language))", theirs: theirs.isEmpty ? t["surveys_no_answer"] : theirs,
                              both: both.contains(question.key))
            }
        }
    }

    let id: Int64
    let title: String
    let introduction: String
    let hasIntroduction: Bool
    let network: String
    let hasNetwork: Bool
    let action: String
    let revision: Int
    let sections: [Section]
    let edits: [Edit]
    let hasEdits: Bool
    let submitted: String
    let isSubmitted: Bool
    let open: Bool
    let preview: Bool
    let canSave: Bool
    let conflict: Conflict
    let hasConflict: Bool
    let problem: String
    let hasProblem: Bool
    let notice: String
    let hasNotice: Bool

    init(survey: Survey, network: Network?, answers: SurveyAnswers, revision: Int, submittedAt: Date?, edits: [SurveyResponseEdit], open: Bool,
         preview: Bool, conflict: Conflict?, problem: String?, notice: String?, catalogue: Catalogue, t: Localizer) {
        let id = survey.id ?? 0
        self.id = id
        title = survey.title.text(t.language)
        introduction = survey.introduction.text(t.language)
        hasIntroduction = !introduction.isEmpty
        self.network = network?.localizedDisplayName(t.language) ?? ""
        hasNetwork = network != nil
        action = network.map { "/surveys/\(id)/answer/\($0.slug)" } ?? ""
        self.revision = revision
        let countries = catalogue.directory.parties.values.sorted { $0.name(t.language).localizedStandardCompare($1.name(t.language)) == .orderedAscending }
        let networks = catalogue.networks.sorted {
            $0.localizedDisplayName(t.language).localizedStandardCompare($1.localizedDisplayName(t.language)) == .orderedAscending
        }
        sections = survey.questionnaire.sections.map { section in
            Section(title: section.title.text(t.language), questions: section.questions.map { question in
                let answer = answers[question.key]
                let chosen = Set(answer?.values ?? [])
                let field = SurveyAnswers.field(question.key)
                func option(_ value: String, _ label: String, _ index: Int) -> Option {
                    Option(value: value, label: label, checked: chosen.contains(value), id: "\(field)-\(index)")
                }
                let options: [Option]
                switch question.kind {
                case .single, .scale:
                    // An optional one can be left unanswered again (a choice ticked by mistake is not counted).
                    options = question.offeredValues.enumerated().map { option($1, question.label(of: $1, t.language), $0) }
                        + (question.required ? [] : [Option(value: "", label: t["surveys_no_answer_option"], checked: chosen.isEmpty,
                                                            id: "\(field)-none")])
                case .multiple:
                    options = question.offeredValues.enumerated().map { option($1, question.label(of: $1, t.language), $0) }
                case .networks:
                    options = networks.enumerated().map { option($1.slug, $1.localizedDisplayName(t.language), $0) }
                case .countries:
                    options = countries.enumerated().map { option($1.id, $1.name(t.language), $0) }
                default:
                    options = []
                }
                let isLine = [.shortText, .number, .date].contains(question.kind)
                // What a screen reader says with a text field: its condition, help and origin, each a note of its own.
                let notes = [(question.condition != nil, "condition"), (!question.help.isEmpty, "help"), (question.fact != nil, "catalogue")]
                return Question(key: question.key, field: field, otherField: SurveyAnswers.otherField(question.key), number: question.key,
                                text: question.text.text(t.language), help: question.help.text(t.language), hasHelp: !question.help.isEmpty,
                                required: question.required,
                                condition: conditionText(question, in: survey, "surveys_answer_only_if", t: t),
                                hasCondition: question.condition != nil, isChoice: question.kind == .single, isMultiple: question.kind == .multiple,
                                isScale: question.kind == .scale, isList: question.kind == .networks || question.kind == .countries,
                                isLongText: question.kind == .longText, isLine: isLine,
                                inputType: question.kind == .date ? "date" : "text", inputMode: question.kind == .number ? "decimal" : "text", value: isLine || question.kind == .longText ? answer?.values.first ?? "" : "",
                                options: options, other: question.other, otherValue: answer?.other ?? "", fromCatalogue: question.fact != nil,
                                describedBy: notes.filter(\.0).map { "\(field)-\($0.1)" }.joined(separator: " "), hasDescription: notes.contains(where: \.0))
            })
        }
        self.edits = edits.prefix(20).map { edit in
            Edit(text: t.format(edit.submitted ? "surveys_edit_sent" : "surveys_edit_saved",
                                ["who": edit.actor, "when": t.dateTime(edit.at), "questions": edit.changed.isEmpty ? "—" : edit.changed.joined(separator: ", ")]))
        }
        hasEdits = !self.edits.isEmpty
        submitted = submittedAt.map { t.format("surveys_submitted_on", ["date": t.dateTime($0)]) } ?? ""
        isSubmitted = submittedAt != nil
        self.open = open
        self.preview = preview
        canSave = open && !preview
        self.conflict = conflict ?? Conflict()
        hasConflict = conflict != nil
        self.problem = problem ?? ""
        hasProblem = problem != nil
        self.notice = notice ?? ""
        hasNotice = notice != nil
    }
}

/// `/surveys/{id}/results`: per question, a chart drawn on the server (SVG with its name and description) and the
/// table beside it, or the texts; filters by section or scope; the downloads.
struct SurveyResultsPage {
    struct Segment {
        let x: Int
        let width: Int
        let fill: String
        let textFill: String
        let textX: Int
        let count: Int
        let showCount: Bool
        let label: String
        let legendY: Int
        let legendTextY: Int
    }

    struct Row {
        let label: String
        let count: Int
        let percent: String
    }

    struct Text {
        let network: String
        let hasNetwork: Bool
        let text: String
    }

    struct Question {
        let id: String
        let number: String
        let text: String
        let answered: String
        let hidden: Bool
        let hasChart: Bool
        let isScale: Bool
        /// The stacked bar's height.
        let chartHeight: Int
        let chartWidth: Int
        let description: String
        /// The counts as bars (not for a scale: its stacked bar is `segments`).
        let chart: BarChart
        let segments: [Segment]
        let rows: [Row]
        let median: String
        let hasMedian: Bool
        let texts: [Text]
        let hasTexts: Bool
        let withheld: String
        let hasWithheld: Bool
    }

    let id: Int64
    let title: String
    let respondents: String
    let showRespondents: Bool
    let hidden: Bool
    let published: Bool
    let pending: Bool
    let pendingText: String
    let questions: [Question]
    let groups: [Choice]
    let csvURL: String
    let jsonURL: String

    static let labelWidth = 250
    static let barWidth = 300
    /// Dark to light, each readable in grey when printed; the text on each segment in the colour it contrasts with.
    static let fills = ["#08306b", "#2171b5", "#6baed6", "#bdd7e7", "#eff3ff"]

    init(_ found: SurveyService.Results, group: ResultsGroup, catalogue: Catalogue, t: Localizer) {
        let id = found.survey.id ?? 0
        self.id = id
        title = found.survey.title.text(t.language)
        respondents = t.count("surveys_respondents", found.results.respondents, ["asked": found.asked])
        hidden = found.results.hidden
        published = found.published
        pending = found.pending
        pendingText = t.format("surveys_results_pending", ["date": t.dateTime(found.survey.closesAt)])
        showRespondents = !pending && !(published && hidden)
        questions = pending ? [] : found.results.questions.map { result in Self.question(result, t: t) }
        let chosen = group.parameter
        let used = Set(catalogue.networks.map(\.scope))
        groups = [Choice(value: "", label: t["surveys_all_networks"], selected: chosen.isEmpty)]
            + Section.allCases.map { Choice(value: ResultsGroup.section($0).parameter, label: $0.label(t.language), selected: ResultsGroup.section($0).parameter == chosen) }
            + Scope.allCases.filter { used.contains($0) }.map {
                Choice(value: ResultsGroup.scope($0).parameter, label: t["surveys_scope"] + " " + $0.label(t.language), selected: ResultsGroup.scope($0).parameter == chosen)
            }
        let query = chosen.isEmpty ? "" : "&group=\(chosen)"
        csvURL = "/surveys/\(id)/results?format=csv&lang=\(t.language.rawValue)\(query)"
        jsonURL = "/surveys/\(id)/results?format=json&lang=\(t.language.rawValue)\(query)"
    }

    static func question(_ result: SurveyResults.Question, t: Localizer) -> Question {
        let question = result.question
        // The chart draws the 20 most chosen networks or countries; the table beside it has them all.
        let counts = result.counts
        let drawn = Array(counts.prefix(question.kind == .networks || question.kind == .countries ? 20 : 50))
        // Each bar as long as its share of the networks that answered (the shares of a multiple choice add up to more).
        let chart = BarChart(id: "q-\(question.key)", title: "\(question.key). \(question.text.text(t.language))",
                             items: question.kind == .scale ? [] : drawn.map { ($0.label, Double($0.percent) / 100, "\($0.count) (\($0.percent) %)") })
        var x = labelWidth
        let segments: [Segment] = question.kind != .scale ? [] : drawn.enumerated().map { index, count -> Segment in
            let width = result.answered == 0 ? 0 : count.count * (barWidth + 200) / result.answered
            defer { x += width }
            let legendY = 44 + index * 22
            return Segment(x: x, width: width, fill: fills[index % fills.count], textFill: index < 2 ? "#ffffff" : "#000000", textX: x + width / 2,
                           count: count.count, showCount: width >= 18, label: "\(count.label): \(count.count) (\(count.percent) %)",
                           legendY: legendY, legendTextY: legendY + 12)
        }
        let height = 44 + drawn.count * 22 + 8
        // Wide enough for the longest line of the legend.
        let width = max(760, segments.map { 270 + BarChart.textWidth($0.label) + 8 }.max() ?? 0)
        let rows = counts.map { Row(label: $0.label, count: $0.count, percent: "\($0.percent) %") }
        let description = counts.map { "\($0.label): \($0.count)" }.joined(separator: "; ")
        return Question(id: "q-\(question.key)", number: question.key, text: question.text.text(t.language),
                        answered: t.count("surveys_answered_by", result.answered), hidden: result.hidden,
                        hasChart: !result.hidden && !counts.isEmpty && result.answered > 0, isScale: question.kind == .scale, chartHeight: height, chartWidth: width,
                        description: description, chart: chart, segments: segments, rows: rows,
                        median: result.median.map { median in
                            let text = median == median.rounded() ? String(Int(median)) : String(median)
                            return t.format("surveys_median", ["value": t.language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text])
                        } ?? "",
                        hasMedian: result.median != nil,
                        texts: result.texts.map { Text(network: $0.network ?? "", hasNetwork: $0.network != nil, text: $0.text) },
                        hasTexts: !result.texts.isEmpty, withheld: t.count("surveys_withheld", result.textsWithheld),
                        hasWithheld: result.textsWithheld > 0)
    }
}
