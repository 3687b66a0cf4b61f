import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The open data as a researcher and a mirror meet it: `/data` lists the files; each comes with its entity tag and
/// date (304 when unchanged), gzipped when asked, readable from other sites' scripts; the change feed after an edit
/// names that edit and nothing else; each network's linked data is in its page's head and at its own address.
@Suite struct OpenDataPageTests {
    static func get(_ client: any TestClientProtocol, _ uri: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    @Test func theFilesAreListedDownloadedRevalidatedAndCompressed() async throws {
        try await AccountBed.run { bed, client in
            let page = try await Self.get(client, "/data?lang=en")
            let snapshot = bed.catalogue.snapshot
            #expect(page.status == .ok && page.page.contains("<strong>\(snapshot.revision)</strong>"))
            for file in OpenDataFile.allCases { #expect(page.page.contains("href=\"/data/\(file.rawValue)\" download")) }
            #expect(page.page.contains("<code>party_code</code>") && page.page.contains("CC BY 4.0"))
            #expect(try await Self.get(client, "/data?lang=fr").page.contains("Données ouvertes : le catalogue à télécharger"))

            let csv = try await Self.get(client, "/data/memberships.csv")
            let tag = try #require(csv.headers[.eTag])
            let modified = try #require(csv.headers[.lastModified])
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.headers[.contentEncoding] == nil)
            #expect(String(buffer: csv.body) == MembershipTable.csv(snapshot) && csv.headers[.accessControlAllowOrigin] == "*")
            #expect(csv.headers[.vary] == "Accept-Encoding" && csv.headers[.contentLength] == String(csv.body.readableBytes))
            // Asked again with its tag, or its date: 304, no body; another tag: the file.
            let again = try await Self.get(client, "/data/memberships.csv", [.ifNoneMatch: "\"other\", \(tag)"])
            #expect(again.status == .notModified && again.body.readableBytes == 0 && again.headers[.eTag] == tag)
            #expect(try await Self.get(client, "/data/memberships.csv", [.ifModifiedSince: modified]).status == .notModified)
            #expect(try await Self.get(client, "/data/memberships.csv", [.ifNoneMatch: "\"other\""]).status == .ok)
            #expect(try await Self.get(client, "/data/memberships.csv", [.ifNoneMatch: "\"other\"", .ifModifiedSince: modified]).status == .ok,
                    "If-None-Match decides when both are sent")
            // Gzipped when taken: the same bytes once inflated, under a tag of its own.
            let zipped = try await Self.get(client, "/data/memberships.csv", [.acceptEncoding: "br;q=1, gzip;q=0.8"])
            #expect(zipped.headers[.contentEncoding] == "gzip" && zipped.headers[.eTag] != tag)
            var body = zipped.body
            #expect(body.readableBytes < csv.body.readableBytes / 3)
            #expect(String(buffer: try body.decompress(with: .gzip)) == String(buffer: csv.body))
            #expect(try await Self.get(client, "/data/memberships.csv", [.acceptEncoding: "gzip;q=0"]).headers[.contentEncoding] == nil)
            // A 304 only for the coding chosen: the gzip's tag revalidates the gzip; the plain file's tag, asked with
            // gzip taken, gets the gzip (a cache must not take a 304 for a copy it does not have).
            let gzipTag = try #require(zipped.headers[.eTag])
            #expect(try await Self.get(client, "/data/memberships.csv", [.acceptEncoding: "gzip", .ifNoneMatch: gzipTag]).status == .notModified)
            #expect(try await Self.get(client, "/data/memberships.csv", [.acceptEncoding: "gzip", .ifNoneMatch: tag]).status == .ok)
            #expect(try await Self.get(client, "/data/memberships.csv", [.ifNoneMatch: gzipTag]).status == .ok)
            // HEAD: the headers, no body.
            let head = try await client.execute(uri: "/data/memberships.csv", method: .head, headers: [:], body: nil)
            #expect(head.status == .ok && head.body.readableBytes == 0 && head.headers[.eTag] == tag
                    && head.headers[.contentLength] == String(csv.body.readableBytes))
            // The JSON-LD file is JSON; a file that is not one is 404; a preflight is answered for other sites.
            let graph = try await Self.get(client, "/data/catalogue.jsonld")
            #expect(graph.headers[.contentType] == "application/ld+json")
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: graph.body)) as? [String: Any])?["@graph"] != nil)
            #expect(try await Self.get(client, "/data/passwords.csv").status == .notFound)
            let preflight = try await client.execute(uri: "/data/networks.csv", method: .options,
                                                     headers: [HTTPField.Name("Origin")!: "https://mirror.example", .accessControlRequestMethod: "GET"], body: nil)
            #expect(preflight.status == .noContent && preflight.headers[.accessControlAllowOrigin] == "*")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("If-None-Match") == true)
            // Pages are not opened to other sites.
            #expect(try await Self.get(client, "/networks/carin").headers[.accessControlAllowOrigin] == nil)

            // An edit: a new revision, new files; the tag of a file whose content changed no longer matches.
            let oldNetworksTag = try #require(try await Self.get(client, "/data/networks.csv").headers[.eTag])
            let (carin, revision) = try await bed.catalogue.entry(slug: "carin")
            var draft = NetworkDraft(try #require(carin))
            draft.website = "https://carin.example.org"
            draft.reason = "Its new site"
            try await Curation(catalogue: bed.catalogue).edit(try #require(carin), with: draft, revision: revision, by: "editor")
            let unchanged = try await Self.get(client, "/data/memberships.csv", [.ifNoneMatch: tag])
            #expect(unchanged.status == .notModified, "the tag follows the content: a web site is no membership")
            let networks = try await Self.get(client, "/data/networks.csv", [.ifNoneMatch: oldNetworksTag])
            #expect(networks.status == .ok && networks.headers[.eTag] != oldNetworksTag)
            #expect(String(buffer: networks.body).contains("https://carin.example.org"))
            #expect(networks.headers[HTTPField.Name("X-Catalogue-Revision")!] == String(bed.catalogue.snapshot.revision))
        }
    }

    @Test func theChangeFeedAfterAnEditNamesThatEditAndNothingElse() async throws {
        try await AccountBed.run { bed, client in
            let start = bed.catalogue.snapshot.revision
            // From the start: every network, added, a page at a time, the pages joined without a gap.
            var since: Int64 = 0
            var seen: [String] = []
            var pages = 0
            repeat {
                let page = try await Self.get(client, "/api/v1/changes?since=\(since)&limit=15")
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: page.body)) as? [String: Any])
                let changes = try #require(object["changes"] as? [[String: Any]])
                #expect(changes.allSatisfy { $0["action"] as? String == "added" && $0["network"] != nil })
                seen += changes.compactMap { $0["slug"] as? String }
                since = try #require(object["until"] as? Int64 ?? (object["until"] as? Int).map(Int64.init))
                pages += 1
                if object["more"] as? Bool != true { #expect(object["next"] == nil); break }
                #expect(object["next"] as? String == "/api/v1/changes?since=\(since)&limit=15")
            } while pages < 20
            #expect(Set(seen) == Set(bed.catalogue.snapshot.networks.map(\.slug)) && seen.count == Set(seen).count && pages == 3)

            // An edit of CARIN and a removal of the WBPN project: the feed after the start names those two, each as it
            // is, and the networks whose relations to the project went with it (the EJN, the WBPN).
            let (carin, revision) = try await bed.catalogue.entry(slug: "carin")
            var draft = NetworkDraft(try #require(carin))
            draft.website = "https://carin.example.org"
            draft.reason = "Its new site"
            try await Curation(catalogue: bed.catalogue).edit(try #require(carin), with: draft, revision: revision, by: "editor")
            try await bed.catalogue.delete(slug: "wbpn-project", actor: "editor", reason: "test")
            let feed = try await Self.get(client, "/api/v1/changes?since=\(start)")
            #expect(feed.headers[.accessControlAllowOrigin] == "*")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: feed.body)) as? [String: Any])
            let changes = try #require(object["changes"] as? [[String: Any]])
            #expect(changes.map { $0["slug"] as? String } == ["carin", "wbpn-project", "ejn", "wbpn"])
            #expect(changes.map { $0["action"] as? String } == ["changed", "removed", "changed", "changed"])
            #expect((changes[0]["network"] as? [String: Any])?["website"] as? String == "https://carin.example.org" && changes[1]["network"] == nil)
            #expect(((changes[2]["network"] as? [String: Any])?["relations"] as? [[String: Any]] ?? []).allSatisfy { $0["target"] as? String != "wbpn-project" })
            #expect(object["more"] as? Bool == false && (object["revision"] as? Int).map(Int64.init) == bed.catalogue.snapshot.revision)
            // A page's next keeps the page's size.
            let first = try #require(try JSONSerialization.jsonObject(with: Data(buffer: try await Self.get(client, "/api/v1/changes?since=0&limit=7").body))
                as? [String: Any])
            #expect((first["next"] as? String)?.hasSuffix("&limit=7") == true && (first["changes"] as? [Any])?.count == 7)
            // Caught up: nothing. Bad input: named.
            let now = bed.catalogue.snapshot.revision
            #expect(try await Self.get(client, "/api/v1/changes?since=\(now)").page.contains(#""changes":[]"#))
            for (query, field) in [("since=-1", "since"), ("since=x", "since"), ("limit=0", "limit"), ("limit=5000", "limit"), ("from=1", "from")] {
                let refused = try await Self.get(client, "/api/v1/changes?\(query)")
                #expect(refused.status == .badRequest && refused.page.contains(field), "\(query)")
            }
        }
    }

    @Test func aNetworksLinkedDataIsInItsPageAndAtItsOwnAddress() async throws {
        try await AccountBed.run { _, client in
            let page = try await Self.get(client, "/networks/gpen?lang=en").page
            let script = try #require(page.firstMatch(of: /<script type="application\/ld\+json">([^<]*)<\/script>\n<\/head>/)).1
            let inPage = try #require(try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: Any])
            let own = try await Self.get(client, "/networks/gpen.jsonld")
            #expect(own.status == .ok && own.headers[.contentType] == "application/ld+json" && own.headers[.accessControlAllowOrigin] == "*")
            let served = try #require(try JSONSerialization.jsonObject(with: Data(buffer: own.body)) as? [String: Any])
            #expect(NSDictionary(dictionary: inPage).isEqual(to: served) && served["@id"] as? String == "http://liaison.test/networks/gpen")
            #expect(try await Self.get(client, "/networks/nowhere.jsonld").status == .notFound)
            #expect(try await Self.get(client, "/networks/gpen").status == .ok, "the page itself is still the page")
        }
    }

    @Test func filesAreWrittenPerRevisionSiteAndFormatAndOldFoldersGoAfterTheirGrace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-open-data-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks(), revision: 40)
        let day = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try OpenDataFiles.write(catalogue, modified: day, into: directory, site: "https://a.example")
        // Written again for the same revision, site and time: found, not rewritten.
        #expect(try OpenDataFiles.write(catalogue, modified: day, into: directory, site: "https://a.example") == first)
        // Another site (its linked data names things by it), or a database seeded again (another time): other files.
        let other = try OpenDataFiles.write(catalogue, modified: day, into: directory, site: "https://b.example")
        let again = try OpenDataFiles.write(catalogue, modified: day.addingTimeInterval(60), into: directory, site: "https://a.example")
        #expect(Set([first.folder, other.folder, again.folder]).count == 3)
        #expect(try String(contentsOfFile: other.path(.jsonld, gzip: false), encoding: .utf8).contains("https://b.example/networks/ejn"))
        // Within the grace, every folder stays (a download under way); after it, all but the one kept go.
        OpenDataFiles.removeOld(in: directory, keeping: again.folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 3)
        OpenDataFiles.removeOld(in: directory, keeping: again.folder, now: Date().addingTimeInterval(OpenDataFiles.grace + 60))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [URL(fileURLWithPath: again.folder).lastPathComponent])
        // A folder written an hour ago that stops being the latest now keeps its grace from now.
        let newer = try OpenDataFiles.write(catalogue, modified: day.addingTimeInterval(120), into: directory, site: "https://a.example")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: again.folder)
        OpenDataFiles.retire(again.folder)
        OpenDataFiles.removeOld(in: directory, keeping: newer.folder)
        #expect(FileManager.default.fileExists(atPath: again.folder), "a download of the replaced files may still be under way")
    }
}
