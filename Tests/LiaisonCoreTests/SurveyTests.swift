import Foundation
import LiaisonCore
import Testing

/// Surveys as the domain holds them: a questionnaire checked whole, answers read and checked per kind of question,
/// conditions that hide questions (and their requirement), the results with no network singled out, the catalogue's
/// facts filled in and changed ones proposed.
@Suite struct SurveyTests {
    let catalogue: Catalogue

    init() throws { catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks()) }

    static let needs = NeedsOfTheNetworks.survey(closesAt: Date(timeIntervalSince1970: 1_900_000_000), createdBy: "editor",
                                                 createdAt: Date(timeIntervalSince1970: 1_800_000_000)).questionnaire

    @Test func theShippedSurveyIsAValidQuestionnaireInBothLanguages() throws {
        try Self.needs.check()
        #expect(Self.needs.questions.count == 13)
        for question in Self.needs.questions {
            #expect(!question.text.en.isEmpty && !question.text.fr.isEmpty && question.text.en != question.text.fr, "\(question.key)")
            for choice in question.choices { #expect(!choice.label.en.isEmpty && !choice.label.fr.isEmpty && choice.label.en != choice.label.fr) }
        }
        #expect(Self.needs.questions.compactMap(\.fact) == [.website, .secretariat, .members])
    }

    @Test func aQuestionnaireNamesEveryProblem() {
        var bad = Self.needs
        bad.sections[0].questions[0].condition = SurveyCondition(question: "q7", values: ["no"])  // a later question
        bad.sections[1].questions[3].condition = SurveyCondition(question: "q7", values: ["maybe"])  // a value q7 does not offer
        bad.sections[1].questions[0].choices = []  // a multiple choice with nothing to choose
        bad.sections[2].questions[0].key = "q1"  // a key used twice
        bad.sections[0].questions[1].fact = .members  // a fact asked by the wrong kind of question
        do {
            try bad.check()
            Issue.record("a broken questionnaire was taken")
        } catch let failure as NetworkEditFailure {
            let text = failure.errors.map(\.description).joined(separator: "\n")
            for expected in ["question q1 condition: “q7” is not allowed: must name an earlier question",
                             "question q8 condition values: “maybe” is not allowed: must be one of in-person, virtual, no, unsure",
                             "question q5 choices: is required", "question: “q1” is used more than once",
                             "question q2 fact: “members” is not allowed: is asked by a countries question"] {
                #expect(text.contains(expected), "\(expected) in \(text)")
            }
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func answersAreReadPerKindOfQuestionAndEachProblemIsNamed() throws {
        func read(_ values: [String: [String]]) throws -> SurveyAnswers {
            try SurveyAnswers.read(Self.needs, catalogue: catalogue) { values[$0] ?? [] }
        }
        let answers = try read([
            "answer-q1": ["https://www.carin.network"], "answer-q3": ["es", "GH", "europol"], "answer-q4": ["4"],
            "answer-q5": ["platform", "other"], "answer-q5-other": ["Translation"], "answer-q7": ["no"], "answer-q8": ["Funding."],
            "answer-q9": ["3,5"], "answer-q10": ["yes"], "answer-q11": ["ejn", "eurojust"], "answer-q12": ["2026-02-28"],
        ])
        #expect(answers["q3"]?.values == ["ES", "GH", "europol"], "parties as the catalogue names them")
        #expect(answers["q5"] == SurveyAnswer(values: ["platform", "other"], other: "Translation"))
        #expect(answers["q9"]?.values == ["3.5"] && answers["q12"]?.values == ["2026-02-28"])
        #expect(answers.text(of: try #require(Self.needs.question("q5")), .fr, catalogue: catalogue)
            == "Une plateforme de partage des connaissances ouverte à tous les réseaux; Autre: Translation")
        #expect(answers.text(of: try #require(Self.needs.question("q4")), .en, catalogue: catalogue) == "4")
        // Each wrong value is named by its field, with the rule; nothing is taken.
        do {
            _ = try read(["answer-q4": ["6"], "answer-q6": ["platform", "funding"], "answer-q9": ["many"], "answer-q12": ["2026-02-30"],
                          "answer-q3": ["XX"], "answer-q11": ["no-such-network"], "answer-q1": ["a\u{0}b"]])
            Issue.record("wrong answers were taken")
        } catch let failure as NetworkEditFailure {
            #expect(failure.errors.compactMap(\.field).sorted() == ["answer-q1", "answer-q11", "answer-q12", "answer-q3", "answer-q4", "answer-q6", "answer-q9"])
            #expect(failure.errors.map(\.description).contains("answer-q4: “6” is not allowed: must be one of 1, 2, 3, 4, 5"))
        }
    }

    @Test func conditionsHideQuestionsAndTheirRequirement() throws {
        // q8 is asked only when q7 is "no" or "unsure"; q11 only when q10 is "yes".
        let answeredYes = try SurveyAnswers.read(Self.needs, catalogue: catalogue) {
            ["answer-q4": ["3"], "answer-q5": ["catalogue"], "answer-q7": ["in-person"], "answer-q8": ["Left over from before."]][$0] ?? []
        }
        #expect(answeredYes["q8"] != nil && answeredYes.shown(in: Self.needs)["q8"] == nil, "a draft keeps it; a sending does not")
        #expect(answeredYes.missing(in: Self.needs).isEmpty, "nothing required is missing")
        var shown = Self.needs.shownKeys(for: answeredYes)
        #expect(!shown.contains("q8") && !shown.contains("q11") && shown.contains("q7"))
        // A required question behind a condition: required only when shown.
        var strict = Self.needs
        strict.sections[1].questions[3].required = true
        #expect(answeredYes.missing(in: strict).isEmpty, "hidden, so not required: the survey can be submitted")
        let answeredNo = SurveyAnswers(["q4": SurveyAnswer(values: ["3"]), "q5": SurveyAnswer(values: ["other"]), "q7": SurveyAnswer(values: ["no"])])
        shown = strict.shownKeys(for: answeredNo)
        #expect(shown.contains("q8"))
        #expect(answeredNo.missing(in: strict).compactMap(\.field) == ["answer-q5-other", "answer-q8"])
    }

    @Test func resultsCountAndNeverSingleOutANetwork() throws {
        func answer(_ network: String, _ scale: String, _ services: [String], publicly: Bool = false, text: String? = nil) -> SubmittedAnswers {
            var values = ["q4": SurveyAnswer(values: [scale]), "q5": SurveyAnswer(values: services)]
            if let text { values["q13"] = SurveyAnswer(values: [text]) }
            return SubmittedAnswers(network: network, answers: SurveyAnswers(values), individualPublic: publicly)
        }
        // Networks of one scope in each section: the groups of section and scope together are the sections themselves.
        let european = catalogue.networks.filter { $0.section == .european && $0.scope == .europeanUnion }.prefix(4).map(\.slug)
        let nonEuropean = catalogue.networks.filter { $0.section == .nonEuropean && $0.scope == .global }.map(\.slug)
        let others = Array(nonEuropean.prefix(2))
        try #require(european.count == 4 && nonEuropean.count >= 3)
        let all = [answer(european[0], "5", ["platform", "mailing-list"], publicly: true, text: "A forum."),
                   answer(european[1], "4", ["platform"], text: "Money."),
                   answer(european[2], "2", ["catalogue"]), answer(european[3], "4", ["platform"]),
                   answer(others[0], "1", ["funding"]), answer(others[1], "3", ["platform"])]
        let editors = SurveyResults(Self.needs, answers: all, group: .all, published: false, language: .en, catalogue: catalogue)
        #expect(editors.respondents == 6 && !editors.hidden)
        let scale = try #require(editors.questions.first { $0.question.key == "q4" })
        #expect(scale.counts.map(\.count) == [1, 1, 1, 2, 1] && scale.median == 3.5 && scale.answered == 6)
        let services = try #require(editors.questions.first { $0.question.key == "q5" })
        #expect(services.counts.first { $0.value == "platform" }.map { ($0.count, $0.percent) } ?? (0, 0) == (4, 67))
        let texts = try #require(editors.questions.first { $0.question.key == "q13" })
        #expect(texts.texts.map(\.text).sorted() == ["A forum.", "Money."] && texts.textsWithheld == 0)

        // Published: the texts are those said public when given; the whole is shown (six networks).
        let published = SurveyResults(Self.needs, answers: all, group: .all, published: true, language: .en, catalogue: catalogue)
        let publishedTexts = try #require(published.questions.first { $0.question.key == "q13" })
        #expect(publishedTexts.hidden, "two networks answered it: too few to show")
        // By section: the non-European networks are two, so neither section is shown (one would give the other by subtraction).
        let bySection = SurveyResults(Self.needs, answers: all, group: .section(.european), published: true, language: .en, catalogue: catalogue)
        #expect(bySection.hidden && bySection.questions.isEmpty)
        #expect(!SurveyResults(Self.needs, answers: all, group: .section(.european), published: false, language: .en, catalogue: catalogue).hidden,
                "the editors see every group")
        // With a third non-European network, both sections show.
        let more = all + [answer(nonEuropean[2], "2", ["catalogue"])]
        let shown = SurveyResults(Self.needs, answers: more, group: .section(.nonEuropean), published: true, language: .fr, catalogue: catalogue)
        #expect(!shown.hidden && shown.respondents == 3)
        #expect(shown.questions.first { $0.question.key == "q4" }?.counts.map(\.label).last == "5 – Très utile")
        // Fewer than three networks in all: nothing is published, not even how many.
        let two = SurveyResults(Self.needs, answers: Array(all.prefix(2)), group: .all, published: true, language: .en, catalogue: catalogue)
        #expect(two.hidden && two.respondents == 0)
        // A reader who answers for one of three networks knows their own answer: three are not enough for them.
        let three = Array(more.suffix(3))
        #expect(!SurveyResults(Self.needs, answers: three, group: .all, published: true, language: .en, catalogue: catalogue).hidden)
        #expect(SurveyResults(Self.needs, answers: three, group: .all, published: true, readers: [three[0].network], language: .en, catalogue: catalogue).hidden)
        // Texts of answers not given as public are withheld, counted; the catalogue's facts are not published.
        var facts = all
        for index in facts.indices { facts[index] = SubmittedAnswers(network: facts[index].network, answers: SurveyAnswers(facts[index].answers.values.merging(
            ["q13": SurveyAnswer(values: ["Words of \(index)"]), "q1": SurveyAnswer(values: ["https://x\(index).example.org"])]) { $1 }),
                                                                     individualPublic: facts[index].individualPublic) }
        let words = SurveyResults(Self.needs, answers: facts, group: .all, published: true, language: .en, catalogue: catalogue)
        let q13 = try #require(words.questions.first { $0.question.key == "q13" })
        #expect(q13.texts.map(\.text) == ["Words of 0"] && q13.textsWithheld == 5, "only the network that answered publicly")
        #expect(words.questions.first { $0.question.key == "q1" }?.hidden == true, "a fact of the catalogue is not published")
    }

    /// Section and scope cut the networks differently: a view by one and a view by the other must not, taken from each
    /// other, give a group of one. Published views by section or scope need every group of both together at three.
    @Test func noDifferenceOfTwoPublishedViewsSinglesOutANetwork() throws {
        func answer(_ network: Network) -> SubmittedAnswers {
            SubmittedAnswers(network: network.slug, answers: SurveyAnswers(["q4": SurveyAnswer(values: ["3"])]), individualPublic: false)
        }
        let european = catalogue.networks.filter { $0.section == .european }
        let euScope = european.filter { $0.scope == .europeanUnion }.prefix(3)
        let euGlobal = european.filter { $0.scope == .global }.prefix(1)
        let others = catalogue.networks.filter { $0.section == .nonEuropean && $0.scope == .global }.prefix(3)
        try #require(euScope.count == 3 && euGlobal.count == 1 && others.count == 3)
        let all = (euScope + euGlobal + others).map(answer)
        for group in [ResultsGroup.section(.european), .section(.nonEuropean), .scope(.global), .scope(.europeanUnion)] {
            #expect(SurveyResults(Self.needs, answers: all, group: group, published: true, language: .en, catalogue: catalogue).hidden,
                    "\(group): the European network of global scope would be the difference of two views")
        }
        #expect(!SurveyResults(Self.needs, answers: all, group: .all, published: true, language: .en, catalogue: catalogue).hidden)
        #expect(!SurveyResults(Self.needs, answers: all, group: .scope(.global), published: false, language: .en, catalogue: catalogue).hidden)
    }

    @Test func aQuestionsFormIsReadAndEachProblemNamed() throws {
        var draft = QuestionDraft()
        draft.kind = "multiple"
        draft.textEN = "Which services?"
        draft.textFR = "Quels services ?"
        draft.choices = "A mailing list | Une liste de diffusion\nkept-key | Meetings | Réunions\nA mailing list | Encore"
        draft.other = true
        draft.condition = "q7 = no, unsure"
        let question = try draft.question(key: "q20")
        #expect(question.choices.map(\.key) == ["a-mailing-list", "kept-key", "a-mailing-list-2"])
        #expect(question.choices[1].label == Bilingual(en: "Meetings", fr: "Réunions") && question.other)
        #expect(question.condition == SurveyCondition(question: "q7", values: ["no", "unsure"]))
        #expect(try QuestionDraft(question).question(key: "q20") == question, "a question's form gives it back")
        var bad = QuestionDraft()
        bad.kind = "essay"
        bad.condition = "q7"
        bad.fact = "budget"
        do {
            _ = try bad.question(key: "q21")
            Issue.record("a wrong form was taken")
        } catch let failure as NetworkEditFailure {
            #expect(failure.errors.compactMap(\.field) == ["kind", "condition", "fact"])
        }
        // A scale's labels, five lines at most.
        var scale = QuestionDraft()
        scale.kind = "scale"
        scale.textEN = "How useful?"
        scale.scale = "Not useful | Pas utile\n\n\n\nVery useful | Très utile"
        let labels = try scale.question(key: "q22").scaleLabels
        #expect(labels == [Bilingual(en: "Not useful", fr: "Pas utile"), Bilingual(), Bilingual(), Bilingual(), Bilingual(en: "Very useful", fr: "Très utile")],
                "each label on its point: the empty lines keep theirs")
    }

    @Test func settingsAreReadWithTheirClosingDay() throws {
        let today = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15
        var draft = SurveySettingsDraft(NeedsOfTheNetworks.survey(closesAt: today.addingTimeInterval(86_400), createdBy: "e", createdAt: today))
        draft.closes = "2027-02-28"
        draft.resultsVisibility = "everyone"
        let survey = try draft.apply(to: NeedsOfTheNetworks.survey(closesAt: today, createdBy: "e", createdAt: today), today: today)
        #expect(survey.closesAt == ISO8601DateFormatter().date(from: "2027-03-01T00:00:00Z") && survey.resultsVisibility == .everyone)
        #expect(SurveySettingsDraft(survey).closes == "2027-02-28", "the form shows the day it closes at the end of")
        draft.closes = "2027-01-14"
        draft.titleEN = ""
        draft.titleFR = ""
        draft.resultsVisibility = "all"
        do {
            _ = try draft.apply(to: survey, today: today)
            Issue.record("wrong settings were taken")
        } catch let failure as NetworkEditFailure {
            #expect(failure.errors.compactMap(\.field) == ["title_en", "closes", "results_visibility"])
        }
    }

    @Test func factsAreFilledInFromTheEntryAndChangedOnesProposed() throws {
        let carin = try #require(catalogue.network(slug: "carin"))
        let filled = SurveyFacts.prefilled(SurveyAnswers(), Self.needs, network: carin, catalogue: catalogue)
        #expect(filled["q1"]?.values == [try #require(carin.website)])
        // Its members now: the member role, no end date (observers and former members are not what is asked).
        #expect(Set(filled["q3"]?.values ?? []) == Set(carin.memberships.filter { $0.role == .member && $0.until == nil }.map(\.partyID)))
        #expect(SurveyFacts.proposal(filled, Self.needs, network: carin, catalogue: catalogue, source: "Survey", proposerName: "A",
                                     proposerEmail: "a@example.org") == nil, "nothing changed, nothing proposed")
        var changed = filled
        changed.values["q1"] = SurveyAnswer(values: ["https://new.example.org"])
        let members = try #require(filled["q3"]?.values)
        changed.values["q3"] = SurveyAnswer(values: Array(members.dropFirst()) + ["GH"])
        let proposal = try #require(SurveyFacts.proposal(changed, Self.needs, network: carin, catalogue: catalogue, source: "Survey “Needs”",
                                                         proposerName: "A", proposerEmail: "a@example.org"))
        #expect(proposal.kind == .change && proposal.slug == "carin" && proposal.fields.website == "https://new.example.org")
        #expect(proposal.members == (members.contains("GH") ? "" : "GH") && proposal.removals == members[0])
        #expect(proposal.base == NetworkDraft(carin) && proposal.source == "Survey “Needs”")
        // It applies to the entry as any proposal does.
        let catalogue = self.catalogue
        let applied = try proposal.network(existing: carin, directory: catalogue.directory, isNetwork: { catalogue.network(slug: $0) != nil })
        #expect(applied.website == "https://new.example.org" && !applied.memberships.contains { $0.partyID == members[0] })
    }
}
