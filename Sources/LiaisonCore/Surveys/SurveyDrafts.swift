import Foundation

/// A question as its form holds it: every field text. Choices one a line, `English | French` (or `key | English |
/// French` to keep a key an earlier answer or condition uses); scale labels five lines alike. `question` checks it
/// and names each problem.
public struct QuestionDraft: Sendable, Equatable {
    public var kind = QuestionKind.single.rawValue
    public var textEN = ""
    public var textFR = ""
    public var helpEN = ""
    public var helpFR = ""
    public var required = false
    public var choices = ""
    public var other = false
    public var scale = ""
    /// `q7 = no, unsure`: shown only when question q7 is answered with one of these values; empty for always.
    public var condition = ""
    public var fact = ""

    public init() {}

    /// The form of a question as it is.
    public init(_ question: SurveyQuestion) {
        kind = question.kind.rawValue
        textEN = question.text.en
        textFR = question.text.fr
        helpEN = question.help.en
        helpFR = question.help.fr
        required = question.required
        choices = question.choices.map { "\($0.key) | \($0.label.en) | \($0.label.fr)" }.joined(separator: "\n")
        other = question.other
        scale = question.scaleLabels.map { "\($0.en) | \($0.fr)" }.joined(separator: "\n")
        condition = question.condition.map { "\($0.question) = \($0.values.joined(separator: ", "))" } ?? ""
        fact = question.fact?.rawValue ?? ""
    }

    /// The question, keyed `key`, checked alone (`Questionnaire.check` then checks it among the others).
    public func question(key: String) throws -> SurveyQuestion {
        var problems = ProblemList()
        let kind = problems.check { () throws -> QuestionKind in
            guard let kind = QuestionKind(rawValue: self.kind) else {
                throw InputError.invalidValue(field: "kind", value: TextRules.preview(self.kind),
                                              rule: "must be " + QuestionKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return kind
        } ?? .single
        func lines(_ text: String, _ field: String, limit: Int) -> [[String]] {
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard lines.count <= limit else {
                problems.errors.append(.invalidValue(field: field, value: "\(lines.count) lines", rule: "must be at most \(limit) lines"))
                return []
            }
            return lines.map { $0.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        }
        var choices: [SurveyChoice] = []
        if kind.hasChoices {
            var used = Set<String>()
            for (index, cells) in lines(self.choices, "choices", limit: SurveyQuestion.maxChoices).enumerated() {
                guard (1...3).contains(cells.count) else {
                    problems.errors.append(.invalidValue(field: "choices", value: cells.joined(separator: " | "),
                                                         rule: "must be “English | French” or “key | English | French”, one a line"))
                    continue
                }
                let (key, en, fr) = cells.count == 3 ? (cells[0], cells[1], cells[2]) : ("", cells[0], cells.count == 2 ? cells[1] : "")
                let made = key.isEmpty ? Self.key(from: en.isEmpty ? fr : en, index: index, used: used) : key
                if !key.isEmpty, !Self.isKey(key) {
                    problems.errors.append(.invalidValue(field: "choices", value: key, rule: "a key is 1 to 40 lower-case letters, digits and hyphens"))
                }
                used.insert(made)
                choices.append(SurveyChoice(key: made, label: Bilingual(en: en, fr: fr)))
            }
        }
        // A scale's labels by position: an empty line leaves its point without a label (trailing ones are dropped).
        var scaleLines = kind == .scale ? scale.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) } : []
        while scaleLines.last?.isEmpty == true { scaleLines.removeLast() }
        if scaleLines.count > SurveyQuestion.scalePoints {
            problems.errors.append(.invalidValue(field: "scale", value: "\(scaleLines.count) lines", rule: "must be at most \(SurveyQuestion.scalePoints) lines"))
            scaleLines = []
        }
        let scaleLabels = scaleLines.map { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            return Bilingual(en: cells.first ?? "", fr: cells.count > 1 ? cells[1] : "")
        }
        var condition: SurveyCondition?
        let written = self.condition.trimmingCharacters(in: .whitespaces)
        if !written.isEmpty {
            let parts = written.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let values = parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            if parts.count == 2, !parts[0].isEmpty, !values.isEmpty, written.count <= 500 {
                condition = SurveyCondition(question: parts[0], values: values)
            } else {
                problems.errors.append(.invalidValue(field: "condition", value: TextRules.preview(written), rule: "must be “q7 = no, unsure” or empty"))
            }
        }
        var fact: CatalogueFact?
        if !self.fact.isEmpty {
            fact = CatalogueFact(rawValue: self.fact)
            if fact == nil {
                problems.errors.append(.invalidValue(field: "fact", value: TextRules.preview(self.fact),
                                                     rule: "must be " + CatalogueFact.allCases.map(\.rawValue).joined(separator: ", ") + " or empty"))
            }
        }
        let question = SurveyQuestion(key: key, kind: kind, text: Bilingual(en: textEN.trimmingCharacters(in: .whitespacesAndNewlines),
                                                                           fr: textFR.trimmingCharacters(in: .whitespacesAndNewlines)),
                                      help: Bilingual(en: helpEN.trimmingCharacters(in: .whitespacesAndNewlines), fr: helpFR.trimmingCharacters(in: .whitespacesAndNewlines)),
                                      required: required, choices: choices, other: kind.hasChoices && other, scaleLabels: scaleLabels, condition: condition,
                                      fact: fact)
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return question
    }

    /// A choice's key made from its label: its first words' letters and digits, joined by hyphens, made unique.
    static func key(from label: String, index: Int, used: Set<String>) -> String {
        let words = TextKey.words(label).prefix(4).map { word in String(word.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }) }
        var base = words.filter { !$0.isEmpty }.joined(separator: "-")
        if base.count > 30 { base = String(base.prefix(30)) }
        if base.isEmpty || base == SurveyQuestion.otherKey { base = "choice-\(index + 1)" }
        var key = base, number = 2
        while used.contains(key) { key = "\(base)-\(number)"; number += 1 }
        return key
    }

    static func isKey(_ text: String) -> Bool {
        (1...40).contains(text.count) && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// A survey's settings as their form holds them: titles, introductions, the closing day (UTC, `YYYY-MM-DD`, the
/// survey closing at its end), who reads the results, and whether each network's answers may be published.
public struct SurveySettingsDraft: Sendable, Equatable {
    public var titleEN = ""
    public var titleFR = ""
    public var introductionEN = ""
    public var introductionFR = ""
    public var closes = ""
    public var resultsVisibility = ResultsVisibility.editors.rawValue
    public var individualPublic = false

    public init() {}

    public init(_ survey: Survey) {
        titleEN = survey.title.en
        titleFR = survey.title.fr
        introductionEN = survey.introduction.en
        introductionFR = survey.introduction.fr
        closes = Self.day(survey.closesAt.addingTimeInterval(-1))
        resultsVisibility = survey.resultsVisibility.rawValue
        individualPublic = survey.individualAnswersPublic
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The survey with these settings, checked (every problem named). Its closing day may not be before `today`.
    public func apply(to base: Survey, today: Date) throws -> Survey {
        var problems = ProblemList()
        var survey = base
        func line(_ text: String, _ field: String) -> String {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            problems.check { try TextRules.checkLine(text, field: field, limit: 200) }
            return text
        }
        func text(_ text: String, _ field: String) -> String {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            problems.check { try TextRules.checkText(text, field: field, limit: 5_000) }
            return text
        }
        survey.title = Bilingual(en: line(titleEN, "title_en"), fr: line(titleFR, "title_fr"))
        if survey.title.isEmpty { problems.errors.append(.missingField(field: "title_en")) }
        survey.introduction = Bilingual(en: text(introductionEN, "introduction_en"), fr: text(introductionFR, "introduction_fr"))
        let closes = self.closes.trimmingCharacters(in: .whitespaces)
        if let day = SurveyAnswers.day(closes), let start = Self.start(of: day) {
            let end = start.addingTimeInterval(86_400)
            if end <= today {
                problems.errors.append(.invalidValue(field: "closes", value: closes, rule: "must be today or later"))
            } else if end.timeIntervalSince(today) > 400 * 86_400 {
                problems.errors.append(.invalidValue(field: "closes", value: closes, rule: "must be within 400 days"))
            } else {
                survey.closesAt = end
            }
        } else {
            problems.errors.append(.invalidValue(field: "closes", value: TextRules.preview(closes), rule: "must be a date written YYYY-MM-DD"))
        }
        if let visibility = ResultsVisibility(rawValue: resultsVisibility) {
            survey.resultsVisibility = visibility
        } else {
            problems.errors.append(.invalidValue(field: "results_visibility", value: TextRules.preview(resultsVisibility),
                                                 rule: "must be " + ResultsVisibility.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        survey.individualAnswersPublic = individualPublic
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return survey
    }

    static func start(of day: String) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
