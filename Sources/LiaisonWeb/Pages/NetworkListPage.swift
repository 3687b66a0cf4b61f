import Foundation
import LiaisonCore

/// `/networks`: the list with facets (each count respects the other filters), a search box and paging.
struct NetworkListPage {
    struct FacetGroup {
        let id: String
        let title: String
        let values: [FacetValue]
    }

    struct FacetValue {
        let label: String
        let count: Int
        let url: String
        let selected: Bool
    }

    let query: String
    let heading: String
    let summary: String
    let items: [NetworkItem]
    let facets: [FacetGroup]
    let partyOptions: [Choice]
    /// "Networks in which Spain and Ghana both take part", when parties are chosen.
    let chosenParties: String?
    let clearURL: String?
    let previousURL: String?
    let nextURL: String?
    let pageLabel: String?
    /// When no network has every word of the query: said so, with the networks having any of them.
    let anyWord: AnyWord?

    struct AnyWord {
        let notice: String
        let items: [NetworkItem]
        /// The case finder for the countries the query names, when it names two or more.
        let finderURL: String?
        let finderLabel: String?
    }

    static let perPage = 20
    /// How many networks matching any word are offered.
    static let anyWordCount = 10

    /// Throws for a page past the last (“page 99” of a list of 3): said, not shown empty.
    init(_ catalogue: Catalogue, filter: NetworkFilter, page: Int, parameters: [(String, String)], t: Localizer) throws {
        let (end, overflow) = page.multipliedReportingOverflow(by: Self.perPage)
        let answer = catalogue.query(filter, ranked: overflow ? .max : end).inNameOrder(of: catalogue, language: t.language, searched: !filter.query.isEmpty)
        let result = answer.page(page, perPage: Self.perPage)
        query = filter.query
        heading = t["networks_title"]
        summary = t.count("count_networks_found", result.total)
        items = result.items.map { hit in
            NetworkItem(catalogue.networks[hit.network],
                        snippet: filter.query.isEmpty ? [] : catalogue.snippet(for: hit, language: t.language), t: t)
        }
        let counts = answer.facets
        func group<V: Vocabulary>(_ id: String, _ titleKey: String, _ values: [(V, Int)], selected: Set<V>) -> FacetGroup {
            FacetGroup(id: id, title: t[titleKey], values: values.map { value, count in
                FacetValue(label: value.label(t.language), count: count,
                           url: Self.toggle(parameters, name: id, value: value.rawValue), selected: selected.contains(value))
            })
        }
        facets = [
            group("section", "facet_section", counts.sections, selected: filter.sections),
            group("scope", "facet_scope", counts.scopes, selected: filter.scopes),
            group("crime_area", "facet_crime_area", counts.crimeAreas, selected: filter.crimeAreas),
            group("instrument", "facet_instrument", counts.instruments, selected: filter.instruments),
            group("member_type", "facet_member_type", counts.memberTypes, selected: filter.memberTypes),
            group("status", "facet_status", counts.statuses, selected: filter.statuses),
            group("role", filter.parties.isEmpty ? "facet_role" : "facet_role_of_country", counts.roles, selected: filter.roles),
        ].filter { !$0.values.isEmpty }
        partyOptions = HomePage.countryOptions(catalogue.participatingParties.filter(\.isCountryLevel),
                                               selected: filter.parties.first, t: t)
        let names = filter.parties.compactMap { catalogue.party(id: $0)?.name(t.language) }
        chosenParties = names.isEmpty ? nil : t.format("filter_countries_chosen", ["names": names.joined(separator: ", ")])
        clearURL = filter.isEmpty ? nil : "/networks"
        let pages = max(1, (result.total + Self.perPage - 1) / Self.perPage)
        guard page <= pages else {
            throw InputError.invalidValue(field: "page", value: String(page), rule: "the list has \(pages) page\(pages == 1 ? "" : "s")")
        }
        let others = parameters.filter { $0.0 != "page" }
        previousURL = page > 1 ? PageURL.path("/networks", others + (page > 2 ? [("page", "\(page - 1)")] : [])) : nil
        nextURL = page < pages ? PageURL.path("/networks", others + [("page", "\(page + 1)")]) : nil
        pageLabel = pages > 1 ? t.format("page_of", ["page": page, "pages": pages]) : nil
        anyWord = result.total == 0 ? Self.anyWord(catalogue, filter: filter, t: t) : nil
    }

    static func anyWord(_ catalogue: Catalogue, filter: NetworkFilter, t: Localizer) -> AnyWord? {
        guard let kept = catalogue.searchAnyWord(filter, limit: anyWordCount) else { return nil }
        let countries = catalogue.countriesNamed(in: filter.query)
        let finder = countries.count > 1
            ? PageURL.path("/finder", [("from", countries[0].id)] + countries.dropFirst().map { ("to", $0.id) }) : nil
        return AnyWord(notice: t.format(kept.isEmpty ? "search_no_word" : "search_any_word", ["query": filter.query]),
                       items: kept.map { NetworkItem(catalogue.networks[$0.network], snippet: catalogue.snippet(for: $0, language: t.language), t: t) },
                       finderURL: finder,
                       finderLabel: finder == nil ? nil
                           : t.format("search_try_finder", ["names": countries.map { $0.name(t.language) }.joined(separator: ", ")]))
    }

    /// The list's URL with one facet value added, or removed when it is already chosen; back to page 1.
    static func toggle(_ parameters: [(String, String)], name: String, value: String) -> String {
        let kept = parameters.filter { $0.0 != "page" }
        let present = kept.contains { $0 == (name, value) }
        let next = present ? kept.filter { $0 != (name, value) } : kept + [(name, value)]
        return PageURL.path("/networks", next)
    }
}
