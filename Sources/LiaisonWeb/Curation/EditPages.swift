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

    /// A network as a form shows it (nil when there is none), with the revision it is at: the snapshot is brought up
    /// to that revision first (a save committed but not yet swapped in would otherwise pair old content with the new
    /// number, and a save on that number would undo the change).
    func current(slug: String) async throws -> (Network?, Int64) {
        let revision = try await store.latestRevision(ofNetwork: slug)
        if snapshot.revision < revision { try await reload() }
        return (snapshot.network(slug: slug), revision)
    }
}

/// Editing a network (its focal points, editors) and its history: what changed, who, when, why; any state can
/// be restored as a new revision.
struct EditPages {
    let catalogue: LiveCatalogue
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/networks/:slug/edit", needs: .networkEditor) { request, context in
            let (network, revision) = try await Self.current(catalogue, context)
            return editPage(request, context, network, draft: NetworkDraft(network), revision: revision, failure: nil)
        }
        routes.post("/networks/:slug/edit", needs: .networkEditor) { request, context -> Response in
            let network = try find(context)
            let form = try await Form.read(request)
            let draft = Self.draft(form)
            let revision = Int64(form.text("revision")) ?? 0
            let snapshot = catalogue.snapshot
            if let (failure, status) = try await Self.save(catalogue, network, revision: revision, context: context, reason: draft.reason,
                                                          edit: { try draft.apply(to: network, isNetwork: { snapshot.network(slug: $0) != nil },
                                                                                          directory: snapshot.directory) }) {
                return editPage(request, context, network, draft: draft, revision: revision, failure: failure, status: status)
            }
            return .redirect("/networks/\(network.slug)?saved=1")
        }
        routes.get("/networks/:slug/history", needs: .anyone) { request, context in
            let network = try find(context)
            let revisions = try await catalogue.store.history(ofNetwork: network.slug)
            let layout = Layout(request: request, context: context, section: "/networks") { $0.format("history_title", ["name": network.displayName]) }
            let page = HistoryPage(network, revisions: revisions, canRestore: Policy.allows(context.principal, .editNetwork(slug: network.slug)),
                                   canRemove: Policy.allows(context.principal, .reviewProposals), t: layout.localizer)
            return pages.renderer.render("history", page, layout: layout)
        }
        routes.post("/networks/:slug/history/:seq/undo", needs: .networkEditor) { request, context -> Response in
            let network = try find(context)
            let raw = try context.parameters.require("seq")
            // Undo is for the latest change; an older state is brought back with "restore this version", which shows
            // first everything that restoring it would change (the later changes included).
            guard let seq = Int64(raw), let revision = try await catalogue.store.revision(seq), revision.entityID == network.slug,
                  try await catalogue.store.latestRevision(ofNetwork: network.slug) == seq
            else {
                throw CatalogueError.invalidValue(field: "revision", value: raw, rule: "must be the latest change of this network")
            }
            guard let change = NetworkRevisionChange.decode(revision.change) else {
                // Undoing the creation of a network (an accepted proposal, an import) removes it: editors only.
                guard revision.action == "created", Policy.allows(context.principal, .reviewProposals) else {
                    throw CatalogueError.invalidValue(field: "revision", value: raw, rule: "must be an edit of this network's history")
                }
                try await catalogue.delete(slug: network.slug, actor: Self.actor(context), reason: "undid revision \(seq): the network is removed")
                return .redirect("/changes")
            }
            // Undoing a change brings back the state before it (for the first edit, the state the import left).
            let restored = try restoredNetwork(change.before)
            try await catalogue.save(restored, change: try NetworkRevisionChange(action: .restored, before: network, after: restored, restoredFrom: seq),
                                     actor: Self.actor(context), reason: "undid revision \(seq): the state before it is back", expected: seq)
            return .redirect("/networks/\(network.slug)/history")
        }
        routes.get("/networks/:slug/history/:seq/restore", needs: .networkEditor) { request, context in
            let (network, latest) = try await Self.current(catalogue, context)
            let (revision, version) = try await loadVersion(context, network)
            return restorePage(request, context, network, revision: revision, version: version, latest: latest, reason: "", failure: nil)
        }
        routes.post("/networks/:slug/history/:seq/restore", needs: .networkEditor) { request, context -> Response in
            let network = try find(context)
            let (revision, version) = try await loadVersion(context, network)
            let form = try await Form.read(request)
            let latest = Int64(form.text("revision")) ?? 0
            let reason = form.raw("reason").trimmingCharacters(in: .whitespacesAndNewlines)
            var problems = ProblemList()
            _ = problems.check { try Rules.checkReason(reason) }
            problems.require(version != network, .invalidValue(field: "revision", value: String(revision.seq), rule: "is the entry as it is now: nothing to restore"))
            if !problems.errors.isEmpty {
                return restorePage(request, context, network, revision: revision, version: version, latest: latest, reason: reason,
                                   failure: NetworkEditFailure(errors: problems.errors), status: .badRequest)
            }
            if let (failure, status) = try await Self.save(catalogue, network, revision: latest, context: context,
                                                          reason: "restored the version of revision \(revision.seq): \(reason)",
                                                          action: .restored, restoredVersion: revision.seq, edit: { version }) {
                return restorePage(request, context, network, revision: revision, version: version, latest: latest, reason: reason,
                                   failure: failure, status: status)
            }
            return .redirect("/networks/\(network.slug)/history")
        }
    }

    /// A network as a revision kept it, read against today's catalogue (a party or network it names that is gone
    /// is an error that names it).
    func restoredNetwork(_ state: String) throws -> Network {
        let snapshot = catalogue.snapshot
        return try NetworkRevisionChange.network(state, directory: PartyDirectory.standard.adding(networks: snapshot.networks),
                                                 networkSlugs: Set(snapshot.networks.map(\.slug)))
    }

    /// The revision the route's `seq` names and the network as it was right after it.
    func loadVersion(_ context: AppRequestContext, _ network: Network) async throws -> (Revision, Network) {
        let raw = try context.parameters.require("seq")
        guard let seq = Int64(raw), let (revision, state) = try await catalogue.store.version(ofNetwork: network.slug, at: seq) else {
            throw CatalogueError.invalidValue(field: "revision", value: raw, rule: "must be a revision of this network whose state the history keeps")
        }
        do {
            return (revision, try restoredNetwork(state))
        } catch let failure as ImportFailure {
            throw CatalogueError.invalidValue(field: "revision", value: raw, rule: "cannot be restored: "
                + failure.errors.map(\.description).joined(separator: "; "))
        }
    }

    func restorePage(_ request: Request, _ context: AppRequestContext, _ network: Network, revision: Revision, version: Network,
                     latest: Int64, reason: String, failure: NetworkEditFailure?, status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        let page = RestorePage(network, revision: revision, version: version, latest: latest, reason: reason, failure: failure, t: t)
        return pages.render(request, context, "restore", page, status: status) {
            $0.format("restore_title", ["name": network.displayName])
        }
    }

    func find(_ context: AppRequestContext) throws -> Network {
        try catalogue.network(in: context)
    }

    /// The route's network as a form shows it, with the revision it is at (`LiveCatalogue.current(slug:)`).
    static func current(_ catalogue: LiveCatalogue, _ context: AppRequestContext) async throws -> (Network, Int64) {
        let slug = try catalogue.network(in: context).slug
        let (network, revision) = try await catalogue.current(slug: slug)
        guard let network else { throw CatalogueError.networkNotFound(slug: slug) }
        return (network, revision)
    }

    /// Saves an edit made on `revision` as one revision with its reason; or returns what to show with the form again:
    /// the problems (400), or that the entry changed meanwhile (409). Nothing is written when anything is wrong.
    static func save(_ catalogue: LiveCatalogue, _ network: Network, revision: Int64, context: AppRequestContext, reason: String,
                     action: NetworkRevisionChange.Action = .edited, restoredVersion: Int64? = nil,
                     edit: () throws -> Network) async throws -> (NetworkEditFailure, HTTPResponse.Status)? {
        do {
            let edited = try edit()
            try await catalogue.save(edited, change: try NetworkRevisionChange(action: action, before: network, after: edited,
                                                                               restoredVersion: restoredVersion),
                                     actor: actor(context), reason: reason.trimmingCharacters(in: .whitespacesAndNewlines), expected: revision)
            return nil
        } catch let failure as NetworkEditFailure {
            return (failure, .badRequest)
        } catch let error as CatalogueError {
            return (NetworkEditFailure(errors: [error]), .conflict)
        }
    }

    /// Who the history names: the person's display name (their address stays out of public pages).
    static func actor(_ context: AppRequestContext) -> String {
        context.identity?.account.displayName ?? "?"
    }

    static func draft(_ form: Form) -> NetworkDraft {
        var draft = NetworkDraft()
        draft.name = form.raw("name")
        draft.acronym = form.raw("acronym")
        draft.otherNames = form.raw("other_names")
        draft.section = form.text("section")
        draft.scope = form.text("scope")
        draft.purposeEN = form.raw("purpose_en")
        draft.purposeFR = form.raw("purpose_fr")
        draft.crimeAreas = form.list("crime_areas")
        draft.instruments = form.list("instruments")
        draft.memberTypes = form.list("member_types")
        draft.status = form.text("status")
        draft.statusSince = form.raw("status_since")
        draft.statusUntil = form.raw("status_until")
        draft.statusNote = form.raw("status_note")
        draft.founded = form.raw("founded")
        draft.website = form.raw("website")
        draft.hostedBy = form.raw("hosted_by")
        draft.statedMemberCount = form.raw("stated_member_count")
        draft.printedName = form.raw("printed_name")
        draft.notes = form.raw("notes")
        draft.references = form.raw("references")
        draft.relations = form.raw("relations")
        for field in SourcedField.allCases { draft.sources[field.rawValue] = form.raw("source_\(field.rawValue)") }
        draft.reason = form.raw("reason")
        return draft
    }

    func editPage(_ request: Request, _ context: AppRequestContext, _ network: Network, draft: NetworkDraft, revision: Int64,
                  failure: NetworkEditFailure?, status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        var page = EditPage(network, draft: draft, failure: failure, t: t)
        page.revision = revision
        return pages.render(request, context, "edit", page, status: status) {
            $0.format("edit_title", ["name": network.displayName])
        }
    }
}
