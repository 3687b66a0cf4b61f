import Foundation
import Hummingbird
import LiaisonCore

/// Reads a `NetworkFilter` from query parameters, the same for the API and the pages.
///
/// Every value is checked: an unknown value is an error naming the parameter, the value and the
/// values allowed, never silently ignored.
struct FilterParameters {
    /// The parameters the network list understands.
    static let names: Set<String> = [
        "q", "party", "role", "crime_area", "instrument", "section", "scope", "status", "member_type", "page", "per_page",
    ]

    static func filter(_ parameters: Parameters, catalogue: Catalogue) throws -> NetworkFilter {
        var filter = NetworkFilter()
        filter.query = parameters.getAll("q").joined(separator: " ")
        try TextRules.checkSearch(filter.query)
        // The limit is on the values given (as the OpenAPI document says), repeats included; each is looked up once.
        try TextRules.checkPartyList(parameters.getAll("party"), field: "party")
        var seen = Set<String>()
        let named = parameters.getAll("party").filter { seen.insert($0).inserted }
        filter.parties = try named.map { id in
            guard let party = catalogue.party(id: id) else {
                throw InputError.invalidValue(
                    field: "party", value: id,
                    rule: "must be the id of a known party: an ISO 3166 code (ES, GH, DE-NW) or an organisation's or network's slug (europol)")
            }
            return party.id
        }
        filter.roles = try values(parameters, "role")
        filter.crimeAreas = try values(parameters, "crime_area")
        filter.instruments = try values(parameters, "instrument")
        filter.sections = try values(parameters, "section")
        filter.scopes = try values(parameters, "scope")
        filter.statuses = try values(parameters, "status")
        filter.memberTypes = try values(parameters, "member_type")
        return filter
    }

    /// Refuses parameters the endpoint does not know (a typo would otherwise return everything).
    static func rejectUnknown(_ parameters: Parameters, allowed: Set<String>) throws {
        for (name, _) in parameters where !allowed.contains(String(name)) {
            throw InputError.invalidValue(
                field: String(name), value: String(name),
                rule: "is not a parameter of this endpoint; use one of: " + allowed.sorted().joined(separator: ", "))
        }
    }

    static func values<V: Vocabulary>(_ parameters: Parameters, _ name: String) throws -> Set<V> {
        Set(try parameters.getAll(name).map { try V.parse($0, field: name) })
    }

    /// The parameters without those sent empty. For the pages, whose forms send an "any" choice as an empty value;
    /// the API takes what its document says, and an empty value is not one of a vocabulary's terms.
    static func withoutEmpty(_ parameters: Parameters) -> Parameters {
        var result = Parameters()
        for (key, value) in parameters where !value.isEmpty { result.append(key: key, value: value) }
        return result
    }

    /// Page and page size, checked.
    static func paging(_ parameters: Parameters, defaultPerPage: Int = 50) throws -> (page: Int, perPage: Int) {
        let page = try parameters.integer("page", default: 1)
        let perPage = try parameters.integer("per_page", default: defaultPerPage)
        try Page<Network>.validate(page: page, perPage: perPage)
        return (page, perPage)
    }
}

extension Hummingbird.Parameters {
    /// An integer query parameter, or an error naming the parameter and its value.
    func integer(_ name: String, default value: Int) throws -> Int {
        guard let text = self[name[...]].map(String.init) else { return value }
        // At most 18 digits: no number that does not fit, and "page=" (empty) is not a number either.
        guard text.utf8.count <= 18, let number = Int(text) else {
            throw InputError.invalidValue(field: name, value: text, rule: "must be a whole number")
        }
        return number
    }
}
