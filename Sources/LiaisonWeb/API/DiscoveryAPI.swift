import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// The case finder, overlaps, the duplicate check and statistics.
struct DiscoveryAPI {
    let catalogue: LiveCatalogue
    let proposals: Proposals

    func addRoutes(to routes: Routes) {
        routes.get("/api/v1/finder", needs: .anyone, use: finder)
        routes.get("/api/v1/overlaps", needs: .anyone, use: overlaps)
        routes.get("/api/v1/statistics", needs: .anyone, use: statistics)
        routes.post("/api/v1/proposals/check", needs: .anyone, use: check)
    }

    @Sendable func finder(_ request: Request, context: AppRequestContext) async throws -> FinderOut {
        let parameters = request.queryFields
        try FilterParameters.rejectUnknown(parameters, allowed: ["from", "to", "crime_area", "instrument"])
        let snapshot = catalogue.snapshot
        // A program that names a country twice gets the answer for it once, and is told (the page refuses, to a person).
        let (finderRequest, repeated) = try FinderParameters.request(parameters, catalogue: snapshot, refusingRepeats: false)
        return FinderOut(CaseFinder(catalogue: snapshot).find(finderRequest), request: finderRequest, repeated: repeated, catalogue: snapshot)
    }

    @Sendable func overlaps(_ request: Request, context: AppRequestContext) async throws -> OverlapsOut {
        let parameters = request.queryFields
        try FilterParameters.rejectUnknown(parameters, allowed: ["full_members_only", "limit"])
        let fullOnly = try FinderParameters.boolean(parameters, "full_members_only")
        let limit = try parameters.integer("limit", default: 50)
        guard (1...500).contains(limit) else {
            throw InputError.invalidValue(field: "limit", value: "\(limit)", rule: "must be between 1 and 500")
        }
        let ranked = Overlaps(catalogue: catalogue.snapshot, fullMembersOnly: fullOnly).ranked()
        return OverlapsOut(fullMembersOnly: fullOnly, pairs: ranked.prefix(limit).map(OverlapOut.init),
                           identical: ranked.filter { $0.similarity >= 1 }.map(OverlapOut.init))
    }

    @Sendable func statistics(_ request: Request, context: AppRequestContext) async throws -> StatisticsOut {
        try FilterParameters.rejectUnknown(request.queryFields, allowed: [])
        return StatisticsOut(CatalogueStatistics(catalogue: catalogue.snapshot))
    }

    struct DraftIn: Decodable {
        let name: String
        let acronym: String?
        let parties: [String]?
        let crimeAreas: [String]?
        let website: String?
    }

    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> CheckOut {
        let decoder = CatalogueFile.decoder()
        let body = try await request.body.collect(upTo: 64 * 1024)
        let draft: DraftIn
        do {
            draft = try decoder.decode(DraftIn.self, from: body)
        } catch let error as DecodingError {
            throw InputError.invalidInput(source: "request body", line: nil, field: error.path, reason: error.reason)
        }
        let candidates = try proposals.similarNetworks(name: draft.name, acronym: draft.acronym, parties: draft.parties ?? [],
                                                       crimeAreas: draft.crimeAreas ?? [], website: draft.website)
        let snapshot = catalogue.snapshot
        return CheckOut(candidates: candidates.map { CandidateOut($0, catalogue: snapshot) })
    }
}

/// Reads the case finder's parameters: `from` (one party), `to` (one or more), crime areas and instruments.
enum FinderParameters {
    /// `refusingRepeats`: a country named twice is refused (the page, to a person); otherwise it counts once and is
    /// returned in `repeated` (the API).
    static func request(_ parameters: Parameters, catalogue: Catalogue, refusingRepeats: Bool = true) throws
        -> (request: CaseFinder.Request, repeated: [String])
    {
        let from = parameters.getAll("from")
        let to = parameters.getAll("to")
        guard from.count <= 1 else {
            throw InputError.invalidValue(field: "from", value: from.joined(separator: ","), rule: "give one party (the requesting side)")
        }
        guard !from.isEmpty else { throw InputError.missingField(field: "from") }
        guard !to.isEmpty else { throw InputError.missingField(field: "to") }
        try TextRules.checkPartyList(to, field: "to")
        let parties = try (from.map { ("from", $0) } + to.map { ("to", $0) }).map { field, id -> String in
            guard let party = catalogue.party(id: id) else {
                throw InputError.invalidValue(field: field, value: id, rule: "must be the id of a known party: an ISO 3166 code (ES, GH) or a slug")
            }
            return party.id
        }
        // Each country of the case once: a repeated one is a slip worth saying, not a wish to drop silently.
        var seen: Set<String> = []
        var repeated: [String] = []
        for (i, id) in parties.enumerated() where !seen.insert(id).inserted {
            let name = catalogue.party(id: id)?.nameEN ?? id
            guard refusingRepeats else {
                if !repeated.contains(id) { repeated.append(id) }
                continue
            }
            throw InputError.invalidValue(field: i == 0 ? "from" : "to", value: id,
                                          rule: parties[0] == id ? "\(name) is your own country already: choose the other countries of the case"
                                              : "\(name) is chosen twice: choose each country of the case once")
        }
        return (CaseFinder.Request(parties: parties.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }, crimeAreas: try FilterParameters.values(parameters, "crime_area"),
                                  instruments: try FilterParameters.values(parameters, "instrument")), repeated)
    }

    static func boolean(_ parameters: Parameters, _ name: String) throws -> Bool {
        guard let text = parameters[name[...]].map(String.init) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw InputError.invalidValue(field: name, value: text, rule: "must be true or false")
        }
    }
}
