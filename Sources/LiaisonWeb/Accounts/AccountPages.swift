import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// A signed-in person's own account: password, address, second factor, sessions.
struct AccountPages {
    let accounts: AccountService
    let meetings: MeetingService
    let lists: ListService
    let catalogue: LiveCatalogue
    let renderer: PageRenderer
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/account", needs: .ownAccount, use: accountPage)
        routes.post("/account/password", needs: .ownAccount, use: changePassword)
        routes.post("/account/email", needs: .ownAccount, use: askAddressChange)
        routes.post("/account/language", needs: .ownAccount, use: setLanguage)
        routes.post("/account/authority", needs: .ownAccount, use: setAuthority)
        routes.post("/account/sign-out-everywhere", needs: .ownAccount, use: signOutEverywhere)
        routes.get("/account/email/:token", needs: .signIn, use: addressConfirmationPage)
        routes.post("/account/email/:token", needs: .signIn, use: confirmAddress)
        routes.get("/account/two-factor", needs: .enrolment, use: secondFactorPage)
        routes.post("/account/two-factor", needs: .enrolment, use: setUpSecondFactor)
        routes.post("/account/two-factor/remove", needs: .ownAccount, use: removeSecondFactor)
        routes.post("/account/recovery-codes", needs: .ownAccount, use: replaceRecoveryCodes)
    }

    /// GET /account
    func accountPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await accountPage(request, context, notice: request.queryFields["done"].map(String.init))
    }

    /// POST /account/password
    func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = (try signedIn(context), try await Form.read(request, context))
        do {
            guard form.raw(.newPassword) == form.raw(.passwordAgain) else {
                throw InputError.invalidValue(field: "password_again", value: "(not shown)", rule: "must repeat the new password exactly")
            }
            try await accounts.changePassword(identity, current: form.raw(.currentPassword), new: form.raw(.newPassword),
                                              address: context.clientAddress)
            return .redirect("/account?done=password")
        } catch where FormErrors.isShown(error) {
            return try await accountPage(request, context, errors: FormErrors(error, t: Localizer.of(request)))
        }
    }

    /// POST /account/email
    func askAddressChange(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = (try signedIn(context), try await Form.read(request, context))
        do {
            try await accounts.requestEmailChange(identity.account, newEmail: form.text(.newEmail), password: form.raw(.currentPassword),
                                                  address: context.clientAddress)
            return .redirect("/account?done=email")
        } catch where FormErrors.isShown(error) {
            return try await accountPage(request, context, errors: FormErrors(error, t: Localizer.of(request)))
        }
    }

    /// POST /account/authority
    func setAuthority(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = (try signedIn(context), try await Form.read(request, context))
        do {
            try await accounts.setAuthority(identity.account, to: form.raw(.authority))
            return .redirect("/account?done=authority")
        } catch where FormErrors.isShown(error) {
            return try await accountPage(request, context, errors: FormErrors(error, t: Localizer.of(request)))
        }
    }

    /// POST /account/language
    func setLanguage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = (try signedIn(context), try await Form.read(request, context))
        do {
            let language = try Language.parse(form.text(.language), field: "language")
            try await accounts.setLanguage(identity.account, to: language)
            return .redirect("/account?done=language")
        } catch where FormErrors.isShown(error) {
            return try await accountPage(request, context, errors: FormErrors(error, t: Localizer.of(request)))
        }
    }

    /// POST /account/sign-out-everywhere
    func signOutEverywhere(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await accounts.signOutEverywhere(try signedIn(context), address: context.clientAddress)
        return .redirect("/", cookie: AccountMiddleware.clearedSessionCookie(secure: pages.secure))
    }

    /// GET /account/email/:token
    func addressConfirmationPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        do {
            let record = try await accounts.usableLink(token, purpose: .emailChange)
            return pages.render(request, context, "email-confirm", EmailConfirmPage(token: token, email: record.email), forms: true)
                { $0["email_confirm_title"] }
        } catch let error as AccountError {
            return pages.linkProblem(request, context, error)
        }
    }

    /// POST /account/email/:token
    func confirmAddress(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        do {
            let account = try await accounts.confirmEmailChange(token: token, address: context.clientAddress)
            let t = Localizer.of(request)
            return pages.render(request, context, "notice", Notice(heading: t["email_confirmed_heading"],
                                                                   message: t.format("email_confirmed", ["email": account.email]),
                                                                   link: "/account", linkLabel: t["nav_account"])) { $0["email_confirm_title"] }
        } catch let error as AccountError {
            return pages.linkProblem(request, context, error)
        } catch let error as InputError {
            let t = Localizer.of(request)
            return pages.render(request, context, "notice", Notice(heading: t["link_problem_heading"], message: error.description,
                                                                   link: "/account", linkLabel: t["nav_account"]),
                                status: .conflict) { $0["email_confirm_title"] }
        }
    }

    /// GET /account/two-factor
    func secondFactorPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try signedIn(context, stage: nil)
        if identity.account.secondFactorEnabled { return .redirect("/account") }
        let setup = try await accounts.beginSecondFactor(identity)
        return pages.render(request, context, "two-factor", TwoFactorPage(setup: setup, required: identity.session.stage == .enrol,
                                                                          errors: .none), forms: true) { $0["two_factor_title"] }
    }

    /// POST /account/two-factor
    func setUpSecondFactor(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = (try signedIn(context, stage: nil), try await Form.read(request, context))
        do {
            let (codes, step) = try await accounts.confirmSecondFactor(identity, code: form.text(.code), address: context.clientAddress,
                                                                        userAgent: request.headers[.userAgent])
            // The page is shown to the session that replaces this one: its header and forms are the signed-in ones.
            var shownTo = context
            if let step {
                shownTo.identity = step.identity
                shownTo.csrf = FormToken(value: step.identity.session.csrfToken, needsCookie: false)
            }
            let page = RecoveryCodesPage(codes: codes, account: identity.account.email, made: accounts.now, t: Localizer.of(request))
            var response = pages.render(request, shownTo, "recovery-codes", page) { $0["two_factor_title"] }
            if let step {
                response.headers[.setCookie] = AccountMiddleware.sessionCookie(step.sessionID, secure: pages.secure).description
            }
            return response
        } catch where FormErrors.isShown(error) {
            let setup = try await accounts.beginSecondFactor(identity)
            return pages.render(request, context, "two-factor",
                                TwoFactorPage(setup: setup, required: identity.session.stage == .enrol,
                                              errors: FormErrors(error, t: Localizer.of(request))),
                                forms: true, status: .badRequest) { $0["two_factor_title"] }
        }
    }

    /// POST /account/two-factor/remove
    func removeSecondFactor(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = (try signedIn(context), try await Form.read(request, context))
        do {
            try await accounts.removeSecondFactor(identity.account, password: form.raw(.currentPassword), address: context.clientAddress)
            return .redirect("/account?done=two-factor-removed")
        } catch where FormErrors.isShown(error) {
            return try await accountPage(request, context, errors: FormErrors(error, t: Localizer.of(request)))
        }
    }

    /// POST /account/recovery-codes
    func replaceRecoveryCodes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (identity, form) = (try signedIn(context), try await Form.read(request, context))
        do {
            let codes = try await accounts.replaceRecoveryCodes(identity.account, password: form.raw(.currentPassword),
                                                                address: context.clientAddress)
            let t = Localizer.of(request)
            return pages.render(request, context, "recovery-codes",
                                RecoveryCodesPage(codes: codes, account: identity.account.email, made: accounts.now, t: t,
                                                  replaced: true)) { $0["recovery_title"] }
        } catch where FormErrors.isShown(error) {
            return try await accountPage(request, context, errors: FormErrors(error, t: Localizer.of(request)))
        }
    }

    func signedIn(_ context: AppRequestContext, stage: SessionStage? = .complete) throws -> Identity {
        guard let identity = context.identity, stage == nil || identity.session.stage == stage else {
            throw AccessDenied(stage: context.identity?.session.stage)
        }
        return identity
    }


    func accountPage(_ request: Request, _ context: AppRequestContext, errors: FormErrors = .none, notice: String? = nil) async throws
        -> Response
    {
        let identity = try signedIn(context)
        let (sessions, left) = try await accounts.sessionsAndRecoveryCodes(of: identity.account)
        let t = Localizer.of(request)
        var page = AccountPage(identity, sessions: sessions, recoveryCodesLeft: left, catalogue: catalogue.snapshot, errors: errors,
                               notice: notice.flatMap { ["password", "email", "two-factor-removed", "language", "authority"].contains($0) ? t["account_done.\($0)"] : nil },
                               t: t)
        page.authority = try await accounts.authority(of: identity.account) ?? ""
        page.meetings = try await meetings.invitations(of: identity.account.email).map { invitation, meeting in
            AccountPage.Meeting(url: "/meetings/\(meeting.id ?? 0)", title: meeting.title.text(t.language),
                                when: DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, t.language),
                                status: meeting.cancelled ? t["meeting_cancelled"] : invitation.status.label(t.language))
        }
        page.hasMeetings = !page.meetings.isEmpty
        page.subscriptions = try await lists.subscriptions(of: identity.account.email).map { list, status in
            AccountPage.Subscription(url: "/lists/\(list.slug)", name: list.name.text(t.language),
                                     pending: status == .pending, suspended: status == .suspended)
        }
        page.hasSubscriptions = !page.subscriptions.isEmpty
        return pages.render(request, context, "account", page, status: errors.summary == nil ? .ok : .badRequest) { $0["nav_account"] }
    }
}

struct AccountPage {
    struct SessionItem {
        let started: String
        let lastSeen: String
        let address: String
        let browser: String
        let current: Bool
    }

    let name: String
    let email: String
    let role: String
    let networks: [InvitationPage.NetworkLink]
    let hasNetworks: Bool
    let secondFactor: Bool
    let secondFactorRequired: Bool
    /// "9 recovery codes left", in the reader's language and number.
    let recoveryCodesLeft: String
    let sessions: [SessionItem]
    /// The language of the mails this person receives.
    let languages: [Choice]
    let errors: FormErrors
    let notice: String?
    /// The authority the person states they work for.
    var authority = ""
    /// The meetings to come the person is invited to, and where they stand.
    struct Meeting {
        let url: String
        let title: String
        let when: String
        let status: String
    }
    var meetings: [Meeting] = []
    var hasMeetings = false
    /// The lists the person subscribed to (pending: not confirmed yet).
    struct Subscription {
        let url: String
        let name: String
        let pending: Bool
        /// Its mail kept bouncing: the list no longer writes to it.
        let suspended: Bool
    }
    var subscriptions: [Subscription] = []
    var hasSubscriptions = false

    init(_ identity: Identity, sessions: [StoredSession], recoveryCodesLeft: Int, catalogue: Catalogue, errors: FormErrors,
         notice: String?, t: Localizer) {
        let account = identity.account
        name = account.displayName
        email = account.email
        role = account.role.label(t.language)
        networks = account.networks.map { InvitationPage.NetworkLink(url: "/networks/\($0)", name: catalogue.network(slug: $0)?.localizedDisplayName(t.language) ?? $0) }
        hasNetworks = !networks.isEmpty
        secondFactor = account.secondFactorEnabled
        secondFactorRequired = account.role.requiresSecondFactor
        self.recoveryCodesLeft = t.count("recovery_left", recoveryCodesLeft)
        self.sessions = sessions.map {
            SessionItem(started: t.dateTime($0.createdAt), lastSeen: t.dateTime($0.lastSeenAt), address: $0.address ?? "",
                        browser: $0.userAgent ?? "", current: $0.idHash == identity.session.idHash)
        }
        languages = Language.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0 == account.language) }
        self.errors = errors
        self.notice = notice
    }
}

struct EmailConfirmPage {
    let token: String
    let email: String
}

struct TwoFactorPage {
    let key: String
    let authenticatorURL: String
    /// An editor or administrator who cannot go on without it.
    let required: Bool
    let errors: FormErrors

    /// The QR code's drawing: its side in modules and the path of its dark modules.
    let qrSide: Int?
    let qrPath: String?

    init(setup: SecondFactorSetup, required: Bool, errors: FormErrors) {
        key = setup.displayKey
        authenticatorURL = setup.authenticatorURL
        let code = setup.qrCode
        qrSide = code?.drawingSide
        qrPath = code?.svgPath
        self.required = required
        self.errors = errors
    }
}

/// New recovery codes, shown once: to copy, print (the print style keeps only them) or download as a text file.
struct RecoveryCodesPage {
    let codes: [String]
    /// The codes replace earlier ones rather than come with a new second factor.
    let replaced: Bool
    /// A `data:` address of the text file, so the codes are not sent again to download them.
    let download: String
    let fileName = "liaison-recovery-codes.txt"

    init(codes: [String], account: String, made: Date, t: Localizer, replaced: Bool = false) {
        self.codes = codes
        self.replaced = replaced
        let text = t.format("recovery_file_heading", ["email": account, "date": t.date(made)]) + "\n\n"
            + codes.joined(separator: "\n") + "\n\n" + t["recovery_file_note"] + "\n"
        // Every byte but ASCII letters and digits percent-encoded (`.alphanumerics` would leave "é" of a French date raw).
        let kept = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        download = "data:text/plain;charset=utf-8," + (text.addingPercentEncoding(withAllowedCharacters: kept) ?? "")
    }
}
