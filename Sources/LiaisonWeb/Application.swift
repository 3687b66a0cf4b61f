import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore
import Logging

/// The application `liaison serve` runs, over services built from the same settings: the routes, and the
/// background work. Tests build it the same way (`composeApplication`).
public func buildApplication(_ services: Services, settings: Settings, logger: Logger = Logger(label: "liaison")) async throws
    -> some ApplicationProtocol
{
    try await composeApplication(services, settings: settings, logger: logger).application
}

/// The application and the routes it serves (which the permission-matrix and OpenAPI tests read).
func composeApplication(_ services: Services, settings: Settings, logger: Logger) async throws
    -> (application: Application<RouterResponder<AppRequestContext>>, routes: [Router<AppRequestContext>.RouteDescription])
{
    let router = buildRouter(services, renderer: try await PageRenderer.load(contact: services.contact.address))
    // Read before the application is made: making its responder adds the HEAD twin of every GET route.
    let routes = router.routes
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Liaison"),
        logger: logger)
    app.addServices(try services.background(settings, logger: logger))
    if let port = settings.metricsPort {
        app.addServices(Telemetry.application(services, host: settings.metricsHost, port: port, logger: logger))
    }
    return (app, routes)
}

/// The routes of the application.
func buildRouter(_ services: Services, renderer: PageRenderer) -> Router<AppRequestContext> {
    let (catalogue, accounts, liveness) = (services.catalogue, services.accounts, services.liveness)
    // HEAD answers as GET does, without the body (RFC 9110), on every route.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Requests by route and status, with their durations, for /metrics (on its own port): outermost, so that every
    // answer is counted with the status it went out with.
    Telemetry.start()
    router.add(middleware: MetricsMiddleware())
    // First, so that every page, error pages included, sets its cookies as the site's address requires.
    router.add(middleware: CookieSettingsMiddleware(secure: accounts.settings.secureCookies))
    // Outermost, so that error pages and problem documents carry the headers too.
    router.add(middleware: SecurityHeadersMiddleware())
    // The open data and the API may be read from any site's scripts (GET only, no cookies: `*`), errors included.
    router.add(middleware: CrossOriginMiddleware())
    // What fails before a route is reached is answered here, for the audience of the path.
    let (answers, methods) = (ErrorAnswers(renderer: renderer), RouteMethods())
    router.add(middleware: ErrorMiddleware(answers: answers, routes: methods))
    if let statics = Bundle.module.resourceURL?.appendingPathComponent("static").path {
        router.add(middleware: FileMiddleware(statics, urlBasePath: "/static", searchForIndexHtml: false))
    }
    // A method a route's path does not answer: 405 before a session or a form token is looked at.
    router.add(middleware: AllowedMethodsMiddleware(routes: methods))
    // Every query string is held to one set of limits before any route reads it.
    router.add(middleware: QueryCheckMiddleware())
    // After the static files, so that they never wait for a session lookup.
    router.add(middleware: AccountMiddleware(accounts: accounts))
    // Two groups of routes, each answering its errors for its audience, inside the account middleware (an error
    // page shows the header of the person signed in, and the cookie of an ended session is cleared on it too).
    // Every route states what it needs (`Routes`); the permission-matrix test checks that none is missing.
    let api = Routes(router, for: .api, answers: answers, methods: methods)
    let routes = Routes(router, for: .pages, answers: answers, methods: methods)
    api.get("/healthz", needs: .anyone) { _, _ -> HealthReport in
        HealthReport(status: "ok", networks: catalogue.snapshot.networks.count, revision: catalogue.snapshot.revision)
    }
    NetworksAPI(catalogue: catalogue).addRoutes(to: api)
    PartiesAPI(catalogue: catalogue).addRoutes(to: api)
    ReferenceAPI(catalogue: catalogue).addRoutes(to: api)
    DiscoveryAPI(catalogue: catalogue, proposals: services.proposals).addRoutes(to: api)
    CataloguePages(catalogue: catalogue, renderer: renderer, liveness: liveness, directory: services.directory, meetings: services.meetings,
                   library: services.library, site: accounts.settings.publicURL).addRoutes(to: routes)
    OpenDataPages(files: services.openData, changes: services.changes, renderer: renderer, site: accounts.settings.publicURL).addRoutes(api: api, pages: routes)
    DiscoveryPages(catalogue: catalogue, renderer: renderer, directory: services.directory).addRoutes(to: routes)
    let signIn = SignInPages(accounts: accounts, catalogue: catalogue, renderer: renderer)
    signIn.addRoutes(to: routes)
    AccountPages(accounts: accounts, meetings: services.meetings, lists: services.lists, catalogue: catalogue, renderer: renderer, pages: signIn).addRoutes(to: routes)
    AdminPages(accounts: accounts, catalogue: catalogue, pages: signIn, administration: services.administration).addRoutes(to: routes)
    VerificationPages(liveness: liveness, pages: signIn).addRoutes(to: routes)
    let (curation, proposals) = (services.curation, services.proposals)
    EditPages(catalogue: catalogue, curation: curation, pages: signIn).addRoutes(to: routes)
    MembersPages(catalogue: catalogue, curation: curation, pages: signIn).addRoutes(to: routes)
    ProposalPages(catalogue: catalogue, proposals: proposals, pages: signIn).addRoutes(to: routes)
    ReportPages(catalogue: catalogue, proposals: proposals, pages: signIn).addRoutes(to: routes)
    ContactPages(contact: services.contact, pages: signIn).addRoutes(to: routes)
    DirectoryPages(directory: services.directory, catalogue: catalogue, pages: signIn).addRoutes(to: routes)
    MeetingPages(meetings: services.meetings, pages: signIn).addRoutes(to: routes)
    InvitationPages(meetings: services.meetings, catalogue: catalogue, pages: signIn).addRoutes(to: routes)
    ListPages(lists: services.lists, pages: signIn).addRoutes(to: routes)
    LibraryPages(library: services.library, catalogue: catalogue, pages: signIn).addRoutes(to: routes)
    DiscussionPages(discussions: services.discussions, pages: signIn).addRoutes(to: routes)
    SurveyPages(surveys: services.surveys, catalogue: catalogue, pages: signIn).addRoutes(to: routes)
    OwnEntryPages(directory: services.directory, catalogue: catalogue, pages: signIn).addRoutes(to: routes)
    YourNetworksPages(catalogue: catalogue, proposals: proposals, liveness: liveness, pages: signIn).addRoutes(to: routes)
    DashboardPages(catalogue: catalogue, liveness: liveness, curation: curation, proposals: proposals, pages: signIn).addRoutes(to: routes)
    ChangesPages(catalogue: catalogue, curation: curation, pages: signIn, site: accounts.settings.publicURL).addRoutes(to: routes)
    return router
}

struct HealthReport: ResponseEncodable {
    let status: String
    let networks: Int
    let revision: Int64
}
