import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// The editors' dashboard: pending proposals, broken links, entries awaiting verification, data-quality problems,
/// recent changes — each with a link to where it is dealt with.
struct DashboardPages {
    let catalogue: LiveCatalogue
    let liveness: LivenessMonitor
    let curation: Curation
    let proposals: Proposals
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/admin", needs: .permission(.reviewProposals), use: dashboard)
    }

    /// GET /admin
    func dashboard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let layout = Layout(request: request, context: context) { $0["nav_dashboard"] }
        let t = layout.localizer
        let snapshot = catalogue.snapshot
        let proposals = try await proposals.list(pendingOnly: true)
        let (broken, needing) = try await liveness.overview()
        let changes = try await curation.recentChanges(limit: 10)
        let page = DashboardPage(proposals: ProposalsPage(proposals, catalogue: snapshot, t: t).rows,
                                 broken: broken.map { item in
                                     DashboardPage.Broken(url: item.check.url, outcome: item.check.detail ?? item.check.outcome.rawValue,
                                                          networks: item.networks.map { DashboardPage.Link(url: "/networks/\($0.slug)", name: $0.displayName) })
                                 },
                                 needing: needing.map { network, reasons in
                                     DashboardPage.Needing(url: "/networks/\(network.slug)", name: network.displayName,
                                                           reasons: reasons.map { $0.text(t.language) }.joined(separator: "; "))
                                 },
                                 quality: Dictionary(grouping: DataQualityReport(catalogue: snapshot).problems, by: \.kind)
                                     .map { DashboardPage.Count(label: t["quality_kind.\($0.key.rawValue)"], count: $0.value.count) }
                                     .sorted { $0.label < $1.label },
                                 changes: ChangesPage(changes, catalogue: snapshot, t: t).items)
        return pages.renderer.render("dashboard", page, layout: layout)
    }
}

struct DashboardPage {
    struct Link {
        let url: String
        let name: String
    }

    struct Broken {
        let url: String
        let outcome: String
        let networks: [Link]
    }

    struct Needing {
        let url: String
        let name: String
        let reasons: String
    }

    struct Count {
        let label: String
        let count: Int
    }

    let proposals: [ProposalsPage.Row]
    let broken: [Broken]
    let needing: [Needing]
    let quality: [Count]
    let changes: [ChangesPage.Item]
    let proposalCount: Int
    let brokenCount: Int
    let needingCount: Int

    init(proposals: [ProposalsPage.Row], broken: [Broken], needing: [Needing], quality: [Count], changes: [ChangesPage.Item]) {
        self.proposals = proposals
        self.broken = broken
        self.needing = needing
        self.quality = quality
        self.changes = changes
        proposalCount = proposals.count
        brokenCount = broken.count
        needingCount = needing.count
    }
}
