import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore

/// `GET /api/v1/networks` (filtered, faceted, paged) and `GET /api/v1/networks/{slug}`.
struct NetworksAPI {
    let catalogue: LiveCatalogue

    func addRoutes(to routes: Routes) {
        routes.get("/api/v1/networks", needs: .anyone, use: list)
        routes.get("/api/v1/networks/:slug", needs: .anyone, use: show)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> NetworkList {
        let parameters = request.queryFields
        try FilterParameters.rejectUnknown(parameters, allowed: FilterParameters.names.union(["facets"]))
        let snapshot = catalogue.snapshot
        let filter = try FilterParameters.filter(parameters, catalogue: snapshot)
        let (page, perPage) = try FilterParameters.paging(parameters)
        // Facet counts cost a pass per facet over the matches: computed when a client asks for them.
        let withFacets = try FinderParameters.boolean(parameters, "facets")
        // Only this page's hits, and those before it, need ranking.
        let (end, overflow) = page.multipliedReportingOverflow(by: perPage)
        let answer = snapshot.query(filter, facets: withFacets, ranked: overflow ? .max : end)
        let result = answer.page(page, perPage: perPage)
        let searching = !filter.query.isEmpty
        return NetworkList(
            items: result.items.map { hit in
                NetworkSummary(snapshot.networks[hit.network], score: searching ? hit.score : nil,
                               snippet: searching ? snapshot.snippet(for: hit, language: .en) : nil)
            },
            total: result.total, page: result.page, perPage: result.perPage, facets: withFacets ? FacetsOut(answer.facets) : nil)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> NetworkDetail {
        let slug = try context.parameters.require("slug")
        try FilterParameters.rejectUnknown(request.queryFields, allowed: [])
        let snapshot = catalogue.snapshot
        guard let network = snapshot.network(slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
        return NetworkDetail(network, in: snapshot)
    }
}

/// Counts per facet value, with labels in both languages.
struct FacetsOut: Encodable {
    struct Count: Encodable {
        let value: String
        let label: Labels
        let count: Int
    }

    let section: [Count]
    let scope: [Count]
    let crimeArea: [Count]
    let instrument: [Count]
    let memberType: [Count]
    let status: [Count]
    let role: [Count]

    init(_ facets: FacetCounts) {
        func map<V: Vocabulary>(_ counts: [(V, Int)]) -> [Count] {
            counts.map { Count(value: $0.0.rawValue, label: Labels($0.0), count: $0.1) }
        }
        section = map(facets.sections)
        scope = map(facets.scopes)
        crimeArea = map(facets.crimeAreas)
        instrument = map(facets.instruments)
        memberType = map(facets.memberTypes)
        status = map(facets.statuses)
        role = map(facets.roles)
    }
}

/// A label in English and French.
struct Labels: Encodable {
    let en: String
    let fr: String

    init<V: Vocabulary>(_ value: V) {
        en = value.label(.en)
        fr = value.label(.fr)
    }
}

extension FacetsOut {
    func write(to out: inout JSONOut) {
        func counts(_ name: StaticString, _ list: [Count], _ out: inout JSONOut) {
            out.key(name)
            out.array(list) { out, count in
                out.object { out in
                    out.field("value", count.value)
                    out.key("label")
                    out.object { out in
                        out.field("en", count.label.en)
                        out.field("fr", count.label.fr)
                    }
                    out.field("count", count.count)
                }
            }
        }
        out.object { out in
            counts("section", section, &out)
            counts("scope", scope, &out)
            counts("crime_area", crimeArea, &out)
            counts("instrument", instrument, &out)
            counts("member_type", memberType, &out)
            counts("status", status, &out)
            counts("role", role, &out)
        }
    }
}
