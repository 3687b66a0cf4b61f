import Foundation

/// Which networks connect the parties of a cross-border case.
///
/// A network answers when every given party takes part in it. Answers are ranked by how strongly each
/// party takes part (the weakest role counts: full members on all sides above observers or contact points),
/// then by whether the network works on the crime areas and instruments asked for, then by whether it is
/// active. When no network covers every party, the finder says so and offers the best alternatives:
/// networks covering most of the parties, and pairs of networks (one with the first party, one with the
/// others) linked by a relation, a shared host or shared members.
public struct CaseFinder: Sendable {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue) {
        self.catalogue = catalogue
    }

    /// How strongly a role connects a party to a network, from 1 (full member) down.
    public static func strength(_ role: Role) -> Double {
        switch role {
        case .member: 1
        case .associate: 0.8
        case .cooperationAgreement, .liaisonProsecutor, .operationalPartner: 0.7
        case .partner: 0.6
        case .contactPoint, .observer: 0.5
        case .subNetwork: 0.4
        }
    }

    public struct Request: Sendable, Hashable {
        public var parties: [String]
        public var crimeAreas: Set<CrimeArea>
        public var instruments: Set<Instrument>

        public init(parties: [String], crimeAreas: Set<CrimeArea> = [], instruments: Set<Instrument> = []) {
            self.parties = parties
            self.crimeAreas = crimeAreas
            self.instruments = instruments
        }
    }

    /// One network and how it answers the case.
    public struct Answer: Sendable {
        public let network: Network
        public let score: Double
        /// Each covered party with its strongest role in the network.
        public let roles: [(party: String, role: Role)]
        /// The parties of the case the network does not cover.
        public let missing: [String]
        public let crimeAreas: [CrimeArea]
        public let instruments: [Instrument]
    }

    /// Two networks that together reach every party, and what links them.
    public struct Pair: Sendable {
        public let first: Answer
        public let second: Answer
        public let links: [Link]
    }

    public enum Link: Sendable, Hashable {
        case relation(RelationType)
        case sharedHost(String)
        case sharedMembers(count: Int, examples: [String])
    }

    public struct Result: Sendable {
        /// Networks in which every party takes part, best first.
        public let answers: [Answer]
        /// When there are no answers: networks covering most of the parties.
        public let partial: [Answer]
        /// When there are no answers: linked pairs of networks covering every party.
        public let pairs: [Pair]
    }

    public func find(_ request: Request, limit: Int = 10) -> Result {
        let parties = Array(NSOrderedSet(array: request.parties).compactMap { $0 as? String })
        guard !parties.isEmpty else { return Result(answers: [], partial: [], pairs: []) }
        var coverage: [Int32: Int] = [:]
        for party in parties {
            for network in catalogue.networksByParty[party] ?? [] { coverage[network, default: 0] += 1 }
        }
        let full = coverage.filter { $0.value == parties.count }.map { answer(Int($0.key), parties, request) }
            .sorted(by: Self.better)
        if !full.isEmpty || parties.count < 2 {
            return Result(answers: full, partial: [], pairs: [])
        }
        let best = coverage.values.max() ?? 0
        let partial = best >= 2
            ? coverage.filter { $0.value == best }.map { answer(Int($0.key), parties, request) }.sorted(by: Self.better)
            : []
        return Result(answers: [], partial: Array(partial.prefix(limit)), pairs: pairs(parties, request, limit: limit))
    }

    func answer(_ index: Int, _ parties: [String], _ request: Request) -> Answer {
        let network = catalogue.networks[index]
        let memberships = network.memberships
        var roles: [(String, Role)] = []
        var missing: [String] = []
        for party in parties {
            let held = memberships.filter { $0.partyID == party }.map(\.role)
            if let strongest = held.max(by: { Self.strength($0) < Self.strength($1) }) {
                roles.append((party, strongest))
            } else {
                missing.append(party)
            }
        }
        let areas = network.crimeAreas.filter { request.crimeAreas.contains($0) }
        let instruments = network.instruments.filter { request.instruments.contains($0) }
        let weakest = roles.map { Self.strength($0.1) }.min() ?? 0
        let mean = roles.isEmpty ? 0 : roles.map { Self.strength($0.1) }.reduce(0, +) / Double(roles.count)
        var score = Double(roles.count) * 10 + weakest * 4 + mean
        if !request.crimeAreas.isEmpty { score += areas.isEmpty ? 0 : 2 }
        if !request.instruments.isEmpty { score += instruments.isEmpty ? 0 : 1 }
        if network.status.value != .active { score -= 3 }
        return Answer(network: network, score: score, roles: roles, missing: missing, crimeAreas: areas, instruments: instruments)
    }

    static func better(_ a: Answer, _ b: Answer) -> Bool {
        a.score != b.score ? a.score > b.score : a.network.name < b.network.name
    }

    /// Pairs of networks, one reaching the first party and one reaching all the others, that are linked.
    func pairs(_ parties: [String], _ request: Request, limit: Int) -> [Pair] {
        let first = parties[0], rest = Array(parties.dropFirst())
        let firstSide = Set(catalogue.networksByParty[first] ?? [])
        var restSide: Set<Int32>?
        for party in rest {
            let networks = Set(catalogue.networksByParty[party] ?? [])
            restSide = restSide.map { $0.intersection(networks) } ?? networks
        }
        guard let restSide, !firstSide.isEmpty, !restSide.isEmpty else { return [] }
        var found: [Pair] = []
        // Bounded work on very large catalogues: the first networks of each side in name order.
        let restFirst = restSide.sorted().prefix(400)
        for a in firstSide.sorted().prefix(400) {
            for b in restFirst where a != b {
                let links = links(Int(a), Int(b))
                guard !links.isEmpty else { continue }
                found.append(Pair(first: answer(Int(a), [first], request), second: answer(Int(b), rest, request), links: links))
            }
        }
        return Array(found.sorted { x, y in
            let sx = x.first.score + x.second.score + Self.linkWeight(x.links)
            let sy = y.first.score + y.second.score + Self.linkWeight(y.links)
            return sx != sy ? sx > sy : (x.first.network.name, x.second.network.name) < (y.first.network.name, y.second.network.name)
        }.prefix(limit))
    }

    static func linkWeight(_ links: [Link]) -> Double {
        links.reduce(0) { total, link in
            switch link {
            case .relation: total + 3
            case .sharedHost: total + 2
            case let .sharedMembers(count, _): total + min(Double(count) / 5, 2)
            }
        }
    }

    func links(_ a: Int, _ b: Int) -> [Link] {
        let x = catalogue.networks[a], y = catalogue.networks[b]
        var links: [Link] = []
        for relation in x.relations where relation.target == y.slug { links.append(.relation(relation.type)) }
        for relation in y.relations where relation.target == x.slug { links.append(.relation(relation.type)) }
        if let host = x.hostedBy, host == y.hostedBy { links.append(.sharedHost(host)) }
        if x.hostedBy == y.slug { links.append(.relation(.hosts)) }
        if y.hostedBy == x.slug { links.append(.relation(.hosts)) }
        let shared = Set(x.memberships.filter { $0.role == .member }.map(\.partyID))
            .intersection(y.memberships.filter { $0.role == .member }.map(\.partyID))
        if shared.count >= 3 { links.append(.sharedMembers(count: shared.count, examples: Array(shared.sorted().prefix(5)))) }
        return links
    }
}
