import Foundation
import Testing
@testable import LiaisonCore

/// The fast reader of bulk lines must read every line it accepts exactly as `JSONDecoder` does, and leave
/// every other line to `JSONDecoder`.
@Suite struct BulkLineReaderTests {
    func decoded(_ line: String) -> BulkRecord? {
        try? CatalogueFile.decoder().decode(BulkRecord.self, from: Data(line.utf8))
    }

    func fast(_ line: String) -> BulkRecord? {
        let data = Data(line.utf8)
        return BulkLineReader.read(data[...])
    }

    static let readable = [
        #"{"id":1,"slug":"a","name":"A","acronym":"AA","region":"Europe","purpose":"P.","founded":1995,"status":"active","memberships":[{"country_code":"ES","role":"member"},{"country_code":"GH","role":"observer"}]}"#,
        #" { "slug" : "b" , "name":"B","region":"Africa","status":"inactive","memberships":[ ] ,"acronym":null,"purpose":null,"founded":null,"id":null } "#,
        #"{"slug":"c","name":"Quote \" backslash \\ slash \/ tab \t newline \n unicode \u00e9 \u4e2d pair \ud83d\ude00 nul \u0000","region":"Global","status":"active","memberships":[]}"#,
        #"{"slug":"d","name":"Réseau judiciaire 中文 😀","region":"Americas","status":"proposed","founded":-12,"memberships":[{"role":"partner","country_code":"DE-NW"}]}"#,
        "{\"slug\":\"e\",\"name\":\"E\",\"region\":\"Europe\",\"status\":\"active\",\"memberships\":[]}\r",
    ]

    @Test(arguments: readable)
    func readsWhatJSONDecoderReads(line: String) throws {
        let expected = try #require(decoded(line))
        #expect(fast(line) == expected)
    }

    static let leftToJSONDecoder = [
        #"{"slug":"a","name":"A","region":"Europe","status":"active"}"#,  // memberships missing
        #"{"slug":"a","name":"A","region":"Europe","status":"active","memberships":[],"extra":1}"#,  // unknown key
        #"{"slug":"a","slug":"b","name":"A","region":"Europe","status":"active","memberships":[]}"#,  // repeated key
        #"{"slug":"a","name":"A","region":"Europe","status":"active","memberships":[],"founded":1995.0}"#,  // fraction
        #"{"slug":"a","name":"A","region":"Europe","status":"active","memberships":[],"founded":"1995"}"#,  // wrong type
        #"{"slug":"a","name":"A","region":"Europe","status":"active","memberships":[{"countryCode":"ES","role":"member"}]}"#,
        #"{"slug":"a","name":"A","region":"Europe","status":"active","memberships":[{"country_code":"ES"}]}"#,
        #"{"slug":"a","name":"A\ud800","region":"Europe","status":"active","memberships":[]}"#,  // lone surrogate
        #"{"slug":"a","name":"A\x","region":"Europe","status":"active","memberships":[]}"#,  // bad escape
        #"{"slug":"a","name":"A","region":"Europe","status":"active","memberships":[]} x"#,  // trailing text
        #"{"slug":"a","name":"A","region":"Europe","status":"active","memberships":[]"#,  // unterminated
        "{\"slug\":\"a\",\"name\":\"A\tB\",\"region\":\"Europe\",\"status\":\"active\",\"memberships\":[]}",  // raw tab
    ]

    @Test(arguments: leftToJSONDecoder)
    func leavesEverythingElseToJSONDecoder(line: String) {
        #expect(fast(line) == nil)
    }

    @Test func invalidUTF8IsLeftToJSONDecoder() {
        var data = Data(#"{"slug":"a","name":"A"#.utf8)
        data.append(0xFF)
        data.append(contentsOf: Data(#"","region":"Europe","status":"active","memberships":[]}"#.utf8))
        #expect(BulkLineReader.read(data[...]) == nil)
    }

    @Test func everyLineOfTheSharedSampleIsReadTheSameWay() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../LiaisonStoreTests/Fixtures/bulk-sample.jsonl").standardizedFileURL
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 20)
        for line in lines {
            let expected = try #require(decoded(line))
            #expect(fast(line) == expected)
        }
    }
}
