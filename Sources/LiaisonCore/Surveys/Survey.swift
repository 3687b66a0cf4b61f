import Foundation

/// A survey the secretariat sends to the networks: a questionnaire in English and French, each network answering
/// once (any of its focal points filling in), until it closes.
public struct Survey: Sendable, Equatable, Codable {
    public var id: Int64?
    public var title: Bilingual
    public var introduction: Bilingual
    public var questionnaire: Questionnaire
    /// When answers stop being taken (UTC); the reminders count back from it.
    public var closesAt: Date
    public var resultsVisibility: ResultsVisibility
    /// Whether each network's own answers may be shown beyond the editors: fixed for an answer when it is given.
    public var individualAnswersPublic: Bool
    /// The survey it was copied from (the yearly survey), if any.
    public var copiedFrom: Int64?
    /// Nil while it is being prepared; set when it is first sent.
    public var sentAt: Date?
    /// Set when an editor closes it before its date.
    public var closedAt: Date?
    /// Counts the questionnaire's changes: a change made on an older version is refused.
    public var version: Int
    public var createdBy: String
    public var createdAt: Date

    public init(id: Int64? = nil, title: Bilingual, introduction: Bilingual = Bilingual(), questionnaire: Questionnaire = Questionnaire(),
                closesAt: Date, resultsVisibility: ResultsVisibility = .editors, individualAnswersPublic: Bool = false,
                copiedFrom: Int64? = nil, sentAt: Date? = nil, closedAt: Date? = nil, version: Int = 1, createdBy: String, createdAt: Date) {
        self.id = id
        self.title = title
        self.introduction = introduction
        self.questionnaire = questionnaire
        self.closesAt = closesAt
        self.resultsVisibility = resultsVisibility
        self.individualAnswersPublic = individualAnswersPublic
        self.copiedFrom = copiedFrom
        self.sentAt = sentAt
        self.closedAt = closedAt
        self.version = version
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    public enum Status: String, Sendable, Codable {
        /// Being prepared: not sent yet.
        case draft
        /// Sent, taking answers.
        case open
        /// Past its date, or closed by an editor.
        case closed
    }

    public func status(at date: Date) -> Status {
        if closedAt != nil { return .closed }
        guard sentAt != nil else { return .draft }
        return date >= closesAt ? .closed : .open
    }
}

/// Who may read a survey's results (beyond the editors, who always may).
public enum ResultsVisibility: String, Sendable, Codable, CaseIterable {
    case editors
    /// The focal points of the networks that were asked.
    case respondents
    case everyone
}

/// Sections of questions, in order.
public struct Questionnaire: Sendable, Equatable, Codable {
    public var sections: [SurveySection]

    public init(sections: [SurveySection] = []) {
        self.sections = sections
    }

    public static let maxSections = 30
    public static let maxQuestions = 200

    /// Every question, in order.
    public var questions: [SurveyQuestion] { sections.flatMap(\.questions) }

    public func question(_ key: String) -> SurveyQuestion? { questions.first { $0.key == key } }

    /// A key no question or section has yet: `q1`, `q2`… (`s1`… for sections).
    public func newKey(prefix: String) -> String {
        let used = Set(questions.map(\.key) + sections.map(\.key))
        var number = 1
        while used.contains("\(prefix)\(number)") { number += 1 }
        return "\(prefix)\(number)"
    }

    /// Checks the whole questionnaire: limits, keys used once, and each condition pointing to an earlier question that
    /// has choices, by values it offers. Every problem is named.
    public func check() throws {
        var problems = ProblemList()
        problems.require(sections.count <= Self.maxSections,
                         .invalidValue(field: "sections", value: String(sections.count), rule: "at most \(Self.maxSections) sections"))
        problems.require(questions.count <= Self.maxQuestions,
                         .invalidValue(field: "questions", value: String(questions.count), rule: "at most \(Self.maxQuestions) questions"))
        var seen = Set<String>()
        var earlier: [String: SurveyQuestion] = [:]
        for section in sections {
            problems.require(seen.insert(section.key).inserted, .duplicate(field: "section", value: section.key))
            problems.check { try section.checkTitle() }
            for question in section.questions {
                problems.require(seen.insert(question.key).inserted, .duplicate(field: "question", value: question.key))
                problems.check { try question.check(earlier: earlier) }
                earlier[question.key] = question
            }
        }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
    }

    /// The keys of the questions shown for `answers`: a question with a condition is shown when the question it depends
    /// on is shown and answered with one of the condition's values. One pass, in order (conditions point backwards).
    public func shownKeys(for answers: SurveyAnswers) -> Set<String> {
        var shown = Set<String>()
        for question in questions {
            if let condition = question.condition {
                guard shown.contains(condition.question),
                      let answer = answers.values[condition.question],
                      !Set(answer.values).isDisjoint(with: condition.values) else { continue }
            }
            shown.insert(question.key)
        }
        return shown
    }
}

public struct SurveySection: Sendable, Equatable, Codable {
    public var key: String
    public var title: Bilingual
    public var questions: [SurveyQuestion]

    public init(key: String, title: Bilingual, questions: [SurveyQuestion] = []) {
        self.key = key
        self.title = title
        self.questions = questions
    }

    func checkTitle() throws {
        try TextRules.checkLine(title.en, field: "section \(key) title_en", limit: SurveyQuestion.textLimit)
        try TextRules.checkLine(title.fr, field: "section \(key) title_fr", limit: SurveyQuestion.textLimit)
        guard !title.isEmpty else { throw InputError.missingField(field: "section \(key) title_en") }
    }
}

/// The kinds of question a survey asks.
public enum QuestionKind: String, Sendable, Codable, CaseIterable {
    case single
    case multiple
    /// 1 to 5, each point with a label.
    case scale
    case number
    case date
    case shortText = "short-text"
    case longText = "long-text"
    /// Networks of the catalogue (by their slugs).
    case networks
    /// Countries and other parties of the catalogue (by their codes).
    case countries

    /// Whether an answer names choices of the question's own (and a condition may depend on it).
    public var hasChoices: Bool { self == .single || self == .multiple }
    /// Whether an answer may hold several values.
    public var isMultiple: Bool { self == .multiple || self == .networks || self == .countries }
}

/// A choice offered by a single- or multiple-choice question: a key the answers keep, a label in both languages.
public struct SurveyChoice: Sendable, Equatable, Codable {
    public var key: String
    public var label: Bilingual

    public init(key: String, label: Bilingual) {
        self.key = key
        self.label = label
    }
}

/// A question shown only when an earlier one was answered with one of `values` (choice keys, or scale points).
public struct SurveyCondition: Sendable, Equatable, Codable {
    public var question: String
    public var values: [String]

    public init(question: String, values: [String]) {
        self.question = question
        self.values = values
    }
}

/// Facts the catalogue holds about a network: a question asking one is filled in from the network's entry, and a
/// changed answer becomes a proposal on the entry.
public enum CatalogueFact: String, Sendable, Codable, CaseIterable {
    /// Its web site (a short text question).
    case website
    /// Who hosts its secretariat (a short text question).
    case secretariat
    /// Its member states and organisations (a countries question).
    case members

    /// The kind of question that asks it.
    public var kind: QuestionKind {
        switch self {
        case .website, .secretariat: .shortText
        case .members: .countries
        }
    }
}

public struct SurveyQuestion: Sendable, Equatable, Codable {
    public var key: String
    public var kind: QuestionKind
    public var text: Bilingual
    /// A note under the question.
    public var help: Bilingual
    public var required: Bool
    /// Single and multiple choice: what is offered.
    public var choices: [SurveyChoice]
    /// Single and multiple choice: "other, please say" is offered too.
    public var other: Bool
    /// Scale: a label for each point, 1 to 5 (may be empty but for the ends).
    public var scaleLabels: [Bilingual]
    public var condition: SurveyCondition?
    public var fact: CatalogueFact?

    public init(key: String, kind: QuestionKind, text: Bilingual, help: Bilingual = Bilingual(), required: Bool = false,
                choices: [SurveyChoice] = [], other: Bool = false, scaleLabels: [Bilingual] = [], condition: SurveyCondition? = nil,
                fact: CatalogueFact? = nil) {
        self.key = key
        self.kind = kind
        self.text = text
        self.help = help
        self.required = required
        self.choices = choices
        self.other = other
        self.scaleLabels = scaleLabels
        self.condition = condition
        self.fact = fact
    }

    public static let textLimit = 500
    public static let maxChoices = 40
    public static let scalePoints = 5
    /// The key "other, please say" is kept under in an answer's values.
    public static let otherKey = "other"

    /// The values an answer or a condition may name: the choices' keys (and `other`), or the scale's points.
    public var offeredValues: [String] {
        switch kind {
        case .single, .multiple: choices.map(\.key) + (other ? [Self.otherKey] : [])
        case .scale: (1...Self.scalePoints).map(String.init)
        default: []
        }
    }

    /// The label of a value in `language` ("Other" for `other`), or the value itself.
    public func label(of value: String, _ language: Language) -> String {
        if kind == .scale, let point = Int(value), (1...Self.scalePoints).contains(point) {
            let label = scaleLabels.indices.contains(point - 1) ? scaleLabels[point - 1].text(language) : ""
            return label.isEmpty ? value : "\(value) – \(label)"
        }
        if value == Self.otherKey && other { return language == .fr ? "Autre" : "Other" }
        return choices.first { $0.key == value }?.label.text(language) ?? value
    }

    func check(earlier: [String: SurveyQuestion]) throws {
        let field = "question \(key)"
        try TextRules.checkLine(text.en, field: field + " text_en", limit: Self.textLimit)
        try TextRules.checkLine(text.fr, field: field + " text_fr", limit: Self.textLimit)
        guard !text.isEmpty else { throw InputError.missingField(field: field + " text_en") }
        try TextRules.checkText(help.en, field: field + " help_en", limit: Self.textLimit * 4)
        try TextRules.checkText(help.fr, field: field + " help_fr", limit: Self.textLimit * 4)
        if kind.hasChoices {
            guard !choices.isEmpty else { throw InputError.missingField(field: field + " choices") }
            guard choices.count <= Self.maxChoices else {
                throw InputError.invalidValue(field: field + " choices", value: String(choices.count), rule: "at most \(Self.maxChoices) choices")
            }
            var keys = Set<String>()
            for choice in choices {
                guard choice.key != Self.otherKey else {
                    throw InputError.invalidValue(field: field + " choices", value: choice.key, rule: "is kept for “other, please say”")
                }
                guard keys.insert(choice.key).inserted else { throw InputError.duplicate(field: field + " choices", value: choice.key) }
                try TextRules.checkLine(choice.label.en, field: field + " choices", limit: Self.textLimit)
                try TextRules.checkLine(choice.label.fr, field: field + " choices", limit: Self.textLimit)
                guard !choice.label.isEmpty else { throw InputError.missingField(field: field + " choices") }
            }
        } else {
            guard choices.isEmpty, !other else {
                throw InputError.invalidValue(field: field + " choices", value: kind.rawValue, rule: "only single and multiple choice questions offer choices")
            }
        }
        if kind == .scale {
            guard scaleLabels.count <= Self.scalePoints else {
                throw InputError.invalidValue(field: field + " scale", value: String(scaleLabels.count), rule: "a scale has \(Self.scalePoints) points")
            }
            for label in scaleLabels {
                try TextRules.checkLine(label.en, field: field + " scale", limit: 100)
                try TextRules.checkLine(label.fr, field: field + " scale", limit: 100)
            }
        }
        if let fact, fact.kind != kind {
            throw InputError.invalidValue(field: field + " fact", value: fact.rawValue, rule: "is asked by a \(fact.kind.rawValue) question")
        }
        if let condition {
            guard let target = earlier[condition.question] else {
                throw InputError.invalidValue(field: field + " condition", value: condition.question, rule: "must name an earlier question")
            }
            guard target.kind.hasChoices || target.kind == .scale else {
                throw InputError.invalidValue(field: field + " condition", value: condition.question,
                                              rule: "must name a choice or scale question")
            }
            let offered = Set(target.offeredValues)
            guard !condition.values.isEmpty else { throw InputError.missingField(field: field + " condition values") }
            for value in condition.values where !offered.contains(value) {
                throw InputError.invalidValue(field: field + " condition values", value: value,
                                              rule: "must be one of " + target.offeredValues.joined(separator: ", "))
            }
        }
    }
}
