import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// The secretariat's pages: inviting people (editors), accounts and the audit log (administrators).
struct AdminPages {
    let accounts: AccountService
    let catalogue: LiveCatalogue
    let pages: SignInPages
    let administration: AccountAdministration

    func addRoutes(to routes: Routes) {
        routes.get("/invitations", needs: .permission(.invite(role: .practitioner)), use: invitationsPage)
        routes.post("/invitations", needs: .permission(.invite(role: .practitioner)), use: invite)
        routes.get("/admin/accounts", needs: .permission(.manageAccounts), use: accountsPage)
        routes.post("/admin/accounts/:id/role", needs: .permission(.manageAccounts), use: setRole)
        routes.post("/admin/accounts/:id/disable", needs: .permission(.manageAccounts), use: disable)
        routes.post("/admin/accounts/:id/enable", needs: .permission(.manageAccounts), use: enable)
        routes.post("/admin/accounts/:id/second-factor/remove", needs: .permission(.manageAccounts), use: removeSecondFactorOfAccount)
        routes.get("/admin/audit", needs: .permission(.readAuditLog), use: auditPage)
    }

    /// GET /invitations
    func invitationsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        invitePage(request, context, InviteForm())
    }

    /// POST /invitations
    func invite(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let t = Localizer.of(request)
        var filled = InviteForm(email: form.text(.email), role: form.text(.role), networks: form.list(.networks).joined(separator: "\n"),
                                language: form.text(.language))
        do {
            let role = try AccountRole.parseAssignable(form.text(.role), field: "role")
            guard Policy.allows(context.principal, .invite(role: role)) else {
                throw InputError.invalidValue(field: "role", value: role.rawValue, rule: "your role cannot invite to this role")
            }
            let language = try Language.parse(form.text(.language).isEmpty ? t.language.rawValue : form.text(.language), field: "language")
            let networks = form.list(.networks)
            try await accounts.invite(email: form.text(.email), role: role, networks: networks, language: language,
                                      networkNames: names(networks), by: context.identity?.account, address: context.clientAddress)
            filled = InviteForm(sent: t.format("invite_sent", ["email": form.text(.email).lowercased()]))
            return invitePage(request, context, filled)
        } catch where FormErrors.isShown(error) {
            filled.errors = FormErrors(error, t: t)
            return invitePage(request, context, filled, status: .badRequest)
        }
    }

    /// GET /admin/accounts
    func accountsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await accountsPage(request, context, errors: .none)
    }

    /// POST /admin/accounts/:id/role
    func setRole(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        return try await change(request, context) { id, actor in
            let role = try AccountRole.parseAssignable(form.text(.role), field: "role")
            _ = try await administration.setRole(of: id, to: role, networks: form.list(.networks), by: actor)
        }
    }

    /// POST /admin/accounts/:id/disable
    func disable(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await change(request, context) { id, actor in try await administration.setDisabled(id, true, by: actor) }
    }

    /// POST /admin/accounts/:id/enable
    func enable(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await change(request, context) { id, actor in try await administration.setDisabled(id, false, by: actor) }
    }

    /// POST /admin/accounts/:id/second-factor/remove
    func removeSecondFactorOfAccount(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // For a person who lost their device: they set up a new one at their next sign-in.
        try await change(request, context) { id, actor in try await administration.removeSecondFactor(of: id, by: actor) }
    }

    /// GET /admin/audit
    func auditPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let before = request.queryFields["before"].flatMap { Int64(String($0)) }
        let entries = try await administration.auditLog(before: before)
        let t = Localizer.of(request)
        return pages.render(request, context, "audit", AuditPage(entries, t: t)) { $0["nav_audit"] }
    }

    /// Applies an administrator's change to another account, then shows the list again.
    func change(_ request: Request, _ context: AppRequestContext,
                _ apply: (Int64, AuditActor) async throws -> Void) async throws -> Response {
        guard let identity = context.identity else { throw AccessDenied(stage: nil) }
        let raw = try context.parameters.require("id")
        do {
            guard let id = Int64(raw), try await administration.exists(id) else {
                throw InputError.invalidValue(field: "account", value: raw, rule: "no account has this id")
            }
            // An administrator cannot lock themselves out; another administrator can.
            guard id != identity.account.id else {
                throw InputError.invalidValue(field: "account", value: identity.account.email, rule: "you cannot change your own account here")
            }
            try await apply(id, AuditActor(identity.account, address: context.clientAddress))
            return .redirect("/admin/accounts")
        } catch where FormErrors.isShown(error) {
            return try await accountsPage(request, context, errors: FormErrors(error, t: Localizer.of(request)))
        }
    }

    /// The networks of the catalogue among `slugs`, with the names the invitation shows.
    func names(_ slugs: [String]) -> [String: String] {
        let snapshot = catalogue.snapshot
        return Dictionary(slugs.compactMap { slug in snapshot.network(slug: slug).map { (slug, $0.displayName) } }, uniquingKeysWith: { a, _ in a })
    }

    func invitePage(_ request: Request, _ context: AppRequestContext, _ form: InviteForm, status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        let page = InvitePage(form: form, principal: context.principal, catalogue: catalogue.snapshot, t: t)
        return pages.render(request, context, "invite", page, status: status) { $0["nav_invite"] }
    }

    func accountsPage(_ request: Request, _ context: AppRequestContext, errors: FormErrors) async throws -> Response {
        let t = Localizer.of(request)
        let list = try await administration.accounts()
        return pages.render(request, context, "accounts", AccountsPage(list, me: context.identity?.account.id, errors: errors, t: t),
                            status: errors.summary == nil ? .ok : .badRequest) { $0["nav_accounts"] }
    }
}

struct InviteForm {
    var email = ""
    var role = AccountRole.focalPoint.rawValue
    var networks = ""
    var language = ""
    var sent: String?
    var errors = FormErrors.none
}

struct InvitePage {
    /// A network to tick; `id` names its checkbox for the label.
    struct NetworkChoice {
        let value: String
        let label: String
        let selected: Bool
        let id: String

        init(value: String, label: String, selected: Bool) {
            (self.value, self.label, self.selected, id) = (value, label, selected, "network-" + value)
        }
    }

    /// Above this many networks, a list of checkboxes is no longer a way to pick: the short names are typed instead.
    static let listLimit = 400

    let form: InviteForm
    let roles: [Choice]
    let languages: [Choice]
    /// The catalogue's networks by name (empty when the catalogue is too large to list).
    let networkChoices: [NetworkChoice]
    let listsNetworks: Bool
    /// Typed short names that are not among the choices, kept in the text box so nothing typed is lost.
    let otherNetworks: String?

    init(form: InviteForm, principal: Principal, catalogue: Catalogue, t: Localizer) {
        self.form = form
        let chosen = Set(form.networks.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init))
        let current = catalogue.networks
        if current.count <= Self.listLimit {
            networkChoices = current
                .map { NetworkChoice(value: $0.slug, label: $0.localizedDisplayName(t.language), selected: chosen.contains($0.slug)) }
                .sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
            let unknown = chosen.subtracting(current.map(\.slug))
            otherNetworks = unknown.isEmpty ? nil : unknown.sorted().joined(separator: "\n")
        } else {
            networkChoices = []
            otherNetworks = form.networks
        }
        listsNetworks = !networkChoices.isEmpty
        roles = AccountRole.assignable.filter { Policy.allows(principal, .invite(role: $0)) }
            .map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == form.role) }
        let language = form.language.isEmpty ? t.language.rawValue : form.language
        languages = Language.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == language) }
    }
}

struct AccountsPage {
    struct Row {
        let id: Int64
        let email: String
        let name: String
        let role: String
        let roles: [Choice]
        let networks: String
        let secondFactor: Bool
        let disabled: Bool
        let lastSignIn: String
        let isMe: Bool
    }

    let rows: [Row]
    let errors: FormErrors

    init(_ accounts: [Account], me: Int64?, errors: FormErrors, t: Localizer) {
        rows = accounts.map { account in
            Row(id: account.id, email: account.email, name: account.displayName, role: account.role.label(t.language),
                roles: AccountRole.assignable.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0 == account.role) },
                networks: account.networks.joined(separator: " "), secondFactor: account.secondFactorEnabled, disabled: account.disabled,
                lastSignIn: account.lastSignInAt.map(t.dateTime) ?? "—", isMe: account.id == me)
        }
        self.errors = errors
    }
}

struct AuditPage {
    struct Row {
        let at: String
        let event: String
        let actor: String
        let subject: String
        let detail: String
        let address: String
    }

    let rows: [Row]
    /// The next, older page.
    let older: String?

    init(_ entries: [AuditEntry], t: Localizer) {
        rows = entries.map {
            Row(at: $0.at.formatted(Date.ISO8601FormatStyle()), event: t["audit_event.\($0.event.rawValue)"], actor: $0.actorEmail ?? "—",
                subject: $0.subject ?? "", detail: $0.detail ?? "", address: $0.address ?? "")
        }
        older = entries.count == 100 ? entries.last.map { "/admin/audit?before=\($0.id)" } : nil
    }
}
