import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore

/// Proposals: anyone proposes a new network or a change, sees the duplicate check and the inclusion criteria
/// before sending, and editors accept (as sent or with edits) or reject them; the proposer is told by mail.
struct ProposalPages {
    let catalogue: LiveCatalogue
    let accounts: AccountService
    let pages: SignInPages

    /// The honeypot: a field people do not see (hidden by the style sheet, skipped by keyboards and screen readers);
    /// a program that fills every field fills it too.
    static let honeypot = "homepage"

    func addRoutes(to routes: Routes) {
        routes.get("/propose", needs: .anyone) { request, context in
            proposePage(request, context, ProposalDraft(kind: .new, fields: Self.emptyDraft()), network: nil, failure: nil, checked: false)
        }
        routes.post("/propose", needs: .anyone) { request, context in
            try await submit(request, context, slug: nil)
        }
        routes.get("/networks/:slug/propose", needs: .anyone) { request, context in
            let network = try find(context)
            return proposePage(request, context, ProposalDraft(kind: .change, slug: network.slug, fields: NetworkDraft(network)), network: network,
                               failure: nil, checked: false)
        }
        routes.post("/networks/:slug/propose", needs: .anyone) { request, context in
            try await submit(request, context, slug: try find(context).slug)
        }
        routes.get("/admin/proposals", needs: .permission(.reviewProposals)) { request, context in
            let list = try await catalogue.store.proposals()
            let layout = Layout(request: request, context: context) { $0["proposals_title"] }
            return pages.render(request, context, "proposals", ProposalsPage(list, catalogue: catalogue.snapshot, t: layout.localizer)) {
                $0["proposals_title"]
            }
        }
        routes.get("/admin/proposals/:id", needs: .permission(.reviewProposals)) { request, context in
            let proposal = try await find(proposal: context)
            return reviewPage(request, context, proposal, fields: proposal.draft.fields, failure: nil)
        }
        routes.post("/admin/proposals/:id/accept", needs: .permission(.reviewProposals)) { request, context -> Response in
            let proposal = try await find(proposal: context)
            var draft = proposal.draft
            // "Accept with edits": the form holds the proposal's fields as the editor left them.
            draft.fields = EditPages.draft(try await Form.read(request))
            let editor = EditPages.actor(context)
            do {
                let snapshot = catalogue.snapshot
                let existing = snapshot.network(slug: draft.slug)
                let network = try draft.network(existing: draft.kind == .change ? existing : nil, directory: snapshot.directory,
                                                networkSlugs: Set(snapshot.networks.map(\.slug)))
                let actor = "\(editor), proposed by \(proposal.credit)"
                let reason = "proposal \(proposal.id): " + draft.source.trimmingCharacters(in: .whitespacesAndNewlines)
                let seq: Int64
                if let existing, draft.kind == .change {
                    seq = try await catalogue.save(network, change: try NetworkRevisionChange(action: .edited, before: existing, after: network),
                                                   actor: actor, reason: String(reason.prefix(500)))
                } else {
                    seq = try await catalogue.importNetworks([network], actor: actor, reason: String(reason.prefix(500))).lastRevision
                }
                guard try await catalogue.store.decideProposal(proposal.id, status: .accepted, by: editor, reason: nil, revision: seq,
                                                               at: accounts.now)
                else { throw CatalogueError.invalidValue(field: "proposal", value: String(proposal.id), rule: "was decided already") }
                try await tell(proposal, accepted: true, network: network, reason: nil)
                return .redirect("/networks/\(network.slug)/history")
            } catch let failure as NetworkEditFailure {
                return reviewPage(request, context, proposal, fields: draft.fields, failure: failure, status: .badRequest)
            }
        }
        routes.post("/admin/proposals/:id/reject", needs: .permission(.reviewProposals)) { request, context -> Response in
            let proposal = try await find(proposal: context)
            let reason = try await Form.read(request).text("decision_reason")
            guard !reason.isEmpty else {
                return reviewPage(request, context, proposal, fields: proposal.draft.fields,
                                  failure: NetworkEditFailure(errors: [.missingField(field: "decision_reason")]), status: .badRequest)
            }
            guard try await catalogue.store.decideProposal(proposal.id, status: .rejected, by: EditPages.actor(context), reason: reason, revision: nil,
                                                           at: accounts.now)
            else { throw CatalogueError.invalidValue(field: "proposal", value: String(proposal.id), rule: "was decided already") }
            let name = catalogue.snapshot.network(slug: proposal.draft.slug)?.displayName ?? proposal.draft.fields.name
            try await tell(proposal, accepted: false, name: name, reason: reason)
            return .redirect("/admin/proposals")
        }
    }

    /// The visitor's form: "check" shows the duplicate check and the criteria; "send" stores the proposal.
    func submit(_ request: Request, _ context: AppRequestContext, slug: String?) async throws -> Response {
        let form = try await Form.read(request)
        let snapshot = catalogue.snapshot
        let existing = slug.flatMap { snapshot.network(slug: $0) }
        var draft = ProposalDraft(kind: existing == nil ? .new : .change, slug: existing?.slug ?? form.text("slug"),
                                  fields: EditPages.draft(form), members: form.raw("members"), source: form.raw("source"),
                                  proposerName: form.raw("proposer_name"), proposerEmail: form.text("proposer_email"))
        draft.fields.reason = ""
        if !form.text(Self.honeypot).isEmpty {
            // A program filled the hidden field: it is told what a person is told, and nothing is kept.
            return thanks(request, context)
        }
        do {
            _ = try draft.network(existing: existing, directory: snapshot.directory, networkSlugs: Set(snapshot.networks.map(\.slug)))
        } catch let failure as NetworkEditFailure {
            return proposePage(request, context, draft, network: existing, failure: failure, checked: false, status: .badRequest)
        }
        guard form.text("step") == "send" else {
            return proposePage(request, context, draft, network: existing, failure: nil, checked: true)
        }
        do {
            _ = try await catalogue.store.submitProposal(draft, language: Layout(request: request, context: context).language,
                                                         address: context.clientAddress, accountID: context.identity?.account.id, at: accounts.now)
        } catch let error as AccountError {
            let t = Layout(request: request, context: context).localizer
            return pages.render(request, context, "notice", Notice(heading: t["propose_title"], message: FormErrors.message(error, t: t),
                                                                   link: nil, linkLabel: nil), status: .tooManyRequests) { $0["propose_title"] }
        }
        return thanks(request, context)
    }

    func thanks(_ request: Request, _ context: AppRequestContext) -> Response {
        let t = Layout(request: request, context: context).localizer
        return pages.render(request, context, "notice", Notice(headingKey: "propose_thanks_heading", messageKey: "propose_thanks", link: "/networks",
                                                               linkKey: "nav_networks", t: t)) { $0["propose_title"] }
    }

    func tell(_ proposal: Proposal, accepted: Bool, network: Network? = nil, name: String? = nil, reason: String?) async throws {
        guard let email = try? Account.normalisedEmail(proposal.draft.proposerEmail) else { return }
        let slug = network?.slug ?? proposal.draft.slug
        try await catalogue.store.enqueue(try AccountMail.proposalDecided(
            to: email, language: proposal.language, accepted: accepted, network: network?.displayName ?? name ?? slug, reason: reason,
            link: accepted ? "\(accounts.settings.publicURL)/networks/\(slug)" : "\(accounts.settings.publicURL)/about"), at: accounts.now)
    }

    func find(_ context: AppRequestContext) throws -> Network {
        try catalogue.network(in: context)
    }

    func find(proposal context: AppRequestContext) async throws -> Proposal {
        let raw = try context.parameters.require("id")
        guard let id = Int64(raw), let proposal = try await catalogue.store.proposal(id) else {
            throw CatalogueError.invalidValue(field: "proposal", value: raw, rule: "no proposal has this number")
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

    func proposePage(_ request: Request, _ context: AppRequestContext, _ draft: ProposalDraft, network: Network?, failure: NetworkEditFailure?,
                     checked: Bool, status: HTTPResponse.Status = .ok) -> Response {
        let t = Layout(request: request, context: context).localizer
        let snapshot = catalogue.snapshot
        var check: CheckResult?
        if checked, let proposed = try? draft.network(existing: network, directory: snapshot.directory, networkSlugs: Set(snapshot.networks.map(\.slug))) {
            check = CheckResult(proposed, draft: draft, catalogue: snapshot, t: t)
        }
        let page = ProposePage(draft: draft, network: network, form: EditPage(network ?? Network(slug: "new", name: "", section: .european, scope: .europe),
                                                                               draft: draft.fields, failure: failure, t: t),
                               failure: failure, check: check, t: t)
        return pages.render(request, context, "propose", page, forms: true, status: status) { $0["propose_title"] }
    }

    func reviewPage(_ request: Request, _ context: AppRequestContext, _ proposal: Proposal, fields: NetworkDraft, failure: NetworkEditFailure?,
                    status: HTTPResponse.Status = .ok) -> Response {
        let t = Layout(request: request, context: context).localizer
        let snapshot = catalogue.snapshot
        let existing = snapshot.network(slug: proposal.draft.slug)
        var draft = proposal.draft
        draft.fields = fields
        let proposed = try? draft.network(existing: draft.kind == .change ? existing : nil, directory: snapshot.directory,
                                          networkSlugs: Set(snapshot.networks.map(\.slug)))
        let page = ReviewPage(proposal, existing: existing, proposed: proposed,
                              form: EditPage(existing ?? Network(slug: proposal.draft.slug, name: "", section: .european, scope: .europe),
                                             draft: fields, failure: failure, t: t),
                              check: proposed.map { CheckResult($0, draft: draft, catalogue: snapshot, t: t) }, failure: failure, t: t)
        return pages.render(request, context, "proposal", page, status: status) { $0["proposals_title"] }
    }
}
