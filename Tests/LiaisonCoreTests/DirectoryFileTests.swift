import Foundation
import Testing
@testable import LiaisonCore

/// The directory's file: the sample reads whole, one person is one entry, every mistake is named by line and column.
@Suite struct DirectoryFileTests {
    static let catalogue = Catalogue(networks: (try? CatalogueFile.catalogue2017().networks()) ?? [])
    static let header = DirectoryFile.columns.joined(separator: ",")

    static func read(_ text: String) throws -> [DirectoryEntry] {
        try DirectoryFile.read(text, source: "test.csv", parties: catalogue.directory, isNetwork: { catalogue.network(slug: $0) != nil })
    }

    static var sample: String {
        get throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/data/directory-sample.csv")
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    /// A row with every column, from name/value pairs (the others empty).
    static func row(_ values: [String: String]) -> String {
        DirectoryFile.columns.map { Escaper.csvField(values[$0] ?? "") }.joined(separator: ",")
    }

    static let valid: [String: String] = ["kind": "contact-point", "name": "Ana Prueba", "country": "Spain", "email": "ana@example.org",
                                          "phone": "+34 91 000 00 00", "languages": "es;EN", "networks": "ejn", "role": "contact point",
                                          "consent_basis": "public task"]

    @Test func theSampleReadsAsOneEntryAPerson() throws {
        let entries = try Self.read(try Self.sample)
        #expect(entries.count == 7)
        let alba = try #require(entries.first { $0.name == "Alba Ejemplo" })
        #expect(alba.roles.map(\.kind) == [.contactPoint, .contactPoint, .liaisonMagistrate], "one person, three dated roles")
        #expect(alba.networks == ["ejn", "iberred"] && alba.roles.map(\.title) == ["contact point", "punto de contacto", "liaison magistrate"])
        let posting = try #require(alba.roles.last)
        #expect(posting.sendingCountry == "ES" && posting.host == "GH" && posting.covers == ["TG", "BJ"] && posting.since?.description == "2024-09")
        #expect(alba.phones == ["+34910000001"] && alba.urgentPhone == "+34600000001" && alba.available247)
        #expect(alba.languages == ["es", "en", "fr"])
        let office = try #require(entries.first { $0.roles.first?.kind == .centralAuthority })
        #expect(office.isOffice && office.networks.isEmpty && !alba.isOffice)
        #expect(entries.first { $0.name == "Claire Exemple" }?.visibility == .networkMembers)
        #expect(entries.allSatisfy { $0.emails.allSatisfy { $0.hasSuffix("@example.org") } }, "the sample is synthetic")
    }

    @Test func theCSVReadsBackToTheSameEntries() throws {
        let entries = try Self.read(try Self.sample)
        #expect(try Self.read(DirectoryFile.csv(entries)) == entries)
    }

    @Test func everyMistakeIsNamedByLineAndColumnAndNothingIsKept() throws {
        var rows = [Self.header, Self.row(Self.valid)]
        let mistakes: [([String: String], String)] = [
            (["phone": "0034 91 000"], "test.csv:3: phone: “0034 91 000” is not allowed: must be a telephone number in E.164"),
            (["country": "Atlantis"], "test.csv:4: country: “Atlantis” is not allowed: must name a known country or organisation"),
            (["networks": "ejn;nope"], "test.csv:5: networks: “nope” is not allowed: must be the slug of a network of the catalogue"),
            (["kind": "spy"], "test.csv:6: kind: “spy” is not allowed: must be one of: contact-point"),
            (["consent_basis": ""], "test.csv:7: consent_basis: is required"),
            (["languages": "es;xx"], "test.csv:8: languages: “xx” is not allowed: must be an ISO 639-1 language code"),
            (["available_24_7": "yes", "phone": ""], "test.csv:9: available_24_7: “yes” is not allowed: needs a telephone number to call"),
            (["kind": "liaison-magistrate", "networks": ""], "test.csv:10: sending_country: is required"),
            (["valid_from": "2020", "valid_until": "2019"], "test.csv:11: valid_until: “2019” is not allowed: must not be before valid_from"),
            (["email": "ana@example.org", "country": "Portugal"], "test.csv:12: country: “Portugal” is not allowed: differs from line 2"),
            (["networks": "", "kind": "contact-point"], "test.csv:13: networks: “” is not allowed: a contact-point is designated by a network"),
        ]
        for (i, (change, _)) in mistakes.enumerated() {
            var values = Self.valid.merging(change) { $1 }
            if change["email"] == nil { values["email"] = "person\(i)@example.org" }
            rows.append(Self.row(values))
        }
        let failure = try #require(throws: ImportFailure.self) { try Self.read(rows.joined(separator: "\n")) }
        let text = failure.errors.map(\.description)
        for (_, expected) in mistakes {
            #expect(text.contains { $0.contains(expected) }, "\(expected) in \(text)")
        }
        // A column the directory does not have, or a required one missing, is named in the header.
        #expect(throws: ImportFailure.self) { try Self.read("kind,name,country,consent_basis,shoe_size\n") }
        let missing = try #require(throws: ImportFailure.self) { try Self.read("kind,name\ncontact-point,X\n") }
        #expect(missing.errors.map(\.description).contains { $0.contains("test.csv:1: country: column is missing") })
    }

    @Test func telephoneNumbersAndLanguagesAreChecked() throws {
        #expect(try DirectoryRules.phone("+34 (91) 000-00.00", field: "phone") == "+34910000000")
        // The apostrophe the CSV export puts before a `+` (so that no spreadsheet reads a formula) is taken off again.
        #expect(DirectoryFile.undefused("'+442000000005") == "+442000000005" && DirectoryFile.undefused("'tis") == "'tis")
        for wrong in ["34910000000", "+", "+0123", "+1234567890123456", "+34 91 abc", "+٣٤٩١"] {
            #expect(throws: InputError.self, "\(wrong)") { try DirectoryRules.phone(wrong, field: "phone") }
        }
        #expect(try DirectoryRules.language(" PT ", field: "languages") == "pt")
        #expect(throws: InputError.self) { try DirectoryRules.language("eng", field: "languages") }
    }

    @Test func vCardsFoldLongLinesWithoutSplittingCharactersAndEscapeText() throws {
        let entry = DirectoryEntry(id: 7, name: "Zoë Ünïcödé-Ñame, Jr; \\ the \"long\" one", function: String(repeating: "é", count: 60),
                                   country: "ES", emails: ["zoe@example.org"], phones: ["+34910000000"], languages: ["es"],
                                   roles: [DirectoryRole(kind: .contactPoint, network: "ejn", title: "contact point")], consentBasis: "consent")
        let card = VCard.card(entry, name: { $0 == "ES" ? "Spain" : $0 }, networkName: { $0.uppercased() })
        #expect(card.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\n") && card.hasSuffix("END:VCARD\r\n"))
        for line in card.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
        let unfolded = card.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains(#"FN:Zoë Ünïcödé-Ñame\, Jr\; \\ the "long" one"#))
        #expect(unfolded.contains("TITLE:" + String(repeating: "é", count: 60)))
        #expect(unfolded.contains("TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+34910000000") && unfolded.contains("UID:urn:liaison:directory:7"))
    }
}
