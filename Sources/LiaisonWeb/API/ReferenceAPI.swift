import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore

/// `GET /api/v1/vocabularies`, `GET /api/v1/data-quality` and `GET /api/v1/openapi.json`.
struct ReferenceAPI {
    let catalogue: LiveCatalogue

    func addRoutes(to routes: Routes) {
        routes.get("/api/v1/vocabularies", needs: .anyone, use: vocabularies)
        routes.get("/api/v1/data-quality", needs: .anyone, use: dataQuality)
        routes.get("/api/v1/openapi.json", needs: .anyone, use: openAPI)
    }

    /// GET /api/v1/vocabularies
    func vocabularies(_ request: Request, _ context: AppRequestContext) async throws -> VocabulariesOut {
        try FilterParameters.rejectUnknown(request.queryFields, allowed: [])
        return VocabulariesOut()
    }

    /// GET /api/v1/data-quality
    func dataQuality(_ request: Request, _ context: AppRequestContext) async throws -> DataQualityOut {
        try FilterParameters.rejectUnknown(request.queryFields, allowed: [])
        let snapshot = catalogue.snapshot
        return DataQualityOut(DataQualityReport(catalogue: snapshot), networks: snapshot.networks.count)
    }

    /// GET /api/v1/openapi.json
    func openAPI(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.serving(catalogue.snapshot))))
    }
}

struct VocabularyValue: Encodable {
    let value: String
    let label: Labels
}

struct VocabulariesOut: ResponseEncodable {
    let roles = values(Role.self)
    let crimeAreas = values(CrimeArea.self)
    let instruments = values(Instrument.self)
    let memberTypes = values(MemberType.self)
    let statuses = values(NetworkStatusValue.self)
    let sections = values(Section.self)
    let scopes = values(Scope.self)
    let partyKinds = values(PartyKind.self)
    let relationTypes = values(RelationType.self)
    let functions = values(NetworkFunction.self)
    /// The terms of the linked data's `liaison:` namespace (this document, `#term`).
    let linkedDataTerms = LinkedData.terms.map { LinkedDataTerm(term: $0.term, definition: DefinitionLabels(en: $0.en, fr: $0.fr)) }

    static func values<V: Vocabulary>(_: V.Type) -> [VocabularyValue] {
        V.allCases.map { VocabularyValue(value: $0.rawValue, label: Labels($0)) }
    }
}

struct LinkedDataTerm: Encodable {
    let term: String
    let definition: DefinitionLabels
}

struct DefinitionLabels: Encodable {
    let en: String
    let fr: String
}

struct DataQualityOut: ResponseEncodable {
    let networks: Int
    let problemCount: Int
    let problems: [DataProblem]

    init(_ report: DataQualityReport, networks: Int) {
        self.networks = networks
        problemCount = report.problems.count
        problems = report.problems
    }
}

/// The OpenAPI 3.1 description of API v1, shipped as a resource and served with the catalogue's party ids as the
/// enum of `PartyId`: a client (or schemathesis) then knows which values the filters take, and a value outside
/// them is invalid by the document, not only by the answer.
enum OpenAPIDocument {
    static func serving(_ catalogue: Catalogue) -> [UInt8] {
        guard var document = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
              var components = document["components"] as? [String: Any], var schemas = components["schemas"] as? [String: Any],
              var party = schemas["PartyId"] as? [String: Any]
        else { return data }
        party["enum"] = catalogue.directory.parties.keys.sorted()
        schemas["PartyId"] = party
        components["schemas"] = schemas
        document["components"] = components
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])).map(Array.init) ?? data
    }

    static let data: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return Array(#"{"openapi":"3.1.0"}"#.utf8) }
        return Array(data)
    }()
}
