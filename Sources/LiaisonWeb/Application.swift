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
    /// How the outbox is delivered; nil: mail stays queued (tests that do not send mail).
    public var mail: MailSettings?

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseConfiguration, seed: Bool = true,
                mail: MailSettings? = nil) {
        self.host = host
        self.port = port
        self.database = database
        self.seed = seed
        self.mail = mail
    }
}

/// Where mail goes and whom it comes from.
public struct MailSettings: Sendable {
    public var transport: any MailTransport
    public var from: String
    /// How often the outbox is looked at.
    public var interval: Duration

    public init(transport: any MailTransport, from: String, interval: Duration = .seconds(5)) {
        self.transport = transport
        self.from = from
        self.interval = interval
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
    if let mail = configuration.mail {
        app.addServices(MailService(sender: try MailSender(store: store, transport: mail.transport, from: mail.from, logger: logger),
                                    interval: mail.interval, logger: logger))
    }
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

/// Delivers the outbox every few seconds until the application stops. A message queued just before a stop
/// stays in the outbox and goes out after the next start.
struct MailService: Service {
    let sender: MailSender
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let done = try await sender.deliverDue()
                    if done.sent > 0 { logger.info("mail: \(done.sent) sent") }
                    if done.failed > 0 { logger.warning("mail: \(done.failed) not sent (retried later unless out of attempts)") }
                } catch {
                    logger.error("mail: the outbox could not be read: \(String(describing: error))")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
