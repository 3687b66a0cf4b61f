import Foundation

/// Which networks connect the parties of a cross-border case.
///
/// A network answers when every given party takes part in it. Answers are ranked by how strongly each
/// party takes part (the weakest role counts: full members on all sides above observers or contact points),
/// then by whether the network works on the crime areas and instruments asked for, then by whether it is
/// active. When no network covers every party, the finder says so and offers:
/// - a plan: the fewest networks that together cover every party, those the first party (the requesting side)
///   takes part in preferred;
/// - networks covering most of the parties;
/// - pairs of networks (one with the first party, one with the others) that a real relation links: a relation of
///   the catalogue, one hosting the other, or a shared host — never shared members alone.
/// A subdivision (Scotland) takes part through its state's memberships, said as such (`Answer.through`).
public struct CaseFinder: Sendable {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue) {
        self.catalogue = catalogue
    }

    /// How strongly a role connects a party to a network, from 1 (full member) down. (Operational channels rank above
    /// policy forums and training whatever the roles: `answer`.)
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
        /// A subdivision of the case that takes part through its state's membership: subdivision → state.
        public let through: [String: String]
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
        /// One network takes part in the other in a working role (sub-network, partner, cooperation agreement):
        /// `member` is the slug of the one taking part.
        case membership(member: String, role: Role)
    }

    /// The roles of a network in another that make the two a working pair.
    static let linkingRoles: Set<Role> = [.subNetwork, .partner, .cooperationAgreement, .operationalPartner]

    /// The fewest networks that together cover every party of the case, each step with the parties it is for.
    public struct Plan: Sendable {
        public struct Step: Sendable {
            /// The network, with the roles of the parties of the case it covers.
            public let answer: Answer
            /// The parties this step is for (each said at one step only).
            public let reaches: [String]
        }

        public let steps: [Step]
        /// Parties that take part in no network of the catalogue.
        public let unreachable: [String]
    }

    public struct Result: Sendable {
        /// Networks in which every party takes part, best first.
        public let answers: [Answer]
        /// When there are no answers: the fewest networks that cover every party.
        public let plan: Plan?
        /// When there are no answers: networks covering most of the parties.
        public let partial: [Answer]
        /// When there are no answers: linked pairs of networks covering every party.
        public let pairs: [Pair]
        /// Active networks open to any country whose members are not listed (the IAP, GPEN): they may serve any case,
        /// and are offered as such.
        public var open: [Network] = []
    }

    public func find(_ request: Request, limit: Int = 10) -> Result {
        var result = findListed(request, limit: limit)
        result.open = request.parties.isEmpty ? [] : catalogue.networks.filter { $0.openMembership && $0.status.value == .active }
        return result
    }

    func findListed(_ request: Request, limit: Int) -> Result {
        let parties = Array(NSOrderedSet(array: request.parties).compactMap { $0 as? String })
        guard !parties.isEmpty else { return Result(answers: [], plan: nil, partial: [], pairs: []) }
        let left = twinsLeftOut(parties)
        var coverage: [Int32: Int] = [:]
        for party in parties {
            for network in networks(of: party, leavingOut: left) { coverage[network, default: 0] += 1 }
        }
        let full = coverage.filter { $0.value == parties.count }.map { answer(Int($0.key), parties, request) }
            .sorted(by: Self.better)
        if !full.isEmpty || parties.count < 2 {
            return Result(answers: full, plan: nil, partial: [], pairs: [])
        }
        let best = coverage.values.max() ?? 0
        let partial = best >= 2
            ? coverage.filter { $0.value == best }.map { answer(Int($0.key), parties, request) }.sorted(by: Self.better)
            : []
        // A plan keeps a bit per party: beyond 64 there is none (requests name at most 51).
        return Result(answers: [], plan: parties.count <= 64 ? plan(parties, request, leavingOut: left) : nil,
                      partial: Array(partial.prefix(limit)), pairs: pairs(parties, request, limit: limit, leavingOut: left))
    }

    /// The networks a party takes part in, in name order; a subdivision also through its state's memberships.
    func networks(of party: String, leavingOut left: Set<Int32> = []) -> [Int32] {
        let own = catalogue.networksByParty[party] ?? []
        let all = stateOf(party).map { Array(Set(own).union(catalogue.networksByParty[$0] ?? [])).sorted() } ?? own
        return left.isEmpty ? all : all.filter { !left.contains($0) }
    }

    /// Second entries of networks the report lists twice that this case leaves out, so each network is offered once:
    /// those whose first entry reaches every party of the case that they reach.
    func twinsLeftOut(_ parties: [String]) -> Set<Int32> {
        var left = Set<Int32>()
        let reach = Dictionary(uniqueKeysWithValues: parties.map { ($0, Set(networks(of: $0))) })
        for duplicate in catalogue.duplicateEntries {
            guard let shown = catalogue.shownAs(duplicate.slug), let d = catalogue.position(slug: duplicate.slug),
                  let s = catalogue.position(slug: shown) else { continue }
            let reached = parties.filter { reach[$0]?.contains(Int32(d)) == true }
            if reached.allSatisfy({ reach[$0]?.contains(Int32(s)) == true }) { left.insert(Int32(d)) }
        }
        return left
    }

    /// The state of a subdivision (`GB` for `GB-SCT`), when the catalogue knows it; nil for any other party.
    func stateOf(_ party: String) -> String? {
        guard let found = catalogue.party(id: party), found.kind == .subdivision, let state = found.countryCode,
              state != party, catalogue.party(id: state) != nil else { return nil }
        return state
    }

    /// The plan when no network covers every party: the fewest networks that together cover every party of the
    /// case — among as few, the strongest, those taking in the requesting side counting for more — found exactly
    /// for up to 10 parties and step by step (the network covering most of those left) beyond.
    func plan(_ parties: [String], _ request: Request, leavingOut left: Set<Int32> = []) -> Plan {
        // Per set of parties covered (a bit per party), the strongest network covering exactly that set.
        var bestFor: [UInt64: (answer: Answer, weight: Double)] = [:]
        var covering: [Int32: UInt64] = [:]
        for (i, party) in parties.enumerated() {
            for network in networks(of: party, leavingOut: left) { covering[network, default: 0] |= 1 << UInt64(i) }
        }
        for (index, mask) in covering {
            let covered = parties.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { parties[$0] }
            let candidate = answer(Int(index), covered, request)
            // A network the requesting side takes part in is one it can use itself.
            let weight = candidate.score + (mask & 1 != 0 ? 5 : 0)
            if let known = bestFor[mask], known.weight > weight || (known.weight == weight && !Self.better(candidate, known.answer)) { continue }
            bestFor[mask] = (candidate, weight)
        }
        let reachable = bestFor.keys.reduce(UInt64(0), |)
        let unreachable = parties.indices.filter { reachable & (1 << UInt64($0)) == 0 }.map { parties[$0] }
        let options = bestFor.sorted { $0.value.weight != $1.value.weight ? $0.value.weight > $1.value.weight : Self.better($0.value.answer, $1.value.answer) }
        var chosen: [(mask: UInt64, answer: Answer)] = []
        if parties.count <= 10 {
            // Fewest networks first, then the highest total weight, over every set of parties covered.
            var best: [UInt64: (count: Int, weight: Double, picks: [Int])] = [0: (0, 0, [])]
            for mask in UInt64(0)...reachable where (mask & ~reachable) == 0 {
                guard let here = best[mask] else { continue }
                for (i, option) in options.enumerated() where option.key & ~mask != 0 {
                    let next = mask | option.key
                    let candidate = (count: here.count + 1, weight: here.weight + option.value.weight, picks: here.picks + [i])
                    if let known = best[next], known.count < candidate.count || (known.count == candidate.count && known.weight >= candidate.weight) {
                        continue
                    }
                    best[next] = candidate
                }
            }
            chosen = (best[reachable]?.picks ?? []).map { (options[$0].key, options[$0].value.answer) }
        } else {
            var left = reachable
            while left != 0, let pick = options.max(by: { ($0.key & left).nonzeroBitCount < ($1.key & left).nonzeroBitCount }) {
                chosen.append((pick.key, pick.value.answer))
                left &= ~pick.key
            }
        }
        // Each party is said once, at the first step that covers it; the steps that take in the requesting side first.
        chosen.sort { ($0.mask & 1, $0.answer.score) > ($1.mask & 1, $1.answer.score) }
        var said: UInt64 = 0
        let steps = chosen.map { mask, answer -> Plan.Step in
            let new = mask & ~said
            said |= mask
            return Plan.Step(answer: answer, reaches: parties.indices.filter { new & (1 << UInt64($0)) != 0 }.map { parties[$0] })
        }
        return Plan(steps: steps, unreachable: unreachable)
    }

    func answer(_ index: Int, _ parties: [String], _ request: Request) -> Answer {
        let network = catalogue.networks[index]
        let memberships = network.memberships
        var roles: [(String, Role)] = []
        var missing: [String] = []
        var through: [String: String] = [:]
        func strongest(_ party: String) -> Role? {
            memberships.filter { $0.partyID == party }.map(\.role).max(by: { Self.strength($0) < Self.strength($1) })
        }
        for party in parties {
            if let role = strongest(party) {
                roles.append((party, role))
            } else if let state = stateOf(party), let role = strongest(state) {
                roles.append((party, role))
                through[party] = state
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
        // A channel for cases before a forum on policy or training, whatever the roles.
        switch network.function {
        case .operational: score += 5
        case .policy, .training: score -= 5
        case nil: break
        }
        return Answer(network: network, score: score, roles: roles, missing: missing, through: through, crimeAreas: areas, instruments: instruments)
    }

    static func better(_ a: Answer, _ b: Answer) -> Bool {
        a.score != b.score ? a.score > b.score : a.network.name < b.network.name
    }

    /// Pairs of networks, one reaching the first party and one reaching all the others, that are linked.
    func pairs(_ parties: [String], _ request: Request, limit: Int, leavingOut left: Set<Int32> = []) -> [Pair] {
        let first = parties[0], rest = Array(parties.dropFirst())
        let firstSide = Set(networks(of: first, leavingOut: left))
        var restSide: Set<Int32>?
        for party in rest {
            let networks = Set(networks(of: party, leavingOut: left))
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
            case .membership: total + 3
            }
        }
    }

    func links(_ a: Int, _ b: Int) -> [Link] {
        let x = catalogue.networks[a], y = catalogue.networks[b]
        var links: [Link] = []
        // A working link: not the same network listed twice, nor one that took over from the other.
        let working = { (type: RelationType) in type != .sameAs && type != .successorOf }
        for relation in x.relations where relation.target == y.slug && working(relation.type) { links.append(.relation(relation.type)) }
        for relation in y.relations where relation.target == x.slug && working(relation.type) { links.append(.relation(relation.type)) }
        if let host = x.hostedBy, host == y.hostedBy { links.append(.sharedHost(host)) }
        if x.hostedBy == y.slug { links.append(.relation(.hosts)) }
        if y.hostedBy == x.slug { links.append(.relation(.hosts)) }
        for (outer, inner) in [(x, y), (y, x)] {
            for membership in outer.memberships where Self.linkingRoles.contains(membership.role)
                && (membership.partyID == inner.slug || catalogue.party(id: membership.partyID)?.networkSlug == inner.slug) {
                links.append(.membership(member: inner.slug, role: membership.role))
            }
        }
        return links
    }
}
