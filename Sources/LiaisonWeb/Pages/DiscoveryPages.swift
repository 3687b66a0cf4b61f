import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// `/finder`, `/overlaps` and `/statistics`.
struct DiscoveryPages {
    let catalogue: LiveCatalogue
    let renderer: PageRenderer
    let directory: DirectoryService

    func addRoutes(to routes: Routes) {
        routes.get("/finder", needs: .anyone, use: finderPage)
        routes.get("/overlaps", needs: .anyone, use: overlapsPage)
        routes.get("/statistics", needs: .anyone, use: statisticsPage)
    }

    /// GET /finder
    func finderPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let snapshot = catalogue.snapshot
        let parameters = request.queryFields
        let asked = !parameters.getAll("from").allSatisfy(\.isEmpty) || !parameters.getAll("to").allSatisfy(\.isEmpty)
        let layout = Layout(request: request, context: context) { $0["finder_title"] }
        do {
            let finderRequest = asked ? try FinderParameters.request(FilterParameters.withoutEmpty(parameters), catalogue: snapshot).request : nil
            let result = finderRequest.map { CaseFinder(catalogue: snapshot).find($0) }
            // Whom to call, beside the networks, for those who may read the directory: its contact points for each
            // country (those of the networks offered first), and the liaison magistrates posted between the countries.
            var whom: WhomToCall?
            var whomLimited: String?
            if let finderRequest, let result {
                let networks = (result.answers.prefix(10).map(\.network.slug) + (result.plan?.steps.map(\.answer.network.slug) ?? [])
                    + result.partial.prefix(5).map(\.network.slug))
                do {
                    if let entries = try await directory.whomToCall(countries: finderRequest.parties, by: context.principal) {
                        whom = WhomToCall(entries, countries: finderRequest.parties, networks: Set(networks), catalogue: snapshot,
                                          now: directory.now(), t: layout.localizer)
                    }
                } catch AccountError.throttled(let until) {
                    // Past the hourly allowance of directory lists: the networks still, the people later.
                    whomLimited = DirectoryPages.throttledMessage(until: until, t: layout.localizer)
                }
            }
            var page = FinderPage(snapshot, request: finderRequest, result: result, t: layout.localizer)
            page.whom = whom
            page.whomLimited = whomLimited
            page.directoryHint = finderRequest != nil && whom == nil && whomLimited == nil
            var response = renderer.render("finder", page, layout: layout)
            // Names of practitioners are on the page: no cache keeps it.
            if whom != nil { response.headers[.cacheControl] = "no-store" }
            return response
        } catch let error as InputError {
            // A country missing or chosen twice: the form again, as filled in, with what to change.
            let page = FinderPage(snapshot, request: nil, t: layout.localizer, refused: error, chosen: parameters)
            return renderer.render("finder", page, layout: layout, status: .badRequest)
        }
    }

    /// GET /overlaps
    func overlapsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fullOnly = try FinderParameters.boolean(request.queryFields, "full_members_only")
        let layout = Layout(request: request, context: context, section: "/statistics") { $0["overlaps_title"] }
        return renderer.render("overlaps", OverlapsPage(catalogue.snapshot, fullMembersOnly: fullOnly, t: layout.localizer), layout: layout)
    }

    /// GET /statistics
    func statisticsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let layout = Layout(request: request, context: context) { $0["statistics_title"] }
        return renderer.render("statistics", StatisticsPage(catalogue.snapshot, t: layout.localizer), layout: layout)
    }
}

struct FinderPage {
    struct AnswerItem {
        let url: String
        let name: String
        let explanation: String
        let inactive: Bool
        let status: String
    }

    struct PairItem {
        let first: AnswerItem
        let second: AnswerItem
        let links: String
    }

    /// One select of the other countries: the first is required, each further one optional; one more than those
    /// chosen is offered, so any number can be asked for without JavaScript.
    struct CountrySelect {
        let id: String
        let label: String
        let empty: String
        let options: [Choice]
    }

    struct PlanItem {
        struct Step {
            let title: String
            let url: String
            let explanation: String
        }

        let heading: String
        let steps: [Step]
        let unreachable: String?
    }

    let fromOptions: [Choice]
    let toSelects: [CountrySelect]
    let crimeOptions: [Choice]
    let instrumentOptions: [Choice]
    let asked: Bool
    /// The answer's own address (the countries, crime area and instrument asked), to send or bookmark.
    let shareURL: String?
    /// What a printed answer says of itself: the day it was given and the catalogue's revision.
    let asOf: String?
    let message: String?
    let answers: [AnswerItem]
    let partial: [AnswerItem]
    let pairs: [PairItem]
    let plan: PlanItem?
    /// Networks open to any country, their members not listed: offered as such.
    let open: [AnswerItem]
    let hasOpen: Bool
    /// Why the request was refused (a country missing or chosen twice), in the reader's language.
    let refusal: String?
    // Stored, not computed: templates see stored properties only.
    let hasPartial: Bool
    let hasPairs: Bool

    /// Whom to call (from the directory), for those who may read it.
    var whom: WhomToCall?
    /// Why the people are missing: the account listed as much of the directory as it may this hour.
    var whomLimited: String?
    /// The answer says that practitioners with a second factor see whom to call here.
    var directoryHint = false

    init(_ catalogue: Catalogue, request: CaseFinder.Request?, result given: CaseFinder.Result? = nil, t: Localizer, refused: InputError? = nil,
         chosen: Parameters? = nil) {
        let countries = catalogue.participatingParties.filter(\.isCountryLevel)
        // A refused request shows the form as it was filled in.
        let parties: [String] = request?.parties ?? Self.chosen(chosen)
        refusal = refused.map { error in
            switch error {
            case .missingField("from"): t["finder_missing_from"]
            case .missingField("to"): t["finder_missing_to"]
            default: error.description
            }
        }
        fromOptions = HomePage.countryOptions(countries, selected: parties.first, t: t)
        let others = Array(parties.dropFirst())
        toSelects = (0...max(1, others.count)).map { i -> CountrySelect in
            let first = i == 0
            let selected: String? = i < others.count ? others[i] : nil
            return CountrySelect(id: first ? "to" : "to\(i + 1)", label: t[first ? "finder_to" : "finder_also"],
                                 empty: t[first ? "finder_choose" : "finder_none_chosen"],
                                 options: HomePage.countryOptions(countries, selected: selected, t: t))
        }
        crimeOptions = CrimeArea.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language),
                                                                selected: request?.crimeAreas.contains($0) == true) }
        instrumentOptions = Instrument.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language),
                                                                      selected: request?.instruments.contains($0) == true) }
        guard let request else {
            asked = false; message = nil; answers = []; partial = []; pairs = []; plan = nil; open = []; hasOpen = false
            shareURL = nil; asOf = nil
            hasPartial = false; hasPairs = false
            return
        }
        asked = true
        var query = URLComponents()
        var items = [URLQueryItem(name: "from", value: request.parties.first)]
        items += request.parties.dropFirst().map { URLQueryItem(name: "to", value: $0) }
        items += request.crimeAreas.map(\.rawValue).sorted().map { URLQueryItem(name: "crime_area", value: $0) }
        items += request.instruments.map(\.rawValue).sorted().map { URLQueryItem(name: "instrument", value: $0) }
        items.append(URLQueryItem(name: "lang", value: t.language.rawValue))
        query.queryItems = items
        shareURL = "/finder?" + (query.percentEncodedQuery ?? "")
        asOf = t.format("finder_as_of", ["revision": catalogue.revision, "date": t.date(Date())])
        let result = given ?? CaseFinder(catalogue: catalogue).find(request)
        let names = request.parties.compactMap { catalogue.party(id: $0)?.name(t.language) }.joined(separator: ", ")
        func item(_ answer: CaseFinder.Answer) -> AnswerItem {
            AnswerItem(url: "/networks/\(answer.network.slug)", name: answer.network.localizedDisplayName(t.language),
                       explanation: FinderExplanation.line(answer, catalogue: catalogue, t: t),
                       inactive: answer.network.status.value != .active, status: t.status(answer.network.status))
        }
        message = result.answers.isEmpty
            ? t.format("finder_none", ["names": names])
            : t.format(result.answers.count == 1 ? "finder_found.one" : "finder_found.other", ["count": result.answers.count, "names": names])
        answers = result.answers.map(item)
        partial = result.partial.map(item)
        pairs = result.pairs.map { pair in
            PairItem(first: item(pair.first), second: item(pair.second),
                     links: pair.links.map { FinderExplanation.link($0, catalogue: catalogue, t: t) }.joined(separator: " · "))
        }
        plan = result.plan.map { Self.plan($0, parties: request.parties, catalogue: catalogue, t: t) }
        open = result.open.map { network in
            AnswerItem(url: "/networks/\(network.slug)", name: network.localizedDisplayName(t.language), explanation: t["open_membership_text"], inactive: false,
                       status: t.status(network.status))
        }
        hasOpen = !open.isEmpty
        hasPartial = !partial.isEmpty
        hasPairs = !pairs.isEmpty
    }
}

extension FinderPage {
    /// The countries of a refused request, as the form had them: the first `from`, then every `to` chosen.
    static func chosen(_ parameters: Parameters?) -> [String] {
        guard let parameters else { return [] }
        // At most as many as a request may name: a refused request of thousands of values gets no thousand selects.
        let from = parameters.getAll("from").filter { !$0.isEmpty }.prefix(1)
        return Array(from) + parameters.getAll("to").filter { !$0.isEmpty }.prefix(TextRules.partyLimit)
    }

    static func plan(_ plan: CaseFinder.Plan, parties: [String], catalogue: Catalogue, t: Localizer) -> PlanItem {
        let name = { (id: String) in catalogue.party(id: id)?.name(t.language) ?? id }
        let covered = parties.filter { !plan.unreachable.contains($0) }.map(name)
        return PlanItem(
            heading: t.count("finder_plan", plan.steps.count, ["parties": covered.joined(separator: ", ")]),
            steps: plan.steps.map { step in
                PlanItem.Step(title: t.format("finder_plan_step", ["network": step.answer.network.localizedDisplayName(t.language),
                                                                  "parties": step.reaches.map(name).joined(separator: ", ")]),
                              url: "/networks/\(step.answer.network.slug)",
                              explanation: FinderExplanation.line(step.answer, catalogue: catalogue, t: t))
            },
            unreachable: plan.unreachable.isEmpty ? nil
                : t.format("finder_plan_unreachable", ["parties": plan.unreachable.map(name).joined(separator: ", ")]))
    }
}

struct OverlapsPage {
    struct Row {
        let firstURL: String
        let first: String
        let secondURL: String
        let second: String
        let similarity: String
        let shared: Int
        let union: Int
    }

    let fullMembersOnly: Bool
    let switchURL: String
    let switchLabel: String
    let rows: [Row]
    let identical: [Row]
    let graph: GraphPicture

    init(_ catalogue: Catalogue, fullMembersOnly: Bool, t: Localizer) {
        self.fullMembersOnly = fullMembersOnly
        switchURL = fullMembersOnly ? "/overlaps" : "/overlaps?full_members_only=true"
        switchLabel = t[fullMembersOnly ? "overlaps_all_roles" : "overlaps_full_only"]
        let ranked = Overlaps(catalogue: catalogue, fullMembersOnly: fullMembersOnly).ranked()
        // The picture: the pairs of the table (the identical ones are one network printed twice: not drawn).
        graph = GraphPicture(pairs: Array(ranked.filter { $0.similarity < 1 }.prefix(30)), catalogue: catalogue, t: t)
        let percent = FloatingPointFormatStyle<Double>.Percent.percent.precision(.fractionLength(0)).locale(Locale(identifier: t.language.rawValue))
        func row(_ pair: Overlaps.Pair) -> Row {
            Row(firstURL: "/networks/\(pair.first.slug)", first: pair.first.localizedDisplayName(t.language), secondURL: "/networks/\(pair.second.slug)",
                second: pair.second.localizedDisplayName(t.language), similarity: pair.similarity.formatted(percent), shared: pair.shared, union: pair.union)
        }
        // The 30 most similar pairs that are not identical (the identical ones have a list of their own).
        rows = ranked.filter { $0.similarity < 1 }.prefix(30).map(row)
        identical = ranked.filter { $0.similarity >= 1 }.map(row)
    }
}

struct StatisticsPage {
    struct PartyRow {
        let url: String
        let name: String
        let code: String?
        let networks: Int
        let members: Int
        let other: Int
    }

    let summary: String
    let parties: [PartyRow]
    let bySection: [LabelledCount]
    let byScope: [LabelledCount]
    let byCrimeArea: [LabelledCount]
    let byInstrument: [LabelledCount]
    let byRole: [LabelledCount]
    /// How many networks each country takes part in, as a map with its table.
    let maps: [MapPicture]
    /// The figures below as bar charts, each beside its list.
    let sectionChart: BarChart
    let scopeChart: BarChart
    let crimeAreaChart: BarChart
    let instrumentChart: BarChart
    let roleChart: BarChart

    init(_ catalogue: Catalogue, t: Localizer) {
        let statistics = CatalogueStatistics(catalogue: catalogue, eachNetworkOnce: true)
        summary = [t.count("count_networks", statistics.networks), t.count("count_memberships", statistics.memberships)]
            .joined(separator: " · ")
        parties = statistics.parties.prefix(40).map { figure in
            let members = figure.byRole[.member] ?? 0
            return PartyRow(url: PartyItem.url(figure.party), name: figure.party.name(t.language), code: figure.party.code,
                            networks: figure.networks, members: members, other: figure.networks - members)
        }
        func counted<V: Vocabulary>(_ list: [(V, Int)], _ parameter: String?) -> [LabelledCount] {
            list.map { value, count in
                LabelledCount(label: value.label(t.language), url: parameter.map { "/networks?\($0)=\(value.rawValue)" } ?? "", count: count)
            }
        }
        bySection = counted(statistics.bySection, "section")
        byScope = counted(statistics.byScope, "scope")
        byCrimeArea = counted(statistics.byCrimeArea, "crime_area")
        byInstrument = counted(statistics.byInstrument, "instrument")
        byRole = counted(statistics.membershipsByRole, nil)
        var map = MapPicture.networksPerCountry(statistics, t: t)
        map.tableFolded = true
        maps = [map]
        func chart(_ id: String, _ title: String, _ counts: [LabelledCount]) -> BarChart {
            BarChart(id: id, title: t[title], counts: counts.map { ($0.label, $0.count) })
        }
        sectionChart = chart("chart-section", "facet_section", bySection)
        scopeChart = chart("chart-scope", "facet_scope", byScope)
        crimeAreaChart = chart("chart-crime", "facet_crime_area", byCrimeArea)
        instrumentChart = chart("chart-instrument", "facet_instrument", byInstrument)
        roleChart = chart("chart-role", "statistics_memberships_by_role", byRole)
    }
}
