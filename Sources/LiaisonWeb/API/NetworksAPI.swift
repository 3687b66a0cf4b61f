import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore

/// `GET /api/v1/networks` and `GET /api/v1/networks/{slug}`.
struct NetworksAPI {
    let catalogue: LiveCatalogue

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.get(":slug", use: show)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> NetworkList {
        let page = try request.uri.queryParameters.integer("page", default: 1)
        let perPage = try request.uri.queryParameters.integer("per_page", default: 50)
        try Page<Network>.validate(page: page, perPage: perPage)
        let snapshot = catalogue.snapshot
        let result = snapshot.page(page, perPage: perPage)
        return NetworkList(
            items: result.items.map { NetworkSummary($0) }, total: result.total, page: result.page, perPage: result.perPage)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> NetworkDetail {
        let slug = try context.parameters.require("slug")
        let snapshot = catalogue.snapshot
        guard let network = snapshot.network(slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
        return NetworkDetail(network, in: snapshot)
    }
}

extension Hummingbird.Parameters {
    /// An integer query parameter, or an error naming the parameter and its value.
    func integer(_ name: String, default value: Int) throws -> Int {
        guard let text = self[name[...]].map(String.init) else { return value }
        guard let number = Int(text) else {
            throw CatalogueError.invalidValue(field: name, value: text, rule: "must be a whole number")
        }
        return number
    }
}
