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
            values = currentMembers(of: network)
        }
        let kept = values.filter { !$0.isEmpty }
        return kept.isEmpty ? nil : SurveyAnswer(values: kept)
    }

    /// The parties that are members of a network now (the member role, no end date), each once, in the entry's order:
    /// observers and former members are not what "its members" asks, and an answer leaving them out removes nothing.
    static func currentMembers(of network: Network) -> [String] {
        var seen = Set<String>()
        return network.memberships.filter { $0.role == .member && $0.until == nil }.map(\.partyID).filter { seen.insert($0).inserted }
    }

    /// A web address as compared: no scheme, no `www.`, no final slash, in lower case.
    static func comparable(_ address: String) -> String {
        var text = address.trimmingCharacters(in: .whitespaces).lowercased()
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
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
        var members = "", removals = "", report: [String] = []
        var changed = false
        for question in questionnaire.questions {
            guard let fact = question.fact, let answer = answers[question.key], answer != Self.answer(fact, of: network, catalogue: catalogue) else { continue }
            switch fact {
            case .website:
                let given = answer.values.first ?? ""
                guard comparable(given) != comparable(network.website ?? "") else { continue }
                // An address the entry can take goes to its field; anything else is said in words for the reviewers.
                if (try? Rules.checkURL(given, field: "website")) != nil {
                    fields.website = given
                } else {
                    report.append("Web site, as the network answered: \(given)")
                }
            case .secretariat:
                // The same party or network named otherwise is no change; one the catalogue does not know is said in words.
                let named = answer.values.first ?? ""
                let host = catalogue.directory.lookUp(named)?.id ?? catalogue.network(slug: named)?.slug
                guard host == nil || host != network.hostedBy else { continue }
                if let host {
                    fields.hostedBy = host
                } else {
                    report.append("Secretariat, as the network answered: \(named)")
                }
            case .members:
                let current = Self.currentMembers(of: network)
                let given = Set(answer.values)
                members = answer.values.filter { !current.contains($0) }.joined(separator: ", ")
                removals = current.filter { !given.contains($0) }.joined(separator: ", ")
                guard !members.isEmpty || !removals.isEmpty else { continue }
            }
            changed = true
        }
        guard changed else { return nil }
        fields.reason = source
        return ProposalDraft(kind: .change, slug: network.slug, fields: fields, members: members, removals: removals, source: source,
                             report: report.joined(separator: "\n"), proposerName: proposerName, proposerEmail: proposerEmail, base: base)
    }
}
