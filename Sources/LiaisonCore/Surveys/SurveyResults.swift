import Foundation

/// A network's submitted answers as the results count them.
public struct SubmittedAnswers: Sendable, Equatable {
    public let network: String
    public let answers: SurveyAnswers
    /// Whether the survey said, when this answer was given, that each network's answers may be shown.
    public let individualPublic: Bool

    public init(network: String, answers: SurveyAnswers, individualPublic: Bool) {
        self.network = network
        self.answers = answers
        self.individualPublic = individualPublic
    }
}

/// Which answering networks the results count: all, those of a section, or those of a scope.
public enum ResultsGroup: Sendable, Equatable {
    case all
    case section(Section)
    case scope(Scope)

    /// From the results page's `group`: empty (all), `section:european`, `scope:global`.
    public init(_ text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first ?? "", parts.count == 2 ? parts[1] : "") {
        case ("", _): self = .all
        case let ("section", value): self = .section(try Section.parse(value, field: "group"))
        case let ("scope", value): self = .scope(try Scope.parse(value, field: "group"))
        default: throw InputError.invalidValue(field: "group", value: TextRules.preview(text), rule: "must be empty, section:… or scope:…")
        }
    }

    /// Whether a network is counted in this group.
    public func contains(_ network: Network) -> Bool { cell(of: network) == cell }

    /// As the results page's `group` writes it.
    public var parameter: String {
        switch self {
        case .all: ""
        case let .section(section): "section:" + section.rawValue
        case let .scope(scope): "scope:" + scope.rawValue
        }
    }

    /// The group of its kind a network falls in (every network is in the one group of `all`).
    func cell(of network: Network?) -> String {
        switch self {
        case .all: "all"
        case .section: network?.section.rawValue ?? "?"
        case .scope: network?.scope.rawValue ?? "?"
        }
    }

    var cell: String {
        switch self {
        case .all: "all"
        case let .section(section): section.rawValue
        case let .scope(scope): scope.rawValue
        }
    }
}

/// A survey's results: per question, counts and percentages, a scale's distribution and median, the texts.
///
/// Published results (read by anyone but the editors) never single out a network: a group is shown only when every
/// group of its kind (each section, or each scope) has no answering network or at least `minimumGroup` — so that no
/// group of one or two can be had by subtracting one shown group from another — and the same holds for each question
/// on its own. Texts, and anything else that is one network's, are published only from answers given while the survey
/// said individual answers are public.
public struct SurveyResults: Sendable, Equatable {
    public static let minimumGroup = 3

    public struct Count: Sendable, Equatable {
        public let value: String
        public let label: String
        public let count: Int
        /// Of the networks that answered the question, rounded.
        public let percent: Int
    }

    public struct Text: Sendable, Equatable {
        /// The network's name, when it may be shown.
        public let network: String?
        public let text: String
    }

    public struct Question: Sendable, Equatable {
        public let question: SurveyQuestion
        public let answered: Int
        /// Choices, scale points, networks or countries (those chosen at least once, for the last two), in order.
        public let counts: [Count]
        /// Scales and numbers.
        public let median: Double?
        public let texts: [Text]
        /// Texts not shown because they are one network's own (published results).
        public let textsWithheld: Int
        /// Withheld: too few networks answered it in a group of its kind.
        public let hidden: Bool
    }

    public let group: ResultsGroup
    /// The networks counted (in the group); 0 in published results that are withheld (its size would tell too much).
    public let respondents: Int
    /// Withheld whole: too few networks answered in a group of its kind.
    public let hidden: Bool
    public let questions: [Question]

    /// `published`: for anyone but an editor; `readers`: the networks the reader answers for (whose own answers they
    /// know, and could take away from a group: such a group needs as many more networks).
    ///
    /// Published, the whole survey (and each question) is shown when at least three networks other than the
    /// reader's answered it, and a view by section or by scope only when every group of section and scope together
    /// has none or as many: every view is then a union of such groups, and no difference of two views is smaller.
    /// The catalogue's facts (members, web site, secretariat) are not published: with the catalogue at hand their
    /// counts would tell which networks answered.
    ///
    /// `anyReaderAnswered`: results published to everyone, whose readers cannot be told apart (one who answered may
    /// read them signed out): each group then needs at least one more network than three, whoever reads.
    public init(_ questionnaire: Questionnaire, answers all: [SubmittedAnswers], group: ResultsGroup, published: Bool,
                readers: Set<String> = [], anyReaderAnswered: Bool = false, language: Language, catalogue: Catalogue) {
        let networks = Dictionary(uniqueKeysWithValues: all.map { ($0.network, catalogue.network(slug: $0.network)) })
        let counted = all.filter { group.cell(of: networks[$0.network] ?? nil) == group.cell }
        // The groups a view is made of: the whole survey for the whole; section and scope together for the others.
        let joint: (SubmittedAnswers) -> String = group == .all ? { _ in "all" } : { answer in
            let network = networks[answer.network] ?? nil
            return (network?.section.rawValue ?? "?") + " " + (network?.scope.rawValue ?? "?")
        }
        func publishable(_ answering: [SubmittedAnswers]) -> Bool {
            guard published else { return true }
            var cells: [String: (count: Int, readers: Int)] = [:]
            for answer in answering {
                cells[joint(answer), default: (0, 0)].count += 1
                if readers.contains(answer.network) { cells[joint(answer), default: (0, 0)].readers += 1 }
            }
            return cells.values.allSatisfy { $0.count == 0 || $0.count >= Self.minimumGroup + max($0.readers, anyReaderAnswered ? 1 : 0) }
        }
        self.group = group
        hidden = !publishable(all)
        respondents = hidden && published ? 0 : counted.count
        questions = hidden ? [] : questionnaire.questions.map { question in
            let answering = all.filter { $0.answers[question.key] != nil }
            let theirs = counted.compactMap { submitted in submitted.answers[question.key].map { (submitted, $0) } }
            guard publishable(answering), !(published && question.fact != nil) else {
                return Question(question: question, answered: 0, counts: [], median: nil, texts: [], textsWithheld: 0, hidden: true)
            }
            return Self.result(question, theirs, published: published, language: language, catalogue: catalogue)
        }
    }

    static func result(_ question: SurveyQuestion, _ theirs: [(SubmittedAnswers, SurveyAnswer)], published: Bool, language: Language,
                       catalogue: Catalogue) -> Question {
        let answered = theirs.count
        func percent(_ count: Int) -> Int { answered == 0 ? 0 : Int((Double(count) * 100 / Double(answered)).rounded()) }
        var tally: [String: Int] = [:]
        for (_, answer) in theirs {
            for value in Set(answer.values) { tally[value, default: 0] += 1 }
        }
        var counts: [Count] = []
        var median: Double?
        var texts: [Text] = []
        var withheld = 0
        func addText(_ submitted: SubmittedAnswers, _ text: String) {
            if published && !submitted.individualPublic {
                withheld += 1
            } else {
                texts.append(Text(network: catalogue.network(slug: submitted.network)?.displayName ?? submitted.network, text: text))
            }
        }
        switch question.kind {
        case .single, .multiple, .scale:
            counts = question.offeredValues.map { Count(value: $0, label: question.label(of: $0, language), count: tally[$0] ?? 0, percent: percent(tally[$0] ?? 0)) }
            if question.kind == .scale { median = Self.median(theirs.compactMap { Double($0.1.values.first ?? "") }) }
            for (submitted, answer) in theirs where !answer.other.isEmpty { addText(submitted, answer.other) }
        case .networks, .countries:
            counts = tally.map { value, count in
                let label = question.kind == .networks ? catalogue.network(slug: value)?.displayName ?? value : catalogue.party(id: value)?.name(language) ?? value
                return Count(value: value, label: label, count: count, percent: percent(count))
            }.sorted { ($0.count, $1.label) > ($1.count, $0.label) }
        case .number:
            median = Self.median(theirs.compactMap { Double($0.1.values.first ?? "") })
            for (submitted, answer) in theirs { addText(submitted, answer.values.first ?? "") }
        case .date, .shortText, .longText:
            for (submitted, answer) in theirs { addText(submitted, answer.values.first ?? "") }
        }
        return Question(question: question, answered: answered, counts: counts, median: median, texts: texts, textsWithheld: withheld, hidden: false)
    }

    /// The middle value (the mean of the two middle ones for an even count); nil for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
