import Foundation
import Hummingbird
import LiaisonCore

/// One network as an answer of the case finder, with its one-line explanation.
struct FinderAnswerOut: Encodable {
    struct PartyRole: Encodable {
        let party: PartyRef
        let role: Role
    }

    let network: NetworkSummary
    let score: Double
    let roles: [PartyRole]
    let missing: [String]
    let crimeAreas: [CrimeArea]
    let instruments: [Instrument]
    let explanation: String

    init(_ answer: CaseFinder.Answer, catalogue: Catalogue, language: Language = .en) {
        network = NetworkSummary(answer.network)
        score = (answer.score * 100).rounded() / 100
        roles = answer.roles.compactMap { item in catalogue.party(id: item.party).map { PartyRole(party: PartyRef($0), role: item.role) } }
        missing = answer.missing
        crimeAreas = answer.crimeAreas
        instruments = answer.instruments
        explanation = FinderExplanation.line(answer, catalogue: catalogue, t: .forLanguage(language))
    }
}

/// "Spain: member · Ghana: member · cybercrime · mutual legal assistance", in the reader's language.
enum FinderExplanation {
    static func line(_ answer: CaseFinder.Answer, catalogue: Catalogue, t: Localizer) -> String {
        let language = t.language
        let roles = answer.roles.map { party, role in
            let through = answer.through[party].map { " (" + t.format("finder_through", ["state": catalogue.party(id: $0)?.name(language) ?? $0]) + ")" }
            return "\(catalogue.party(id: party)?.name(language) ?? party): \(role.label(language))\(through ?? "")"
        }
        let missing = answer.missing.map { "\(catalogue.party(id: $0)?.name(language) ?? $0): \(t["finder_not_a_party"])" }
        return (roles + missing + answer.crimeAreas.map { $0.label(language) } + answer.instruments.map { $0.label(language) })
            .joined(separator: " · ")
    }

    static func link(_ link: CaseFinder.Link, catalogue: Catalogue, t: Localizer) -> String {
        switch link {
        case let .relation(type): type.label(t.language)
        case let .sharedHost(host): t.format("finder_link_shared_host", ["host": catalogue.party(id: host)?.name(t.language) ?? host])
        case let .membership(member, role):
            t.format("finder_link_membership", ["network": catalogue.network(slug: member)?.localizedDisplayName(t.language) ?? member, "role": role.label(t.language)])
        }
    }
}

struct FinderOut: ResponseEncodable {
    struct PairOut: Encodable {
        let first: FinderAnswerOut
        let second: FinderAnswerOut
        let links: [String]
    }

    /// The fewest networks that together cover every party (those the first party takes part in preferred).
    struct PlanOut: Encodable {
        struct Step: Encodable {
            let network: FinderAnswerOut
            /// The parties this network is for.
            let reaches: [PartyRef]
        }

        let steps: [Step]
        /// Parties that take part in no network of the catalogue.
        let unreachable: [PartyRef]
    }

    let parties: [PartyRef]
    let covered: Bool
    let message: String
    let answers: [FinderAnswerOut]
    let plan: PlanOut?
    let partial: [FinderAnswerOut]
    let pairs: [PairOut]
    /// Networks open to any country, their members not listed (the IAP, GPEN): they may serve any case.
    let open: [NetworkSummary]

    init(_ result: CaseFinder.Result, request: CaseFinder.Request, repeated: [String] = [], catalogue: Catalogue) {
        parties = request.parties.compactMap { catalogue.party(id: $0) }.map(PartyRef.init)
        covered = !result.answers.isEmpty
        let names = request.parties.compactMap { catalogue.party(id: $0)?.nameEN }.joined(separator: ", ")
        let repeats = repeated.compactMap { catalogue.party(id: $0)?.nameEN }
        message = (repeats.isEmpty ? "" : "\(repeats.joined(separator: ", ")) named more than once: counted once. ")
            + (covered
                ? "\(result.answers.count) network\(result.answers.count == 1 ? " connects" : "s connect") \(names)."
                : "No single network of the catalogue connects \(names). The closest alternatives follow.")
        answers = result.answers.map { FinderAnswerOut($0, catalogue: catalogue) }
        let refs = { (ids: [String]) in ids.compactMap { catalogue.party(id: $0) }.map(PartyRef.init) }
        plan = result.plan.map { plan in
            PlanOut(steps: plan.steps.map { .init(network: FinderAnswerOut($0.answer, catalogue: catalogue), reaches: refs($0.reaches)) },
                    unreachable: refs(plan.unreachable))
        }
        partial = result.partial.map { FinderAnswerOut($0, catalogue: catalogue) }
        open = result.open.map { NetworkSummary($0) }
        pairs = result.pairs.map { pair in
            PairOut(first: FinderAnswerOut(pair.first, catalogue: catalogue), second: FinderAnswerOut(pair.second, catalogue: catalogue),
                    links: pair.links.map { FinderExplanation.link($0, catalogue: catalogue, t: .english) })
        }
    }
}

struct OverlapOut: Encodable {
    let first: String
    let second: String
    let similarity: Double
    let shared: Int
    let union: Int

    init(_ pair: Overlaps.Pair) {
        first = pair.first.slug
        second = pair.second.slug
        similarity = (pair.similarity * 1000).rounded() / 1000
        shared = pair.shared
        union = pair.union
    }
}

struct OverlapsOut: ResponseEncodable {
    let fullMembersOnly: Bool
    let pairs: [OverlapOut]
    let identical: [OverlapOut]
}

struct StatisticsOut: ResponseEncodable {
    struct PartyOut: Encodable {
        let party: PartyRef
        let networks: Int
        let byRole: [String: Int]
    }

    struct CountOut: Encodable {
        let value: String
        let count: Int
    }

    let networks: Int
    let memberships: Int
    let parties: [PartyOut]
    let bySection: [CountOut]
    let byScope: [CountOut]
    let byCrimeArea: [CountOut]
    let byInstrument: [CountOut]
    let byStatus: [CountOut]
    let membershipsByRole: [CountOut]

    init(_ statistics: CatalogueStatistics) {
        func counts<V: Vocabulary>(_ list: [(V, Int)]) -> [CountOut] { list.map { CountOut(value: $0.0.rawValue, count: $0.1) } }
        networks = statistics.networks
        memberships = statistics.memberships
        parties = statistics.parties.map { figure in
            PartyOut(party: PartyRef(figure.party), networks: figure.networks,
                     byRole: Dictionary(uniqueKeysWithValues: figure.byRole.map { ($0.key.rawValue, $0.value) }))
        }
        bySection = counts(statistics.bySection)
        byScope = counts(statistics.byScope)
        byCrimeArea = counts(statistics.byCrimeArea)
        byInstrument = counts(statistics.byInstrument)
        byStatus = counts(statistics.byStatus)
        membershipsByRole = counts(statistics.membershipsByRole)
    }
}

struct CandidateOut: Encodable {
    let network: NetworkSummary
    let score: Double
    let reasons: [String]

    init(_ candidate: DuplicateCheck.Candidate, catalogue: Catalogue) {
        network = NetworkSummary(candidate.network)
        score = (candidate.score * 100).rounded() / 100
        reasons = candidate.reasons.map { reason in
            switch reason {
            case let .similarName(share): "similar name (\(Int((share * 100).rounded())) % of the words in common)"
            case let .sameAcronym(acronym): "same acronym (\(acronym))"
            case let .memberOverlap(shared, count, members, _):
                "countries in common: \(shared) of \(count) (full members: \(members))"
            case let .sameCrimeAreas(areas): "same crime areas (" + areas.map { $0.label(.en) }.joined(separator: ", ") + ")"
            case let .sameWebsite(website): "same website (\(website))"
            }
        }
    }
}

struct CheckOut: ResponseEncodable {
    let candidates: [CandidateOut]
}
