import Hummingbird
import HTTPTypes
import Synchronization

/// The methods each route path answers, filled as routes are added (`Routes`), read by `AllowedMethodsMiddleware`.
final class RouteMethods: Sendable {
    private struct Pattern: Hashable {
        /// The path's segments; nil for a parameter (`:slug`).
        let segments: [String?]
    }

    private let table = Mutex<[Pattern: Set<HTTPRequest.Method>]>([:])

    func add(_ path: String, _ method: HTTPRequest.Method) {
        let pattern = Pattern(segments: Self.segments(path).map { $0.hasPrefix(":") ? nil : String($0) })
        table.withLock { table in
            table[pattern, default: []].insert(method)
            if method == .get { table[pattern, default: []].insert(.head) }
        }
    }

    /// The methods of the route a path resolves to, as the router resolves it (a fixed segment before a
    /// parameter); nil when no route has the path.
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        let parts = Self.segments(path)
        return table.withLock { table in
            var best: (rank: [Bool], methods: Set<HTTPRequest.Method>)?
            for (pattern, methods) in table where pattern.segments.count == parts.count {
                guard zip(pattern.segments, parts).allSatisfy({ $0.0 == nil || $0.0! == $0.1 }) else { continue }
                let rank = pattern.segments.map { $0 == nil }
                if best == nil || rank.lexicographicallyPrecedes(best!.rank, by: { !$0 && $1 }) { best = (rank, methods) }
            }
            return best?.methods
        }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

/// A method a path does not answer gets 405 with `Allow` (RFC 9110), before any other check (a form token, a
/// content type) could answer for it; a path no route has is 404 (a GET goes on to the static files).
struct AllowedMethodsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteMethods
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let methods = routes.methods(for: request.uri.path) else {
            // No route has the path: a GET may still find a static file; anything else is 404 at once (not a
            // refused form token for a form that does not exist).
            if request.method == .get || request.method == .head { return try await next(request, context) }
            throw HTTPError(.notFound)
        }
        guard !methods.contains(request.method) else { return try await next(request, context) }
        let allow = methods.map(\.rawValue).sorted().joined(separator: ", ")
        var response: Response
        if request.uri.path.hasPrefix("/api/") || request.uri.path == "/healthz" {
            response = Problem(status: .methodNotAllowed, detail: "\(request.method.rawValue) is not allowed here; this address answers \(allow).")
                .response()
        } else {
            let layout = Layout(request: request, context: context)
            let t = layout.localizer
            response = renderer.render("error", ErrorPage(heading: t["error_405_heading"], message: t.format("error_405_message", ["allow": allow]),
                                                          detail: nil),
                                       layout: layout, status: .methodNotAllowed)
        }
        response.headers[.allow] = allow
        return response
    }
}
