import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// `/directory`: whom to call. Open to practitioners and above who sign in with a second factor; an entry narrowed
/// to its networks' people is shown to them only. Every answer is marked `no-store` and `noindex`: nothing of it
/// is kept by a cache or a search engine.
struct DirectoryPages {
    let directory: DirectoryService
    let catalogue: LiveCatalogue
    let pages: SignInPages
    static let perPage = 50

    func addRoutes(to routes: Routes) {
        routes.get("/directory", needs: .permission(.readDirectory), use: search)
        routes.get("/directory.vcf", needs: .permission(.readDirectory), use: selectionCards)
        routes.get("/directory.csv", needs: .permission(.manageDirectory), use: exportCSV)
        routes.get("/admin/directory-access", needs: .permission(.readDirectoryAccessLog), use: accessLog)
        routes.get("/directory/import", needs: .permission(.manageDirectory), use: importForm)
        routes.post("/directory/import", needs: .permission(.manageDirectory), use: importFile)
        routes.get("/directory/:id", needs: .permission(.readDirectory), use: entryPage)
        routes.get("/directory/:id/vcard", needs: .permission(.readDirectory), use: entryCard)
        // Maintainers (the editors, the focal points of one of the entry's networks): the service checks which.
        routes.get("/directory/:id/edit", needs: .permission(.readDirectory), use: editForm)
        routes.post("/directory/:id/edit", needs: .permission(.readDirectory), use: saveEdit)
        routes.post("/directory/:id/confirm", needs: .permission(.readDirectory), use: confirm)
        routes.get("/directory/:id/history", needs: .permission(.readDirectory), use: history)
        routes.post("/directory/:id/invite", needs: .permission(.manageDirectory), use: invitePerson)
    }

    /// GET /directory
    func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (query, page) = try Self.query(request, catalogue: catalogue.snapshot)
        let found: (entries: [DirectoryEntry], total: Int)
        do {
            found = try await directory.search(query, by: context.principal, page: page, perPage: Self.perPage)
        } catch AccountError.throttled(let until) {
            return throttled(request, context, until: until)
        }
        let pages = max(1, (found.total + Self.perPage - 1) / Self.perPage)
        guard page <= pages else {
            throw InputError.invalidValue(field: "page", value: String(page), rule: "must be at most \(pages), the number of pages")
        }
        let t = Localizer.of(request)
        let model = DirectoryPage(request: request, query: query, found: found, page: page, pages: pages, catalogue: catalogue.snapshot,
                                  canExport: Policy.allows(context.principal, .manageDirectory), now: directory.now(), t: t)
        return Self.private(self.pages.render(request, context, "directory", model) { $0["directory_title"] })
    }

    /// GET /directory/:id
    func entryPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let t = Localizer.of(request)
        do {
            let entry = try await directory.entry(id, by: context.principal)
            let views = Policy.allows(context.principal, .readDirectoryAccessLog) ? try await directory.views(of: id, by: context.principal) : nil
            var model = DirectoryEntryPage(entry, views: views, canErase: Policy.allows(context.principal, .manageDirectory),
                                           catalogue: catalogue.snapshot, now: directory.now(), t: t)
            model.canMaintain = Policy.allows(context.principal, .maintainDirectoryEntry(networks: Set(entry.networks)))
            let fields = request.queryFields
            model.notice = fields["saved"] != nil ? t["directory_saved"] : fields["confirmed"] != nil ? t["directory_confirmed_notice"]
                : fields["invited"] != nil ? t["directory_invited"] : nil
            return Self.private(pages.render(request, context, "directory-entry", model, forms: true) { _ in entry.name })
        } catch AccountError.throttled(let until) {
            return throttled(request, context, until: until)
        }
    }

    /// 429: the account opened or listed as much of the directory as one account may in an hour.
    func throttled(_ request: Request, _ context: AppRequestContext, until: Date) -> Response {
        let t = Localizer.of(request)
        return Self.private(pages.render(request, context, "notice",
                                         Notice(heading: t["directory_throttled_heading"], message: Self.throttledMessage(until: until, t: t),
                                                link: "/directory", linkLabel: t["directory_title"]),
                                         status: .tooManyRequests) { $0["directory_throttled_heading"] })
    }

    /// What an account past the directory's hourly allowance is told, and when it may go on.
    static func throttledMessage(until: Date, t: Localizer) -> String {
        t.count("directory_throttled", AccountError.minutesLeft(until: until))
    }

    /// GET /directory/:id/edit
    func editForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let entry = try await directory.maintained(id, by: context.principal)
        return editPage(request, context, id: id, draft: DirectoryDraft(entry), failure: nil)
    }

    /// POST /directory/:id/edit
    func saveEdit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (id, form) = (try Self.id(context), try await Form.read(request, context))
        var draft = DirectoryDraft()
        draft.name = form.raw(.name)
        draft.function = form.raw(.function)
        draft.authority = form.raw(.authority)
        draft.country = form.raw(.country)
        draft.emails = form.raw(.emails)
        draft.phones = form.raw(.phones)
        draft.languages = form.raw(.languages)
        draft.available247 = form.text(.available247) == "yes"
        draft.urgentPhone = form.raw(.urgentPhone)
        draft.roles = form.raw(.roles)
        draft.source = form.raw(.source)
        draft.consentBasis = form.raw(.consentBasis)
        draft.consentDate = form.raw(.consentDate)
        draft.visibility = form.text(.visibility)
        draft.reason = form.raw(.reason)
        do {
            try await directory.edit(id, draft, by: context.principal, actor: EditPages.actor(context))
            return .redirect("/directory/\(id)?saved=1")
        } catch let failure as NetworkEditFailure {
            return editPage(request, context, id: id, draft: draft, failure: failure)
        }
    }

    /// GET /directory/:id/history — what was done to the entry, when, by whom and why (its maintainers).
    func history(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let found = try await directory.history(of: id, by: context.principal)
        let t = Localizer.of(request)
        let model = DirectoryHistoryPage(id: id, name: found.entry.name, rows: found.revisions.map { revision in
            DirectoryHistoryPage.Row(action: t["directory_action.\(revision.action)"], at: t.dateTime(revision.at), actor: revision.actor,
                                     reason: revision.reason, changes: revision.changes.map {
                                         DiffLine(field: t[DirectoryHistoryPage.labels[$0.field] ?? "directory_roles"], before: $0.before, after: $0.after)
                                     })
        })
        return Self.private(pages.render(request, context, "directory-history", model) { $0.format("directory_history_title", ["name": found.entry.name]) })
    }

    /// POST /directory/:id/confirm
    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        try await directory.confirm(id, by: context.principal, actor: EditPages.actor(context))
        return .redirect("/directory/\(id)?confirmed=1")
    }

    /// POST /directory/:id/invite — the person listed is invited (as a practitioner, at the entry's first address,
    /// in French when French is among their languages and English is not) to keep their own entry true.
    func invitePerson(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let entry = try await directory.maintained(id, by: context.principal)
        guard let email = entry.emails.first else {
            throw InputError.invalidValue(field: "email", value: "", rule: "the entry has no address to invite")
        }
        let language: Language = entry.languages.contains("fr") && !entry.languages.contains("en") ? .fr : .en
        try await pages.accounts.invite(email: email, role: .practitioner, networks: [], language: language, networkNames: [:],
                                        by: context.identity?.account, address: context.clientAddress)
        return .redirect("/directory/\(id)?invited=1")
    }

    func editPage(_ request: Request, _ context: AppRequestContext, id: Int64, draft: DirectoryDraft, failure: NetworkEditFailure?) -> Response {
        let t = Localizer.of(request)
        let model = DirectoryEditPage(id: id, draft: draft, failure: failure, t: t)
        return Self.private(pages.render(request, context, "directory-edit", model, forms: true, status: failure == nil ? .ok : .badRequest) {
            $0["directory_edit_title"]
        })
    }

    /// GET /directory/:id/vcard — one entry as vCard 4.0 (a view, as the page is).
    func entryCard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let entry = try await directory.entry(id, by: context.principal)
        return Self.private(Self.file(directory.vCards([entry]), type: "text/vcard; charset=utf-8", name: "liaison-directory-\(id).vcf"))
    }

    /// GET /directory.vcf — the entries of a page of results as vCards (each one a view).
    func selectionCards(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (query, page) = try Self.query(request, catalogue: catalogue.snapshot)
        let entries = try await directory.open(query, by: context.principal, page: page, perPage: Self.perPage)
        return Self.private(Self.file(directory.vCards(entries), type: "text/vcard; charset=utf-8", name: "liaison-directory.vcf"))
    }

    /// GET /admin/directory-access — who opened which entry, when (administrators).
    func accessLog(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let rows = try await directory.accessLog(by: context.principal).map {
            DirectoryAccessPage.Row(at: t.dateTime($0.at), viewer: $0.viewer, url: "/directory/\($0.entryID)", entry: $0.entry)
        }
        return Self.private(pages.render(request, context, "directory-access", DirectoryAccessPage(rows: rows, hasRows: !rows.isEmpty)) {
            $0["directory_access_title"]
        })
    }

    /// GET /directory/import — editors upload (or paste) a CSV file of the import's columns.
    func importForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        Self.private(pages.render(request, context, "directory-import", DirectoryImportPage(text: "", problems: [], done: nil), forms: true) {
            $0["directory_import_title"]
        })
    }

    /// POST /directory/import — checked whole, then written in one transaction; every mistake named, nothing kept.
    func importFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // The file chosen, or else the text pasted.
        let form = try await Form.read(request, context)
        let text = form.raw(.csvFile).isEmpty ? form.raw(.csv) : form.raw(.csvFile)
        let t = Localizer.of(request)
        do {
            let done = try await directory.importFile(text, source: "the pasted file", actor: EditPages.actor(context))
            let page = DirectoryImportPage(text: "", problems: [], done: t.format("directory_import_done", ["added": done.added, "updated": done.updated]))
            return Self.private(pages.render(request, context, "directory-import", page, forms: true) { $0["directory_import_title"] })
        } catch let failure as ImportFailure {
            let page = DirectoryImportPage(text: text, problems: failure.errors.prefix(200).map(\.description), done: nil)
            return Self.private(pages.render(request, context, "directory-import", page, forms: true, status: .badRequest) {
                $0["directory_import_title"]
            })
        }
    }

    /// GET /directory.csv — every entry, for editors (the import's columns).
    func exportCSV(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let entries = try await directory.export(by: context.principal)
        return Self.private(Self.file(DirectoryFile.csv(entries), type: "text/csv; charset=utf-8", name: "liaison-directory.csv"))
    }

    // MARK: Requests and answers

    static func id(_ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw CatalogueError.directoryEntryNotFound(id: 0) }
        return id
    }

    /// The search a request asks for, each value checked: a country or body of the directory, a network of the
    /// catalogue, a kind, an ISO 639-1 language.
    static func query(_ request: Request, catalogue: Catalogue) throws -> (DirectoryQuery, Int) {
        let fields = request.queryFields
        func value(_ name: String) throws -> String? {
            guard let text = fields[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            try TextRules.checkLine(text, field: name, limit: 200)
            return text
        }
        func party(_ name: String) throws -> String? {
            guard let text = try value(name) else { return nil }
            guard catalogue.party(id: text) != nil else { throw CatalogueError.partyNotFound(id: text) }
            return text
        }
        var query = DirectoryQuery()
        if let text = try value("q") { query.words = text.split(separator: " ").map(String.init) }
        query.country = try party("country")
        query.postedFrom = try party("from")
        query.postedTo = try party("to")
        if let network = try value("network") {
            guard catalogue.network(slug: network) != nil else { throw CatalogueError.networkNotFound(slug: network) }
            query.network = network
        }
        query.kind = try value("kind").map { try DirectoryKind.parse($0, field: "kind") }
        query.language = try value("language").map { try DirectoryRules.language($0, field: "language") }
        let page = try value("page").map { text -> Int in
            guard let page = Int(text), page >= 1 else {
                throw InputError.invalidValue(field: "page", value: text, rule: "must be a page number (1 or more)")
            }
            return page
        } ?? 1
        return (query, page)
    }

    static func file(_ text: String, type: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Personal data: kept by no cache, indexed by no search engine.
    static func `private`(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        return response
    }
}
