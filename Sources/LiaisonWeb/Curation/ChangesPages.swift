import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// `/changes` and the Atom feeds of changes: the whole catalogue's, and one network's.
struct ChangesPages {
    let catalogue: LiveCatalogue
    let curation: Curation
    let pages: SignInPages
    let site: String

    func addRoutes(to routes: Routes) {
        routes.get("/changes", needs: .anyone, use: changesPage)
        routes.get("/changes.atom", needs: .anyone, use: changesFeed)
        routes.get("/networks/:slug/changes.atom", needs: .anyone, use: networkChangesFeed)
    }

    /// GET /changes
    func changesPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let revisions = try await curation.recentChanges(limit: 100)
        let layout = Layout(request: request, context: context) { $0["changes_title"] }
        return pages.renderer.render("changes", ChangesPage(revisions, catalogue: catalogue.snapshot, t: layout.localizer), layout: layout)
    }

    /// GET /changes.atom
    func changesFeed(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        atom(try await curation.recentChanges(limit: 50), id: "\(site)/changes", title: "Liaison: recent changes",
             selfURL: "\(site)/changes.atom")
    }

    /// GET /networks/:slug/changes.atom
    func networkChangesFeed(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let network = catalogue.snapshot.network(slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
        return atom(try await curation.history(of: slug, limit: 50), id: "\(site)/networks/\(slug)/history",
                    title: "Liaison: changes of \(network.displayName)", selfURL: "\(site)/networks/\(slug)/changes.atom")
    }

    func atom(_ revisions: [Revision], id: String, title: String, selfURL: String) -> Response {
        let snapshot = catalogue.snapshot
        let body = AtomFeed(id: id, title: title, selfURL: selfURL, site: site, entries: revisions.map { revision in
            let name = snapshot.network(slug: revision.entityID)?.displayName ?? revision.entityID
            let change = NetworkRevisionChange.decode(revision.change)
            let fields = change?.differences().map(\.field) ?? []
            return AtomFeed.Entry(
                id: "\(site)/revisions/\(revision.seq)", title: "\(name): \(revision.action.rawValue)",
                updated: revision.at, author: revision.actor,
                summary: revision.reason + (fields.isEmpty ? "" : " (" + fields.joined(separator: ", ") + ")"),
                link: "\(site)/networks/\(revision.entityID)/history")
        }).xml
        return Response(status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// An Atom feed (RFC 4287), written with every text escaped.
struct AtomFeed {
    struct Entry {
        let id: String
        let title: String
        let updated: Date
        let author: String
        let summary: String
        let link: String
    }

    let id: String
    let title: String
    let selfURL: String
    let site: String
    let entries: [Entry]

    var xml: String {
        let format = Date.ISO8601FormatStyle()
        var lines = [
            #"<?xml version="1.0" encoding="utf-8"?>"#,
            #"<feed xmlns="http://www.w3.org/2005/Atom">"#,
            "<id>\(Escaper.markup(id))</id>",
            "<title>\(Escaper.markup(title))</title>",
            "<updated>\((entries.first?.updated ?? Date(timeIntervalSince1970: 0)).formatted(format))</updated>",
            #"<link rel="self" href="\#(Escaper.markup(selfURL))"/>"#,
            #"<link rel="alternate" href="\#(Escaper.markup(site))/changes"/>"#,
            "<author><name>Liaison</name></author>",
        ]
        for entry in entries {
            lines += [
                "<entry>",
                "<id>\(Escaper.markup(entry.id))</id>",
                "<title>\(Escaper.markup(entry.title))</title>",
                "<updated>\(entry.updated.formatted(format))</updated>",
                "<author><name>\(Escaper.markup(entry.author))</name></author>",
                #"<link rel="alternate" href="\#(Escaper.markup(entry.link))"/>"#,
                "<summary>\(Escaper.markup(entry.summary))</summary>",
                "</entry>",
            ]
        }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }
}

struct ChangesPage {
    struct Item {
        let at: String
        let url: String
        let name: String
        let action: String
        let actor: String
        let reason: String
    }

    let items: [Item]

    init(_ revisions: [Revision], catalogue: Catalogue, t: Localizer) {
        items = revisions.map { revision in
            Item(at: t.dateTime(revision.at), url: "/networks/\(revision.entityID)/history",
                 name: catalogue.network(slug: revision.entityID)?.displayName ?? revision.entityID,
                 action: t["history_action.\(revision.action.rawValue)"],
                 actor: t.actor(revision), reason: t.reason(revision))
        }
    }
}
