import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// Signing in and out, the second step, forgotten passwords and invitations: the pages a visitor reaches.
struct SignInPages {
    let accounts: AccountService
    let catalogue: LiveCatalogue
    let renderer: PageRenderer

    var secure: Bool { accounts.settings.secureCookies }

    func addRoutes(to routes: Routes) {
        routes.get("/sign-in", needs: .signIn, use: signInForm)
        routes.post("/sign-in", needs: .signIn, use: signIn)
        routes.get("/sign-in/code", needs: .secondFactorStep, use: codeForm)
        routes.post("/sign-in/code", needs: .secondFactorStep, use: checkCode)
        routes.post("/sign-out", needs: .session, use: signOut)
        routes.get("/password-reset", needs: .signIn, use: resetRequestForm)
        routes.post("/password-reset", needs: .signIn, use: requestReset)
        routes.get("/password-reset/:token", needs: .signIn, use: resetForm)
        routes.post("/password-reset/:token", needs: .signIn, use: resetPassword)
        routes.get("/invitations/:token", needs: .signIn, use: invitationForm)
        routes.post("/invitations/:token", needs: .signIn, use: acceptInvitation)
    }

    /// GET /sign-in
    func signInForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if context.identity?.session.stage == .complete { return .redirect("/account") }
        return signInPage(request, context, SignInPage(next: localPath(request.queryFields["next"].map(String.init))))
    }

    /// POST /sign-in
    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let next = localPath(form.text(.next))
        do {
            let step = try await accounts.signIn(email: form.text(.email), password: form.raw(.password), address: context.clientAddress,
                                                 userAgent: request.headers[.userAgent], replacing: context.identity?.session.idHash)
            return .redirect(afterStep(step, next: next), cookie: AccountMiddleware.sessionCookie(step.sessionID, secure: secure))
        } catch where FormErrors.isShown(error) {
            let t = Localizer.of(request)
            // The address is offered again; anything else typed there (a password, by mistake) is not.
            let typed = (try? Account.normalisedEmail(form.text(.email))) ?? ""
            return signInPage(request, context, SignInPage(email: typed, next: next, errors: FormErrors(error, t: t)),
                              status: FormErrors.status(error))
        }
    }

    /// GET /sign-in/code
    func codeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        codePage(request, context, next: localPath(request.queryFields["next"].map(String.init)), errors: .none)
    }

    /// POST /sign-in/code
    func checkCode(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let next = localPath(form.text(.next))
        guard let identity = context.identity else { throw AccessDenied(stage: nil) }
        do {
            let step = try await accounts.verifySecondFactor(identity, code: form.text(.code), address: context.clientAddress,
                                                             userAgent: request.headers[.userAgent])
            return .redirect(afterStep(step, next: next), cookie: AccountMiddleware.sessionCookie(step.sessionID, secure: secure))
        } catch where FormErrors.isShown(error) {
            let t = Localizer.of(request)
            return codePage(request, context, next: next, errors: FormErrors(error, t: t), status: FormErrors.status(error))
        }
    }

    /// POST /sign-out
    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let identity = context.identity { try await accounts.signOut(identity, address: context.clientAddress) }
        return .redirect("/", cookie: AccountMiddleware.clearedSessionCookie(secure: secure))
    }

    /// GET /password-reset
    func resetRequestForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        render(request, context, "password-reset-request", ResetRequestPage(sent: false, errors: .none), forms: true) { $0["reset_title"] }
    }

    /// POST /password-reset
    func requestReset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        // The same answer whether or not the address has an account.
        do {
            try await accounts.requestPasswordReset(email: form.text(.email), address: context.clientAddress, logger: context.logger)
        } catch let error as AccountError {
            // Too many requests from this client (whatever the addresses): said as such, before any address is looked up.
            return render(request, context, "password-reset-request", ResetRequestPage(sent: false, errors: FormErrors(error, t: Localizer.of(request))),
                          forms: true, status: .tooManyRequests) { $0["reset_title"] }
        }
        return render(request, context, "password-reset-request", ResetRequestPage(sent: true, errors: .none)) { $0["reset_title"] }
    }

    /// GET /password-reset/:token
    func resetForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        do {
            _ = try await accounts.usableLink(token, purpose: .passwordReset)
            return render(request, context, "password-reset", ResetPage(token: token, errors: .none), forms: true) { $0["reset_title"] }
        } catch let error as AccountError {
            return linkProblem(request, context, error)
        }
    }

    /// POST /password-reset/:token
    func resetPassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let form = try await Form.read(request, context)
        do {
            try checkRepeated(form)
            _ = try await accounts.resetPassword(token: token, password: form.raw(.password), address: context.clientAddress)
            return render(request, context, "notice", Notice(headingKey: "reset_done_heading", messageKey: "reset_done", link: "/sign-in",
                                                             linkKey: "sign_in", t: Localizer.of(request)))
                { $0["reset_title"] }
        } catch let error as AccountError {
            return linkProblem(request, context, error)
        } catch where FormErrors.isShown(error) {
            let t = Localizer.of(request)
            return render(request, context, "password-reset", ResetPage(token: token, errors: FormErrors(error, t: t)), forms: true,
                          status: .badRequest) { $0["reset_title"] }
        }
    }

    /// GET /invitations/:token
    func invitationForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        do {
            let (record, hasPassword) = try await accounts.invitation(token: token)
            let t = Localizer.of(request)
            // The page speaks the invitation's language, unless the person chose another (`?lang=`).
            if request.queryFields["lang"] == nil, t.language != record.language {
                return .redirect("/invitations/\(token)?lang=\(record.language.rawValue)")
            }
            return render(request, context, "invitation", InvitationPage(token: token, record: record, hasPassword: hasPassword,
                                                                         catalogue: catalogue.snapshot, t: t, errors: .none),
                          forms: true) { $0["invitation_title"] }
        } catch let error as AccountError {
            return linkProblem(request, context, error)
        }
    }

    /// POST /invitations/:token
    func acceptInvitation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let form = try await Form.read(request, context)
        do {
            let (record, hasPassword) = try await accounts.invitation(token: token)
            do {
                if !hasPassword || !form.raw(.password).isEmpty { try checkRepeated(form) }
                let step = try await accounts.acceptInvitation(token: token, displayName: form.text(.displayName),
                                                               password: form.raw(.password), address: context.clientAddress,
                                                               userAgent: request.headers[.userAgent])
                let landing = step.identity.account.role == .focalPoint ? record.networks.first.map { "/networks/\($0)" } : nil
                return .redirect(afterStep(step, next: landing), cookie: AccountMiddleware.sessionCookie(step.sessionID, secure: secure))
            } catch where FormErrors.isShown(error) && !(error is AccountError) {
                let t = Localizer.of(request)
                return render(request, context, "invitation", InvitationPage(token: token, record: record, hasPassword: hasPassword,
                                                                             catalogue: catalogue.snapshot, t: t,
                                                                             errors: FormErrors(error, t: t), name: form.text(.displayName)),
                              forms: true, status: .badRequest) { $0["invitation_title"] }
            }
        } catch let error as AccountError {
            return linkProblem(request, context, error)
        }
    }

    /// Where a successful step leads: the code page, the second factor's set-up, or the page asked for.
    func afterStep(_ step: SignInStep, next: String?) -> String {
        switch step.identity.session.stage {
        case .secondFactor: PageURL.signInStep("/sign-in/code", next: next)
        case .enrol: "/account/two-factor"
        case .complete: next ?? "/account"
        }
    }

    func checkRepeated(_ form: Form) throws {
        guard form.raw(.password) == form.raw(.passwordAgain) else {
            throw InputError.invalidValue(field: "password_again", value: "(not shown)", rule: "must repeat the password exactly")
        }
    }

    func signInPage(_ request: Request, _ context: AppRequestContext, _ page: SignInPage, status: HTTPResponse.Status = .ok) -> Response {
        render(request, context, "sign-in", page, forms: true, status: status) { $0["sign_in_title"] }
    }

    func codePage(_ request: Request, _ context: AppRequestContext, next: String?, errors: FormErrors,
                  status: HTTPResponse.Status = .ok) -> Response {
        render(request, context, "sign-in-code", CodePage(next: next, errors: errors), forms: true, status: status) { $0["code_title"] }
    }

    /// `back`: where to go from there, with its label's key (a new sign-in link, by default).
    func linkProblem(_ request: Request, _ context: AppRequestContext, _ error: AccountError,
                     back: (url: String, label: String) = ("/password-reset", "reset_ask_again")) -> Response {
        let t = Localizer.of(request)
        return render(request, context, "notice",
                      Notice(heading: t["link_problem_heading"], message: FormErrors.message(error, t: t), link: back.url,
                             linkLabel: t[back.label]),
                      status: error == .linkUnknown ? .notFound : .gone) { $0["link_problem_heading"] }
    }

    func render<Body>(_ request: Request, _ context: AppRequestContext, _ template: String, _ body: Body, forms: Bool = false,
                      status: HTTPResponse.Status = .ok, title: (Localizer) -> String) -> Response {
        var response = renderer.render(template, body, layout: Layout(request: request, context: context, forms: forms, title: title),
                                       status: status)
        // Pages with personal forms or links in their address are not kept by caches.
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

struct SignInPage {
    var email = ""
    var next: String?
    var errors = FormErrors.none
}

struct CodePage {
    let next: String?
    let errors: FormErrors
}

struct ResetRequestPage {
    let sent: Bool
    let errors: FormErrors
}

struct ResetPage {
    let token: String
    let errors: FormErrors
}

/// A page with one message and a link onwards.
struct Notice {
    let heading: String
    let message: String
    let link: String?
    let linkLabel: String?

    init(heading: String, message: String, link: String?, linkLabel: String?) {
        self.heading = heading
        self.message = message
        self.link = link
        self.linkLabel = linkLabel
    }

    init(headingKey: String, messageKey: String, link: String?, linkKey: String?, t: Localizer) {
        self.init(heading: t[headingKey], message: t[messageKey], link: link, linkLabel: linkKey.map { t[$0] })
    }
}

struct InvitationPage {
    struct NetworkLink {
        let url: String
        let name: String
    }

    let token: String
    let email: String
    let role: String
    let networks: [NetworkLink]
    let hasNetworks: Bool
    let hasPassword: Bool
    let needsName: Bool
    let name: String
    let errors: FormErrors

    init(token: String, record: StoredToken, hasPassword: Bool, catalogue: Catalogue, t: Localizer, errors: FormErrors, name: String = "") {
        self.token = token
        email = record.email
        role = (record.role ?? .practitioner).label(t.language)
        networks = record.networks.map { slug in NetworkLink(url: "/networks/\(slug)", name: catalogue.network(slug: slug)?.localizedDisplayName(t.language) ?? slug) }
        hasNetworks = !networks.isEmpty
        self.hasPassword = hasPassword
        needsName = !hasPassword
        self.name = name
        self.errors = errors
    }
}
