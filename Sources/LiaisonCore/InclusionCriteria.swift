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
}

/// Whether a criterion holds for a network.
public enum Verdict: String, Sendable, Codable {
    case holds, fails, unknown
}

/// Why a criterion holds, fails or is unknown: structured, so that each language can word it.
public enum CriterionReason: Sendable, Hashable {
    case countries(Int)
    case oneCountry(String)
    case noMembers
    case organisationsOnly
    case judicialMembers([MemberType])
    case memberTypesUnknown
    case nonJudicialMembers([MemberType])
    case active
    case dormant
    case defunct(until: PartialDate?)
    case projectEnded(until: PartialDate?)
    case statusUnknown
    case crimeAreas([CrimeArea])
    case noCrimeArea

    /// Every reason's name, for checking that each language words them all.
    public static let allKeys = [
        "countries", "one-country", "no-members", "organisations-only", "judicial-members", "member-types-unknown",
        "non-judicial-members", "active", "dormant", "defunct", "defunct-until", "project-ended", "project-ended-until",
        "status-unknown", "crime-areas", "no-crime-area",
    ]

    /// The reason's name in the localisation tables (`reason.countries`, …).
    public var key: String {
        switch self {
        case .countries: "countries"
        case .oneCountry: "one-country"
        case .noMembers: "no-members"
        case .organisationsOnly: "organisations-only"
        case .judicialMembers: "judicial-members"
        case .memberTypesUnknown: "member-types-unknown"
        case .nonJudicialMembers: "non-judicial-members"
        case .active: "active"
        case .dormant: "dormant"
        case let .defunct(until): until == nil ? "defunct" : "defunct-until"
        case let .projectEnded(until): until == nil ? "project-ended" : "project-ended-until"
        case .statusUnknown: "status-unknown"
        case .crimeAreas: "crime-areas"
        case .noCrimeArea: "no-crime-area"
        }
    }

    /// The values the wording needs, in a language: `count`, `country`, `list`, `date`.
    public func values(_ language: Language) -> [String: String] {
        switch self {
        case let .countries(count): ["count": "\(count)"]
        case let .oneCountry(code): ["country": code]
        case let .judicialMembers(types), let .nonJudicialMembers(types):
            ["list": types.map { $0.label(language) }.joined(separator: ", ")]
        case let .crimeAreas(areas): ["list": areas.map { $0.label(language) }.joined(separator: ", ")]
        case let .defunct(until), let .projectEnded(until): until.map { ["date": $0.description] } ?? [:]
        default: [:]
        }
    }

    /// The reason in English, for the API and the command line.
    public var english: String {
        let text: String = switch key {
        case "countries": "Parties from {count} countries are listed."
        case "one-country": "All listed parties are from one country ({country})."
        case "no-members": "The report lists no members."
        case "organisations-only": "Only organisations or networks are listed, no countries."
        case "judicial-members": "Members include {list}."
        case "member-types-unknown": "The catalogue does not say who the members are."
        case "non-judicial-members": "Members are {list}, not judges, prosecutors or law enforcement."
        case "active": "The network is active."
        case "dormant": "The network exists but shows no recent activity."
        case "defunct": "The network no longer exists."
        case "defunct-until": "The network no longer exists (until {date})."
        case "project-ended": "The project has ended."
        case "project-ended-until": "The project has ended (until {date})."
        case "status-unknown": "Whether the network still exists is not known."
        case "crime-areas": "It works on {list}."
        default: "The catalogue records no crime area for the network."
        }
        return values(.en).reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}

/// One criterion's verdict for one network, and why.
public struct CriterionResult: Sendable, Hashable, Encodable {
    public let criterion: InclusionCriterion
    public let verdict: Verdict
    public let why: CriterionReason

    /// The reason in English.
    public var reason: String { why.english }

    enum CodingKeys: String, CodingKey { case criterion, verdict, reason }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(criterion, forKey: .criterion)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(reason, forKey: .reason)
    }
}

extension Network {
    static let judicialMemberTypes: Set<MemberType> = [.judges, .prosecutors, .lawEnforcement, .centralAuthorities]

    /// The report's four inclusion criteria applied to this network: which hold, which fail, which are unknown, and why.
    public func inclusionCriteria(directory: PartyDirectory) -> [CriterionResult] {
        [international(directory), judicial, existing, relevant]
    }

    private func international(_ directory: PartyDirectory) -> CriterionResult {
        let countries = Set(memberships.compactMap { directory.party(id: $0.partyID)?.countryCode })
        if countries.count > 1 { return .init(criterion: .international, verdict: .holds, why: .countries(countries.count)) }
        if let only = countries.first { return .init(criterion: .international, verdict: .fails, why: .oneCountry(only)) }
        return .init(criterion: .international, verdict: .unknown, why: memberships.isEmpty ? .noMembers : .organisationsOnly)
    }

    private var judicial: CriterionResult {
        let matching = memberTypes.filter { Self.judicialMemberTypes.contains($0) }
        if !matching.isEmpty { return .init(criterion: .judicial, verdict: .holds, why: .judicialMembers(matching)) }
        if memberTypes.isEmpty { return .init(criterion: .judicial, verdict: .unknown, why: .memberTypesUnknown) }
        return .init(criterion: .judicial, verdict: .fails, why: .nonJudicialMembers(memberTypes))
    }

    private var existing: CriterionResult {
        switch status.value {
        case .active: .init(criterion: .existing, verdict: .holds, why: .active)
        case .dormant: .init(criterion: .existing, verdict: .unknown, why: .dormant)
        case .defunct: .init(criterion: .existing, verdict: .fails, why: .defunct(until: status.until))
        case .projectEnded: .init(criterion: .existing, verdict: .fails, why: .projectEnded(until: status.until))
        case .unknown: .init(criterion: .existing, verdict: .unknown, why: .statusUnknown)
        }
    }

    private var relevant: CriterionResult {
        crimeAreas.isEmpty
            ? .init(criterion: .relevant, verdict: .unknown, why: .noCrimeArea)
            : .init(criterion: .relevant, verdict: .holds, why: .crimeAreas(crimeAreas))
    }
}
