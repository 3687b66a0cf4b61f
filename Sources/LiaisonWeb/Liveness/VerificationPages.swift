import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// "Still correct": by the one-click link of a reminder, or by a signed-in focal point or editor on the page.
struct VerificationPages {
    let liveness: LivenessMonitor
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/networks/:slug/confirm/:token", needs: .anyone, use: confirmationPage)
        routes.post("/networks/:slug/confirm/:token", needs: .anyone, use: confirmByLink)
        routes.post("/networks/:slug/confirm", needs: .networkEditor, use: confirm)
    }

    /// GET /networks/:slug/confirm/:token
    func confirmationPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        do {
            let slug = try await liveness.networkOfLink(token)
            guard slug == (try context.parameters.require("slug")), let network = liveness.catalogue.snapshot.network(slug: slug) else {
                throw AccountError.linkUnknown
            }
            // A page with one button: mail programs that open links to inspect them confirm nothing.
            return pages.render(request, context, "confirm", ConfirmPage(name: network.displayName, slug: slug, token: token), forms: true)
                { _ in network.displayName }
        } catch let error as AccountError {
            return pages.linkProblem(request, context, error)
        }
    }

    /// POST /networks/:slug/confirm/:token
    func confirmByLink(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        do {
            let slug = try await liveness.confirm(link: token)
            return .redirect("/networks/\(slug)?confirmed=1")
        } catch let error as AccountError {
            return pages.linkProblem(request, context, error)
        }
    }

    /// POST /networks/:slug/confirm
    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        try await liveness.confirm(slug: slug, by: context.identity?.account.email ?? "?")
        return .redirect("/networks/\(slug)?confirmed=1")
    }
}

struct ConfirmPage {
    let name: String
    let slug: String
    let token: String
}

/// The "last verified" line of a network's page.
struct VerificationItem {
    let lastVerified: String
    let needed: Bool
    let reasons: [String]
    let canConfirm: Bool
    let slug: String

    /// `asPrinted`: the entry comes from the 2017 report (never verified, it is still as the report printed it).
    init(lastVerified verified: Date?, asPrinted: Bool, reasons: [VerificationReason], canConfirm: Bool, slug: String, t: Localizer) {
        lastVerified = verified.map(t.date) ?? t[asPrinted ? "never_verified_as_printed" : "never_verified"]
        needed = !reasons.isEmpty
        self.reasons = reasons.map { $0.text(t.language) }
        self.canConfirm = canConfirm
        self.slug = slug
    }
}
