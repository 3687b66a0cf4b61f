import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
import ZIPFoundation
@testable import LiaisonServices
@testable import LiaisonWeb

/// The library as the networks use it: a focal point uploads a guide for their network's people, a practitioner of
/// that network finds it by a word of its third page, nobody else sees it; files are read by their bytes, within
/// limits.
@Suite struct LibraryTests {
    /// A real PDF of several pages of text (Helvetica), as pdftotext reads it.
    static func pdf(pages: [String]) -> [UInt8] {
        var objects: [(Int, String)] = [(1, "<< /Type /Catalog /Pages 2 0 R >>"), (3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")]
        var kids: [String] = []
        for (index, text) in pages.enumerated() {
            let page = 4 + index * 2, content = 5 + index * 2
            kids.append("\(page) 0 R")
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
            let stream = "BT /F1 12 Tf 72 720 Td (\(escaped)) Tj ET"
            objects.append((page, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents \(content) 0 R >>"))
            objects.append((content, "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream"))
        }
        objects.append((2, "<< /Type /Pages /Kids [\(kids.joined(separator: " "))] /Count \(pages.count) >>"))
        objects.sort { $0.0 < $1.0 }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (id, body) in objects {
            offsets.append(out.utf8.count)
            out += "\(id) 0 obj\n\(body)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    /// A PDF of `count` pages sharing one text (a huge page count in a few hundred kilobytes).
    static func manyPages(_ count: Int) -> [UInt8] {
        let stream = "BT /F1 12 Tf 72 720 Td (Repeated) Tj ET"
        var objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [" + (0..<count).map { "\($0 + 5) 0 R" }.joined(separator: " ") + "] /Count \(count) >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
        ]
        objects += Array(repeating: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
                         count: count)
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    /// A ZIP of these entries (an ODT or a DOCX), deflated.
    static func zip(_ entries: [(String, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: path == "mimetype" ? .none : .deflate) {
                position, size in data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return Array(try #require(archive.data))
    }

    static func docx(_ paragraphs: [String]) throws -> [UInt8] {
        let body = paragraphs.map { "<w:p><w:r><w:t>\($0)</w:t></w:r></w:p>" }.joined()
        return try zip([("[Content_Types].xml", Array("<Types/>".utf8)),
                        ("word/document.xml", Array("<?xml version=\"1.0\"?><w:document><w:body>\(body)</w:body></w:document>".utf8))])
    }

    static func odt(_ paragraphs: [String]) throws -> [UInt8] {
        let body = paragraphs.map { "<text:p>\($0)</text:p>" }.joined()
        return try zip([("mimetype", Array("application/vnd.oasis.opendocument.text".utf8)),
                        ("content.xml", Array("<office:document-content><office:body><office:text>\(body)</office:text></office:body></office:document-content>".utf8))])
    }

    /// A form with a file, as a browser uploads it.
    static func multipart(_ fields: [(String, String)], file: (name: String, bytes: [UInt8])?) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--XyZ123\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--XyZ123\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        return body + Array("--XyZ123--\r\n".utf8)
    }

    static let guidePages = ["Asset tracing: a practical guide for CARIN", "Chapter two: bank records and open sources",
                             "Chapter three: beneficial ownership registers and nominee structures"]

    /// Signs in a focal point of CARIN and uploads the guide, visible to CARIN's people; returns its page's path.
    static func uploadGuide(_ bed: AccountBed, _ client: any TestClientProtocol) async throws -> String {
        try await bed.account("carin-fp@example.org", role: .focalPoint, networks: ["carin"])
        var focal = Browser(client)
        _ = try await AccountFlowTests.signIn(&focal, bed, "carin-fp@example.org")
        let form = try await focal.get("/library/new?lang=en")
        #expect(form.status == .ok && form.page.contains(#"enctype="multipart/form-data""#))
        let token = try #require(form.page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
        let body = Self.multipart([("csrf_token", String(token)), ("title_en", "Asset tracing guide"), ("title_fr", "Guide du dépistage des avoirs"),
                                   ("summary_en", "How CARIN's members trace assets."), ("kind", "guide"), ("language", "en"), ("date", "2017-05"),
                                   ("crime_areas", "asset-recovery"), ("countries", "GH BR"), ("networks", "carin"), ("visibility", "networks"),
                                   ("visible_networks", "carin"), ("translation", "original")],
                                  file: ("CARIN guide (final).pdf", Self.pdf(pages: Self.guidePages)))
        let done = try await focal.send("/library/new?lang=en", body: body, contentType: "multipart/form-data; boundary=XyZ123")
        #expect(done.status == .seeOther, "\(done.status) \(done.page.prefix(2000))")
        return String(try #require(done.location).prefix { $0 != "?" })
    }

    @Test func aGuideForCARINsPeopleIsFoundByAWordOfItsThirdPageByThemAlone() async throws {
        try await AccountBed.run { bed, client in
            guard bed.library.reader.pdftotext != nil else {
                #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI=true but pdftotext is missing (apt-get install poppler-utils)")
                return
            }
            let path = try await Self.uploadGuide(bed, client)
            let id = try #require(Int64(path.split(separator: "/").last ?? ""))
            try await bed.account("carin-practitioner@example.org", role: .practitioner, networks: ["carin"])
            try await bed.account("ejn-practitioner@example.org", role: .practitioner, networks: ["ejn"])
            var carin = Browser(client), ejn = Browser(client), visitor = Browser(client)
            _ = try await AccountFlowTests.signIn(&carin, bed, "carin-practitioner@example.org")
            _ = try await AccountFlowTests.signIn(&ejn, bed, "ejn-practitioner@example.org")

            // CARIN's practitioner finds it by a word of page three, with the words around it.
            let found = try await carin.get("/library?q=nominee&lang=en")
            #expect(found.page.contains(#"<a href="\#(path)">Asset tracing guide</a>"#) && found.page.contains("1 document"))
            #expect(found.page.contains("<mark>nominee</mark> structures"), "the snippet of page three")
            #expect(found.headers[.cacheControl] == "no-store")
            // Typo-tolerant on titles; facets narrow; a French reader reads the French title.
            #expect(try await carin.get("/library?q=tracnig&lang=en").page.contains("Asset tracing guide"))
            #expect(try await carin.get("/library?crime_area=asset-recovery&country=GH&lang=en").page.contains("Asset tracing guide"))
            #expect(try await carin.get("/library?q=nominee&lang=fr").page.contains("Guide du dépistage des avoirs"))
            // The file, as it was uploaded, as an attachment of its own type, kept by no shared cache.
            let file = try await carin.get("\(path)/file")
            #expect(file.status == .ok && Array(file.body.readableBytesView) == Self.pdf(pages: Self.guidePages))
            #expect(file.headers[.contentType] == "application/pdf")
            #expect(file.headers[.contentDisposition] == #"attachment; filename="CARIN guide (final).pdf"; filename*=UTF-8''CARIN%20guide%20%28final%29.pdf"#)
            #expect(file.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(file.headers[.contentSecurityPolicy] == "default-src 'none'; sandbox", "opened in the browser, it runs nothing")
            #expect(file.headers[.cacheControl] == "private, no-store")
            // CARIN's page lists it for CARIN's people; Ghana's page too.
            #expect(try await carin.get("/networks/carin?lang=en").page.contains("Asset tracing guide"))
            #expect(try await carin.get("/countries/GH?lang=en").page.contains("Asset tracing guide"))

            // Nobody else sees a trace of it: not in a search, a count, a facet, a page, a file.
            for (who, browser) in [("visitor", visitor), ("EJN", ejn)] {
                var reader = browser
                let search = try await reader.get("/library?q=nominee&lang=en")
                #expect(!search.page.contains("Asset tracing") && search.page.contains("0 documents"), "\(who)")
                #expect(!(try await reader.get("/library?lang=en").page.contains("Asset tracing")), "\(who)")
                #expect(try await reader.get(path).status == .notFound, "\(who)")
                #expect(try await reader.get("\(path)/file").status == .notFound, "\(who)")
                #expect(try await reader.get("\(path)/versions/1/file").status == .notFound, "\(who)")
                #expect(!(try await reader.get("/networks/carin?lang=en").page.contains("Asset tracing")), "\(who)")
                #expect(!(try await reader.get("/countries/GH?lang=en").page.contains("Asset tracing")), "\(who)")
                #expect(!(try await reader.get("/library?network=carin&lang=en").page.contains("Asset tracing")), "\(who)")
            }
            _ = id
        }
    }

    @Test func versionsAndTranslationsAreKeptAndLinked() async throws {
        try await AccountBed.run { bed, client in
            let path = try await Self.uploadGuide(bed, client)
            var focal = Browser(client)
            _ = try await AccountFlowTests.signIn(&focal, bed, "carin-fp@example.org")
            let page = try await focal.get(path + "?lang=en")
            #expect(page.page.contains(#"action="\#(path)/versions""#) && page.page.contains("The people of CARIN only"))
            let token = try #require(page.page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
            // A new version, as text this time: the first is kept.
            let version = try await focal.send(path + "/versions", body: Self.multipart([("csrf_token", String(token)), ("link", "")],
                                                                                        file: ("guide.txt", Array("Second edition: shell companies.".utf8))),
                                               contentType: "multipart/form-data; boundary=XyZ123")
            #expect(version.location == path + "?version=2")
            let after = try await focal.get(path + "?lang=en")
            #expect(after.page.contains("Earlier versions") && after.page.contains("\(path)/versions/1/file"))
            #expect(try await focal.get("\(path)/versions/1/file").headers[.contentType] == "application/pdf")
            #expect(try await focal.get("\(path)/file").headers[.contentType] == "text/plain; charset=utf-8")

            // A French translation, public: it joins the set, and each page links the other (for those who may see it).
            let form = try await focal.get("/library/new?translation_of=\(path.split(separator: "/").last ?? "")&lang=en")
            #expect(form.page.contains(#"<option value="unofficial-translation" selected>"#))
            let token2 = try #require(form.page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
            let translated = try await focal.send("/library/new", body: Self.multipart(
                [("csrf_token", String(token2)), ("translation_of", String(path.split(separator: "/").last ?? "")), ("title_fr", "Guide du dépistage"),
                 ("kind", "guide"), ("language", "fr"), ("networks", "carin"), ("visibility", "public"), ("translation", "unofficial-translation")],
                file: ("guide.odt", try Self.odt(["Les registres des bénéficiaires effectifs", "Deuxième paragraphe"]))),
                contentType: "multipart/form-data; boundary=XyZ123")
            let french = String(try #require(translated.location).prefix { $0 != "?" })
            #expect(try await focal.get(french + "?lang=en").page.contains(#"<a href="\#(path)">"#))
            #expect(try await focal.get(path + "?lang=en").page.contains(#"<a href="\#(french)">"#))
            // A visitor reads the translation but is not shown the restricted original.
            var visitor = Browser(client)
            let shown = try await visitor.get(french + "?lang=en")
            #expect(shown.status == .ok && !shown.page.contains(#"<a href="\#(path)">"#))
            #expect(try await visitor.get("/library?q=beneficiaires&lang=en").page.contains("Guide du dépistage"))
            // A search in one language leads to the others: the French translation's hit links the English original for
            // CARIN's people, not for the visitor.
            let carinSearch = try await focal.get("/library?q=beneficiaires&lang=en")
            #expect(carinSearch.page.contains(#"Also in: <a href="\#(path)">English</a>"#))
            #expect(!(try await visitor.get("/library?q=beneficiaires&lang=en").page.contains("Also in:")))
        }
    }

    @Test func filesAreTakenByTheirBytesWithinLimits() async throws {
        try await AccountBed.run { bed, _ in
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            var draft = DocumentDraft()
            draft.titleEN = "A document"
            draft.networks = ["ejn"]
            func add(_ name: String, _ bytes: [UInt8]) async throws -> LibraryDocument {
                try await bed.library.add(draft, file: .init(name: name, bytes: bytes), translationOf: nil, by: editor, actor: "test")
            }
            // A DOCX's text is read from its XML; an ODT's too.
            let docx = try await add("note.docx", try Self.docx(["Mutual legal assistance &amp; e-evidence", "Second paragraph"]))
            #expect(docx.versions.first?.fileType == .docx)
            let hits = try await bed.library.search("evidence", facets: [], page: 1, by: .visitor).hits
            #expect(hits.map(\.document.id) == [docx.id] && hits.first?.snippet?.map(\.text).joined().contains("Mutual legal assistance & e-evidence") == true)
            // A file is what its bytes say, whatever its name; what is none of the four is refused by the field's name.
            await #expect { try await add("photo.pdf", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]) } throws: {
                "\($0)".contains("file") && "\($0)".contains("must be a PDF, ODT, DOCX or plain text")
            }
            await #expect { try await add("archive.docx", try Self.zip([("readme.txt", Array("hello".utf8))])) } throws: { "\($0)".contains("ZIP") }
            await #expect { try await add("latin1.txt", [0x43, 0xE9, 0x0A]) } throws: { "\($0)".contains("UTF-8") }
            await #expect(throws: InputError.self) { try await add("empty.txt", []) }
            let big = [UInt8](repeating: 0x61, count: DocumentReader.maximumSize + 1)
            await #expect { try await add("big.txt", big) } throws: { "\($0)".contains("at most 20 MB") }
            // A file is kept and downloaded under the extension of what it is, not of what its name says.
            let script = try await add("run-me.js", Array("alert('x')\n".utf8))
            #expect(script.current?.fileName == "run-me.txt")
            #expect(try await add(".htaccess", Array("x\n".utf8)).current?.fileName == "htaccess.txt")
            let page = try await add("page.html", Array("<html>%PDF-1.4 hidden</html>\n".utf8))
            #expect(page.current?.fileType == .pdf && page.current?.fileName == "page.pdf", "what its bytes say it is")
            #expect(try await add("note.docx.exe", try Self.docx(["Text"])).current?.fileName == "note.docx.docx")
            // A ZIP is read as a ZIP even when an entry near its start holds %PDF-.
            let zipped = try Self.zip([("[Content_Types].xml", Array("<Types/>%PDF-1.4".utf8)), ("word/document.xml", Array("<w:document/>".utf8))])
            #expect(try await add("x.pdf", zipped).current?.fileType == .docx)
            // Word and OpenDocument files with macros are refused.
            let docm = try Self.zip([("[Content_Types].xml", Array("<Types><Override ContentType=\"application/vnd.ms-word.document.macroEnabled.main+xml\"/></Types>".utf8)),
                                     ("word/document.xml", Array("<w:document/>".utf8))])
            await #expect { try await add("macro.docx", docm) } throws: { "\($0)".contains("macros") }
            let vba = try Self.zip([("[Content_Types].xml", Array("<Types/>".utf8)), ("word/document.xml", Array("<w:document/>".utf8)),
                                    ("word/vbaProject.bin", [0, 1, 2])])
            await #expect { try await add("vba.docx", vba) } throws: { "\($0)".contains("macros") }
            let odtMacro = try Self.zip([("mimetype", Array("application/vnd.oasis.opendocument.text".utf8)), ("content.xml", Array("<x/>".utf8)),
                                         ("Basic/Standard/Module1.xml", Array("<script/>".utf8))])
            await #expect { try await add("macro.odt", odtMacro) } throws: { "\($0)".contains("macros") }
            // A zip bomb: its XML inflates past the limit, and reading stops there.
            let bomb = try Self.zip([("[Content_Types].xml", Array("<Types/>".utf8)),
                                     ("word/document.xml", [UInt8](repeating: 0x20, count: DocumentReader.maximumInflated + 1_000_000))])
            #expect(bomb.count < 1_000_000)
            await #expect { try await add("bomb.docx", bomb) } throws: { "\($0)".contains("must unpack to at most 40 MB") }
            // A damaged PDF is kept, said unsearchable.
            if bed.library.reader.pdftotext != nil {
                let damaged = try await add("damaged.pdf", Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage".utf8))
                #expect(damaged.versions.first?.fileType == .pdf)
                #expect(try await bed.store.document(id: try #require(damaged.id))?.current?.textNote?.isEmpty == false)
            }
            #expect(try await bed.store.searchDocuments(.init(), readers: DocumentReaders(editor), limit: 50, offset: 0).total == (bed.library.reader.pdftotext != nil ? 7 : 6))
            // A PDF of 5,000 pages is read no further than 500.
            if bed.library.reader.pdftotext != nil {
                let read = try await bed.library.reader.read(Self.manyPages(5_000), field: "file")
                let pages = read.text.components(separatedBy: "Repeated").count - 1
                #expect(read.type == .pdf && pages == DocumentReader.maximumPages, "\(pages) pages read")
            }
        }
    }

    /// A bounded program is killed past its time and its output, and no more than two run at once.
    @Test func boundedProcessesStopAndWaitTheirTurn() async throws {
        // A gate of its own, not to wait behind the documents other suites read.
        let slow = BoundedProcess(executable: "/bin/sleep", timeout: .seconds(1), gate: Gate(width: 1))
        let stopped = try await slow.run(["30"])
        // How long it ran is measured where it is read: the test's own task may be resumed much later on a machine whose
        // every concurrency thread is busy (CI saw 20 s and more between the kill and the test's next line).
        #expect(stopped.stopped && stopped.ran < .seconds(20), "killed after its second, not after 30: ran \(stopped.ran)")
        // A program whose pipe another holds open after it ended (here its own background child; in CI, a program
        // another test started at the same moment inherited it): what it said is read, and the wait ends with it.
        let leaving = BoundedProcess(executable: "/bin/sh", timeout: .seconds(20), gate: Gate(width: 1))
        let said = try await leaving.run(["-c", "sleep 25 & echo said"])
        #expect(String(decoding: said.output, as: UTF8.self) == "said\n" && said.ran < .seconds(10), "not held by the pipe: \(said.ran)")
        let talkative = BoundedProcess(executable: "/usr/bin/yes", timeout: .seconds(20), outputLimit: 100_000, gate: Gate(width: 1))
        let cut = try await talkative.run([])
        #expect(cut.stopped && cut.output.count <= 200_000)
        // Six want in at once; those inside stay until let go, so how many got in does not hang on how fast the
        // machine schedules them (a busy CI machine once let only one in within a sleep).
        let gate = Gate(width: 2)
        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var now = 0
            private var entered = 0
            private(set) var most = 0
            private var open = false
            func enter() { lock.withLock { now += 1; entered += 1; most = max(most, now) } }
            func leave() { lock.withLock { now -= 1 } }
            func letGo() { lock.withLock { open = true } }
            var isOpen: Bool { lock.withLock { open } }
            var inside: Int { lock.withLock { now } }
            var total: Int { lock.withLock { entered } }
        }
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    await gate.enter()
                    counter.enter()
                    while !counter.isOpen { try? await Task.sleep(for: .milliseconds(5)) }
                    counter.leave()
                    await gate.leave()
                }
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while counter.inside < 2 && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
            try? await Task.sleep(for: .milliseconds(200))
            #expect(counter.inside == 2, "two are let in and the others wait")
            counter.letGo()
        }
        #expect(counter.most == 2 && counter.total == 6, "at most two at once, and every one in its turn")
    }

    @Test func onlyThoseWhoMayAddDocumentsMaySendADocumentsWorthOfBody() async throws {
        try await AccountBed.run { bed, client in
            let body = Self.multipart([("csrf_token", "x")], file: ("big.txt", [UInt8](repeating: 0x61, count: 1_000_000)))
            var visitor = Browser(client)
            let refused = try await visitor.send("/library/new", body: body, contentType: "multipart/form-data; boundary=XyZ123")
            #expect(refused.status == .contentTooLarge, "a visitor's megabyte is refused before it is read")
            // A practitioner may not add documents: their megabyte is refused too.
            try await bed.account("reader@example.org", role: .practitioner, networks: ["carin"])
            var reader = Browser(client)
            _ = try await AccountFlowTests.signIn(&reader, bed, "reader@example.org")
            let readerToken = try #require(try await reader.get("/library").page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
            let practitioner = try await reader.send("/library/new", body: Self.multipart([("csrf_token", String(readerToken))],
                                                                                          file: ("big.txt", [UInt8](repeating: 0x61, count: 1_000_000))),
                                                     contentType: "multipart/form-data; boundary=XyZ123")
            #expect(practitioner.status == .contentTooLarge, "one who may not add documents sends no document's worth of body")
            try await bed.account("carin-fp@example.org", role: .focalPoint, networks: ["carin"])
            var focal = Browser(client)
            _ = try await AccountFlowTests.signIn(&focal, bed, "carin-fp@example.org")
            let form = try await focal.get("/library/new")
            let token = try #require(form.page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
            let taken = try await focal.send("/library/new", body: Self.multipart([("csrf_token", String(token)), ("title_en", "Big"), ("networks", "carin"), ("kind", "guide"), ("language", "en"), ("visibility", "public")],
                                                                                  file: ("big.txt", [UInt8](repeating: 0x61, count: 1_000_000))),
                                             contentType: "multipart/form-data; boundary=XyZ123")
            #expect(taken.status == .seeOther, "a member's megabyte is read")
        }
    }

    /// Who reads a document can be changed after it is shared (a guide made public by mistake), and a document
    /// withdrawn with all its versions: from then on nobody finds, reads or downloads it.
    @Test func aDocumentsReadersAreChangedAndItIsWithdrawn() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("carin-fp@example.org", role: .focalPoint, networks: ["carin"])
            var focal = Browser(client), visitor = Browser(client)
            _ = try await AccountFlowTests.signIn(&focal, bed, "carin-fp@example.org")
            var draft = DocumentDraft()
            draft.titleEN = "Internal guide"
            draft.networks = ["carin"]
            draft.visibility = "public"
            let document = try await bed.library.add(draft, file: .init(name: "guide.txt", bytes: Array("Beneficial ownership registers.\n".utf8)),
                                                     translationOf: nil, by: Principal(accountID: 1, role: .editor, usesSecondFactor: true), actor: "editor")
            let id = try #require(document.id)
            #expect(try await visitor.get("/library?q=registers&lang=en").page.contains("Internal guide"))
            #expect(try await visitor.get("/library?q=intrenal&lang=en").page.contains("Internal guide"), "a typing mistake in its title")
            // CARIN's focal point makes it CARIN's people's, from the form filled in with what it is.
            let form = try await focal.get("/library/\(id)/edit?lang=en")
            #expect(form.status == .ok && form.page.contains("value=\"Internal guide\"") && !form.page.contains("name=\"file\""))
            var fields = HostileBed.fields(in: form.page)
            fields["visibility"] = "networks"
            fields["visible_networks"] = "carin"
            fields["title_en"] = "Internal guide (CARIN)"
            let saved = try await focal.send("/library/\(id)/edit", body: Self.multipart(fields.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 } + [("networks", "carin")],
                                                                                           file: nil),
                                             contentType: "multipart/form-data; boundary=XyZ123")
            #expect(saved.status == .seeOther)
            let kept = try #require(try await bed.store.document(id: id))
            #expect(kept.visibility == .networks(["carin"]) && kept.title.en == "Internal guide (CARIN)" && kept.versions.count == 1)
            #expect(!(try await visitor.get("/library?q=registers&lang=en").page.contains("Internal guide")), "the visitor no longer finds it")
            let typo = try await visitor.get("/library?q=intrenal&lang=en").page
            #expect(!typo.contains("Internal guide") && !typo.contains("internal"), "nor is its title a variant of the visitor's words any more")
            #expect(try await !bed.library.titleVocabulary(DocumentReaders(.visitor)).words.contains("internal"), "the kept vocabulary was made again")
            #expect(try await bed.library.titleVocabulary(DocumentReaders(Principal(accountID: 2, role: .practitioner, networks: ["carin"])))
                .words.contains("internal"))
            #expect(try await visitor.get("/library/\(id)/file").status == .notFound)
            #expect(try await focal.get("/library?q=registers&lang=en").page.contains("Internal guide (CARIN)"), "its text is still searched")
            // The EJN's focal point may neither change nor withdraw it.
            let ejn = Principal(accountID: 77, role: .focalPoint, networks: ["ejn"])
            await #expect(throws: CatalogueError.self) { _ = try await bed.library.edit(id, draft, by: ejn, actor: "x") }
            // Withdrawn: said first, then done; nothing of it remains.
            await #expect { try await bed.library.withdraw(id, confirm: false, by: Principal(accountID: 2, role: .focalPoint, networks: ["carin"])) } throws: {
                ($0 as? InputError)?.field == "confirm"
            }
            let page = try await focal.get("/library/\(id)?lang=en")
            let token = try #require(page.page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
            let withdrawn = try await focal.post("/library/\(id)/withdraw", ["csrf_token": String(token), "confirm": "yes"])
            #expect(withdrawn.status == .seeOther && withdrawn.headers[.location] == "/library?withdrawn=1")
            #expect(try await bed.store.document(id: id) == nil)
            #expect(try await focal.get("/library/\(id)").status == .notFound)
            #expect(try await bed.store.searchDocuments(.init(words: [["registers"]]), readers: DocumentReaders(Principal(accountID: 2, role: .editor)),
                                                        limit: 5, offset: 0).total == 0)
        }
    }

    /// A network removed (its creation undone) takes what its people were given with it: a network made later under
    /// the same slug reads none of its documents or threads.
    @Test func aRemovedNetworksDocumentsAndThreadsGoToNoNetworkMadeUnderItsSlug() async throws {
        try await AccountBed.run { bed, _ in
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            var draft = DocumentDraft()
            draft.titleEN = "For CARIN's people"
            draft.link = "https://example.org/x.pdf"
            draft.networks = ["carin"]
            draft.visibility = "networks"
            draft.visibleNetworks = ["carin", "ejn"]
            let document = try await bed.library.add(draft, file: nil, translationOf: nil, by: editor, actor: "editor")
            let ann = try await bed.account("ann@example.org", role: .practitioner, networks: ["carin"])
            let thread = try await bed.discussions.startThread(in: "carin", title: "Ours", body: "Text.", by: ann.principal, account: ann)
            try await bed.store.deleteNetwork(slug: "carin", actor: "editor", reason: "test")
            let documentID = try #require(document.id)
            let kept = try #require(try await bed.store.document(id: documentID))
            #expect(kept.visibility == .networks(["ejn"]) && !kept.isVisible(to: ann.principal))
            let readers = DocumentReaders(Principal(accountID: 5, role: .practitioner, networks: ["carin"]))
            #expect(try await bed.store.searchDocuments(.init(), readers: readers, limit: 10, offset: 0).total == 0)
            let stored = try #require(try await bed.store.thread(id: thread))
            let space = try #require(try await bed.store.discussionSpace(id: stored.spaceID))
            #expect(space.slug.hasPrefix("removed-") && !space.isOpen(to: ann.principal) && space.isOpen(to: editor))
        }
    }

    @Test func aFocalPointSharesOnlyWithTheirOwnNetworks() async throws {
        try await AccountBed.run { bed, _ in
            let focal = Principal(accountID: 9, role: .focalPoint, networks: ["carin"])
            var draft = DocumentDraft()
            draft.titleEN = "Guide"
            draft.link = "https://example.org/guide.pdf"
            draft.networks = ["ejn"]
            await #expect { try await bed.library.add(draft, file: nil, translationOf: nil, by: focal, actor: "x") } throws: {
                ($0 as? InputError)?.field == "networks" && "\($0)".contains("must include a network you maintain (carin)")
            }
            draft.networks = ["carin"]
            draft.visibility = "networks"
            draft.visibleNetworks = ["ejn"]
            await #expect { try await bed.library.add(draft, file: nil, translationOf: nil, by: focal, actor: "x") } throws: {
                "\($0)".contains("visible_networks") && "\($0)".contains("networks you maintain")
            }
            draft.visibleNetworks = ["carin"]
            let added = try await bed.library.add(draft, file: nil, translationOf: nil, by: focal, actor: "x")
            #expect(added.current?.link == "https://example.org/guide.pdf")
            draft.link = "javascript:alert(1)"
            await #expect { try await bed.library.add(draft, file: nil, translationOf: nil, by: focal, actor: "x") } throws: { "\($0)".contains("link") }
            draft.link = ""
            await #expect { try await bed.library.add(draft, file: nil, translationOf: nil, by: focal, actor: "x") } throws: { "\($0)".contains("file") }
            await #expect(throws: ServiceDenied.self) {
                try await bed.library.add(draft, file: nil, translationOf: nil, by: Principal(accountID: 3, role: .practitioner, networks: ["carin"]), actor: "x")
            }
            // A translation joins the original's set: the EJN's focal point may not attach one to CARIN's public guide.
            draft.link = "https://example.org/guide-fr.pdf"
            draft.visibility = "public"
            draft.visibleNetworks = []
            let open = try await bed.library.add(draft, file: nil, translationOf: nil, by: focal, actor: "x")
            var other = draft
            other.networks = ["ejn"]
            let ejn = Principal(accountID: 10, role: .focalPoint, networks: ["ejn"])
            await #expect { try await bed.library.add(other, file: nil, translationOf: open.id, by: ejn, actor: "y") } throws: {
                ($0 as? InputError)?.field == "translation_of"
            }
            // Organisations are tagged by their slugs, countries by their codes in any case; a filter finds them as well.
            draft.countries = ["europol", "gh"]
            let tagged = try await bed.library.add(draft, file: nil, translationOf: nil, by: focal, actor: "x")
            #expect(tagged.countries == ["europol", "GH"])
            #expect(try await bed.library.search("", facets: [(.country, "gh")], page: 1, by: .visitor).hits.map(\.document.id) == [tagged.id])
            #expect(try await bed.library.documents(about: .country, "europol", by: .visitor).documents.map(\.id) == [tagged.id])
        }
    }
}
