import Foundation
import LiaisonCore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The API's encoder must write what Foundation's `JSONEncoder` (snake_case keys, ISO 8601 dates) writes,
/// key order aside.
@Suite struct StreamingJSONEncoderTests {
    let catalogue = Catalogue(networks: try! CatalogueFile.catalogue2017().networks(),
                              lastChanged: ["carin": Date(timeIntervalSince1970: 1_764_442_902)])

    /// Foundation's encoding as the API configured it before.
    func foundation(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Both encodings parsed and written again with sorted keys: equal when they mean the same JSON.
    func expectSameJSON(_ value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        func canonical(_ data: Data) throws -> String {
            let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        }
        let ours = try canonical(Data(StreamingJSONEncoder().encode(value)))
        let theirs = try canonical(foundation(value))
        #expect(ours == theirs, sourceLocation: sourceLocation)
    }

    /// The same check for an answer that writes its own JSON: its bytes against Foundation's encoding.
    func expectSameJSON(written value: some JSONWritable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        func canonical(_ data: Data) throws -> String {
            let object = try JSONSerialization.jsonObject(with: data)
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try canonical(Data(value.json())) == canonical(foundation(value)), sourceLocation: sourceLocation)
    }

    @Test func everyNetworkOfTheReportEncodesAsFoundationDoes() throws {
        #expect(catalogue.networks.count == 40)
        for network in catalogue.networks {
            let detail = NetworkDetail(network, in: catalogue)
            try expectSameJSON(detail)
            try expectSameJSON(written: detail)
        }
    }

    @Test func listsWrittenByHandMatchFoundation() throws {
        for (query, facets) in [("cyber", true), ("", true), ("eurojust network", false)] {
            let answer = catalogue.query(NetworkFilter(query: query), facets: facets)
            let list = NetworkList(
                items: answer.hits.prefix(25).map { hit in
                    NetworkSummary(catalogue.networks[hit.network], score: query.isEmpty ? nil : hit.score,
                                   snippet: query.isEmpty ? nil : catalogue.snippet(for: hit, language: .en))
                },
                total: answer.hits.count, page: 1, perPage: 25, facets: facets ? FacetsOut(answer.facets) : nil)
            #expect(!list.items.isEmpty)
            try expectSameJSON(written: list)
        }
    }

    @Test func listsStatisticsOverlapsAndTheFinderEncodeAsFoundationDoes() throws {
        let hits = catalogue.query(NetworkFilter(query: "cyber"), facets: true)
        try expectSameJSON(NetworkList(
            items: hits.hits.map { NetworkSummary(catalogue.networks[$0.network], score: $0.score, snippet: catalogue.snippet(for: $0, language: .en)) },
            total: hits.hits.count, page: 1, perPage: 20, facets: FacetsOut(hits.facets)))
        try expectSameJSON(StatisticsOut(CatalogueStatistics(catalogue: catalogue)))
        let overlaps = Overlaps(catalogue: catalogue, fullMembersOnly: false)
        try expectSameJSON(OverlapsOut(fullMembersOnly: false, pairs: overlaps.pairs(limit: 20).map(OverlapOut.init),
                                       identical: overlaps.identical().map(OverlapOut.init)))
        let request = CaseFinder.Request(parties: ["ES", "GH"])
        try expectSameJSON(FinderOut(CaseFinder(catalogue: catalogue).find(request), request: request, catalogue: catalogue))
    }

    struct Sample: Encodable {
        struct Inner: Encodable { let myURLValue: String; let nothing: Int? }
        struct Empty: Encodable {}
        let plainText: String
        let weights: [Double]
        let flags: [Bool]
        let when: Date
        let byCode: [String: Int]
        let inner: [Inner]
        let empty: Empty
        let small: Int8
        let big: UInt64
        let negative: Int
    }

    @Test func escapingNumbersDatesKeysAndDictionariesMatchFoundation() throws {
        let sample = Sample(
            plainText: "quote \" backslash \\ slash / tab \t newline \n bell \u{07} réseau 中文 😀",
            weights: [0, 1, -2.5, 0.1, 1234.5678, 1e-7, 3e20], flags: [true, false],
            when: Date(timeIntervalSince1970: 1_764_442_902),
            byCode: ["DE-NW": 1, "camelCaseKey": 2, "ES": 3],
            inner: [.init(myURLValue: "https://example.org/a?b=c", nothing: nil), .init(myURLValue: "", nothing: 7)],
            empty: .init(), small: -8, big: .max, negative: .min)
        try expectSameJSON(sample)
        let text = String(decoding: try StreamingJSONEncoder().encode(sample), as: UTF8.self)
        // Keys converted as JSONEncoder converts them; dictionary keys left as they are; dates in UTC.
        #expect(text.contains(#""plain_text":"#) && text.contains(#""my_url_value":"#))
        #expect(text.contains(#""DE-NW":1"#) && text.contains(#""camelCaseKey":2"#))
        #expect(text.contains(#""when":"2025-11-29T19:01:42Z""#))
        #expect(text.contains(#"\u0007"#) && text.contains("slash / tab"))
        #expect(!text.contains(#""nothing":null"#))
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(["x": Double.infinity]) }
    }
}
