import Foundation
import LiaisonCore

/// Where the data lives: an SQLite file (the default) or a PostgreSQL server.
public enum DatabaseConfiguration: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The SQLite file in a data directory: `DIR/liaison.sqlite`.
    public static func sqlite(dataDirectory: String) -> DatabaseConfiguration {
        .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("liaison.sqlite").path)
    }

    /// Reads `postgres://…`, `postgresql://…`, `sqlite:PATH` or `sqlite://PATH`.
    public init(url: String) throws {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else if url.hasPrefix("sqlite://") {
            self = .sqlite(path: String(url.dropFirst("sqlite://".count)))
        } else if url.hasPrefix("sqlite:") {
            self = .sqlite(path: String(url.dropFirst("sqlite:".count)))
        } else {
            throw InputError.invalidValue(
                field: "database-url", value: Self.redacted(url),
                rule: "must start with postgres://, postgresql:// or sqlite:")
        }
    }

    /// A description safe for logs: a PostgreSQL password is never shown.
    public var description: String {
        switch self {
        case let .sqlite(path): "SQLite \(path)"
        case let .postgres(url): "PostgreSQL \(Self.redacted(url))"
        }
    }

    /// The address with any password replaced by ***.
    package static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "(unreadable URL)"
    }
}
