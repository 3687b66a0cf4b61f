import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// The one-box “report an error” beside the full proposal form, and the page a proposer follows their proposal on.
struct ReportPages {
    let catalogue: LiveCatalogue
    let proposals: Proposals
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/networks/:slug/report", needs: .anyone, use: reportForm)
        routes.post("/networks/:slug/report", needs: .anyone, use: sendReport)
        routes.get("/proposals/:reference", needs: .anyone, use: statusPage)
    }

    /// GET /networks/:slug/report
    func reportForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let network = try find(context)
        return render(request, context, ReportPage(network: network, draft: ProposalDraft(kind: .change, slug: network.slug), failure: nil,
                                                   t: Localizer.of(request)))
    }

    /// POST /networks/:slug/report: the report is checked and kept as a proposal about the entry; the proposer is
    /// sent to the page that follows it.
    func sendReport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let network = try find(context)
        let form = try await Form.read(request, context)
        let entry = NetworkDraft(network)
        let draft = ProposalDraft(kind: .change, slug: network.slug, fields: entry, source: form.raw(.source), report: form.raw(.report),
                                  proposerName: form.raw(.proposerName), proposerEmail: form.text(.proposerEmail), base: entry)
        let proposing = ProposalPages(catalogue: catalogue, proposals: proposals, pages: pages)
        // A program that fills the hidden field is thanked as a person is, and nothing is kept.
        if !form.text(.homepage).isEmpty { return proposing.acknowledged(request, context) }
        do {
            guard draft.isReport else { throw NetworkEditFailure(errors: [.missingField(field: "report")]) }
            _ = try proposals.preview(draft)
            return try await proposing.send(draft, request, context)
        } catch let failure as NetworkEditFailure {
            return render(request, context, ReportPage(network: network, draft: draft, failure: failure, t: Localizer.of(request)), status: .badRequest)
        }
    }

    /// GET /proposals/:reference: where a proposal stands — pending, accepted (and when), or declined (and why).
    func statusPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let proposal = try await proposals.proposal(reference: try context.parameters.require("reference"))
        let t = Localizer.of(request)
        let page = ProposalStatusPage(proposal, catalogue: catalogue.snapshot, justSent: request.queryFields["sent"] == "1", t: t)
        return pages.render(request, context, "proposal-status", page) { $0["proposal_status_title"] }
    }

    func find(_ context: AppRequestContext) throws -> Network {
        try catalogue.network(in: context)
    }

    func render(_ request: Request, _ context: AppRequestContext, _ page: ReportPage, status: HTTPResponse.Status = .ok) -> Response {
        pages.render(request, context, "report", page, forms: true, status: status) { _ in page.title }
    }
}

/// The one-box form: what is wrong, the source, and optionally who reports it.
struct ReportPage {
    let title: String
    let action: String
    let networkURL: String
    let fullFormURL: String
    let report: String
    let source: String
    let proposerName: String
    let proposerEmail: String
    let reportError: String?
    let sourceError: String?
    let emailError: String?
    let honeypot = ProposalPages.honeypot

    init(network: Network, draft: ProposalDraft, failure: NetworkEditFailure?, t: Localizer) {
        title = t.format("report_title", ["name": network.displayName])
        action = "/networks/\(network.slug)/report"
        networkURL = "/networks/\(network.slug)"
        fullFormURL = "/networks/\(network.slug)/propose"
        report = draft.report
        source = draft.source
        proposerName = draft.proposerName
        proposerEmail = draft.proposerEmail
        reportError = failure?.error(for: "report").map { error in
            if case .missingField = error { return t["report_missing"] }
            return error.description
        }
        sourceError = failure?.error(for: "source")?.description
        emailError = (failure?.error(for: "proposer_email") ?? failure?.error(for: "proposer_name"))?.description
    }
}

/// Where a proposal stands, for its proposer: nothing of who sent it, only what and its fate.
struct ProposalStatusPage {
    let heading: String
    let acknowledgement: String?
    let reference: String
    let about: String
    let networkURL: String?
    let sent: String
    let status: String
    let decision: String?
    let reason: String?

    init(_ proposal: Proposal, catalogue: Catalogue, justSent: Bool, t: Localizer) {
        // A new network accepted is in the catalogue under its slug too.
        let network = catalogue.network(slug: proposal.draft.slug)
        let name = network?.displayName ?? (proposal.draft.fields.name.isEmpty ? proposal.draft.slug : proposal.draft.fields.name)
        heading = t["proposal_status_title"]
        acknowledgement = justSent ? t["proposal_status_thanks"] : nil
        reference = proposal.reference ?? ""
        about = t.format(proposal.draft.kind == .new ? "proposal_status_new" : (proposal.draft.isReport ? "proposal_status_report" : "proposal_status_change"),
                         ["name": name])
        networkURL = network.map { "/networks/\($0.slug)" }
        sent = t.format("proposal_status_sent", ["date": t.date(proposal.createdAt)])
        status = t["proposal_status.\(proposal.status.rawValue)"]
        decision = proposal.decidedAt.map { t.format("proposal_status_decided", ["date": t.date($0)]) }
        reason = proposal.decisionReason.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }
}
