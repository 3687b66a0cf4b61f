import HTTPTypes
import Hummingbird

/// Cross-origin reading (CORS) of what is public by nature: the API, the open-data files and the networks' linked
/// data. Any site's scripts may GET them (`Access-Control-Allow-Origin: *`, which browsers never pair with cookies:
/// no one's session reaches them that way), and read the headers a mirror needs; a preflight (`OPTIONS`, sent for
/// a conditional request, with `Origin` and `Access-Control-Request-Method`) is answered at once. Nothing else of the site is opened: pages, forms and files of the
/// library keep the browser's same-origin rule.
struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether a path is open to other sites' scripts.
    static func isOpen(_ path: String) -> Bool {
        path.hasPrefix("/api/v1/") || path == "/data" || path.hasPrefix("/data/") || (path.hasPrefix("/networks/") && path.hasSuffix(".jsonld"))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isOpen(request.uri.path) else { return try await next(request, context) }
        // A preflight says where it comes from and what it will ask; a bare OPTIONS is any other method (405).
        if request.method == .options, request.headers[HTTPField.Name("Origin")!] != nil, request.headers[.accessControlRequestMethod] != nil {
            return Response(status: .noContent, headers: [
                .accessControlAllowOrigin: "*", .accessControlAllowMethods: "GET, HEAD",
                .accessControlAllowHeaders: "If-None-Match, If-Modified-Since", .accessControlMaxAge: "86400",
            ])
        }
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = "ETag, Last-Modified, Content-Encoding, Link, X-Catalogue-Revision"
        return response
    }
}
