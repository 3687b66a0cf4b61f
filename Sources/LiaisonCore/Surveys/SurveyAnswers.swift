import Foundation

/// One question's answer: its values (a choice's key, several keys, a scale point, a number or date as written, a
/// text, networks' slugs or parties' codes) and, when "other" is chosen, what the other is.
public struct SurveyAnswer: Sendable, Equatable, Codable {
    public var values: [String]
    public var other: String

    public init(values: [String], other: String = "") {
        self.values = values
        self.other = other
    }
}

/// A network's answers, by question key. Questions not answered have no entry.
public struct SurveyAnswers: Sendable, Equatable, Codable {
    public var values: [String: SurveyAnswer]

    public init(_ values: [String: SurveyAnswer] = [:]) {
        self.values = values
    }

    public subscript(key: String) -> SurveyAnswer? { values[key] }

    public static let longTextLimit = 10_000
    public static let numberLimit = 20

    /// The form field of a question's values, and of its "other" text.
    public static func field(_ key: String) -> String { "answer-\(key)" }
    public static func otherField(_ key: String) -> String { "answer-\(key)-other" }

    /// Reads the answers a form holds (`fields` gives every value sent under a name), each checked against its
    /// question and the catalogue; every problem is named (`NetworkEditFailure`). Empty answers are left out. The
    /// answers of questions their conditions hide are kept (a draft may be written in any order): `shown(in:)` drops
    /// them when the answer is sent.
    /// `shownOnly`: read only the questions the answers' conditions show (what sending keeps): a question hidden
    /// meanwhile is not held against the sender for a value it no longer needs.
    public static func read(_ questionnaire: Questionnaire, catalogue: Catalogue, shownOnly: Bool = false,
                            fields: (String) -> [String]) throws -> SurveyAnswers {
        var problems = ProblemList()
        var answers = SurveyAnswers()
        // Conditions name choices and scale points, which are compared, never parsed: the unchecked answers tell.
        let shown = shownOnly ? questionnaire.shownKeys(for: typed(questionnaire, fields: fields)) : nil
        for question in questionnaire.questions where shown?.contains(question.key) ?? true {
            let field = Self.field(question.key)
            let sent = fields(field).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard let values = problems.check({ try Self.values(sent, of: question, field: field, catalogue: catalogue) }), !values.isEmpty else {
                continue
            }
            var other = ""
            if values.contains(SurveyQuestion.otherKey) {
                other = fields(Self.otherField(question.key)).first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                problems.check { try TextRules.checkLine(other, field: Self.otherField(question.key), limit: SurveyQuestion.textLimit) }
            }
            answers.values[question.key] = SurveyAnswer(values: values, other: other)
        }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return answers
    }

    /// The answers a form holds, unchecked, to show the form again as it was typed after a refusal.
    public static func typed(_ questionnaire: Questionnaire, fields: (String) -> [String]) -> SurveyAnswers {
        var answers = SurveyAnswers()
        for question in questionnaire.questions {
            let values = fields(Self.field(question.key)).filter { !$0.isEmpty }
            guard !values.isEmpty else { continue }
            answers.values[question.key] = SurveyAnswer(values: values, other: fields(Self.otherField(question.key)).first ?? "")
        }
        return answers
    }

    static func values(_ sent: [String], of question: SurveyQuestion, field: String, catalogue: Catalogue) throws -> [String] {
        guard sent.count <= max(question.choices.count + 1, 1) || question.kind == .networks || question.kind == .countries else {
            throw InputError.invalidValue(field: field, value: String(sent.count), rule: "too many values for this question")
        }
        switch question.kind {
        case .single, .multiple, .scale:
            if question.kind != .multiple && sent.count > 1 {
                throw InputError.invalidValue(field: field, value: sent.joined(separator: ", "), rule: "one answer only")
            }
            let offered = question.offeredValues
            var seen = Set<String>()
            for value in sent where !offered.contains(value) || !seen.insert(value).inserted {
                throw InputError.invalidValue(field: field, value: value, rule: "must be one of " + offered.joined(separator: ", "))
            }
            return sent
        case .number:
            guard let text = sent.first else { return [] }
            // A comma is a decimal one (3,5), never a thousands separator: "1,000" and "1.000,5" are refused, not misread.
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            let decimalComma = parts.count == 2 && !text.contains(".") && parts[1].count != 3
            guard text.count <= numberLimit, parts.count == 1 || decimalComma,
                  let number = Double(text.replacingOccurrences(of: ",", with: ".")), number.isFinite else {
                throw InputError.invalidValue(field: field, value: text, rule: "must be a number, such as 12 or 3.5")
            }
            return [Self.numberText(number)]
        case .date:
            guard let text = sent.first else { return [] }
            guard let day = Self.day(text) else { throw InputError.invalidValue(field: field, value: text, rule: "must be a date written YYYY-MM-DD") }
            return [day]
        case .shortText:
            guard let text = sent.first else { return [] }
            try TextRules.checkLine(text, field: field, limit: SurveyQuestion.textLimit)
            return [text]
        case .longText:
            guard let text = sent.first else { return [] }
            try TextRules.checkText(text, field: field, limit: longTextLimit)
            return [text]
        case .networks:
            guard sent.count <= catalogue.networks.count else {
                throw InputError.invalidValue(field: field, value: String(sent.count), rule: "at most one value per network")
            }
            var seen = Set<String>()
            for slug in sent where catalogue.network(slug: slug) == nil || !seen.insert(slug).inserted {
                throw InputError.invalidValue(field: field, value: slug, rule: "must be the slug of a network of the catalogue, once")
            }
            return sent
        case .countries:
            guard sent.count <= 400 else { throw InputError.invalidValue(field: field, value: String(sent.count), rule: "at most 400 parties") }
            var seen = Set<String>()
            return try sent.map { raw in
                // A party's id as the catalogue writes it: a country's code in capitals, an organisation's slug.
                guard let party = catalogue.party(id: raw) ?? catalogue.party(id: raw.uppercased()), seen.insert(party.id).inserted else {
                    throw InputError.invalidValue(field: field, value: raw, rule: "must be the code of a party of the catalogue, once")
                }
                return party.id
            }
        }
    }

    /// `2026-02-28` as written, when it is a day of the calendar (not 2026-02-30).
    static func day(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1000 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(calendar: calendar, year: year, month: month, day: day)
        return components.isValidDate ? text : nil
    }

    /// `12`, `3.5`: a number as it is kept (no trailing `.0`, no exponent for ordinary sizes).
    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// Only the answers of the questions shown (their conditions met by these answers).
    public func shown(in questionnaire: Questionnaire) -> SurveyAnswers {
        let shown = questionnaire.shownKeys(for: self)
        return SurveyAnswers(values.filter { shown.contains($0.key) })
    }

    /// The required questions shown and not answered, and "other" chosen without saying what: each named. Empty when
    /// the answers may be submitted.
    public func missing(in questionnaire: Questionnaire) -> [InputError] {
        let shown = questionnaire.shownKeys(for: self)
        return questionnaire.questions.filter { shown.contains($0.key) }.compactMap { question in
            guard let answer = values[question.key] else {
                return question.required ? .missingField(field: Self.field(question.key)) : nil
            }
            return answer.values.contains(SurveyQuestion.otherKey) && answer.other.isEmpty ? .missingField(field: Self.otherField(question.key)) : nil
        }
    }

    /// The keys whose answers differ between `self` and `other`, in the questionnaire's order (keys it no longer has
    /// last).
    public func changedKeys(from other: SurveyAnswers, in questionnaire: Questionnaire) -> [String] {
        let keys = Set(values.keys).union(other.values.keys).filter { values[$0] != other.values[$0] }
        let ordered = questionnaire.questions.map(\.key).filter { keys.contains($0) }
        return ordered + keys.subtracting(ordered).sorted()
    }

    /// A form refused because another save came first, merged again: each question this person left as it was in the
    /// answer the form was made from (`base`) takes the other's answer (`theirs`); a question this person changed keeps
    /// theirs. `both`: the questions both changed, to different answers (this person's is kept: the page shows the
    /// other's beside it). Saving the merge again loses no answer of either.
    public static func merged(mine: SurveyAnswers, base: SurveyAnswers, theirs: SurveyAnswers) -> (answers: SurveyAnswers, both: Set<String>) {
        var merged = SurveyAnswers()
        var both = Set<String>()
        for key in Set(mine.values.keys).union(base.values.keys).union(theirs.values.keys) {
            let (own, start, other) = (mine[key], base[key], theirs[key])
            if own == start {
                merged.values[key] = other
            } else {
                merged.values[key] = own
                if other != start, other != own { both.insert(key) }
            }
        }
        return (merged, both)
    }

    /// The answer as text in `language`: choices spelled out (the "other" text after them), parties and networks
    /// named, in the order given; values joined by "; ".
    public func text(of question: SurveyQuestion, _ language: Language, catalogue: Catalogue) -> String {
        guard let answer = values[question.key] else { return "" }
        let parts = answer.values.map { value -> String in
            switch question.kind {
            case .single, .multiple:
                value == SurveyQuestion.otherKey && !answer.other.isEmpty ? "\(question.label(of: value, language)): \(answer.other)"
                    : question.label(of: value, language)
            case .scale: question.label(of: value, language)
            case .networks: catalogue.network(slug: value)?.displayName ?? value
            case .countries: catalogue.party(id: value)?.name(language) ?? value
            default: value
            }
        }
        return parts.joined(separator: "; ")
    }
}

/// A network's answer as kept: its answers, how many times it was saved, whether (and when) it was submitted and
/// under which promise of publicity, and who saved it last.
public struct SurveyResponse: Sendable, Equatable {
    public let surveyID: Int64
    public let network: String
    public let answers: SurveyAnswers
    public let revision: Int
    public let submittedAt: Date?
    public let individualPublic: Bool
    public let updatedAt: Date
    public let updatedBy: String

    public init(surveyID: Int64, network: String, answers: SurveyAnswers, revision: Int, submittedAt: Date?, individualPublic: Bool, updatedAt: Date,
                updatedBy: String) {
        self.surveyID = surveyID
        self.network = network
        self.answers = answers
        self.revision = revision
        self.submittedAt = submittedAt
        self.individualPublic = individualPublic
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// One save of a network's answer: who, when, which questions it changed, whether it submitted.
public struct SurveyResponseEdit: Sendable, Equatable {
    public let revision: Int
    public let actor: String
    public let at: Date
    public let changed: [String]
    public let submitted: Bool

    public init(revision: Int, actor: String, at: Date, changed: [String], submitted: Bool) {
        self.revision = revision
        self.actor = actor
        self.at = at
        self.changed = changed
        self.submitted = submitted
    }
}
