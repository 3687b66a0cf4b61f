import HTTPTypes
import Hummingbird

/// Security headers on every response: pages, API answers, static files and errors alike.
///
/// The pages run no script and load nothing from elsewhere, so the content security policy allows only the
/// site's own style sheet and images, forms that post back to the site, and no framing at all.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A route that set its own (a library file's sandbox) keeps it: it is stricter than the site's.
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        // The request's id, which its log lines carry and its error page shows: a person can quote it.
        response.headers[.xRequestID] = context.id
        // Behind a proxy that ends TLS: browsers keep to HTTPS for a year. (A browser ignores this header
        // on a plain-HTTP connection, so a forged X-Forwarded-Proto gains nothing.)
        if request.headers[.xForwardedProto]?.lowercased() == "https" {
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xRequestID = Self("X-Request-Id")!
}
