import Foundation
import LiaisonCore

/// A world map drawn on the server as SVG, readable without JavaScript and in print: the countries of a picture
/// coloured by what they are in it (a role in a network; how many networks they take part in), each named and
/// linked, a point for those too small for the scale; a legend; the same facts as a table beside it (what a screen
/// reader or a printed page relies on). The grey world underneath is `/static/world-110m.svg`.
struct MapPicture {
    struct Place {
        let url: String
        let label: String
        /// The CSS class of its colour.
        let kind: String
        let path: String
        let isArea: Bool
        let cx: String
        let cy: String
    }

    struct Key {
        let kind: String
        let label: String
        let count: Int
    }

    struct Row {
        let url: String
        let name: String
        let code: String?
        let value: String
    }

    let id: String
    let title: String
    let description: String
    let width: String
    let height: String
    let places: [Place]
    let legend: [Key]
    let rows: [Row]
    let caption: String
    let valueHeading: String
    let attribution: String
    /// Its table beside it (false: the page's own table of the same countries is), folded or not.
    var hasTable = true
    var tableFolded = false

    /// One party with what it is in the picture.
    struct Entry {
        let party: Party
        let kind: String
        let value: String
    }

    init(id: String, title: String, description: String, entries: [Entry], legend: [Key], caption: String, valueHeading: String,
         t: Localizer, map: WorldMap = .shipped) {
        self.id = id
        self.title = title
        self.description = description
        width = Self.number(map.width)
        height = Self.number(map.height)
        // Areas first, points over them; the smaller areas last, so that no larger one covers them.
        var areas: [(Place, Int)] = []
        var points: [Place] = []
        for entry in entries {
            let label = "\(entry.party.name(t.language)): \(entry.value)"
            switch map.shape(of: entry.party) {
            case let .area(path)?:
                areas.append((Place(url: PartyItem.url(entry.party), label: label, kind: entry.kind, path: path, isArea: true, cx: "", cy: ""),
                              path.utf8.count))
            case let .point(x, y)?:
                points.append(Place(url: PartyItem.url(entry.party), label: label, kind: entry.kind, path: "", isArea: false,
                                    cx: Self.number(x), cy: Self.number(y)))
            case nil:
                continue
            }
        }
        places = areas.sorted { $0.1 > $1.1 }.map(\.0) + points
        self.legend = legend
        rows = entries.map { entry in
            Row(url: PartyItem.url(entry.party), name: entry.party.name(t.language), code: entry.party.code, value: entry.value)
        }
        self.caption = caption
        self.valueHeading = valueHeading
        attribution = t["map_attribution"]
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A network's countries by role (the strongest, when a party has several); nil when it names none.
    static func roles(of network: Network, in catalogue: Catalogue, t: Localizer) -> MapPicture? {
        var strongest: [String: Role] = [:]
        for membership in network.memberships {
            guard let party = catalogue.party(id: membership.partyID), party.isCountryLevel else { continue }
            if let held = strongest[party.id], Role.allCases.firstIndex(of: held)! <= Role.allCases.firstIndex(of: membership.role)! { continue }
            strongest[party.id] = membership.role
        }
        guard !strongest.isEmpty else { return nil }
        let entries = strongest.compactMap { id, role in catalogue.party(id: id).map { Entry(party: $0, kind: "role-\(role.rawValue)", value: role.label(t.language)) } }
            .sorted { $0.party.name(t.language).localizedStandardCompare($1.party.name(t.language)) == .orderedAscending }
        let legend = Role.allCases.compactMap { role -> Key? in
            let count = strongest.values.filter { $0 == role }.count
            return count == 0 ? nil : Key(kind: "role-\(role.rawValue)", label: role.label(t.language), count: count)
        }
        let description = legend.map { "\($0.label): \($0.count)" }.joined(separator: "; ")
        return MapPicture(id: "map-\(network.slug)", title: t.format("map_network_title", ["network": network.displayName]),
                          description: description, entries: entries, legend: legend, caption: t["map_network_caption"],
                          valueHeading: t["map_role"], t: t)
    }

    /// The bands of the map of how many networks each country takes part in.
    static let bands: [(from: Int, to: Int?)] = [(1, 1), (2, 4), (5, 9), (10, 14), (15, nil)]

    /// How many networks each country (state, territory, subdivision) takes part in, from the figures the page has
    /// (each network counted once).
    static func networksPerCountry(_ statistics: CatalogueStatistics, t: Localizer) -> MapPicture {
        let figures = statistics.parties.filter { $0.party.isCountryLevel && $0.networks > 0 }
        let entries = figures.sorted { $0.party.name(t.language).localizedStandardCompare($1.party.name(t.language)) == .orderedAscending }
            .map { Entry(party: $0.party, kind: "band-\(Self.band(of: $0.networks))", value: t.count("count_networks", $0.networks)) }
        let legend = bands.enumerated().map { index, band in
            Key(kind: "band-\(index)", label: band.to.map { $0 == band.from ? "\($0)" : "\(band.from)–\($0)" } ?? "\(band.from)+",
                count: figures.filter { Self.band(of: $0.networks) == index }.count)
        }
        let description = legend.map { t.format("map_band", ["networks": $0.label, "countries": $0.count]) }.joined(separator: "; ")
        return MapPicture(id: "map-countries", title: t["map_countries_title"], description: description, entries: entries, legend: legend,
                          caption: t["map_countries_caption"], valueHeading: t["col_networks"], t: t)
    }

    static func band(of count: Int) -> Int { bands.lastIndex { count >= $0.from } ?? 0 }
}
