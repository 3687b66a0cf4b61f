import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore

/// `GET /api/v1/parties?kind=` and `GET /api/v1/parties/{id}`: who takes part, and where.
struct PartiesAPI {
    let catalogue: LiveCatalogue

    func addRoutes(to routes: Routes) {
        routes.get("/api/v1/parties", needs: .anyone, use: list)
        routes.get("/api/v1/parties/:id", needs: .anyone, use: show)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> PartyList {
        let parameters = request.queryFields
        try FilterParameters.rejectUnknown(parameters, allowed: ["kind", "page", "per_page"])
        let kinds: Set<PartyKind> = try FilterParameters.values(parameters, "kind")
        let (page, perPage) = try FilterParameters.paging(parameters, defaultPerPage: 100)
        let snapshot = catalogue.snapshot
        let parties = snapshot.participatingParties.filter { kinds.isEmpty || kinds.contains($0.kind) }
        let result = Page(items: parties, page: page, perPage: perPage)
        return PartyList(
            items: result.items.map { PartySummary($0, in: snapshot) },
            total: result.total, page: result.page, perPage: result.perPage)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> PartyDetail {
        let id = try context.parameters.require("id")
        try FilterParameters.rejectUnknown(request.queryFields, allowed: [])
        let snapshot = catalogue.snapshot
        guard let party = snapshot.party(id: id) else { throw CatalogueError.partyNotFound(id: id) }
        return PartyDetail(party, in: snapshot)
    }
}

struct PartyList: ResponseEncodable {
    let items: [PartySummary]
    let total: Int
    let page: Int
    let perPage: Int
}

struct PartySummary: Encodable {
    let id: String
    let kind: PartyKind
    let code: String?
    let name: String
    let nameFr: String
    let networks: Int
    let memberships: Int

    init(_ party: Party, in catalogue: Catalogue) {
        id = party.id
        kind = party.kind
        code = party.code
        name = party.nameEN
        nameFr = party.nameFR
        networks = catalogue.networkCount(of: party.id)
        memberships = catalogue.membershipCount(of: party.id)
    }
}

struct PartyDetail: ResponseEncodable {
    struct NetworkRoles: Encodable {
        let slug: String
        let name: String
        let acronym: String?
        let roles: [RoleOut]
    }

    struct RoleOut: Encodable {
        let role: Role
        let asPrinted: String
        let heading: String?
    }

    let id: String
    let kind: PartyKind
    let code: String?
    let name: String
    let nameFr: String
    let network: String?
    /// The networks the party takes part in, each with the roles it holds there.
    let memberships: [NetworkRoles]
    /// How many networks per role.
    let roleCounts: [String: Int]

    init(_ party: Party, in catalogue: Catalogue) {
        id = party.id
        kind = party.kind
        code = party.code
        name = party.nameEN
        nameFr = party.nameFR
        network = party.networkSlug
        let all = catalogue.memberships(of: party.id)
        var order: [String] = []
        var byNetwork: [String: [Membership]] = [:]
        for membership in all {
            if byNetwork[membership.networkSlug] == nil { order.append(membership.networkSlug) }
            byNetwork[membership.networkSlug, default: []].append(membership)
        }
        memberships = order.compactMap { slug in
            catalogue.network(slug: slug).map { network in
                NetworkRoles(slug: slug, name: network.name, acronym: network.acronym,
                             roles: (byNetwork[slug] ?? []).map { RoleOut(role: $0.role, asPrinted: $0.asPrinted, heading: $0.heading) })
            }
        }
        roleCounts = Dictionary(uniqueKeysWithValues: catalogue.networkCountsByRole(of: party.id).map { ($0.key.rawValue, $0.value) })
    }
}
