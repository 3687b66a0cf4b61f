import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
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
    /// Sessions, links and sign-in rules; links in mail start with its `publicURL`.
    public var accounts: AccountSettings
    /// When the daily link check first runs after start (nil: no daily check; `liaison check-links` runs one).
    public var linkChecksAfter: Duration?

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseConfiguration, seed: Bool = true,
                mail: MailSettings? = nil, accounts: AccountSettings? = nil, linkChecksAfter: Duration? = nil) {
        self.host = host
        self.port = port
        self.database = database
        self.seed = seed
        self.mail = mail
        self.accounts = accounts ?? AccountSettings(publicURL: "http://\(host):\(port)")
        self.linkChecksAfter = linkChecksAfter
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
    let services = try await Services.build(.init(database: configuration.database, seed: configuration.seed, accounts: configuration.accounts),
                                            logger: logger)
    let store = services.store
    var app = Application(
        router: buildRouter(services, renderer: try await PageRenderer.load()),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Liaison"),
        logger: logger)
    app.addServices(StoreService(store: store))
    app.addServices(SessionCleaner(store: store, settings: configuration.accounts, logger: logger))
    app.addServices(CatalogueFollower(catalogue: services.catalogue, logger: logger))
    if let after = configuration.linkChecksAfter {
        app.addServices(LivenessDaily(liveness: services.liveness, firstRunAfter: after, logger: logger))
    }
    if let mail = configuration.mail {
        app.addServices(MailService(sender: try MailSender(store: store, transport: mail.transport, from: mail.from, logger: logger),
                                    interval: mail.interval, logger: logger))
    }
    return app
}

/// The routes of the application.
func buildRouter(_ services: Services, renderer: PageRenderer) -> Router<AppRequestContext> {
    let (catalogue, accounts, liveness) = (services.catalogue, services.accounts, services.liveness)
    // HEAD answers as GET does, without the body (RFC 9110), on every route.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    // First, so that every page, error pages included, sets its cookies as the site's address requires.
    router.add(middleware: CookieSettingsMiddleware(secure: accounts.settings.secureCookies))
    // Outermost, so that error pages and problem documents carry the headers too.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(renderer: renderer))
    if let statics = Bundle.module.resourceURL?.appendingPathComponent("static").path {
        router.add(middleware: FileMiddleware(statics, urlBasePath: "/static", searchForIndexHtml: false))
    }
    // A method a route's path does not answer: 405 before a session or a form token is looked at.
    let methods = RouteMethods()
    router.add(middleware: AllowedMethodsMiddleware(routes: methods, renderer: renderer))
    // Every query string is held to one set of limits before any route reads it.
    router.add(middleware: QueryCheckMiddleware())
    // After the static files, so that they never wait for a session lookup.
    router.add(middleware: AccountMiddleware(accounts: accounts))
    // Errors of the routes become pages here, inside the account middleware: an error page shows the header of
    // the person signed in, and the cookie of an ended session is cleared on it too. A path no route serves goes
    // on out to the static files.
    router.add(middleware: ErrorMiddleware(renderer: renderer, passesUnmatchedPaths: true))
    // Every route states what it needs (`Routes`); the permission-matrix test checks that none is missing.
    let routes = Routes(router: router, methods: methods)
    routes.get("/healthz", needs: .anyone) { _, _ -> HealthReport in
        HealthReport(status: "ok", networks: catalogue.snapshot.networks.count, revision: catalogue.snapshot.revision)
    }
    NetworksAPI(catalogue: catalogue).addRoutes(to: routes)
    PartiesAPI(catalogue: catalogue).addRoutes(to: routes)
    ReferenceAPI(catalogue: catalogue).addRoutes(to: routes)
    DiscoveryAPI(catalogue: catalogue).addRoutes(to: routes)
    CataloguePages(catalogue: catalogue, renderer: renderer, liveness: liveness).addRoutes(to: routes)
    DiscoveryPages(catalogue: catalogue, renderer: renderer).addRoutes(to: routes)
    let signIn = SignInPages(accounts: accounts, catalogue: catalogue, renderer: renderer)
    signIn.addRoutes(to: routes)
    AccountPages(accounts: accounts, catalogue: catalogue, renderer: renderer, pages: signIn).addRoutes(to: routes)
    AdminPages(accounts: accounts, catalogue: catalogue, pages: signIn, administration: services.administration).addRoutes(to: routes)
    VerificationPages(liveness: liveness, pages: signIn).addRoutes(to: routes)
    let (curation, proposals) = (services.curation, services.proposals)
    EditPages(catalogue: catalogue, curation: curation, pages: signIn).addRoutes(to: routes)
    MembersPages(catalogue: catalogue, curation: curation, pages: signIn).addRoutes(to: routes)
    ProposalPages(catalogue: catalogue, proposals: proposals, pages: signIn).addRoutes(to: routes)
    DashboardPages(catalogue: catalogue, liveness: liveness, curation: curation, proposals: proposals, pages: signIn).addRoutes(to: routes)
    ChangesPages(catalogue: catalogue, curation: curation, pages: signIn, site: accounts.settings.publicURL).addRoutes(to: routes)
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

/// Removes ended sessions and old sign-in failures every ten minutes.
struct SessionCleaner: Service {
    let store: CatalogueStore
    let settings: AccountSettings
    let logger: Logger

    func run() async throws {
        try await repeatUntilShutdown(every: .seconds(600)) {
            do {
                let now = settings.now()
                try await store.purgeSessions(now: now, idleBefore: now.addingTimeInterval(-settings.sessionIdle),
                                              failuresBefore: now.addingTimeInterval(-settings.throttleWindow))
            } catch {
                logger.error("sessions: could not remove ended sessions: \(String(describing: error))")
            }
        }
    }
}

/// Every ten seconds, takes in what other instances sharing the database (or the command line) wrote: one query
/// for the latest revision, and a load only when there is something new.
struct CatalogueFollower: Service {
    let catalogue: LiveCatalogue
    let logger: Logger

    func run() async throws {
        try await repeatUntilShutdown(every: .seconds(10)) {
            do {
                if try await catalogue.follow() {
                    logger.info("catalogue: revisions written elsewhere taken in (now at revision \(catalogue.snapshot.revision))")
                }
            } catch {
                logger.error("catalogue: could not check for revisions written elsewhere: \(String(describing: error))")
            }
        }
    }
}

/// Delivers the outbox every few seconds until the application stops. A message queued just before a stop
/// stays in the outbox and goes out after the next start.
struct MailService: Service {
    let sender: MailSender
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await repeatUntilShutdown(every: interval) {
            do {
                let done = try await sender.deliverDue()
                if done.sent > 0 { logger.info("mail: \(done.sent) sent") }
                if done.failed > 0 { logger.warning("mail: \(done.failed) not sent (retried later unless out of attempts)") }
            } catch {
                logger.error("mail: the outbox could not be read: \(String(describing: error))")
            }
        }
    }
}

/// Runs `work`, waits `interval`, and again, until the application stops (a wait is cut short by the stop).
func repeatUntilShutdown(every interval: Duration, _ work: @escaping @Sendable () async -> Void) async throws {
    try? await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            await work()
            try await Task.sleep(for: interval)
        }
    }
}
