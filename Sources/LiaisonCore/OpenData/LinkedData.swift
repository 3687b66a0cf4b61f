import Foundation

/// The catalogue as linked data (JSON-LD) in the schema.org vocabulary: each network an `Organization` (its names in
/// both languages, other names, web site, founding and dissolution dates, purpose), its members as schema.org `Role`s
/// (`roleName`, `startDate`, `endDate`) around the party — a state or subdivision as the `GovernmentOrganization` of
/// its ISO 3166 area, an organisation or a network as an `Organization` — and its ties to other networks
/// (`parentOrganization` and `subOrganization` from the sub-network role, `sameAs`); what schema.org has no term for
/// (the host of a secretariat, the relations of the catalogue) in Liaison's own terms, defined by `/api/v1/vocabularies`.
public enum LinkedData {
    /// The media type served.
    public static let mediaType = "application/ld+json"

    /// The context of every document: schema.org's, and Liaison's own terms under `liaison:`.
    public static func context(site: String) -> [Any] {
        ["https://schema.org/", ["liaison": "\(site)/api/v1/vocabularies#"]]
    }

    /// Liaison's own terms (`liaison:` in the context), for what schema.org has no term for: each with what it means.
    public static let terms: [(term: String, en: String, fr: String)] = [
        ("hostedBy", "The party (a network or an organisation) that hosts the network's secretariat.",
         "La partie (un réseau ou une organisation) qui accueille le secrétariat du réseau."),
        (RelationType.partner.rawValue, "A network it works with as a partner.", "Un réseau avec lequel il travaille en partenaire."),
        (RelationType.mou.rawValue, "A network it has a memorandum of understanding with.", "Un réseau avec lequel il a un protocole d’accord."),
        (RelationType.successorOf.rawValue, "The network it succeeded.", "Le réseau auquel il a succédé."),
    ]

    /// The address of a network, a party or a country: its page on the site.
    public static func address(of party: Party, site: String) -> String {
        switch party.kind {
        case .network: "\(site)/networks/\(party.networkSlug ?? party.id)"
        case .organisation: "\(site)/organisations/\(party.id)"
        case .state, .territory, .subdivision: "\(site)/countries/\(party.id)"
        }
    }

    /// One network's document, with its context (what `/networks/{slug}.jsonld` serves and a network's page carries).
    public static func document(_ network: Network, in catalogue: Catalogue, site: String) throws -> Data {
        var node = self.node(network, in: catalogue, hosts: Hosts(of: network, in: catalogue), site: site)
        node["@context"] = context(site: site)
        return try JSONSerialization.data(withJSONObject: node, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// Which networks host which (the catalogue's `hosts` relations, read from the host's side), found once for a
    /// whole catalogue.
    public struct Hosts: Sendable {
        let hostsOf: [String: [String]]

        public init(_ catalogue: Catalogue) {
            var hostsOf: [String: [String]] = [:]
            for network in catalogue.networks {
                for relation in network.relations where relation.type == .hosts { hostsOf[relation.target, default: []].append(network.slug) }
            }
            self.hostsOf = hostsOf
        }

        /// The networks hosting one network, from the catalogue's index of what others state towards it (not a pass
        /// over every network: a page of a catalogue of 100,000 needs only its own).
        public init(of network: Network, in catalogue: Catalogue) {
            let hosting = catalogue.incomingLinks[network.slug].compactMap { link -> String? in
                if case .relation(.hosts) = link.kind { return link.other }
                return nil
            }
            hostsOf = hosting.isEmpty ? [:] : [network.slug: hosting]
        }
    }

    /// One network as a node (no context: `catalogue.jsonld` puts them all in one graph under one context).
    public static func node(_ network: Network, in catalogue: Catalogue, hosts: Hosts, site: String) -> [String: Any] {
        func networkID(_ slug: String) -> [String: Any] { ["@id": "\(site)/networks/\(slug)"] }
        var node: [String: Any] = ["@id": "\(site)/networks/\(network.slug)", "@type": "Organization", "identifier": network.slug,
                                   "name": [["@value": network.name, "@language": "en"]] + (network.nameFR.map { [["@value": $0, "@language": "fr"]] } ?? [])]
        let alternate = ([network.acronym].compactMap { $0 } + network.otherNames).filter { $0 != network.name }
        if !alternate.isEmpty { node["alternateName"] = alternate }
        if let website = network.website { node["url"] = website }
        let purposes = Language.allCases.compactMap { language in network.purpose[language].map { ["@value": $0, "@language": language.rawValue] } }
        if !purposes.isEmpty { node["description"] = purposes }
        if let founded = network.founded { node["foundingDate"] = founded.description }
        if [.defunct, .projectEnded].contains(network.status.value), let ended = network.status.until ?? network.status.since {
            node["dissolutionDate"] = ended.description
        }
        let memberships = network.memberships
        if !memberships.isEmpty {
            node["member"] = memberships.compactMap { membership -> [String: Any]? in
                guard let party = catalogue.party(id: membership.partyID) else { return nil }
                var role: [String: Any] = ["@type": "Role", "roleName": membership.role.rawValue, "member": partyNode(party, site: site)]
                if let since = membership.since { role["startDate"] = since.description }
                if let until = membership.until { role["endDate"] = until.description }
                return role
            }
        }
        // Below it: the networks it hosts (the catalogue's `hosts` relation: the IAP's GPEN), and those among its
        // members as a sub-network. Above it: the networks that host it so, and those it is a sub-network of (a network
        // takes part in others as the party of its own slug). The host of a secretariat alone is no parent: it is
        // `liaison:hostedBy`.
        let subNetworks = memberships.filter { $0.role == .subNetwork }.compactMap { catalogue.party(id: $0.partyID)?.networkSlug }
        let below = Set(network.relations.filter { $0.type == .hosts }.map(\.target) + subNetworks).sorted()
        if !below.isEmpty { node["subOrganization"] = below.map(networkID) }
        let host = network.hostedBy.flatMap { catalogue.party(id: $0) }
        let partOf = catalogue.party(id: network.slug)?.networkSlug == network.slug
            ? catalogue.memberships(of: network.slug).filter { $0.role == .subNetwork }.map(\.networkSlug) : []
        let above = Set(partOf + (hosts.hostsOf[network.slug] ?? [])).subtracting([network.slug]).sorted()
        if !above.isEmpty { node["parentOrganization"] = above.map(networkID) }
        if let host { node["liaison:hostedBy"] = ["@id": address(of: host, site: site)] }
        let sameAs = network.relations.filter { $0.type == .sameAs }.map { "\(site)/networks/\($0.target)" }
        if !sameAs.isEmpty { node["sameAs"] = sameAs }
        for type in [RelationType.partner, .mou, .successorOf] {
            let targets = network.relations.filter { $0.type == type }.map { networkID($0.target) }
            if !targets.isEmpty { node["liaison:\(type.rawValue)"] = targets }
        }
        return node
    }

    /// A party: a state, territory or subdivision as the government organisation of its area (schema.org's members
    /// are organisations or people), named in both languages, with its ISO code; an organisation or a network by name.
    static func partyNode(_ party: Party, site: String) -> [String: Any] {
        // A network of the catalogue is its own node (in the graph, and at its own address): named by reference only.
        if party.kind == .network { return ["@id": address(of: party, site: site)] }
        var node: [String: Any] = ["@id": address(of: party, site: site),
                                   "name": [["@value": party.nameEN, "@language": "en"], ["@value": party.nameFR, "@language": "fr"]]]
        if let code = party.code {
            let standard = party.kind == .subdivision ? "ISO 3166-2" : "ISO 3166-1 alpha-2"
            let identifier: [String: Any] = ["@type": "PropertyValue", "propertyID": standard, "value": code]
            node["@type"] = "GovernmentOrganization"
            node["identifier"] = identifier
            node["areaServed"] = ["@type": party.kind == .subdivision ? "AdministrativeArea" : "Country", "name": party.nameEN,
                                  "identifier": identifier] as [String: Any]
        } else {
            node["@type"] = "Organization"
            node["identifier"] = party.id
        }
        return node
    }
}
