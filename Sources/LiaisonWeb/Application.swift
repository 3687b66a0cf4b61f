import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore
import Logging
import ServiceLifecycle

/// What `liaison serve` needs to run; tests build the same application from the same configuration.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseConfiguration
    /// Load the 2017 catalogue into a database that has never held data.
    public var seed: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseConfiguration, seed: Bool = true) {
        self.host = host
        self.port = port
        self.database = database
        self.seed = seed
    }
}

/// Opens the store, migrates it, loads the catalogue and returns the application that serves it.
public func buildApplication(_ configuration: AppConfiguration, logger: Logger = Logger(label: "liaison")) async throws
    -> some ApplicationProtocol
{
    let store = try await CatalogueStore.open(configuration.database, logger: logger)
    let catalogue: LiveCatalogue
    do {
        catalogue = try await LiveCatalogue.start(store: store, seed: configuration.seed, logger: logger)
    } catch {
        try? await store.close()
        throw error
    }
    var app = Application(
        router: buildRouter(catalogue: catalogue, renderer: try await PageRenderer.load()),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Liaison"),
        logger: logger)
    app.addServices(StoreService(store: store))
    return app
}

/// The routes of the application.
func buildRouter(catalogue: LiveCatalogue, renderer: PageRenderer) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    // Outermost, so that error pages and problem documents carry the headers too.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(renderer: renderer))
    if let statics = Bundle.module.resourceURL?.appendingPathComponent("static").path {
        router.add(middleware: FileMiddleware(statics, urlBasePath: "/static", searchForIndexHtml: false))
    }
    router.get("/healthz") { _, _ -> HealthReport in
        HealthReport(status: "ok", networks: catalogue.snapshot.networks.count, revision: catalogue.snapshot.revision)
    }
    NetworksAPI(catalogue: catalogue).addRoutes(to: router.group("api/v1/networks"))
    PartiesAPI(catalogue: catalogue).addRoutes(to: router.group("api/v1/parties"))
    ReferenceAPI(catalogue: catalogue).addRoutes(to: router.group("api/v1"))
    DiscoveryAPI(catalogue: catalogue).addRoutes(to: router.group("api/v1"))
    CataloguePages(catalogue: catalogue, renderer: renderer).addRoutes(to: router)
    DiscoveryPages(catalogue: catalogue, renderer: renderer).addRoutes(to: router)
    return router
}

struct HealthReport: ResponseEncodable {
    let status: String
    let networks: Int
    let revision: Int64
}

/// Closes the database when the application stops.
struct StoreService: Service {
    let store: CatalogueStore

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
    }
}
