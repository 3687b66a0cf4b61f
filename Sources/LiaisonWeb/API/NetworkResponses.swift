import Foundation
import Hummingbird
import LiaisonCore

struct NetworkList: ResponseEncodable {
    let items: [NetworkSummary]
    let total: Int
    let page: Int
    let perPage: Int
    /// With `facets=true`: counts per facet value, each respecting the other filters.
    let facets: FacetsOut?
}

struct NetworkSummary: Encodable {
    let slug: String
    let name: String
    let acronym: String?
    let section: Section
    let scope: Scope
    let status: NetworkStatusValue
    let memberships: Int
    /// With a search: the relevance score and a sentence of the purpose with the matched words marked.
    let score: Double?
    let snippet: [SnippetPart]?

    init(_ network: Network, score: Double? = nil, snippet: [SnippetPart]? = nil) {
        slug = network.slug
        name = network.name
        acronym = network.acronym
        section = network.section
        scope = network.scope
        status = network.status.value
        memberships = network.membershipCount
        self.score = score.map { ($0 * 100).rounded() / 100 }
        self.snippet = snippet
    }
}

/// A party as the API shows it inside other resources.
struct PartyRef: Encodable {
    let id: String
    let kind: PartyKind
    let code: String?
    let name: String
    let nameFr: String

    init(_ party: Party) {
        id = party.id
        kind = party.kind
        code = party.code
        name = party.nameEN
        nameFr = party.nameFR
    }
}

struct NetworkDetail: ResponseEncodable {
    let slug: String
    let name: String
    let acronym: String?
    let otherNames: [String]
    let printedName: String?
    let section: Section
    let row: Int?
    let scope: Scope
    let purpose: [String: String]
    let memberTypes: [MemberType]
    let crimeAreas: [CrimeArea]
    let instruments: [Instrument]
    let status: NetworkStatus
    let founded: PartialDate?
    let website: String?
    let references: [Reference]
    let statedMemberCount: StatedCount?
    let hostedBy: PartyRef?
    let relations: [RelationOut]
    let memberships: [MembershipOut]
    let otherEntries: [OtherEntryOut]
    let inclusionCriteria: [CriterionResult]
    let lastChanged: Date?

    struct RelationOut: Encodable {
        let type: RelationType
        let target: String
        let targetName: String?
        let note: String?
    }

    struct MembershipOut: Encodable {
        let party: PartyRef
        let role: Role
        let asPrinted: String
        let heading: String?
        let since: PartialDate?
        let until: PartialDate?
        let note: String?
    }

    /// A printed name that is not a membership: it resolves to no party, or the report says it takes no part.
    struct OtherEntryOut: Encodable {
        let asPrinted: String
        let heading: String?
        let party: PartyRef?
        let reason: String
        let note: String?
    }

    init(_ network: Network, in catalogue: Catalogue) {
        slug = network.slug
        name = network.name
        acronym = network.acronym
        otherNames = network.otherNames
        printedName = network.printedName
        section = network.section
        row = network.row
        scope = network.scope
        purpose = Dictionary(uniqueKeysWithValues: network.purpose.map { ($0.key.rawValue, $0.value) })
        memberTypes = network.memberTypes
        crimeAreas = network.crimeAreas
        instruments = network.instruments
        status = network.status
        founded = network.founded
        website = network.website
        references = network.references
        statedMemberCount = network.statedMemberCount
        hostedBy = network.hostedBy.flatMap { catalogue.party(id: $0) }.map(PartyRef.init)
        relations = network.relations.map {
            RelationOut(type: $0.type, target: $0.target, targetName: catalogue.network(slug: $0.target)?.name, note: $0.note)
        }
        memberships = network.memberships.compactMap { membership in
            catalogue.party(id: membership.partyID).map { party in
                MembershipOut(party: PartyRef(party), role: membership.role, asPrinted: membership.asPrinted,
                              heading: membership.heading, since: membership.since, until: membership.until, note: membership.note)
            }
        }
        otherEntries = network.otherEntries.map { group, entry in
            OtherEntryOut(
                asPrinted: entry.printed, heading: group.heading, party: entry.partyID.flatMap { catalogue.party(id: $0) }.map(PartyRef.init),
                reason: entry.partyID == nil ? "resolves to no known party" : "named by the report as not taking part",
                note: entry.note)
        }
        inclusionCriteria = network.inclusionCriteria(directory: catalogue.directory)
        lastChanged = catalogue.lastChanged[network.slug]
    }
}
