import Foundation
import LiaisonCore
import LiaisonStore

/// Surveys of the networks: editors build one (or open the shipped "Needs of the networks", or copy an earlier one),
/// send it to the focal points of every network (or a section, chosen networks, those covering some countries) and to
/// people named; each network answers once — any of its focal points fills it in, saves a draft, comes back — until
/// it closes; reminders go before the date to those who have not answered; the results are read as the survey says.
public struct SurveyService: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    let mail: MailTemplates
    let proposals: Proposals
    public let now: @Sendable () -> Date
    let site: String

    /// Days before a survey closes when those who have not answered are reminded, each once.
    public static let reminderDays = [7, 2]

    // MARK: Building

    /// A survey, for an editor; `CatalogueError.surveyNotFound` when there is none.
    public func survey(_ id: Int64) async throws -> Survey {
        guard let survey = try await store.survey(id: id) else { throw CatalogueError.surveyNotFound(id: id) }
        return survey
    }

    /// The surveys, the newest first (editors).
    public func surveys(by principal: Principal) async throws -> [Survey] {
        guard Policy.allows(principal, .manageSurveys) else { throw ServiceDenied() }
        return try await store.surveys()
    }

    /// How an editor starts a survey.
    public enum Start: Sendable, Equatable {
        case blank
        /// The shipped "Needs of the networks".
        case needsOfTheNetworks
        /// A copy of an earlier survey's questionnaire and settings (the yearly survey).
        case copy(Int64)
    }

    /// Makes a survey, not sent yet, closing in 30 days (its settings then say when).
    public func create(_ start: Start, by principal: Principal, actor: String) async throws -> Survey {
        guard Policy.allows(principal, .manageSurveys) else { throw ServiceDenied() }
        let date = now()
        let closes = date.addingTimeInterval(30 * 86_400)
        let survey: Survey
        switch start {
        case .blank:
            survey = Survey(title: Bilingual(en: "New survey", fr: "Nouvelle enquête"),
                            questionnaire: Questionnaire(sections: [SurveySection(key: "s1", title: Bilingual(en: "Questions", fr: "Questions"))]),
                            closesAt: closes, createdBy: actor, createdAt: date)
        case .needsOfTheNetworks:
            survey = NeedsOfTheNetworks.survey(closesAt: closes, createdBy: actor, createdAt: date)
        case let .copy(id):
            let earlier = try await self.survey(id)
            survey = Survey(title: earlier.title, introduction: earlier.introduction, questionnaire: earlier.questionnaire, closesAt: closes,
                            resultsVisibility: earlier.resultsVisibility, individualAnswersPublic: earlier.individualAnswersPublic, copiedFrom: id,
                            createdBy: actor, createdAt: date)
        }
        return try await store.createSurvey(survey)
    }

    /// Changes a survey's questionnaire or settings as `change` says, from the version the editor's form was made
    /// from (`version`): refused when another change came first (`SurveyChanged`), or when answers were given and the
    /// change would remove a question or a choice they name.
    public func change(_ id: Int64, version: Int, by principal: Principal, _ change: (inout Survey) throws -> Void) async throws -> Survey {
        guard Policy.allows(principal, .manageSurveys) else { throw ServiceDenied() }
        let current = try await survey(id)
        guard current.version == version else { throw SurveyChanged(current: current) }
        guard current.status(at: now()) != .closed else {
            throw InputError.invalidValue(field: "survey", value: current.title.en, rule: "is closed: it can no longer be changed")
        }
        var changed = current
        try change(&changed)
        try changed.questionnaire.check()
        // What the networks were told when asked holds: whether their own answers may be shown does not change.
        if current.sentAt != nil, changed.individualAnswersPublic != current.individualAnswersPublic {
            throw InputError.invalidValue(field: "individual_public", value: changed.individualAnswersPublic ? "yes" : "no",
                                          rule: "was told to the networks when the survey was sent: it no longer changes")
        }
        let (old, new) = (current.questionnaire, changed.questionnaire)
        guard let saved = try await store.saveSurvey(changed, version: version, at: now(), keeps: { answers in
            try Self.checkKeepsAnswers(from: old, to: new, answers: answers)
        }) else { throw SurveyChanged(current: try await survey(id)) }
        return saved
    }

    /// Refuses a change that removes a question or a choice an answer names, or whose conditions would hide a question
    /// an answer answers where it was shown.
    static func checkKeepsAnswers(from old: Questionnaire, to new: Questionnaire, answers: [SurveyAnswers]) throws {
        for question in old.questions {
            let used = Set(answers.flatMap { $0[question.key]?.values ?? [] })
            guard !used.isEmpty else { continue }
            guard let kept = new.question(question.key), kept.kind == question.kind else {
                throw InputError.invalidValue(field: "question", value: question.key, rule: "has answers: it can be reworded, not removed or changed in kind")
            }
            if question.kind.hasChoices {
                let offered = Set(kept.offeredValues)
                for value in used.sorted() where !offered.contains(value) {
                    throw InputError.invalidValue(field: "choices", value: value, rule: "is an answer given: the choice can be reworded, not removed")
                }
            }
        }
        for answer in answers {
            let hidden = old.shownKeys(for: answer).subtracting(new.shownKeys(for: answer))
            if let key = old.questions.map(\.key).first(where: { hidden.contains($0) && answer[$0] != nil }) {
                throw InputError.invalidValue(field: "condition", value: key, rule: "would hide the question from a network that answered it")
            }
        }
    }

    // MARK: Sending

    /// What sending did: the networks newly asked, the people written to, the networks without a focal point.
    public struct SendReport: Sendable, Equatable {
        public let networks: Int
        public let mails: Int
        public let networksWithoutFocalPoint: [String]
    }

    /// Sends the survey to the focal points of the networks of `selection` and to people named (by address, each
    /// answering for the first network of theirs): a personal mail in each one's language with the link to answer.
    /// A network or person asked before is not asked again.
    public func send(_ id: Int64, networks selection: NetworkSelection?, people emails: [String], by principal: Principal) async throws -> SendReport {
        guard Policy.allows(principal, .manageSurveys) else { throw ServiceDenied() }
        let survey = try await survey(id)
        guard survey.status(at: now()) != .closed else {
            throw InputError.invalidValue(field: "survey", value: survey.title.en, rule: "is closed: it can no longer be sent")
        }
        guard survey.closesAt > now() else {
            throw InputError.invalidValue(field: "closes", value: DateText.dateTime(survey.closesAt, .en),
                                          rule: "has passed: set a later closing date before sending")
        }
        guard selection != nil || !emails.isEmpty else { throw InputError.missingField(field: "audience") }
        guard !survey.questionnaire.questions.isEmpty else {
            throw InputError.invalidValue(field: "survey", value: survey.title.en, rule: "has no question yet: add some before sending it")
        }
        let snapshot = catalogue.snapshot
        try selection?.check(in: snapshot)
        let networks = (selection?.networks(in: snapshot) ?? []).map(\.slug)
        let accounts = try await store.accounts().filter { !$0.disabled }
        var people: [(accountID: Int64, network: String)] = []
        for (index, email) in emails.enumerated() {
            let field = "people[\(index + 1)]"
            guard let account = accounts.first(where: { Account.foldedEmail($0.email) == Account.foldedEmail(email) }) else {
                throw InputError.invalidValue(field: field, value: TextRules.preview(email), rule: "must be the address of an account of Liaison")
            }
            guard let network = account.networks.sorted().first else {
                throw InputError.invalidValue(field: field, value: TextRules.preview(email), rule: "must be the account of someone of a network, who answers for it")
            }
            people.append((account.id, network))
        }
        let focalPoints = accounts.filter { $0.role == .focalPoint }
        let without = networks.filter { slug in !focalPoints.contains { $0.networks.contains(slug) } }.compactMap { snapshot.network(slug: $0)?.displayName }
        let (mail, site) = (self.mail, self.site)
        let named = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let asked = try await store.askSurvey(id, networks: networks, people: people, at: now()) { newNetworks, newPeople in
            var messages: [MailMessage] = []
            var written = Set<String>()
            func write(_ account: Account, for slug: String) throws {
                guard written.insert(Account.foldedEmail(account.email) + " " + slug).inserted else { return }
                let language = account.language
                messages.append(try mail.surveyInvitation(
                    to: account.email, language: language, name: account.displayName, network: snapshot.network(slug: slug)?.localizedDisplayName(language) ?? slug,
                    title: survey.title.text(language), introduction: survey.introduction.text(language),
                    closes: DateText.dateTime(survey.closesAt, language), link: "\(site)/surveys/\(id)/answer/\(slug)?lang=\(language.rawValue)"))
            }
            for slug in newNetworks {
                for account in focalPoints where account.networks.contains(slug) { try write(account, for: slug) }
            }
            for person in newPeople {
                if let account = named[person.accountID] { try write(account, for: person.network) }
            }
            return messages
        }
        guard let asked else { throw CatalogueError.surveyNotFound(id: id) }
        return SendReport(networks: asked.asked.count, mails: asked.mails, networksWithoutFocalPoint: without)
    }

    /// Closes a survey before its date.
    public func close(_ id: Int64, confirm: Bool, by principal: Principal) async throws {
        guard Policy.allows(principal, .manageSurveys) else { throw ServiceDenied() }
        let survey = try await survey(id)
        guard survey.sentAt != nil else { throw InputError.invalidValue(field: "survey", value: survey.title.en, rule: "was never sent: there is nothing to close") }
        guard confirm else { throw InputError.missingField(field: "confirm") }
        guard try await store.closeSurvey(id, at: now()) else { throw CatalogueError.surveyNotFound(id: id) }
    }

    // MARK: Answering

    /// Whether the principal answers for a network in a survey: its focal point, or a person named for it; and the
    /// network was asked.
    func mayAnswer(_ survey: Survey, network: String, by principal: Principal) async throws -> Bool {
        guard let id = survey.id, let accountID = principal.accountID else { return false }
        let named = try await store.surveyPeople(surveyID: id).contains { $0.accountID == accountID && $0.network == network }
        // Its focal points answer for a network asked; a person named answers for theirs, whether or not it was asked.
        let asked = try await store.askedNetworks(surveyID: id)[network] != nil
        guard named || asked else { return false }
        return Policy.allows(principal, .answerSurvey(network: network, named: named))
    }

    /// A network's answer as its form shows it: the survey, the answers (the catalogue's facts filled in where none is
    /// given yet), the revision it was made from, whether it was submitted, and who saved it when.
    public struct AnswerForm: Sendable {
        public let survey: Survey
        public let network: Network
        public let answers: SurveyAnswers
        public let revision: Int
        public let submittedAt: Date?
        public let edits: [SurveyResponseEdit]
        public let open: Bool
    }

    public func answerForm(_ id: Int64, network slug: String, by principal: Principal) async throws -> AnswerForm {
        let survey = try await survey(id)
        guard let network = catalogue.snapshot.network(slug: slug), try await mayAnswer(survey, network: slug, by: principal) else {
            throw CatalogueError.surveyNotFound(id: id)
        }
        let stored = try await store.response(surveyID: id, network: slug)
        // A network that has saved nothing yet starts from the catalogue's facts.
        let answers = stored?.answers ?? SurveyFacts.prefilled(SurveyAnswers(), survey.questionnaire, network: network, catalogue: catalogue.snapshot)
        return AnswerForm(survey: survey, network: network, answers: answers, revision: stored?.revision ?? 0,
                          submittedAt: stored?.submittedAt, edits: try await store.responseEdits(surveyID: id, network: slug),
                          open: survey.status(at: now()) == .open)
    }

    /// What saving an answer did.
    public enum Saved: Sendable {
        /// Saved (a draft, or sent); `proposed`: the facts it changed went to the network's entry as a proposal.
        case saved(submitted: Bool, proposed: Bool)
        /// Another focal point saved first: their answer as it is now, and what they changed; nothing was written.
        /// `yours`: this person's answers merged with theirs (`SurveyAnswers.merged`); `both`: the questions both changed.
        case conflict(current: SurveyResponse, since: [SurveyResponseEdit], yours: SurveyAnswers, both: Set<String>)
    }

    /// Saves a network's answers as the form sends them (`fields`: every value under a field's name), from the
    /// revision it was made from: a draft, or sent (`submit`: every required question shown must be answered). A sent
    /// answer whose facts differ from the catalogue's makes a proposal on the network's entry.
    public func save(_ id: Int64, network slug: String, revision: Int, submit: Bool, fields: (String) -> [String], by principal: Principal,
                     account: Account) async throws -> Saved {
        let form = try await answerForm(id, network: slug, by: principal)
        guard form.open else { throw InputError.invalidValue(field: "survey", value: form.survey.title.en, rule: "is closed: answers are no longer taken") }
        let snapshot = catalogue.snapshot
        let stored = try await store.response(surveyID: id, network: slug)
        // Once sent, the answer is counted: every later save is a sending, held to the same rules; a sending keeps no
        // answer to a question its conditions hide (a draft keeps them, checked: it may be written in any order).
        let firstSending = submit && stored?.submittedAt == nil
        let submit = submit || stored?.submittedAt != nil
        let read = try SurveyAnswers.read(form.survey.questionnaire, catalogue: snapshot, shownOnly: submit, fields: fields)
        let answers = submit ? read.shown(in: form.survey.questionnaire) : read
        if submit {
            let missing = answers.missing(in: form.survey.questionnaire)
            guard missing.isEmpty else { throw NetworkEditFailure(errors: missing) }
        }
        let changed = answers.changedKeys(from: stored?.answers ?? SurveyAnswers(), in: form.survey.questionnaire)
        // The first sending proposes every fact that differs from the catalogue (corrected in a draft saved earlier
        // too); a later one only the facts it changes (a fact sent again, or proposed and refused before, is not).
        var facts = form.survey.questionnaire
        let changedKeys = Set(changed)
        for index in facts.sections.indices {
            facts.sections[index].questions.removeAll { $0.fact == nil || (!firstSending && !changedKeys.contains($0.key)) }
        }
        var proposal: (draft: ProposalDraft, language: Language, reference: String, mails: @Sendable (Int64) throws -> [MailMessage])?
        if submit, let draft = SurveyFacts.proposal(answers, facts, network: form.network, catalogue: snapshot,
                                                    source: "Survey “\(form.survey.title.en)” (\(site)/surveys/\(id)), answered for \(form.network.displayName)",
                                                    proposerName: account.displayName, proposerEmail: account.email) {
            let reviewers = try await proposals.reviewers(of: form.network)
            let (mail, site) = (self.mail, self.site)
            proposal = (draft, account.language, Secrets.token(), { number in
                try reviewers.map { reviewer in
                    try mail.proposalReceived(to: reviewer.email, language: reviewer.language, network: form.network.localizedDisplayName(reviewer.language), isNew: false, report: nil,
                                              link: reviewer.role == .focalPoint ? "\(site)/networks/\(slug)/proposals/\(number)" : "\(site)/admin/proposals/\(number)")
                }
            })
        }
        let result = try await store.saveResponse(surveyID: id, network: slug, answers: answers, revision: revision, submitted: submit,
                                                  individualPublic: form.survey.individualAnswersPublic, changed: changed, accountID: account.id,
                                                  actor: account.displayName, at: now(), proposal: proposal)
        switch result {
        case .saved: return .saved(submitted: submit, proposed: proposal != nil)
        case let .conflict(current, since, base):
            // Merged against the answers the form was made from (the catalogue's facts when it was made from none).
            let start = base ?? (revision == 0 ? SurveyFacts.prefilled(SurveyAnswers(), form.survey.questionnaire, network: form.network,
                                                                       catalogue: snapshot) : current.answers)
            let (merged, both) = SurveyAnswers.merged(mine: answers, base: start, theirs: current.answers)
            return .conflict(current: current, since: since, yours: merged, both: both)
        }
    }

    /// The surveys a principal's networks were asked to answer, with their networks (the focal points' and named
    /// people's list).
    public func surveys(toAnswer principal: Principal) async throws -> [(survey: Survey, networks: [String])] {
        guard principal.isSignedIn else { return [] }
        var found: [(Survey, [String])] = []
        for survey in try await store.surveys(askingAny: principal.networks.sorted(), orNaming: principal.accountID) {
            guard let id = survey.id else { continue }
            let asked = try await store.askedNetworks(surveyID: id)
            let named = Set(try await store.surveyPeople(surveyID: id).filter { $0.accountID == principal.accountID }.map(\.network))
            let networks = principal.networks.sorted().filter { slug in
                (named.contains(slug) || asked[slug] != nil) && Policy.allows(principal, .answerSurvey(network: slug, named: named.contains(slug)))
            }
            if !networks.isEmpty { found.append((survey, networks)) }
        }
        return found
    }

    // MARK: Following

    /// A network asked (its slug: the page names and orders the networks in its reader's language) and its answer.
    public struct Progress: Sendable, Equatable {
        public let network: String
        public let response: SurveyResponse?
    }

    /// Where each network asked stands: not begun, a draft, or sent; who saved last, when.
    public func progress(_ id: Int64, by principal: Principal) async throws -> [Progress] {
        guard Policy.allows(principal, .manageSurveys) else { throw ServiceDenied() }
        let asked = Set(try await store.askedNetworks(surveyID: id).keys).union(try await store.surveyPeople(surveyID: id).map(\.network))
        let responses = Dictionary(try await store.responses(surveyID: id).map { ($0.network, $0) }, uniquingKeysWith: { first, _ in first })
        return asked.sorted().map { slug in Progress(network: slug, response: responses[slug]) }
    }

    /// Sends the reminders due: `reminderDays` before a survey closes, to the focal points (and people named) of each
    /// network asked that has not sent its answer; each once per network and day. Returns how many mails were queued.
    @discardableResult
    public func sendReminders() async throws -> Int {
        let date = now()
        var queued = 0
        let accounts = try await store.accounts().filter { !$0.disabled }
        let snapshot = catalogue.snapshot
        for survey in try await store.openSurveys(at: date) {
            guard let id = survey.id else { continue }
            let left = survey.closesAt.timeIntervalSince(date)
            guard left <= Double(Self.reminderDays.max() ?? 0) * 86_400 else { continue }
            let responses = Dictionary(try await store.responses(surveyID: id).map { ($0.network, $0) }, uniquingKeysWith: { first, _ in first })
            let people = try await store.surveyPeople(surveyID: id)
            let asked = try await store.askedNetworks(surveyID: id)
            for slug in Set(asked.keys).union(people.map(\.network)).sorted() where responses[slug]?.submittedAt == nil {
                // The latest stage reached that came after the network was first asked: a survey sent five days before
                // it closes gets the two-day reminder only, and a network asked the day before it closes none.
                let askedAt = ([asked[slug]] + people.filter { $0.network == slug }.map { $0.askedAt ?? survey.sentAt }).compactMap { $0 }.min() ?? date
                guard let stage = Self.reminderDays.sorted().first(where: { days in
                    left <= Double(days) * 86_400 && survey.closesAt.addingTimeInterval(-Double(days) * 86_400) >= askedAt
                }) else { continue }
                let named = Set(people.filter { $0.network == slug }.map(\.accountID))
                // Its focal points when the network was asked; the people named for it.
                let recipients = accounts.filter { (asked[slug] != nil && $0.role == .focalPoint && $0.networks.contains(slug)) || named.contains($0.id) }
                let mails = try recipients.map { account in
                    let language = account.language
                    return try mail.surveyReminder(to: account.email, language: language, name: account.displayName,
                                                   network: snapshot.network(slug: slug)?.localizedDisplayName(language) ?? slug, title: survey.title.text(language),
                                                   closes: DateText.dateTime(survey.closesAt, language), draft: responses[slug] != nil,
                                                   link: "\(site)/surveys/\(id)/answer/\(slug)?lang=\(language.rawValue)")
                }
                guard !mails.isEmpty else { continue }
                if try await store.remindSurvey(id, network: slug, stage: "\(stage)-days", mails: mails, at: date) { queued += mails.count }
            }
        }
        return queued
    }
}

/// A survey changed by someone else since the form was made: the form is shown again from the survey as it is now.
public struct SurveyChanged: Error, Sendable {
    public let current: Survey
}
