import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// An RFC 9457 problem document: what went wrong, in words a person can act on.
struct Problem: Error, Encodable, Sendable {
    var type: String = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var field: String?
    var value: String?
    /// The request's id, for a server's error: a person quoting it lets the log lines of the request be found.
    var reference: String?

    init(status: HTTPResponse.Status, detail: String, field: String? = nil, value: String? = nil) {
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.field = field.map(TextRules.preview)
        // What was refused is said back, shortened: a 500 KB value does not come back whole.
        self.value = value.map(TextRules.preview)
    }

    /// The problem an error stands for. Errors that are not the user's are described in general terms only.
    init(_ error: any Error, path: String) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as InputError:
            switch error {
            case let .invalidValue(field, value, _):
                self.init(status: .badRequest, detail: error.description, field: field, value: value)
            case let .missingField(field):
                self.init(status: .badRequest, detail: error.description, field: field)
            case .invalidInput, .duplicate:
                self.init(status: .badRequest, detail: error.description)
            }
        case let error as CatalogueError:
            self.init(status: .notFound, detail: error.description)
        case is DatabaseUnavailable:
            self.init(status: .serviceUnavailable, detail: "The database cannot be reached for a moment: nothing was changed. Try again in a minute.")
        case let AccountError.throttled(until):
            let minutes = AccountError.minutesLeft(until: until)
            self.init(status: .tooManyRequests, detail: "Too many requests: try again in \(minutes) minute\(minutes == 1 ? "" : "s").")
        case let error as MethodNotAllowed:
            self.init(status: .methodNotAllowed, detail: "\(error.method.rawValue) is not allowed here; this address answers \(error.allow).")
        case let error as HTTPError:
            let detail = error.status == .notFound ? "Nothing is at \(path)." : (error.body ?? error.status.reasonPhrase)
            self.init(status: error.status, detail: detail)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            // A body over the route's limit (collectBody(upTo:)): the sender's doing, not ours.
            self.init(status: .contentTooLarge, detail: "The request's body is larger than this form or operation accepts.")
        case let error as any HTTPResponseError where (400..<500).contains(error.status.code):
            self.init(status: error.status, detail: error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, detail: "Something went wrong on our side; it has been logged.")
        }
    }

    var isServerError: Bool { status >= 500 }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data(#"{"status":500,"title":"Internal Server Error"}"#.utf8)
        return Response(
            status: .init(code: status),
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Who a request's answers are for: programs (the API: problem documents, 401/403) or people (pages in their
/// language, a visitor sent to sign in). Each route is added to the group of its audience (`Routes`); a request no
/// route takes is placed by its path (`RouteMethods.audience(for:)`).
enum Audience: Sendable {
    case api, pages
}

/// How an error is answered: one place for the problem documents of the API and the error pages of people.
struct ErrorAnswers: Sendable {
    let renderer: PageRenderer
    static let retryAfterSeconds = 30

    func answer(_ error: any Error, _ request: Request, _ context: AppRequestContext, for audience: Audience) -> Response {
        // A use case's own refusal is answered as a route's need refused.
        let error: any Error = error is ServiceDenied ? AccessDenied(stage: context.identity?.session.stage) : error
        var response = audience == .api ? problem(error, request, context) : page(error, request, context)
        if let refused = error as? MethodNotAllowed { response.headers[.allow] = refused.allow }
        // The database comes back on its own: clients are told when to try again.
        if response.status == .serviceUnavailable { response.headers[.retryAfter] = String(Self.retryAfterSeconds) }
        return response
    }

    /// The API: a problem document (RFC 9457).
    func problem(_ error: any Error, _ request: Request, _ context: AppRequestContext) -> Response {
        switch error {
        case let denied as AccessDenied:
            return denied.stage == .complete
                ? Problem(status: .forbidden, detail: "Your role does not allow this.").response()
                : Problem(status: .unauthorized, detail: "Sign in to do this.").response()
        case is FormRejected:
            return Problem(status: .forbidden, detail: "The form's token is missing or out of date, or the form was sent from another site.").response()
        default:
            var problem = logged(Problem(error, path: request.uri.path), error, context)
            if problem.isServerError { problem.reference = context.id }
            return problem.response()
        }
    }

    /// People: a visitor is sent to sign in (or to the step of sign-in they are at); any other error is a page in
    /// the reader's language.
    func page(_ error: any Error, _ request: Request, _ context: AppRequestContext) -> Response {
        let layout = Layout(request: request, context: context)
        let t = layout.localizer
        func render(_ heading: String, _ message: String, detail: String? = nil, status: HTTPResponse.Status) -> Response {
            renderer.render("error", ErrorPage(heading: t[heading], message: message, detail: detail, reference: context.id), layout: layout, status: status)
        }
        switch error {
        case let denied as AccessDenied:
            switch denied.stage {
            case nil: return .redirect(PageURL.signInStep("/sign-in", next: request.uri.path))
            case .secondFactor: return .redirect(PageURL.signInStep("/sign-in/code", next: request.uri.path))
            case .enrol: return .redirect("/account/two-factor")
            case .complete:
                return render("error_403_heading", t[denied.needsSecondFactor ? "error_403_second_factor" : "error_403_message"], status: .forbidden)
            }
        case is FormRejected:
            return render("error_form_heading", t["error_form_message"], status: .forbidden)
        default:
            let problem = logged(Problem(error, path: request.uri.path), error, context)
            switch problem.status {
            case 404:
                return render("error_404_heading", t["error_404_message"], status: .notFound)
            case 405:
                return render("error_405_heading", t.format("error_405_message", ["allow": (error as? MethodNotAllowed)?.allow ?? ""]),
                              status: .methodNotAllowed)
            case 400..<500:
                // Say in the reader's language which value was refused; the rule itself follows as written (English).
                let message = problem.field.map { field in
                    problem.value.map { t.format("error_invalid_value", ["field": field, "value": $0]) }
                        ?? t.format("error_missing_field", ["field": field])
                } ?? t["error_400_message"]
                return render("error_400_heading", message, detail: problem.detail, status: .init(code: problem.status))
            case 503:
                return render("error_503_heading", t["error_503_message"], status: .serviceUnavailable)
            default:
                return render("error_500_heading", t["error_500_message"], status: .init(code: problem.status))
            }
        }
    }

    /// Internals are logged (their type, never their text: it may hold personal data), never shown.
    private func logged(_ problem: Problem, _ error: any Error, _ context: AppRequestContext) -> Problem {
        if problem.status == 503 {
            context.logger.warning("request refused: the database cannot be reached")
        } else if problem.isServerError {
            context.logger.error("request failed: \(String(reflecting: type(of: error)))")
        }
        return problem
    }
}

/// Answers errors for the audience of the request: installed on the API's and the pages' route groups (inside
/// `AccountMiddleware`, so an error page shows the header of the person signed in), and once in front of the router
/// for what fails before a route is reached — a method the path does not answer, a path nothing serves, a query or
/// form over the limits, a refused form token — where the audience is that of the path.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let answers: ErrorAnswers
    let audience: @Sendable (Request) -> Audience

    /// For a group of routes: its audience.
    init(answers: ErrorAnswers, audience: Audience) {
        self.answers = answers
        self.audience = { _ in audience }
    }

    /// In front of the router: the audience of the path.
    init(answers: ErrorAnswers, routes: RouteMethods) {
        self.answers = answers
        self.audience = { routes.audience(for: $0.uri.path) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return answers.answer(error, request, context, for: audience(request))
        }
    }
}
