import Foundation
import LiaisonCore

/// `/`: what the catalogue is, its size, a search box, and ways in by region, crime area and country.
struct HomePage {
    let networks: String
    let countries: String
    let memberships: String
    let byScope: [LabelledCount]
    let byCrimeArea: [LabelledCount]
    let countryOptions: [Choice]

    init(_ catalogue: Catalogue, t: Localizer) {
        let countryParties = catalogue.participatingParties.filter(\.isCountryLevel)
        networks = t.count("count_networks", catalogue.networksCountedOnce)
        countries = t.count("count_countries", countryParties.count)
        memberships = t.count("count_memberships", catalogue.membershipCount)
        var once = NetworkFilter()
        once.eachNetworkOnce = true
        let facets = catalogue.facets(for: once)
        byScope = facets.scopes.map { LabelledCount(label: $0.0.label(t.language), url: "/networks?scope=\($0.0.rawValue)", count: $0.1) }
        byCrimeArea = facets.crimeAreas.map {
            LabelledCount(label: $0.0.label(t.language), url: "/networks?crime_area=\($0.0.rawValue)", count: $0.1)
        }
        countryOptions = Self.countryOptions(countryParties, selected: nil, t: t)
    }

    static func countryOptions(_ parties: [Party], selected: String?, t: Localizer) -> [Choice] {
        t.sortedByName(parties).map { Choice(value: $0.id, label: "\($0.name(t.language)) (\($0.id))", selected: $0.id == selected) }
    }
}
