import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// Proposals: anyone proposes a new network or a change, sees the duplicate check and the inclusion criteria
/// before sending, and editors accept (as sent or with edits) or reject them; the proposer is told by mail.
struct ProposalPages {
    let catalogue: LiveCatalogue
    let proposals: Proposals
    let pages: SignInPages

    /// The honeypot: a field people do not see (hidden by the style sheet, skipped by keyboards and screen readers);
    /// a program that fills every field fills it too.
    static let honeypot = FieldName.homepage.rawValue

    func addRoutes(to routes: Routes) {
        routes.get("/propose", needs: .anyone, use: newNetworkForm)
        routes.post("/propose", needs: .anyone, use: proposeNewNetwork)
        routes.get("/networks/:slug/propose", needs: .anyone, use: changeForm)
        routes.post("/networks/:slug/propose", needs: .anyone, use: proposeChange)
        routes.get("/admin/proposals", needs: .permission(.reviewProposals), use: proposalsPage)
        routes.get("/admin/proposals/:id", needs: .permission(.reviewProposals), use: reviewPage)
        routes.post("/admin/proposals/:id/accept", needs: .permission(.reviewProposals), use: accept)
        routes.post("/admin/proposals/:id/reject", needs: .permission(.reviewProposals), use: reject)
        // The focal points of a network decide the proposals about it, as the editors do.
        routes.get("/networks/:slug/proposals/:id", needs: .networkEditor, use: reviewPage)
        routes.post("/networks/:slug/proposals/:id/accept", needs: .networkEditor, use: accept)
        routes.post("/networks/:slug/proposals/:id/reject", needs: .networkEditor, use: reject)
    }

    /// GET /propose
    func newNetworkForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        proposePage(request, context, ProposalDraft(kind: .new, fields: Self.emptyDraft()), network: nil, failure: nil)
    }

    /// POST /propose
    func proposeNewNetwork(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await submit(request, context, slug: nil)
    }

    /// GET /networks/:slug/propose
    func changeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let network = try find(context)
        return proposePage(request, context, ProposalDraft(kind: .change, slug: network.slug, fields: NetworkDraft(network)), network: network,
                           failure: nil)
    }

    /// POST /networks/:slug/propose
    func proposeChange(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await submit(request, context, slug: try find(context).slug)
    }

    /// GET /admin/proposals
    func proposalsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let list = try await proposals.list()
        return pages.render(request, context, "proposals", ProposalsPage(list, catalogue: catalogue.snapshot, t: Localizer.of(request))) {
            $0["proposals_title"]
        }
    }

    /// GET /admin/proposals/:id
    func reviewPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let proposal = try await find(proposal: context)
        // A change brings only what the proposer changed, onto the entry as it is now.
        let (existing, revision) = try await catalogue.entry(slug: proposal.draft.slug)
        return reviewPage(request, context, proposal, fields: proposal.draft.fields(onto: existing), failure: nil, revision: revision)
    }

    /// POST /admin/proposals/:id/accept
    func accept(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let proposal = try await find(proposal: context, pending: true)
        let form = try await Form.read(request, context)
        // "Accept with edits": the form holds the fields as the editor left them, on the entry as it was when the
        // review page opened (a save on a newer revision is refused).
        let fields = EditPages.draft(form)
        // The member lines as the reviewer left them; a form without them (not the page's) accepts them as proposed.
        let lines = [FieldName.members, .removals].contains { form.fields[$0.rawValue] != nil }
            ? (members: form.raw(.members), removals: form.raw(.removals)) : nil
        let revision = Int64(form.text(.revision)) ?? 0
        do {
            let network = try await proposals.accept(proposal, fields: fields, memberLines: lines, revision: revision, by: EditPages.actor(context),
                                                     byFocalPoint: context.identity?.account.role == .focalPoint)
            return .redirect("/networks/\(network.slug)/history")
        } catch let failure as NetworkEditFailure {
            return reviewPage(request, context, proposal, fields: fields, memberLines: lines, failure: failure, revision: revision,
                              status: .badRequest)
        } catch let conflict as WriteConflict {
            return reviewPage(request, context, proposal, fields: fields, memberLines: lines, failure: NetworkEditFailure(errors: [conflict.error]),
                              revision: revision, conflict: conflict, status: .conflict)
        }
    }

    /// POST /admin/proposals/:id/reject
    func reject(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let proposal = try await find(proposal: context, pending: true)
        let reason = try await Form.read(request, context).text(.decisionReason)
        guard !reason.isEmpty else {
            // The page again, ready to accept too: on the entry as it is now, at its revision.
            let (existing, revision) = try await catalogue.entry(slug: proposal.draft.slug)
            return reviewPage(request, context, proposal, fields: proposal.draft.fields(onto: existing),
                              failure: NetworkEditFailure(errors: [.missingField(field: "decision_reason")]), revision: revision,
                              status: .badRequest)
        }
        try await proposals.reject(proposal, reason: reason, by: EditPages.actor(context), byFocalPoint: context.identity?.account.role == .focalPoint)
        return .redirect(context.parameters.get("slug") == nil ? "/admin/proposals" : "/account/networks?done=rejected")
    }

    /// The visitor's form: "check" shows the duplicate check and the criteria; "send" stores the proposal.
    func submit(_ request: Request, _ context: AppRequestContext, slug: String?) async throws -> Response {
        let form = try await Form.read(request, context)
        let existing = slug.flatMap { catalogue.snapshot.network(slug: $0) }
        let draft = Self.draft(form, existing: existing)
        if !form.text(.homepage).isEmpty {
            // A program filled the hidden field: it is thanked as a person is, and nothing is kept.
            return acknowledged(request, context)
        }
        let proposed: Network
        do {
            proposed = try proposals.preview(draft)
        } catch let failure as NetworkEditFailure {
            return proposePage(request, context, draft, network: existing, failure: failure, status: .badRequest)
        }
        guard form.text(.step) == "send" else {
            return proposePage(request, context, draft, network: existing, failure: nil, checked: proposed)
        }
        return try await send(draft, request, context)
    }

    /// The thanks a proposal gets, without a reference (what a program that filled the hidden field is shown).
    func acknowledged(_ request: Request, _ context: AppRequestContext) -> Response {
        let t = Localizer.of(request)
        return pages.render(request, context, "notice", Notice(heading: t["proposal_status_title"], message: t["proposal_status_thanks"],
                                                               link: nil, linkLabel: nil)) { $0["proposal_status_title"] }
    }

    /// Keeps a proposal and sends its proposer to the page that follows it; too many from one address are told so.
    func send(_ draft: ProposalDraft, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        do {
            let reference = try await proposals.submit(draft, language: Localizer.of(request).language,
                                                       address: context.clientAddress, accountID: context.identity?.account.id)
            return .redirect("/proposals/\(reference)?sent=1")
        } catch let error as AccountError {
            let t = Localizer.of(request)
            return pages.render(request, context, "notice", Notice(heading: t["propose_title"], message: FormErrors.message(error, t: t),
                                                                   link: nil, linkLabel: nil), status: .tooManyRequests) { $0["propose_title"] }
        }
    }

    /// The proposal as the form gives it: of a new network, or of a change to `existing`.
    static func draft(_ form: Form, existing: Network?) -> ProposalDraft {
        var draft = ProposalDraft(kind: existing == nil ? .new : .change, slug: existing?.slug ?? form.text(.slug).lowercased(),
                                  fields: EditPages.draft(form), members: form.raw(.members), removals: form.raw(.removals), source: form.raw(.source),
                                  proposerName: form.raw(.proposerName), proposerEmail: form.text(.proposerEmail),
                                  base: existing.map { NetworkDraft($0) })
        draft.fields.reason = ""
        return draft
    }

    func find(_ context: AppRequestContext) throws -> Network {
        try catalogue.network(in: context)
    }

    /// The proposal the route's `id` names; under a network's address (its focal points' way in), only a proposal
    /// about that network.
    func find(proposal context: AppRequestContext, pending: Bool = false) async throws -> Proposal {
        let id = try context.parameters.require("id")
        let proposal = try await proposals.proposal(id, pending: pending)
        if let slug = context.parameters.get("slug"), proposal.draft.kind != .change || proposal.draft.slug != slug {
            throw CatalogueError.proposalNotFound(reference: id)
        }
        return proposal
    }

    static func emptyDraft() -> NetworkDraft {
        var draft = NetworkDraft()
        draft.section = Section.european.rawValue
        draft.scope = Scope.europe.rawValue
        draft.status = NetworkStatusValue.active.rawValue
        return draft
    }

    /// `checked`: the network the proposal makes, when the check step is to be shown.
    func proposePage(_ request: Request, _ context: AppRequestContext, _ draft: ProposalDraft, network: Network?, failure: NetworkEditFailure?,
                     checked: Network? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        let check = checked.map { CheckResult($0, draft: draft, catalogue: catalogue.snapshot, t: t) }
        let page = ProposePage(draft: draft, network: network, form: EditPage(network ?? Network(slug: "new", name: "", section: .european, scope: .europe),
                                                                               draft: draft.fields, failure: failure, t: t),
                               failure: failure, check: check, checked: checked, t: t)
        return pages.render(request, context, "propose", page, forms: true, status: status) { $0["propose_title"] }
    }

    func reviewPage(_ request: Request, _ context: AppRequestContext, _ proposal: Proposal, fields: NetworkDraft,
                    memberLines: (members: String, removals: String)? = nil, failure: NetworkEditFailure?,
                    revision: Int64, conflict: WriteConflict? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        let snapshot = catalogue.snapshot
        let existing = snapshot.network(slug: proposal.draft.slug)
        var draft = proposal.draft
        draft.fields = fields
        if let memberLines { (draft.members, draft.removals) = memberLines }
        let proposed = try? draft.network(existing: draft.kind == .change ? existing : nil, directory: snapshot.directory,
                                          isNetwork: { snapshot.network(slug: $0) != nil })
        let network = context.parameters.get("slug")
        let base = network.map { "/networks/\($0)/proposals/\(proposal.id)" } ?? "/admin/proposals/\(proposal.id)"
        let page = ReviewPage(proposal, base: base, forSecretariat: network == nil, existing: existing, proposed: proposed,
                              form: EditPage(existing ?? Network(slug: proposal.draft.slug, name: "", section: .european, scope: .europe),
                                             draft: fields, failure: failure, t: t),
                              check: proposed.map { CheckResult($0, draft: draft, catalogue: snapshot, t: t) }, accepting: draft,
                              failure: failure, revision: revision, conflict: conflict, t: t)
        return pages.render(request, context, "proposal", page, status: status) { $0["proposals_title"] }
    }
}
