import Foundation

/// The questions about facts the catalogue holds: filled in from a network's entry, and, when a network's answer
/// changes one, a proposal on its entry for those who review proposals.
public enum SurveyFacts {
    /// A fact as the network's entry holds it, as an answer.
    public static func answer(_ fact: CatalogueFact, of network: Network, catalogue: Catalogue) -> SurveyAnswer? {
        let values: [String]
        switch fact {
        case .website: values = [network.website ?? ""]
        case .secretariat: values = [network.hostedBy.map { catalogue.party(id: $0)?.nameEN ?? catalogue.network(slug: $0)?.displayName ?? $0 } ?? ""]
        case .members:
            var seen = Set<String>()
            values = network.memberships.map(\.partyID).filter { seen.insert($0).inserted }
        }
        let kept = values.filter { !$0.isEmpty }
        return kept.isEmpty ? nil : SurveyAnswer(values: kept)
    }

    /// Answers with the catalogue's facts filled in where the network has not answered them yet.
    public static func prefilled(_ answers: SurveyAnswers, _ questionnaire: Questionnaire, network: Network, catalogue: Catalogue) -> SurveyAnswers {
        var answers = answers
        for question in questionnaire.questions where answers[question.key] == nil {
            if let fact = question.fact, let answer = answer(fact, of: network, catalogue: catalogue) { answers.values[question.key] = answer }
        }
        return answers
    }

    /// A proposal bringing the facts a network's answers change to its entry; nil when they change none (an empty
    /// answer changes nothing: not answering is not saying the fact is gone).
    public static func proposal(_ answers: SurveyAnswers, _ questionnaire: Questionnaire, network: Network, catalogue: Catalogue,
                                source: String, proposerName: String, proposerEmail: String) -> ProposalDraft? {
        let base = NetworkDraft(network)
        var fields = base
        var members = "", removals = ""
        var changed = false
        for question in questionnaire.questions {
            guard let fact = question.fact, let answer = answers[question.key], answer != Self.answer(fact, of: network, catalogue: catalogue) else { continue }
            switch fact {
            case .website:
                fields.website = answer.values.first ?? ""
            case .secretariat:
                // The same party or network named otherwise is no change.
                let named = answer.values.first ?? ""
                let same = network.hostedBy.map { host in
                    named == host || named == catalogue.party(id: host)?.nameFR || named == catalogue.network(slug: host)?.displayName
                } ?? false
                guard !same else { continue }
                fields.hostedBy = named
            case .members:
                let current = Set(network.memberships.map(\.partyID))
                let given = Set(answer.values)
                members = answer.values.filter { !current.contains($0) }.joined(separator: ", ")
                var seen = Set<String>()
                removals = network.memberships.map(\.partyID).filter { !given.contains($0) && seen.insert($0).inserted }.joined(separator: ", ")
                guard !members.isEmpty || !removals.isEmpty else { continue }
            }
            changed = true
        }
        guard changed else { return nil }
        fields.reason = source
        return ProposalDraft(kind: .change, slug: network.slug, fields: fields, members: members, removals: removals, source: source,
                             proposerName: proposerName, proposerEmail: proposerEmail, base: base)
    }
}
