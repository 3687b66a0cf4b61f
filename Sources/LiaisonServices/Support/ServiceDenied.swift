/// A use case refused to the principal who asked (the service checks `Policy` itself, whatever the caller checked
/// before). The web answers it as it answers a route's need refused: a visitor is sent to sign in, anyone else gets
/// 403.
public struct ServiceDenied: Error, Sendable {
    public init() {}
}
