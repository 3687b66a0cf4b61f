import Hummingbird
import HTTPTypes
import Synchronization

/// The methods each route path answers, filled as routes are added (`Routes`), read by `AllowedMethodsMiddleware`.
final class RouteMethods: Sendable {
    private struct Pattern: Hashable {
        /// The path's segments; nil for a parameter (`:slug`).
        let segments: [String?]
    }

    private struct Entry {
        var methods: Set<HTTPRequest.Method> = []
        var audience: Audience
    }

    private let table = Mutex<[Pattern: Entry]>([:])

    func add(_ path: String, _ method: HTTPRequest.Method, for audience: Audience) {
        let pattern = Pattern(segments: Self.segments(path).map { $0.hasPrefix(":") ? nil : String($0) })
        table.withLock { table in
            table[pattern, default: Entry(audience: audience)].methods.insert(method)
            if method == .get { table[pattern]?.methods.insert(.head) }
        }
    }

    /// The methods of the route a path resolves to, as the router resolves it (a fixed segment before a
    /// parameter); nil when no route has the path.
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        entry(for: path)?.methods
    }

    /// Whom the answers for a path are for: the audience of its route; a path no route has is the API's under
    /// `/api/`, else the pages'.
    func audience(for path: String) -> Audience {
        entry(for: path)?.audience ?? (path == "/api" || path.hasPrefix("/api/") ? .api : .pages)
    }

    private func entry(for path: String) -> Entry? {
        let parts = Self.segments(path)
        return table.withLock { table in
            var best: (rank: [Bool], entry: Entry)?
            for (pattern, entry) in table where pattern.segments.count == parts.count {
                guard zip(pattern.segments, parts).allSatisfy({ $0.0 == nil || $0.0! == $0.1 }) else { continue }
                let rank = pattern.segments.map { $0 == nil }
                if best == nil || rank.lexicographicallyPrecedes(best!.rank, by: { !$0 && $1 }) { best = (rank, entry) }
            }
            return best?.entry
        }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

/// A method a path does not answer gets 405 with `Allow` (RFC 9110), before any other check (a form token, a
/// content type) could answer for it; a path no route has is 404 (a GET goes on to the static files). Tells the
/// later steps whom the answers are for (`AppRequestContext.audience`).
struct AllowedMethodsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let methods = routes.methods(for: request.uri.path) else {
            // No route has the path: a GET may still find a static file; anything else is 404 at once (not a
            // refused form token for a form that does not exist).
            if request.method == .get || request.method == .head { return try await next(request, context) }
            throw HTTPError(.notFound)
        }
        guard methods.contains(request.method) else {
            throw MethodNotAllowed(method: request.method, allow: methods.map(\.rawValue).sorted().joined(separator: ", "))
        }
        var context = context
        context.audience = routes.audience(for: request.uri.path)
        return try await next(request, context)
    }
}

/// A method the path does not answer; `allow` lists those it does.
struct MethodNotAllowed: Error {
    let method: HTTPRequest.Method
    let allow: String
}
