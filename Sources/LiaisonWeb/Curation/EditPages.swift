import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

extension LiveCatalogue {
    /// The network the route's `slug` names, or "not found".
    func network(in context: AppRequestContext) throws -> Network {
        let slug = try context.parameters.require("slug")
        guard let network = snapshot.network(slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
        return network
    }
}

/// Editing a network (its focal points, editors) and its history: what changed, who, when, why; any state can
/// be restored as a new revision.
struct EditPages {
    let catalogue: LiveCatalogue
    let curation: Curation
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/networks/:slug/edit", needs: .networkEditor, use: edit)
        routes.post("/networks/:slug/edit", needs: .networkEditor, use: saveEdit)
        routes.get("/networks/:slug/history", needs: .anyone, use: history)
        routes.post("/networks/:slug/history/:seq/undo", needs: .networkEditor, use: undo)
        routes.get("/networks/:slug/history/:seq/restore", needs: .networkEditor, use: restoreForm)
        routes.post("/networks/:slug/history/:seq/restore", needs: .networkEditor, use: restore)
    }

    @Sendable func edit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (network, revision) = try await curation.current(slug: try find(context).slug)
        return editPage(request, context, network, draft: NetworkDraft(network), revision: revision, failure: nil)
    }

    @Sendable func saveEdit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let network = try find(context)
        let form = try await Form.read(request, context)
        let (draft, revision) = (Self.draft(form), Int64(form.text(.revision)) ?? 0)
        return try await Self.saving(network) {
            try await curation.edit(network, with: draft, revision: revision, by: Self.actor(context))
        } refused: { failure, status, conflict in
            editPage(request, context, network, draft: draft, revision: revision, failure: failure, conflict: conflict, status: status)
        }
    }

    @Sendable func history(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let network = try find(context)
        let revisions = try await curation.history(of: network.slug)
        let layout = Layout(request: request, context: context, section: "/networks") { $0.format("history_title", ["name": network.displayName]) }
        let page = HistoryPage(network, revisions: revisions, canRestore: Policy.allows(context.principal, .editNetwork(slug: network.slug)),
                               canRemove: Policy.allows(context.principal, .reviewProposals), t: layout.localizer)
        return pages.renderer.render("history", page, layout: layout)
    }

    @Sendable func undo(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let network = try find(context)
        switch try await curation.undo(network, seq: try context.parameters.require("seq"), by: context.principal, actor: Self.actor(context)) {
        case .removed: return .redirect("/changes")
        case .restored: return .redirect("/networks/\(network.slug)/history")
        }
    }

    @Sendable func restoreForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (network, latest) = try await curation.current(slug: try find(context).slug)
        let (revision, version) = try await curation.version(of: network, seq: try context.parameters.require("seq"))
        return restorePage(request, context, network, revision: revision, version: version, latest: latest, reason: "", failure: nil)
    }

    @Sendable func restore(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let network = try find(context)
        let (revision, version) = try await curation.version(of: network, seq: try context.parameters.require("seq"))
        let form = try await Form.read(request, context)
        let (latest, reason) = (Int64(form.text(.revision)) ?? 0, form.raw(.reason))
        return try await Self.saving(network, to: "/networks/\(network.slug)/history") {
            try await curation.restore(network, to: revision, version: version, latest: latest, reason: reason, by: Self.actor(context))
        } refused: { failure, status, conflict in
            restorePage(request, context, network, revision: revision, version: version, latest: latest,
                        reason: reason.trimmingCharacters(in: .whitespacesAndNewlines), failure: failure, conflict: conflict, status: status)
        }
    }

    /// Runs a save and leads to the network (or `to`); a refusal shows the form again with its problems (400) or with
    /// the news that the entry changed meanwhile and what was saved (409).
    static func saving(_ network: Network, to location: String? = nil, _ save: () async throws -> Void,
                       refused: (NetworkEditFailure, HTTPResponse.Status, WriteConflict?) -> Response) async throws -> Response {
        do {
            try await save()
            return .redirect(location ?? "/networks/\(network.slug)?saved=1")
        } catch let failure as NetworkEditFailure {
            return refused(failure, .badRequest, nil)
        } catch let conflict as WriteConflict {
            return refused(NetworkEditFailure(errors: [conflict.error]), .conflict, conflict)
        }
    }

    func restorePage(_ request: Request, _ context: AppRequestContext, _ network: Network, revision: Revision, version: Network,
                     latest: Int64, reason: String, failure: NetworkEditFailure?, conflict: WriteConflict? = nil,
                     status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        let page = RestorePage(network, revision: revision, version: version, latest: latest, reason: reason, failure: failure,
                               conflict: conflict, t: t)
        return pages.render(request, context, "restore", page, status: status) {
            $0.format("restore_title", ["name": network.displayName])
        }
    }

    func find(_ context: AppRequestContext) throws -> Network {
        try catalogue.network(in: context)
    }

    /// Who the history names: the person's display name (their address stays out of public pages).
    static func actor(_ context: AppRequestContext) -> String {
        context.identity?.account.displayName ?? "?"
    }

    static func draft(_ form: Form) -> NetworkDraft {
        var draft = NetworkDraft()
        draft.name = form.raw(.name)
        draft.nameFR = form.raw(.nameFr)
        draft.nameFRTranslated = form.text(.nameFrTranslated)
        draft.purposeFRTranslated = form.text(.purposeFrTranslated)
        draft.acronym = form.raw(.acronym)
        draft.otherNames = form.raw(.otherNames)
        draft.section = form.text(.section)
        draft.scope = form.text(.scope)
        draft.purposeEN = form.raw(.purposeEn)
        draft.purposeFR = form.raw(.purposeFr)
        draft.crimeAreas = form.list(.crimeAreas)
        draft.instruments = form.list(.instruments)
        draft.memberTypes = form.list(.memberTypes)
        draft.status = form.text(.status)
        draft.statusSince = form.raw(.statusSince)
        draft.statusUntil = form.raw(.statusUntil)
        draft.statusNote = form.raw(.statusNote)
        draft.founded = form.raw(.founded)
        draft.website = form.raw(.website)
        draft.function = form.text(.function)
        draft.openMembership = form.text(.openMembership)
        draft.hostedBy = form.raw(.hostedBy)
        draft.statedMemberCount = form.raw(.statedMemberCount)
        draft.printedName = form.raw(.printedName)
        draft.notes = form.raw(.notes)
        draft.references = form.raw(.references)
        draft.relations = form.raw(.relations)
        for field in SourcedField.allCases { draft.sources[field.rawValue] = form.source(of: field) }
        draft.reason = form.raw(.reason)
        return draft
    }

    func editPage(_ request: Request, _ context: AppRequestContext, _ network: Network, draft: NetworkDraft, revision: Int64,
                  failure: NetworkEditFailure?, conflict: WriteConflict? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        var page = EditPage(network, draft: draft, failure: failure, t: t)
        page.conflict = ConflictNotice(conflict, t: t)
        page.revision = page.conflict?.latest ?? revision
        return pages.render(request, context, "edit", page, status: status) {
            $0.format("edit_title", ["name": network.displayName])
        }
    }
}
