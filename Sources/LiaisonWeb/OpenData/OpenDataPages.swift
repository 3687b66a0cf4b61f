import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore
import LiaisonServices

/// `/data`: the catalogue's open-data files — the page that lists them (size, revision, date, licence, what each
/// column means) and the files themselves, each with its entity tag and date (304 on a match), gzipped when the
/// client takes it; and `GET /api/v1/changes`, the feed a mirror follows.
struct OpenDataPages {
    let files: OpenDataFiles
    let changes: CatalogueChanges
    let renderer: PageRenderer
    let site: String

    func addRoutes(api: Routes, pages: Routes) {
        pages.get("/data", needs: .anyone, use: dataPage)
        pages.get("/data/:file", needs: .anyone, use: download)
        api.get("/api/v1/changes", needs: .anyone, use: changeFeed)
    }

    /// GET /data
    func dataPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let layout = Layout(request: request, context: context, section: "/data") { $0["data_title"] }
        let release = try await files.release()
        return renderer.render("data", DataPage(release, t: layout.localizer), layout: layout)
    }

    /// GET /data/{file} — `networks.csv`, `memberships.csv`, `catalogue.json`, `catalogue.jsonl`, `catalogue.jsonld`.
    func download(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("file")
        guard let kind = OpenDataFile(rawValue: name) else { throw HTTPError(.notFound) }
        let release = try await files.release()
        guard let file = release.file(kind) else { throw HTTPError(.notFound) }
        let gzip = Self.acceptsGzip(request.headers[.acceptEncoding] ?? "")
        let etag = gzip ? file.gzipETag : file.etag
        var headers: HTTPFields = [
            .eTag: etag, .lastModified: Self.httpDate(release.modified), .vary: "Accept-Encoding",
            .cacheControl: "public, no-cache", .contentType: kind.mediaType,
        ]
        headers[.contentDisposition] = "inline; filename=\"\(kind.rawValue)\""
        headers[HTTPField.Name("X-Catalogue-Revision")!] = String(release.revision)
        // RFC 9110 §13.1.2: If-None-Match first, If-Modified-Since only without it; the tag of the coding chosen (a
        // cache revalidating its gzip copy for a client that takes none is sent the file).
        if let tags = request.headers[.ifNoneMatch] {
            if Self.matches(tags, [etag]) { return Response(status: .notModified, headers: headers) }
        } else if let since = request.headers[.ifModifiedSince].flatMap(Self.date(http:)),
                  since.timeIntervalSince1970 >= release.modified.timeIntervalSince1970.rounded(.down) {
            return Response(status: .notModified, headers: headers)
        }
        if gzip { headers[.contentEncoding] = "gzip" }
        headers[.contentLength] = String(gzip ? file.gzipSize : file.size)
        let body = try await FileIO().loadFile(path: release.path(kind, gzip: gzip), context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// GET /api/v1/changes?since=REVISION&limit=N — the networks added, changed and removed after a revision.
    func changeFeed(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = request.queryFields
        try FilterParameters.rejectUnknown(query, allowed: ["since", "limit"])
        func number(_ name: Substring, _ standard: Int64) throws -> Int64 {
            guard let text = query[name].map(String.init) else { return standard }
            guard text.count <= 19, let value = Int64(text) else {
                throw InputError.invalidValue(field: String(name), value: TextRules.preview(text), rule: "must be a whole number")
            }
            return value
        }
        let limit = Int(clamping: try number("limit", Int64(CatalogueChanges.standardLimit)))
        let page = try await changes.changes(since: try number("since", 0), limit: limit)
        var object: [String: Any] = [
            "since": page.since, "until": page.until, "revision": page.revision, "more": page.more,
            "changes": try page.changes.map { change -> [String: Any] in
                var entry: [String: Any] = ["slug": change.slug, "action": change.action.rawValue]
                if let network = change.network {
                    entry["network"] = try JSONSerialization.jsonObject(with: try JSONLines.line(network))
                }
                return entry
            },
        ]
        if page.more { object["next"] = "/api/v1/changes?since=\(page.until)" + (query["limit"] == nil ? "" : "&limit=\(limit)") }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Whether `Accept-Encoding` takes gzip (a quality of 0 refuses it; `*` takes it unless gzip is refused).
    static func acceptsGzip(_ header: String) -> Bool {
        var star: Bool?
        for (coding, quality) in QualityValues.parse(header) {
            if coding == "gzip" || coding == "x-gzip" { return quality > 0 }
            if coding == "*" { star = quality > 0 }
        }
        return star ?? false
    }

    /// Whether an `If-None-Match` list names one of `tags` (weak comparison, RFC 9110 §13.1.2), or is `*`.
    static func matches(_ header: String, _ tags: [String]) -> Bool {
        let plain = Set(tags.map { $0.hasPrefix("W/") ? String($0.dropFirst(2)) : $0 })
        for part in header.split(separator: ",").prefix(64) {
            let tag = part.trimmingCharacters(in: .whitespaces)
            if tag == "*" || plain.contains(tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag) { return true }
        }
        return false
    }

    /// HTTP's date format (RFC 9110 §5.6.7, IMF-fixdate); a formatter per use (they are not safe to share).
    static func httpDates() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }

    static func httpDate(_ date: Date) -> String { httpDates().string(from: date) }

    static func date(http text: String) -> Date? {
        text.count <= 64 ? httpDates().date(from: text) : nil
    }
}
