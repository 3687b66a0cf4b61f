import Foundation
import Synchronization
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// The public pages of the catalogue.
struct CataloguePages {
    let catalogue: LiveCatalogue
    let renderer: PageRenderer
    let liveness: LivenessMonitor
    let directory: DirectoryService
    let meetings: MeetingService
    let library: LibraryService
    /// The public address linked data names things by.
    let site: String
    /// Each network's JSON-LD as of the snapshot's revision: made once, not on every view of its page.
    let linkedData = LinkedDataDocuments()

    func addRoutes(to routes: Routes) {
        routes.get("/", needs: .anyone, use: homePage)
        routes.get("/networks", needs: .anyone, use: networksPage)
        routes.get("/networks/:slug", needs: .anyone, use: networkPage)
        routes.get("/networks/{slug}.jsonld", needs: .anyone, use: networkLinkedData)
        routes.get("/countries", needs: .anyone, use: countriesPage)
        routes.get("/countries/:code", needs: .anyone, use: countryPage)
        routes.get("/organisations/:slug", needs: .anyone, use: organisationPage)
        routes.get("/about", needs: .anyone, use: aboutPage)
    }

    /// GET /
    func homePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let layout = Layout(request: request, context: context)
        return renderer.render("home", HomePage(catalogue.snapshot, t: layout.localizer), layout: layout)
    }

    /// GET /networks
    func networksPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let snapshot = catalogue.snapshot
        // A page's form sends its "any" choices as empty values: none of them filters.
        let parameters = FilterParameters.withoutEmpty(request.queryFields)
        var filter = try FilterParameters.filter(parameters, catalogue: snapshot)
        filter.eachNetworkOnce = true
        let (page, _) = try FilterParameters.paging(parameters)
        let kept = parameters.filter { FilterParameters.names.contains(String($0.key)) }
            .map { (String($0.key), String($0.value)) }
        let layout = Layout(request: request, context: context) { $0["networks_title"] }
        return renderer.render("networks", try NetworkListPage(snapshot, filter: filter, page: page, parameters: kept, t: layout.localizer),
                               layout: layout)
    }

    /// GET /networks/:slug
    func networkPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let snapshot = catalogue.snapshot
        guard let network = snapshot.network(slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
        var layout = Layout(request: request, context: context, section: "/networks") { network.localizedDisplayName($0.language) }
        layout.linkedData = String(decoding: try linkedData.document(network, in: snapshot, site: site), as: UTF8.self)
        var page = NetworkPage(network, in: snapshot, t: layout.localizer)
        page.canEdit = Policy.allows(context.principal, .editNetwork(slug: network.slug))
        // What the person just did, said: an edit saved, a confirmation recorded.
        let done = request.queryFields
        page.notice = done["saved"] == "1" ? layout.localizer["notice_saved"] : done["confirmed"] == "1" ? layout.localizer["notice_confirmed"] : nil
        // Liveness is a line of the page, not a reason to refuse the page: without it, the rest is shown.
        if let (verified, reasons) = try? await liveness.status(of: network) {
            page.verification = VerificationItem(lastVerified: verified, asPrinted: network.row != nil, reasons: reasons, canConfirm: page.canEdit,
                                                 slug: network.slug, t: layout.localizer)
        }
        // The meetings to come its people are invited to (what they are, not who is invited), and its library: read
        // from the database; while it cannot be reached, the page is the catalogue's entry without them.
        do {
            page.meetings = try await meetings.upcoming(forNetwork: network.slug).map { MeetingItem($0, t: layout.localizer) }
            page.hasMeetings = !page.meetings.isEmpty
            page.library = LibrarySection(try await library.documents(about: .network, network.slug, by: context.principal), facet: .network,
                                          value: network.slug, catalogue: snapshot, t: layout.localizer)
        } catch is DatabaseUnavailable {
            page.meetings = []
            page.hasMeetings = false
        }
        var response = renderer.render("network", page, layout: layout)
        if page.library.restricted { response.headers[.cacheControl] = "no-store" }
        return response
    }

    /// GET /networks/{slug}.jsonld — the network as JSON-LD in the schema.org vocabulary (`LinkedData`).
    func networkLinkedData(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let snapshot = catalogue.snapshot
        guard let network = snapshot.network(slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
        // (Readable by other sites' scripts: `CrossOriginMiddleware`.)
        return Response(status: .ok, headers: [.contentType: LinkedData.mediaType],
                        body: .init(byteBuffer: ByteBuffer(bytes: try linkedData.document(network, in: snapshot, site: site))))
    }

    /// GET /countries
    func countriesPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // The country picker of the home page submits here.
        if let code = request.queryFields["code"].map(String.init), !code.isEmpty {
            let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-"))
            return Response(status: .seeOther, headers: [.location: "/countries/\(code.addingPercentEncoding(withAllowedCharacters: safe) ?? "")"])
        }
        let layout = Layout(request: request, context: context) { $0["countries_title"] }
        return renderer.render("countries", CountryListPage(catalogue.snapshot, t: layout.localizer), layout: layout)
    }

    /// GET /countries/:code
    func countryPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await partyPage(request, context, id: try context.parameters.require("code"), countryLevel: true)
    }

    /// GET /organisations/:slug
    func organisationPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await partyPage(request, context, id: try context.parameters.require("slug"), countryLevel: false)
    }

    /// GET /about
    func aboutPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let layout = Layout(request: request, context: context) { $0["about_title"] }
        return renderer.render("about", AboutPage(t: layout.localizer), layout: layout)
    }

    func partyPage(_ request: Request, _ context: AppRequestContext, id: String, countryLevel: Bool) async throws -> Response {
        let snapshot = catalogue.snapshot
        guard let party = snapshot.party(id: id), party.isCountryLevel == countryLevel else { throw CatalogueError.partyNotFound(id: id) }
        if party.id != id {
            // One address per party: /countries/es → /countries/ES.
            return Response(status: .movedPermanently, headers: [.location: PartyItem.url(party)])
        }
        let layout = Layout(request: request, context: context, section: countryLevel ? "/countries" : nil) { party.name($0.language) }
        var page = PartyPage(party, in: snapshot, t: layout.localizer)
        // Its people in the restricted directory, for those who may read it (and then no cache keeps the page).
        do {
            if countryLevel, let found = try await directory.country(party.id, by: context.principal) {
                page.directory = CountryDirectory(party, inCountry: found.inCountry, postedBy: found.postedBy, catalogue: snapshot,
                                                  now: directory.now(), t: layout.localizer)
            }
        } catch AccountError.throttled(let until) {
            page.directoryLimited = DirectoryPages.throttledMessage(until: until, t: layout.localizer)
        }
        page.library = LibrarySection(try await library.documents(about: .country, party.id, by: context.principal), facet: .country,
                                      value: party.id, catalogue: snapshot, t: layout.localizer)
        var response = renderer.render("party", page, layout: layout)
        if page.directory != nil || page.library.restricted { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// `/about`: the source report, the inclusion criteria, how to propose a change.
struct AboutPage {
    let criteria: [String]

    init(t: Localizer) {
        criteria = InclusionCriterion.allCases.map { t["criterion.\($0.rawValue)"] }
    }
}

/// The body of the error pages.
struct ErrorPage {
    let heading: String
    let message: String
    let detail: String?
    /// The request's id, to quote to the secretariat.
    let reference: String
}

/// Networks' JSON-LD documents, each kept for the revision it was made at (a new revision makes them again as they are
/// asked for); at most `capacity` at once, all forgotten when full.
final class LinkedDataDocuments: Sendable {
    private let kept = Mutex<[String: (revision: Int64, document: Data)]>([:])
    let capacity = 2_000

    func document(_ network: Network, in snapshot: Catalogue, site: String) throws -> Data {
        if let found = kept.withLock({ $0[network.slug] }), found.revision == snapshot.revision { return found.document }
        let document = try LinkedData.document(network, in: snapshot, site: site)
        kept.withLock { documents in
            if documents.count >= capacity { documents.removeAll(keepingCapacity: true) }
            documents[network.slug] = (snapshot.revision, document)
        }
        return document
    }
}
