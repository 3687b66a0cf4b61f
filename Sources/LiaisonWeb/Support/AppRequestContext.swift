import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import NIOCore

/// The context of every request: who is asking (the session's account, if any), the form token, and the
/// client's address. The API speaks snake_case JSON.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The session of the request, set by `AccountMiddleware`.
    public var identity: Identity?
    /// The token forms of this request carry (the session's, or a visitor's cookie), set by `AccountMiddleware`.
    var csrf: FormToken?
    /// The fields of the request's form, read once by `AccountMiddleware` when it checked the form's token.
    var formFields: FormData?
    /// The client's address as the audit log and throttling see it, set by `AccountMiddleware`.
    var clientAddress = "unknown"
    /// Whom the answers are for, set by `AllowedMethodsMiddleware` from the route the path resolves to.
    var audience = Audience.pages
    /// Whether the site is reached over HTTPS: cookies are then `Secure` and named with the `__Host-` prefix.
    var secureCookies = false

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    public var responseEncoder: StreamingJSONEncoder { StreamingJSONEncoder() }

    /// Whom the request acts as: a fully signed-in account, or a visitor.
    public var principal: Principal { identity?.principal ?? .visitor }
}
