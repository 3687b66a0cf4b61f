import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// `/account/networks`: what a focal point has to do for each network they maintain — proposals to decide, whether
/// the entry needs verification and why (links failing, no confirmation for a year), when it was last verified.
struct YourNetworksPages {
    let catalogue: LiveCatalogue
    let proposals: Proposals
    let liveness: LivenessMonitor
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/account/networks", needs: .ownAccount, use: yourNetworks)
    }

    /// GET /account/networks
    func yourNetworks(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let snapshot = catalogue.snapshot
        let networks = (context.identity?.account.networks ?? []).compactMap { snapshot.network(slug: $0) }
        let waiting = try await proposals.pending(about: networks.map(\.slug))
        var statuses: [String: (Date?, [VerificationReason])] = [:]
        for network in networks { statuses[network.slug] = try? await liveness.status(of: network) }
        let t = Localizer.of(request)
        let page = YourNetworksPage(networks, proposals: waiting, statuses: statuses, done: request.queryFields["done"].map(String.init), t: t)
        return pages.render(request, context, "your-networks", page, forms: true) { $0["your_networks_title"] }
    }
}

struct YourNetworksPage {
    struct Item {
        struct Waiting {
            let url: String
            let what: String
            let sent: String
        }

        let name: String
        let slug: String
        let url: String
        let lastVerified: String
        let needed: Bool
        let reasons: [String]
        let waiting: [Waiting]
        let hasWaiting: Bool
    }

    let notice: String?
    let items: [Item]
    let none: Bool

    init(_ networks: [Network], proposals: [Proposal], statuses: [String: (Date?, [VerificationReason])], done: String?, t: Localizer) {
        notice = done == "rejected" ? t["notice_rejected"] : nil
        items = networks.map { network in
            let waiting = proposals.filter { $0.draft.slug == network.slug }.map { proposal in
                Item.Waiting(url: "/networks/\(network.slug)/proposals/\(proposal.id)",
                             what: proposal.draft.isReport ? t.format("your_networks_report", ["report": TextRules.preview(proposal.draft.report)])
                                 : t["your_networks_change"],
                             sent: t.dateTime(proposal.createdAt))
            }
            // The liveness state could not be read: said so, not taken for "never verified".
            let status = statuses[network.slug]
            let lastVerified = status.map { verified, _ in
                verified.map(t.date) ?? t[network.row != nil ? "never_verified_as_printed" : "never_verified"]
            } ?? t["verification_unreadable"]
            let reasons = status?.1 ?? []
            return Item(name: network.displayName, slug: network.slug, url: "/networks/\(network.slug)", lastVerified: lastVerified,
                        needed: !reasons.isEmpty, reasons: reasons.map { $0.text(t.language) }, waiting: waiting, hasWaiting: !waiting.isEmpty)
        }
        none = networks.isEmpty
    }
}
