import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// A person's rights over what the directory holds about them (found by their account's address): see it and who
/// viewed it, download it all as JSON, correct how to reach them, erase it at once. Editors erase any entry.
struct OwnEntryPages {
    let directory: DirectoryService
    let catalogue: LiveCatalogue
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/account/directory", needs: .ownAccount, use: ownPage)
        routes.get("/account/directory.json", needs: .ownAccount, use: ownData)
        routes.post("/account/directory/:id/correct", needs: .ownAccount, use: correct)
        routes.post("/account/directory/:id/erase", needs: .ownAccount, use: erase)
        routes.post("/directory/:id/erase", needs: .permission(.manageDirectory), use: editorErase)
    }

    /// GET /account/directory
    func ownPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await page(request, context, failure: nil, correcting: nil)
    }

    /// GET /account/directory.json
    func ownData(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try Self.account(context)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(try await directory.ownData(of: account))
        return DirectoryPages.private(Response(status: .ok, headers: [.contentType: "application/json",
                                                                      .contentDisposition: "attachment; filename=\"liaison-my-directory-data.json\""],
                                               body: .init(byteBuffer: ByteBuffer(bytes: data))))
    }

    /// POST /account/directory/:id/correct
    func correct(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (account, id, form) = (try Self.account(context), try DirectoryPages.id(context), try await Form.read(request, context))
        var correction = DirectoryService.Correction()
        correction.function = form.raw(.function)
        correction.phones = form.raw(.phones)
        correction.languages = form.raw(.languages)
        correction.available247 = form.text(.available247) == "yes"
        correction.urgentPhone = form.raw(.urgentPhone)
        correction.reason = form.raw(.reason)
        do {
            try await directory.correctOwn(id, of: account, correction)
            return .redirect("/account/directory?done=corrected")
        } catch let failure as NetworkEditFailure {
            return try await page(request, context, failure: failure, correcting: (id, correction))
        }
    }

    /// POST /account/directory/:id/erase
    func erase(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (account, id, form) = (try Self.account(context), try DirectoryPages.id(context), try await Form.read(request, context))
        guard form.text(.confirm) == "yes" else {
            return try await page(request, context, failure: NetworkEditFailure(errors: [.missingField(field: "confirm")]), correcting: nil)
        }
        try await directory.eraseOwn(id, of: account)
        return .redirect("/account/directory?done=erased")
    }

    /// POST /directory/:id/erase
    func editorErase(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (id, form) = (try DirectoryPages.id(context), try await Form.read(request, context))
        try await directory.erase(id, by: context.principal, actor: EditPages.actor(context), reason: form.raw(.reason))
        return .redirect("/directory?done=erased")
    }

    func page(_ request: Request, _ context: AppRequestContext, failure: NetworkEditFailure?,
              correcting: (id: Int64, correction: DirectoryService.Correction)?) async throws -> Response {
        let account = try Self.account(context)
        let t = Localizer.of(request)
        let data = try await directory.ownData(of: account)
        let model = OwnEntryPage(data, done: request.queryFields["done"].map(String.init), failure: failure, correcting: correcting,
                                 catalogue: catalogue.snapshot, now: directory.now(), t: t)
        return DirectoryPages.private(pages.render(request, context, "own-directory", model, status: failure == nil ? .ok : .badRequest) {
            $0["own_directory_title"]
        })
    }

    static func account(_ context: AppRequestContext) throws -> Account {
        guard let identity = context.identity, identity.session.stage == .complete else { throw AccessDenied(stage: context.identity?.session.stage) }
        return identity.account
    }
}

/// `/account/directory`: the person's entries, each with its correction form, who viewed it, and erasure.
struct OwnEntryPage {
    struct Item {
        let id: Int64
        let name: String
        let roles: [String]
        let emails: String
        let function: String
        let phones: String
        let languages: String
        let available247: Bool
        let urgentPhone: String
        let reason: String
        let viewCount: String
        let viewers: [String]
        let confirmed: String
        let problems: [String]
        let hasProblems: Bool
    }

    let items: [Item]
    let hasItems: Bool
    let notice: String?
    let confirmMissing: Bool

    init(_ data: DirectoryService.OwnData, done: String?, failure: NetworkEditFailure?,
         correcting: (id: Int64, correction: DirectoryService.Correction)?, catalogue: Catalogue, now: Date, t: Localizer) {
        items = data.entries.compactMap { item in
            guard let id = item.entry.id else { return nil }
            let entry = item.entry
            let edited = correcting?.id == id ? correcting?.correction : nil
            // "3 times: Fiscalía General (practitioner): 2, focal point of CARIN: 1": by authority, role and network,
            // never by name.
            var counts: [String: Int] = [:]
            var order: [String] = []
            for view in item.views {
                let networks = view.networks.map { catalogue.network(slug: $0)?.acronym ?? $0 }.joined(separator: ", ")
                let role = networks.isEmpty ? view.role.label(t.language) : t.format("own_directory_viewer_of", ["role": view.role.label(t.language), "networks": networks])
                let who = view.authority.map { "\($0) (\(role))" } ?? role
                if counts[who] == nil { order.append(who) }
                counts[who, default: 0] += 1
            }
            let problems = edited == nil ? [] : failure?.errors.map(\.description) ?? []
            return Item(id: id, name: entry.name, roles: entry.roles.map { DirectoryText.role($0, catalogue: catalogue, t: t) },
                        emails: entry.emails.joined(separator: ", "), function: edited?.function ?? entry.function,
                        phones: edited?.phones ?? entry.phones.joined(separator: "\n"),
                        languages: edited?.languages ?? entry.languages.joined(separator: " "),
                        available247: edited?.available247 ?? entry.available247, urgentPhone: edited?.urgentPhone ?? entry.urgentPhone ?? "",
                        reason: edited?.reason ?? "", viewCount: t.count("directory_views", item.views.count),
                        viewers: order.map { "\($0): \(counts[$0] ?? 0)" }, confirmed: DirectoryText.confirmed(entry, now: now, t: t).text,
                        problems: problems, hasProblems: !problems.isEmpty)
        }
        hasItems = !items.isEmpty
        notice = done.flatMap { ["corrected", "erased"].contains($0) ? t["own_directory_\($0)"] : nil }
        confirmMissing = failure?.error(for: "confirm") != nil
    }
}
