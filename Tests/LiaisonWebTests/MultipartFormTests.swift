import Foundation
import Testing
import LiaisonCore
@testable import LiaisonWeb

/// Forms that upload a text file (`multipart/form-data`): the parts read as fields, every malformed body refused.
@Suite struct MultipartFormTests {
    static func body(_ parts: [(name: String, filename: String?, content: String)], boundary: String = "XyZ123") -> [UInt8] {
        var text = ""
        for part in parts {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { text += "; filename=\"\(filename)\"\r\nContent-Type: text/csv" }
            text += "\r\n\r\n\(part.content)\r\n"
        }
        return Array((text + "--\(boundary)--\r\n").utf8)
    }

    @Test func partsAndAFilesContentAreTheFormsFields() throws {
        let csv = "kind,name\r\ncontact-point,Zoë \"Z\" Ñame\r\n"
        let fields = try FormFields.parseMultipart(Self.body([("csrf_token", nil, "tok"), ("csv_file", "d.csv", csv), ("csv", nil, "")]),
                                                   boundary: Array("XyZ123".utf8))
        #expect(fields == ["csrf_token": "tok", "csv_file": csv, "csv": ""])
        #expect(try FormFields.boundary("multipart/form-data; boundary=\"a b\"") == Array("a b".utf8))
        #expect(try FormFields.boundary("Multipart/Form-Data; charset=utf-8; boundary=----x") == Array("----x".utf8))
    }

    @Test func malformedBodiesAndBoundariesAreRefused() throws {
        let boundary = Array("XyZ123".utf8)
        for broken in ["no delimiter at all", "--XyZ123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed",
                       "--XyZ123\r\nX-Other: 1\r\n\r\nv\r\n--XyZ123--", "--XyZ123 junk"] {
            #expect(throws: InputError.self, "\(broken)") { try FormFields.parseMultipart(Array(broken.utf8), boundary: boundary) }
        }
        // A file that is not UTF-8 text, or holds control characters, is refused by its field's name.
        var latin1 = Self.body([("csv_file", "d.csv", "PLACEHOLDER")])
        let at = try #require(latin1.firstRange(of: Array("PLACEHOLDER".utf8)))
        latin1.replaceSubrange(at, with: [0x43, 0xE9, 0x0A])
        #expect(throws: InputError.invalidValue(field: "csv_file", value: "(a file, not shown)", rule: "must be UTF-8 text")) {
            try FormFields.parseMultipart(latin1, boundary: boundary)
        }
        #expect(throws: InputError.self) { try FormFields.parseMultipart(Self.body([("csv", nil, "a\u{0}b")]), boundary: boundary) }
        for type in ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=" + String(repeating: "x", count: 71)] {
            #expect(throws: InputError.self, "\(type)") { try FormFields.boundary(type) }
        }
    }
}

/// The hostile values, uploaded as a browser uploads a file: no server error, nothing raw in the page.
@Suite struct MultipartHostileInputTests {
    @Test func everyHostileValueUploadedAsTheDirectorysFile() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await AccountFlowTests.editor(bed, client)
            var faults: [String] = []
            for (i, value) in HostileInputTests.values.enumerated() {
                let form = try await editor.get("/directory/import")
                let token = try #require(form.page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
                for field in ["csv_file", "csv"] {
                    let parts = [("csrf_token", nil as String?, String(token)), (field, field == "csv_file" ? "x.csv" : nil, value)]
                    let response = try await editor.send("/directory/import", body: MultipartFormTests.body(parts),
                                                         contentType: "multipart/form-data; boundary=XyZ123")
                    if let fault = HostileInputTests.fault(response, "value \(i) in \(field)") { faults.append(fault) }
                    #expect(response.status == .badRequest, "value \(i) in \(field): \(response.status)")
                }
            }
            #expect(faults.isEmpty, "\(faults)")
            #expect(try await bed.store.allDirectoryEntries().isEmpty)
        }
    }
}
