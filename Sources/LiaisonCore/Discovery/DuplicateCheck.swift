import Foundation

/// Checks a proposed network against the catalogue: is it one that exists, or one that covers the same ground?
public struct DuplicateCheck: Sendable {
    /// A network as someone proposes it.
    public struct Draft: Sendable, Hashable {
        public var name: String
        public var acronym: String?
        public var parties: [String]
        public var crimeAreas: [CrimeArea]
        public var website: String?

        public init(name: String, acronym: String? = nil, parties: [String] = [], crimeAreas: [CrimeArea] = [], website: String? = nil) {
            self.name = name
            self.acronym = acronym
            self.parties = parties
            self.crimeAreas = crimeAreas
            self.website = website
        }
    }

    public enum Reason: Sendable, Hashable {
        /// Share of the name's words in common (Jaccard of name words, ignoring "network", "the", …).
        case similarName(Double)
        case sameAcronym(String)
        /// `shared` of the draft's `draftCount` countries take part in the network (as members: `asMembers`).
        case memberOverlap(shared: Int, draftCount: Int, asMembers: Int, similarity: Double)
        case sameCrimeAreas([CrimeArea])
        case sameWebsite(String)

        /// Whether the reason says the draft may be this very network (a name, an acronym, a website), rather than
        /// one covering the same ground (members, crime areas), which is information only.
        public var saysSameNetwork: Bool {
            switch self {
            case .similarName, .sameAcronym, .sameWebsite: true
            case .memberOverlap, .sameCrimeAreas: false
            }
        }
    }

    /// A party of the directory (an organisation, a network known only as a party: ARIN-WA) with the draft's name or
    /// acronym.
    public struct PartyMatch: Sendable {
        public let party: Party
        public let reason: Reason
    }

    public struct Candidate: Sendable {
        public let network: Network
        /// From 0 to 1: how likely the draft is this network or covers its ground.
        public let score: Double
        public let reasons: [Reason]

        /// The draft may be this very network (not only share its ground).
        public var maySameNetwork: Bool { reasons.contains(where: \.saysSameNetwork) }
    }

    /// Organisations and networks of the party directory that bear the draft's name or acronym (parties that are
    /// also networks of the catalogue are the candidates' business).
    public func parties(matching draft: Draft, limit: Int = 5) -> [PartyMatch] {
        let draftWords = Self.nameWords(draft.name)
        let acronym = draft.acronym.map { TextKey.words($0).joined() }.flatMap { $0.isEmpty ? nil : $0 }
        var found: [PartyMatch] = []
        for party in catalogue.directory.parties.values where !party.isCountryLevel && party.networkSlug.flatMap(catalogue.network(slug:)) == nil {
            let words = Self.nameWords(party.nameEN)
            let similarity = Overlaps.jaccard(draftWords, words).similarity
            if !draftWords.isEmpty, similarity >= 0.6 {
                found.append(PartyMatch(party: party, reason: .similarName(similarity)))
            } else if let acronym, party.id.replacingOccurrences(of: "-", with: "") == acronym
                        || TextKey.words(party.nameEN).joined() == acronym || TextKey.words(party.id).joined() == acronym {
                found.append(PartyMatch(party: party, reason: .sameAcronym(party.id.uppercased())))
            }
        }
        return Array(found.sorted { $0.party.nameEN < $1.party.nameEN }.prefix(limit))
    }

    /// An address as it identifies a site: without scheme, `www.`, a trailing slash or case.
    static func siteKey(_ url: String) -> String {
        var text = url.lowercased().trimmingCharacters(in: .whitespaces)
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    let catalogue: Catalogue

    public init(catalogue: Catalogue) {
        self.catalogue = catalogue
    }

    static let commonWords: Set<String> = [
        "network", "networks", "of", "for", "and", "the", "on", "in", "against", "group", "project", "reseau", "des", "de", "du", "la", "le",
    ]

    static func nameWords(_ name: String) -> Set<String> {
        Set(TextKey.words(withoutParentheses(name))
            .filter { !commonWords.contains($0) }
            .map { $0.count > 3 && $0.hasSuffix("s") ? String($0.dropLast()) : $0 })
    }

    /// The name without its parenthesised parts ("European Judicial Network (EJN)" → "European Judicial Network "),
    /// in one pass: from an opening bracket to the first closing one after it; an opening bracket that no closing
    /// one follows is kept with its text. (A regular expression took 34 s on 65,000 opening brackets.)
    static func withoutParentheses(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        var pending: String.UnicodeScalarView?
        for scalar in name.unicodeScalars {
            if pending != nil {
                if scalar == ")" {
                    pending = nil
                    out.append(" ")
                } else {
                    pending?.append(scalar)
                }
            } else if scalar == "(" {
                pending = "(".unicodeScalars
            } else {
                out.append(scalar)
            }
        }
        if let pending { out.append(contentsOf: pending) }
        return String(out)
    }

    /// Existing networks likely to be the same as the draft or to cover the same ground, most likely first.
    public func candidates(for draft: Draft, limit: Int = 5) -> [Candidate] {
        let draftWords = Self.nameWords(draft.name)
        let draftCountries = Set(draft.parties.compactMap { catalogue.party(id: $0)?.countryCode })
        let draftAreas = Set(draft.crimeAreas)
        let acronym = draft.acronym.map { TextKey.words($0).joined() }
        let site = draft.website.map(Self.siteKey).flatMap { $0.isEmpty ? nil : $0 }
        return catalogue.networks.compactMap { network -> Candidate? in
            var reasons: [Reason] = []
            var score = 0.0
            let words = Self.nameWords(network.name)
            let nameSimilarity = Overlaps.jaccard(draftWords, words).similarity
            if nameSimilarity >= 0.34 {
                reasons.append(.similarName(nameSimilarity))
                score += 0.45 * nameSimilarity
            }
            if let acronym, !acronym.isEmpty, let theirs = network.acronym, TextKey.words(theirs).joined() == acronym {
                reasons.append(.sameAcronym(theirs))
                score += 0.25
            }
            if !draftCountries.isEmpty {
                let memberships = network.memberships
                let countries = Set(memberships.compactMap { catalogue.party(id: $0.partyID)?.countryCode })
                let members = Set(memberships.filter { $0.role == .member }.compactMap { catalogue.party(id: $0.partyID)?.countryCode })
                let shared = draftCountries.intersection(countries).count
                let figure = Overlaps.jaccard(draftCountries, countries)
                if shared > 0, Double(shared) / Double(draftCountries.count) >= 0.5 {
                    reasons.append(.memberOverlap(shared: shared, draftCount: draftCountries.count,
                                                  asMembers: draftCountries.intersection(members).count, similarity: figure.similarity))
                    score += 0.35 * (Double(shared) / Double(draftCountries.count) + figure.similarity) / 2
                }
            }
            if let site, let theirs = network.website, Self.siteKey(theirs) == site {
                reasons.append(.sameWebsite(theirs))
                score += 0.4
            }
            let areas = network.crimeAreas.filter { draftAreas.contains($0) }
            if !areas.isEmpty {
                reasons.append(.sameCrimeAreas(areas))
                score += 0.15 * Double(areas.count) / Double(max(draftAreas.count, 1))
            }
            // Crime areas alone do not make a duplicate.
            guard reasons.contains(where: { if case .sameCrimeAreas = $0 { false } else { true } }) else { return nil }
            return Candidate(network: network, score: min(1, score), reasons: reasons)
        }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.network.name < $1.network.name }
        .prefix(limit).map { $0 }
    }
}
