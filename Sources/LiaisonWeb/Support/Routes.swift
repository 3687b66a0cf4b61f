import Hummingbird
import HTTPTypes
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// What a route needs. Every route of the application states one (`Routes` will not add a route without);
/// the permission-matrix test walks every route for every role.
enum Need: Sendable, Hashable {
    /// Anyone, signed in or not.
    case anyone
    /// A session at any stage (signing out).
    case session
    /// A session whose password was checked and whose code is due.
    case secondFactorStep
    /// A session that may set up a second factor: signed in, or an editor who must set one up first.
    case enrolment
    /// What `Policy` allows the request's principal (signed in fully, or a visitor).
    case permission(Action)
    /// Editing the network the route's `slug` names (its focal points, editors).
    case networkEditor

    /// Pages for visitors (sign-in, reset, invitations): open to everyone.
    static var signIn: Need { .permission(.signIn) }
    /// One's own account: a full sign-in.
    static var ownAccount: Need { .permission(.manageOwnAccount) }

    /// Refused only for want of a second factor: the action needs one and the signed-in person has none.
    func lacksSecondFactor(_ context: AppRequestContext) -> Bool {
        guard case let .permission(action) = self, action.needsSecondFactor, context.principal.isSignedIn else { return false }
        return !context.principal.usesSecondFactor
    }

    func isMet(by context: AppRequestContext) -> Bool {
        let stage = context.identity?.session.stage
        switch self {
        case .anyone: return true
        case .session: return stage != nil
        case .secondFactorStep: return stage == .secondFactor
        case .enrolment: return stage == .enrol || stage == .complete
        case let .permission(action): return Policy.allows(context.principal, action)
        case .networkEditor: return Policy.allows(context.principal, .editNetwork(slug: context.parameters.get("slug") ?? ""))
        }
    }
}

/// A request that its route's need refuses. Pages send a visitor to the sign-in page; others get 403 (or 401).
struct AccessDenied: Error {
    let stage: SessionStage?
    /// What would open the route, when it is a second factor the person lacks (the 403 page says so).
    var needsSecondFactor = false
}

/// Adds routes to one group of the router — the API's or the pages' — each with what it needs; the need is
/// checked before the handler runs, and the group's `ErrorMiddleware` answers errors for its audience.
struct Routes {
    let group: RouterGroup<AppRequestContext>
    let audience: Audience
    /// Which methods each path answers and for whom, for `AllowedMethodsMiddleware` and the errors before a route.
    let methods: RouteMethods

    init(_ router: Router<AppRequestContext>, for audience: Audience, answers: ErrorAnswers, methods: RouteMethods) {
        group = router.group().add(middleware: ErrorMiddleware(answers: answers, audience: audience))
        self.audience = audience
        self.methods = methods
    }

    func get<Output: ResponseGenerator>(_ path: String, needs: Need,
                                        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output) {
        add(.get, path, needs: needs, use: handler)
    }

    func post<Output: ResponseGenerator>(_ path: String, needs: Need,
                                         use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output) {
        add(.post, path, needs: needs, use: handler)
    }

    func add<Output: ResponseGenerator>(_ method: HTTPRequest.Method, _ path: String, needs: Need,
                                        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output) {
        methods.add(path, method, for: audience)
        group.on(RouterPath(path), method: method) { request, context in
            guard needs.isMet(by: context) else {
                throw AccessDenied(stage: context.identity?.session.stage, needsSecondFactor: needs.lacksSecondFactor(context))
            }
            return try await handler(request, context)
        }
    }
}
