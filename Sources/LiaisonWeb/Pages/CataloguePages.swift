import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore

/// The public pages of the catalogue.
struct CataloguePages {
    let catalogue: LiveCatalogue
    let renderer: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, _ in
            let layout = Layout(request: request)
            return renderer.render("home", HomePage(catalogue.snapshot, t: layout.localizer), layout: layout)
        }
        router.get("/networks") { request, _ in
            let snapshot = catalogue.snapshot
            let parameters = request.uri.queryParameters
            let filter = try FilterParameters.filter(parameters, catalogue: snapshot)
            let (page, _) = try FilterParameters.paging(parameters)
            let kept = parameters.filter { FilterParameters.names.contains(String($0.key)) && !$0.value.isEmpty }
                .map { (String($0.key), String($0.value)) }
            let layout = Layout(request: request) { $0["networks_title"] }
            return renderer.render("networks", NetworkListPage(snapshot, filter: filter, page: page, parameters: kept, t: layout.localizer),
                                   layout: layout)
        }
        router.get("/networks/:slug") { request, context in
            let slug = try context.parameters.require("slug")
            let snapshot = catalogue.snapshot
            guard let network = snapshot.network(slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
            let layout = Layout(request: request, section: "/networks") { _ in network.displayName }
            return renderer.render("network", NetworkPage(network, in: snapshot, t: layout.localizer), layout: layout)
        }
        router.get("/countries") { request, _ -> Response in
            // The country picker of the home page submits here.
            if let code = request.uri.queryParameters["code"].map(String.init), !code.isEmpty {
                let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-"))
                return Response(status: .seeOther, headers: [.location: "/countries/\(code.addingPercentEncoding(withAllowedCharacters: safe) ?? "")"])
            }
            let layout = Layout(request: request) { $0["countries_title"] }
            return renderer.render("countries", CountryListPage(catalogue.snapshot, t: layout.localizer), layout: layout)
        }
        router.get("/countries/:code") { request, context in
            try partyPage(request, id: try context.parameters.require("code"), countryLevel: true)
        }
        router.get("/organisations/:slug") { request, context in
            try partyPage(request, id: try context.parameters.require("slug"), countryLevel: false)
        }
        router.get("/about") { request, _ in
            let layout = Layout(request: request) { $0["about_title"] }
            return renderer.render("about", AboutPage(t: layout.localizer), layout: layout)
        }
    }

    func partyPage(_ request: Request, id: String, countryLevel: Bool) throws -> Response {
        let snapshot = catalogue.snapshot
        guard let party = snapshot.party(id: id), party.isCountryLevel == countryLevel else { throw CatalogueError.partyNotFound(id: id) }
        if party.id != id {
            // One address per party: /countries/es → /countries/ES.
            return Response(status: .movedPermanently, headers: [.location: PartyItem.url(party)])
        }
        let layout = Layout(request: request, section: countryLevel ? "/countries" : nil) { party.name($0.language) }
        return renderer.render("party", PartyPage(party, in: snapshot, t: layout.localizer), layout: layout)
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
}
