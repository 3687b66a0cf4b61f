import Foundation
import Hummingbird

/// The context of every request. The API speaks snake_case JSON.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    public var responseEncoder: StreamingJSONEncoder { StreamingJSONEncoder() }
}
