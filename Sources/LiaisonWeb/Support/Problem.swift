import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore

/// An RFC 9457 problem document: what went wrong, in words a person can act on.
struct Problem: Error, Encodable, Sendable {
    var type: String = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var field: String?
    var value: String?

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
        case let error as CatalogueError:
            switch error {
            case let .invalidValue(field, value, _):
                self.init(status: .badRequest, detail: error.description, field: field, value: value)
            case let .missingField(field):
                self.init(status: .badRequest, detail: error.description, field: field)
            case .invalidInput, .duplicate:
                self.init(status: .badRequest, detail: error.description)
            case .networkNotFound, .partyNotFound:
                self.init(status: .notFound, detail: error.description)
            }
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

/// Turns every error into a problem document for the API and an error page for people.
/// Internals are logged, never shown.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: PageRenderer
    /// Leave "no route here" (404) to the middleware further out: the static files answer it.
    var passesUnmatchedPaths = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where passesUnmatchedPaths && error.status == .notFound {
            throw error
        } catch let denied as AccessDenied {
            return refuse(request, context, denied)
        } catch is FormRejected {
            let problem = Problem(status: .forbidden, detail: "The form's token is missing or out of date, or the form was sent from another site.")
            if request.uri.path.hasPrefix("/api/") { return problem.response() }
            let layout = Layout(request: request, context: context)
            let t = layout.localizer
            return renderer.render("error", ErrorPage(heading: t["error_form_heading"], message: t["error_form_message"], detail: nil),
                                   layout: layout, status: .forbidden)
        } catch {
            let problem = Problem(error, path: request.uri.path)
            if problem.isServerError {
                context.logger.error("request failed: \(String(reflecting: type(of: error)))")
            }
            if request.uri.path.hasPrefix("/api/") || request.uri.path == "/healthz" {
                return problem.response()
            }
            let layout = Layout(request: request, context: context)
            let t = layout.localizer
            let page: ErrorPage = switch problem.status {
            case 404: ErrorPage(heading: t["error_404_heading"], message: t["error_404_message"], detail: nil)
            case 400..<500:
                // Say in the reader's language which value was refused; the rule itself follows as written (English).
                ErrorPage(heading: t["error_400_heading"],
                          message: problem.field.map { field in
                              problem.value.map { t.format("error_invalid_value", ["field": field, "value": $0]) }
                                  ?? t.format("error_missing_field", ["field": field])
                          } ?? t["error_400_message"],
                          detail: problem.detail)
            default: ErrorPage(heading: t["error_500_heading"], message: t["error_500_message"], detail: nil)
            }
            return renderer.render("error", page, layout: layout, status: .init(code: problem.status))
        }
    }

    /// A route's need not met: a visitor is sent to sign in (or to the step of sign-in they are at); a signed-in
    /// person whose role does not allow it is told so. The API answers 401 or 403.
    func refuse(_ request: Request, _ context: Context, _ denied: AccessDenied) -> Response {
        if request.uri.path.hasPrefix("/api/") {
            return denied.stage == .complete
                ? Problem(status: .forbidden, detail: "Your role does not allow this.").response()
                : Problem(status: .unauthorized, detail: "Sign in to do this.").response()
        }
        switch denied.stage {
        case nil: return .redirect(PageURL.signInStep("/sign-in", next: request.uri.path))
        case .secondFactor: return .redirect(PageURL.signInStep("/sign-in/code", next: request.uri.path))
        case .enrol: return .redirect("/account/two-factor")
        case .complete:
            let layout = Layout(request: request, context: context)
            let t = layout.localizer
            return renderer.render("error", ErrorPage(heading: t["error_403_heading"], message: t["error_403_message"], detail: nil),
                                   layout: layout, status: .forbidden)
        }
    }
}
