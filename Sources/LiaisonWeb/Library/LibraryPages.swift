import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// `/library`: the documents the networks share — searched (words of titles, summaries and the files' text; facets),
/// read (a document's page, its versions and translations, its files), and added by editors and the networks' focal
/// points (a file or a link, then new versions). What a person may not see is neither listed, counted, quoted nor
/// served: its page and files answer 404.
struct LibraryPages {
    let library: LibraryService
    let catalogue: LiveCatalogue
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/library", needs: .anyone, use: search)
        routes.get("/library/new", needs: .permission(.contributeDocuments), use: newForm)
        routes.post("/library/new", needs: .permission(.contributeDocuments), use: create)
        routes.get("/library/:id", needs: .anyone, use: show)
        routes.get("/library/:id/file", needs: .anyone, use: file)
        routes.get("/library/:id/versions/:number/file", needs: .anyone, use: file)
        routes.post("/library/:id/versions", needs: .permission(.contributeDocuments), use: addVersion)
        routes.get("/library/:id/edit", needs: .permission(.contributeDocuments), use: editForm)
        routes.post("/library/:id/edit", needs: .permission(.contributeDocuments), use: edit)
        routes.post("/library/:id/withdraw", needs: .permission(.contributeDocuments), use: withdraw)
    }

    /// Whether a form at `path` uploads a document (its body may be a document's size: `FormFields.uploadLimit`).
    static func takesDocument(_ path: String) -> Bool {
        path == "/library/new" || (path.hasPrefix("/library/") && path.hasSuffix("/versions"))
    }

    /// The facets a search may be narrowed by, with their query parameters (`kind`, `crime_area`, …).
    static let facetParameters = DocumentFacet.allCases

    /// GET /library — `q`, the facets, `page`.
    func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let fields = request.queryFields
        let text = fields["q"].map(String.init) ?? ""
        let page = try Paging.number(fields["page"].map(String.init))
        let facets = Self.facetParameters.compactMap { facet -> (facet: DocumentFacet, value: String)? in
            guard let value = fields[Substring(facet.rawValue)].map(String.init), !value.isEmpty else { return nil }
            return (facet, value)
        }
        let results = try await library.search(text, facets: facets, page: page, by: context.principal)
        var model = LibrarySearchPage(query: text, facets: facets, results: results, catalogue: catalogue.snapshot,
                                      canAdd: Policy.allows(context.principal, .contributeDocuments), t: t)
        model.withdrawn = fields["withdrawn"] != nil
        return pages.render(request, context, "library", model) { $0["library_title"] }
    }

    /// GET /library/new — `translation_of`: the document this one translates.
    func newForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var draft = DocumentDraft()
        if let network = context.principal.networks.sorted().first, context.principal.role == .focalPoint {
            draft.networks = [network]
            draft.visibleNetworks = [network]
        }
        let translationOf = try request.queryFields[Substring(FieldName.translationOf.rawValue)].map { try Self.id(String($0)) }
        if let translationOf {
            let original = try await library.document(translationOf, by: context.principal).document
            draft = DocumentDraft(original)
            draft.translation = TranslationRole.unofficialTranslation.rawValue
            draft.language = original.language == .fr ? DocumentLanguage.en.rawValue : DocumentLanguage.fr.rawValue
            draft.link = ""
        }
        return formPage(request, context, draft: draft, translationOf: translationOf, failure: nil)
    }

    /// POST /library/new — the description and a file (or a link).
    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let draft = Self.draft(form)
        let translationOf = form.text(.translationOf).isEmpty ? nil : try Self.id(form.text(.translationOf))
        do {
            let document = try await library.add(draft, file: form.files[FieldName.file.rawValue].map { LibraryService.Upload(name: $0.name, bytes: $0.bytes) },
                                                 translationOf: translationOf, by: context.principal, actor: EditPages.actor(context))
            return .redirect("/library/\(document.id ?? 0)?saved=1")
        } catch let failure as NetworkEditFailure {
            return formPage(request, context, draft: draft, translationOf: translationOf, failure: failure)
        } catch let error as InputError {
            return formPage(request, context, draft: draft, translationOf: translationOf, failure: NetworkEditFailure(errors: [error]))
        }
    }

    /// GET /library/{id}
    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let id = try Self.id(try context.parameters.require("id"))
        let found = try await library.document(id, by: context.principal)
        let fields = request.queryFields
        let mayShare = library.mayShare(found.document, by: context.principal)
        let model = LibraryDocumentPage(found.document, translations: found.translations, catalogue: catalogue.snapshot,
                                        canAddVersion: mayShare, canTranslate: mayShare,
                                        saved: fields["saved"] != nil, versionAdded: fields["version"] != nil, problem: nil, t: t)
        return pages.render(request, context, "library-document", model, forms: model.canAddVersion) { _ in model.title }
    }

    /// GET /library/{id}/file and /library/{id}/versions/{number}/file — the file, as an attachment of its own type.
    func file(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let number = try context.parameters.get("number").map { text -> Int in
            guard text.count <= 6, let number = Int(text), number > 0 else { throw CatalogueError.documentFileNotFound(id: id, version: text) }
            return number
        }
        let file = try await library.file(id, version: number, by: context.principal)
        let type = file.version.fileType ?? .text
        var response = Response(status: .ok, headers: [.contentType: type.mediaType,
                                                       .contentDisposition: Self.disposition(file.version.fileName ?? "document.\(type.fileExtension)")],
                                body: .init(byteBuffer: ByteBuffer(bytes: file.content)))
        response.headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        // A file not for the public is not kept by shared caches (pages are kept by none: `pages.render`).
        if file.document.visibility != .everyone { response.headers[.cacheControl] = "private, no-store" }
        return response
    }

    /// POST /library/{id}/versions — a new file or link.
    func addVersion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        do {
            let number = try await library.addVersion(id, file: form.files[FieldName.file.rawValue].map { LibraryService.Upload(name: $0.name, bytes: $0.bytes) },
                                                      link: form.text(.link), by: context.principal, actor: EditPages.actor(context))
            return .redirect("/library/\(id)?version=\(number)")
        } catch let error as InputError {
            let t = Localizer.of(request)
            let found = try await library.document(id, by: context.principal)
            let model = LibraryDocumentPage(found.document, translations: found.translations, catalogue: catalogue.snapshot, canAddVersion: true,
                                            canTranslate: true, saved: false, versionAdded: false, problem: error.description, t: t)
            return pages.render(request, context, "library-document", model, forms: true, status: .badRequest) { _ in model.title }
        }
    }

    /// GET /library/{id}/edit — what the document is, is about and who reads it (for one who may share it).
    func editForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let document = try await library.document(id, by: context.principal).document
        guard library.mayShare(document, by: context.principal) else { throw ServiceDenied() }
        return formPage(request, context, draft: DocumentDraft(document), translationOf: nil, failure: nil, editing: id)
    }

    /// POST /library/{id}/edit
    func edit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        let draft = Self.draft(form)
        do {
            _ = try await library.edit(id, draft, by: context.principal, actor: EditPages.actor(context))
            return .redirect("/library/\(id)?saved=1")
        } catch let failure as NetworkEditFailure {
            return formPage(request, context, draft: draft, translationOf: nil, failure: failure, editing: id)
        } catch let error as InputError {
            return formPage(request, context, draft: draft, translationOf: nil, failure: NetworkEditFailure(errors: [error]), editing: id)
        }
    }

    /// POST /library/{id}/withdraw — `confirm`: yes.
    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        do {
            try await library.withdraw(id, confirm: form.text(.confirm) == "yes", by: context.principal)
            return .redirect("/library?withdrawn=1")
        } catch let error as InputError {
            let t = Localizer.of(request)
            let found = try await library.document(id, by: context.principal)
            let model = LibraryDocumentPage(found.document, translations: found.translations, catalogue: catalogue.snapshot, canAddVersion: true,
                                            canTranslate: true, saved: false, versionAdded: false, problem: error.description, t: t)
            return pages.render(request, context, "library-document", model, forms: true, status: .badRequest) { _ in model.title }
        }
    }

    // MARK: Helpers

    /// `attachment; filename="guide.pdf"; filename*=UTF-8''guide.pdf` — the plain name in ASCII, the whole in RFC 5987.
    static func disposition(_ name: String) -> String {
        let ascii = String(String.UnicodeScalarView(name.unicodeScalars.map {
            $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0 != ";" ? $0 : "_"
        }))
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    static func id(_ text: String) throws -> Int64 {
        guard text.count <= 18, let id = Int64(text), id > 0 else {
            throw InputError.invalidValue(field: "id", value: TextRules.preview(text), rule: "must be the number of a document")
        }
        return id
    }

    static func draft(_ form: Form) -> DocumentDraft {
        var draft = DocumentDraft()
        draft.titleEN = form.raw(.titleEn)
        draft.titleFR = form.raw(.titleFr)
        draft.summaryEN = form.raw(.summaryEn)
        draft.summaryFR = form.raw(.summaryFr)
        draft.kind = form.text(.kind)
        draft.language = form.text(.language)
        draft.date = form.text(.date)
        draft.crimeAreas = form.list(.crimeAreas)
        draft.instruments = form.list(.instruments)
        draft.countries = form.list(.countries)
        draft.networks = form.list(.networks)
        draft.source = form.raw(.source)
        draft.licence = form.raw(.licence)
        draft.visibility = form.text(.visibility)
        draft.visibleNetworks = form.list(.visibleNetworks)
        draft.link = form.text(.link)
        draft.translation = form.text(.translation).isEmpty ? TranslationRole.original.rawValue : form.text(.translation)
        return draft
    }

    /// The form of a new document, or (`editing`) of a document's description.
    func formPage(_ request: Request, _ context: AppRequestContext, draft: DocumentDraft, translationOf: Int64?, failure: NetworkEditFailure?,
                  editing: Int64? = nil) -> Response {
        let t = Localizer.of(request)
        let model = LibraryEditPage(draft: draft, translationOf: translationOf, editing: editing, catalogue: catalogue.snapshot,
                                    principal: context.principal, failure: failure, t: t)
        return pages.render(request, context, "library-edit", model, forms: true, status: failure == nil ? .ok : .badRequest) {
            $0[editing == nil ? "library_new_title" : "library_edit_title"]
        }
    }
}
