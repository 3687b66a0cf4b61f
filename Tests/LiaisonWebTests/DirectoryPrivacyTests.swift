import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Personal data of the directory, the library's restricted documents and a network's discussions reach no one not
/// entitled to them: entries whose every personal field carries a marker are imported, a document for one network's
/// people only, a thread of its space and networks' answers to a survey carry it too, then every public page (following every link), every API
/// operation, the feeds, the
/// catalogue's exports, the error pages and the log are read, in English and French, as a visitor, a practitioner
/// without a second factor and a focal point: the markers appear nowhere.
@Suite struct DirectoryPrivacyTests {
    /// In every personal field; the telephone numbers' digits are markers too. Seven characters: no random token of a
    /// page (form tokens are base64url) holds one by chance.
    static let markers = ["qv7zx9k", "977777701", "977777702", "966666601"]

    static let file = """
        kind,name,function,authority,country,email,phone,languages,networks,role,sending_country,host_country,covers,available_24_7,urgent_phone,valid_from,valid_until,source,consent_basis,consent_date,visibility
        contact-point,Qv7zx9kname Person,qv7zx9kfunction,qv7zx9kauthority,ES,qv7zx9kemail@example.org,+34 977 777 701,es;en,carin;ejn,qv7zx9krole,,,,yes,+34 966 666 601,2020,,qv7zx9ksource,qv7zx9kbasis,2024-01-01,practitioners
        liaison-magistrate,Qv7zx9kname Person,,,ES,qv7zx9kemail@example.org,,,,qv7zx9kposting,ES,GH,TG,,,2024,,qv7zx9ksource,qv7zx9kbasis,2024-01-01,practitioners
        central-authority,Qv7zx9koffice,,qv7zx9kministry,GH,qv7zx9koffice@example.org,+233 977 777 702,en,,,,,,no,,,,qv7zx9ksource,qv7zx9kbasis,,practitioners
        """

    static func leak(in body: String) -> String? {
        let lower = body.lowercased()
        for marker in markers {
            if let range = lower.range(of: marker) {
                let from = lower.index(range.lowerBound, offsetBy: -60, limitedBy: lower.startIndex) ?? lower.startIndex
                let to = lower.index(range.upperBound, offsetBy: 60, limitedBy: lower.endIndex) ?? lower.endIndex
                return String(lower[from..<to])
            }
        }
        return nil
    }

    @Test func noPublicPageAPIFeedExportErrorPageOrLogShowsTheDirectory() async throws {
        let logs = LogCapture()
        try await AccountBed.run(logs: logs) { bed, client in
            let imported = try await bed.directory.importFile(Self.file, source: "markers.csv", actor: "test")
            #expect(imported.added == 2)
            let practitioner = try await bed.account("plain@example.org", role: .practitioner)
            let focalPoint = try await bed.account("focal@example.org", role: .focalPoint, networks: ["carin"])
            // The entries are there for those entitled: the check would see a leak.
            let reader = try await bed.account("reader@example.org", role: .practitioner, secondFactor: "PrivacyKey0123456789")
            let readable = try await HostileBed.send(client, bed, .get, "/directory?country=ES", as: reader, n: 0)
            #expect(Self.leak(in: String(buffer: readable.body)) != nil, "the markers are where they belong")

            // A document of the library for the EJN's people only, the markers in its title, summary, text and file's
            // name: the crawl's people (none of the EJN) must meet none of it.
            var document = DocumentDraft()
            document.titleEN = "Qv7zx9ktitle guide"
            document.summaryEN = "qv7zx9ksummary"
            document.networks = ["ejn", "carin"]
            document.countries = ["ES"]
            document.visibility = "networks"
            document.visibleNetworks = ["ejn"]
            let secret = try await bed.library.add(document, file: .init(name: "qv7zx9kfile.txt", bytes: Array("Person qv7zx9ktext inside".utf8)),
                                                   translationOf: nil, by: Principal(accountID: 1, role: .editor, usesSecondFactor: true), actor: "test")
            let documentID = try #require(secret.id)
            let ejnReader = try await bed.account("ejn-reader@example.org", role: .practitioner, networks: ["ejn"])
            let ejnSees = try await HostileBed.send(client, bed, .get, "/library?q=inside", as: ejnReader, n: 0)
            #expect(Self.leak(in: String(buffer: ejnSees.body)) != nil, "the document is there for the EJN's people")
            // A thread of the EJN's space, the markers in its title and message, pointing to the document.
            let thread = try await bed.discussions.startThread(in: "ejn", title: "Qv7zx9kthread", body: "Person qv7zx9kpost, see the guide.",
                                                               attachments: [documentID], by: ejnReader.principal, account: ejnReader)
            let post = try #require(try await bed.store.posts(threadID: thread).first?.id)
            let ejnThread = try await HostileBed.send(client, bed, .get, "/discussions/threads/\(thread)", as: ejnReader, n: 0)
            #expect(Self.leak(in: String(buffer: ejnThread.body)) != nil, "the thread is there for the EJN's people")
            // A survey four networks answered, each saying in words what it needs (the marker), its results for the
            // focal points of the networks that answered: they read the counts, never a network's own words.
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            var survey = try await bed.surveys.create(.needsOfTheNetworks, by: editor, actor: "test")
            let surveyID = try #require(survey.id)
            survey = try await bed.surveys.change(surveyID, version: survey.version, by: editor) { $0.resultsVisibility = .respondents }
            // Four networks answer, CARIN among them, whose focal point crawls as one who reads the results (three
            // besides its own).
            _ = try await bed.surveys.send(surveyID, networks: .chosen(["carin", "ejn", "eurojust", "iberred"]), people: [], by: editor)
            for slug in ["carin", "ejn", "eurojust", "iberred"] {
                let answerer = slug == "carin" ? focalPoint : try await bed.account("survey-\(slug)@example.org", role: .focalPoint, networks: [slug])
                // (CARIN's own words are not marked: its focal point reads its own answer.)
                let answers = ["answer-q4": ["4"], "answer-q5": ["platform"], "answer-q7": ["virtual"],
                               "answer-q13": [slug == "carin" ? "Needs of CARIN" : "Qv7zx9kneeds of \(slug)"]]
                _ = try await bed.surveys.save(surveyID, network: slug, revision: 0, submit: true, fields: { answers[$0] ?? [] },
                                               by: answerer.principal, account: answerer)
            }
            try await bed.surveys.close(surveyID, confirm: true, by: editor)
            let editorsResults = try await bed.surveys.results(surveyID, group: .all, language: .en, by: editor)
            #expect(editorsResults.results.questions.contains { $0.texts.contains { Self.leak(in: $0.text) != nil } }, "the secretariat reads them")
            // CARIN's focal point gets the published results: the crawl reads a real page.
            let published = try await HostileBed.send(client, bed, .get, "/surveys/\(surveyID)/results?lang=en", as: focalPoint, n: 0)
            let publishedPage = String(buffer: published.body)
            #expect(published.status == .ok && publishedPage.contains("<svg role=\"img\"") && Self.leak(in: publishedPage) == nil)

            // Where to start: every GET route with real values, the searches and finders that name the entries'
            // countries and networks, and the entries' own addresses.
            let ids = try await bed.store.allDirectoryEntries().compactMap(\.id)
            var queue = bed.routes.filter { $0.hasPrefix("GET ") }.map { HostileBed.concrete(String($0.dropFirst(4))) }
            queue += ["/networks?q=person", "/networks?party=ES", "/finder?from=ES&to=GH", "/countries/GH", "/countries/ES",
                      "/api/v1/networks?q=person", "/api/v1/finder?from=ES&to=GH", "/api/v1/parties/ES", "/api/v1/networks/carin",
                      "/networks/carin", "/networks/ejn", "/changes.atom", "/networks/carin/changes.atom", "/api/v1/openapi.json"]
            queue += ids.flatMap { ["/directory/\($0)", "/directory/\($0)/vcard"] } + ["/directory.vcf?country=ES", "/directory.csv"]
            queue += ["/library?q=inside", "/library?q=person", "/library?network=ejn", "/library?country=ES", "/library/\(documentID)",
                      "/library/\(documentID)/file", "/library/\(documentID)/versions/1/file", "/library?q=guide"]
            queue += ["/discussions", "/discussions/ejn", "/discussions/threads/\(thread)", "/discussions/threads/\(thread)?quote=\(post)",
                      "/discussions/posts/\(post)/history", "/discussions/reports"]
            queue += OpenDataFile.allCases.map { "/data/\($0.rawValue)" } + ["/api/v1/changes?since=0&limit=1000", "/networks/carin.jsonld"]
            queue += ["/surveys", "/surveys/\(surveyID)/results", "/surveys/\(surveyID)/results?format=csv", "/surveys/\(surveyID)/results?format=json",
                      "/surveys/\(surveyID)/results?group=section:european", "/surveys/\(surveyID)/answer/carin", "/surveys/\(surveyID)"]
            var leaks: [String] = []
            var read = 0
            for (who, account) in [("visitor", nil as Account?), ("practitioner", practitioner), ("focal point", focalPoint)] {
                for language in ["en", "fr"] {
                    var seen = Set<String>()
                    var pending = queue
                    while let path = pending.popLast(), seen.count < 400 {
                        guard seen.insert(path).inserted else { continue }
                        let uri = path + (path.contains("?") ? "&" : "?") + "lang=" + language
                        let response = try await HostileBed.send(client, bed, .get, uri, as: account, n: read)
                        read += 1
                        let body = String(buffer: response.body)
                        if let leak = Self.leak(in: body) { leaks.append("\(uri) as \(who): …\(leak)…") }
                        if let location = response.headers[.location], let leak = Self.leak(in: location) {
                            leaks.append("\(uri) as \(who) redirects to …\(leak)…")
                        }
                        // Follow the page's links within the site (not signing out, not the language switch).
                        guard (response.headers[.contentType] ?? "").contains("html") else { continue }
                        for match in body.matches(of: /href="(\/[^"#]*)"/) {
                            let link = String(match.1).replacingOccurrences(of: "&amp;", with: "&")
                            let bare = link.replacingOccurrences(of: #"[?&]lang=(en|fr)"#, with: "", options: .regularExpression)
                            if !seen.contains(bare) && !bare.hasPrefix("/sign-out") && !bare.hasPrefix("/static") { pending.insert(bare, at: 0) }
                        }
                    }
                    #expect(seen.count > 60, "the crawl reached the site (\(seen.count) addresses as \(who) in \(language))")
                }
            }
            // The catalogue's exports, as `liaison export` writes them.
            let transfer = CatalogueTransfer(store: bed.store, catalogue: bed.catalogue)
            for format in CatalogueTransfer.Format.allCases {
                var data = Data()
                try transfer.export(format, site: "http://liaison.test") { data.append($0) }
                if let leak = Self.leak(in: String(decoding: data, as: UTF8.self)) { leaks.append("export \(format): …\(leak)…") }
            }
            // The log of everything above, the import and the reader's look included.
            for line in logs.all { if let leak = Self.leak(in: line) { leaks.append("log: …\(leak)…") } }
            #expect(leaks.isEmpty, "\(leaks.count) leaks, the first: \(leaks.prefix(5))")
            #expect(read > 400 && !logs.all.isEmpty)
        }
    }
}
