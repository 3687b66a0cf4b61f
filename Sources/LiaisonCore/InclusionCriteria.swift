import Foundation

/// The four criteria of the report (section 1) by which a network belongs in the catalogue.
public enum InclusionCriterion: String, CaseIterable, Sendable, Codable {
    /// "Members will be from more than one country."
    case international = "members-from-more-than-one-country"
    /// "Members will consist of judges and/or prosecutors and/or law enforcement."
    case judicial = "members-judges-prosecutors-or-law-enforcement"
    /// "It is an existing network."
    case existing = "existing-network"
    /// "They are of relevance for the fight against transnational organised crime."
    case relevant = "relevant-to-transnational-organised-crime"

    /// The criterion as the report words it.
    public var text: String {
        switch self {
        case .international: "Members will be from more than one country."
        case .judicial: "Members will consist of judges and/or prosecutors and/or law enforcement, taking into account the various legal systems."
        case .existing: "It is an existing network."
        case .relevant: "They are of relevance for the fight against transnational organised crime."
        }
    }
}

/// Whether a criterion holds for a network.
public enum Verdict: String, Sendable, Codable {
    case holds, fails, unknown
}

/// One criterion's verdict for one network, and why.
public struct CriterionResult: Sendable, Hashable, Codable {
    public let criterion: InclusionCriterion
    public let verdict: Verdict
    public let reason: String
}

extension Network {
    static let judicialMemberTypes: Set<MemberType> = [.judges, .prosecutors, .lawEnforcement, .centralAuthorities]

    /// The report's four inclusion criteria applied to this network: which hold, which fail, which are unknown, and why.
    public func inclusionCriteria(directory: PartyDirectory) -> [CriterionResult] {
        [international(directory), judicial, existing, relevant]
    }

    private func international(_ directory: PartyDirectory) -> CriterionResult {
        let countries = Set(memberships.compactMap { directory.party(id: $0.partyID)?.countryCode })
        if countries.count > 1 {
            return .init(criterion: .international, verdict: .holds, reason: "Parties from \(countries.count) countries are listed.")
        }
        if countries.count == 1 {
            return .init(criterion: .international, verdict: .fails, reason: "All listed parties are from one country (\(countries.first!)).")
        }
        if memberships.isEmpty {
            return .init(criterion: .international, verdict: .unknown, reason: "The report lists no members.")
        }
        return .init(criterion: .international, verdict: .unknown, reason: "Only organisations or networks are listed, no countries.")
    }

    private var judicial: CriterionResult {
        let matching = memberTypes.filter { Self.judicialMemberTypes.contains($0) }
        if !matching.isEmpty {
            return .init(criterion: .judicial, verdict: .holds,
                         reason: "Members include " + matching.map { $0.label(.en) }.joined(separator: ", ") + ".")
        }
        if memberTypes.isEmpty {
            return .init(criterion: .judicial, verdict: .unknown, reason: "The catalogue does not say who the members are.")
        }
        return .init(criterion: .judicial, verdict: .fails,
                     reason: "Members are " + memberTypes.map { $0.label(.en) }.joined(separator: ", ") + ", not judges, prosecutors or law enforcement.")
    }

    private var existing: CriterionResult {
        let dated = status.until.map { " (until \($0))" } ?? ""
        return switch status.value {
        case .active: .init(criterion: .existing, verdict: .holds, reason: "The network is active.")
        case .dormant: .init(criterion: .existing, verdict: .unknown, reason: "The network exists but shows no recent activity.")
        case .defunct: .init(criterion: .existing, verdict: .fails, reason: "The network no longer exists\(dated).")
        case .projectEnded: .init(criterion: .existing, verdict: .fails, reason: "The project has ended\(dated).")
        case .unknown: .init(criterion: .existing, verdict: .unknown, reason: "Whether the network still exists is not known.")
        }
    }

    private var relevant: CriterionResult {
        if crimeAreas.isEmpty {
            return .init(criterion: .relevant, verdict: .unknown, reason: "The catalogue records no crime area for the network.")
        }
        return .init(criterion: .relevant, verdict: .holds,
                     reason: "It works on " + crimeAreas.map { $0.label(.en) }.joined(separator: ", ") + ".")
    }
}
