import Foundation

/// A link between a network and another network or a party, seen from one network: its host, the relations it
/// states, and those other networks state towards it (hosting it, partner of it, …). The network page and the API
/// show the same list (`Catalogue.links(of:)`).
public struct NetworkLink: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The network is hosted by a party (a state, an organisation, or another network).
        case hostedBy
        /// A relation of the catalogue's vocabulary.
        case relation(RelationType)

        /// `hosted-by` or the relation's own name, as the API writes it.
        public var name: String {
            switch self {
            case .hostedBy: "hosted-by"
            case let .relation(type): type.rawValue
            }
        }
    }

    public enum Direction: String, Hashable, Sendable {
        /// Stated by this network's entry.
        case outgoing
        /// Stated by the other network's entry, towards this one.
        case incoming
    }

    public let kind: Kind
    public let direction: Direction
    /// The party id (a host) or network slug at the other end.
    public let other: String
    public let note: String?
}

/// The links other networks state towards each network, built once per snapshot (one pass over the catalogue).
struct IncomingLinks: Sendable {
    private let bySlug: [String: [NetworkLink]]

    init(_ networks: [Network]) {
        var bySlug: [String: [NetworkLink]] = [:]
        for network in networks {
            if let host = network.hostedBy {
                bySlug[host, default: []].append(NetworkLink(kind: .hostedBy, direction: .incoming, other: network.slug, note: nil))
            }
            for relation in network.relations {
                bySlug[relation.target, default: []].append(
                    NetworkLink(kind: .relation(relation.type), direction: .incoming, other: network.slug, note: relation.note))
            }
        }
        self.bySlug = bySlug
    }

    subscript(slug: String) -> [NetworkLink] { bySlug[slug] ?? [] }
}

extension Catalogue {
    /// Every link of a network: its host, the relations it states, then what other networks state towards it —
    /// the networks it hosts (unless it names them with a `hosts` relation already) and the others' relations
    /// (a `hosts` relation towards it is its host, shown once as such).
    public func links(of network: Network) -> [NetworkLink] {
        var links: [NetworkLink] = []
        if let host = network.hostedBy {
            links.append(NetworkLink(kind: .hostedBy, direction: .outgoing, other: host, note: nil))
        }
        links += network.relations.map { NetworkLink(kind: .relation($0.type), direction: .outgoing, other: $0.target, note: $0.note) }
        for link in incomingLinks[network.slug] where link.other != network.slug {
            switch link.kind {
            case .hostedBy:
                if !network.relations.contains(where: { $0.type == .hosts && $0.target == link.other }) { links.append(link) }
            case .relation(.hosts):
                continue
            case .relation:
                links.append(link)
            }
        }
        return links
    }
}
