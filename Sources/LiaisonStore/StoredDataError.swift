import Foundation

/// The database holds or returned something the store cannot read: a value no version of Liaison writes, or no
/// row where one was just written. Not the user's doing: the web answers 500 and the log says where.
public struct StoredDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Table and column (`proposals.status`), or the table alone.
    public let column: String
    public let value: String
    public let rule: String

    public var description: String { "stored data: \(column): “\(value)” \(rule)" }
}

/// The database cannot be reached (PostgreSQL stopped or unreachable, SQLite locked past its wait): nothing was done.
/// The web answers 503 with Retry-After; reads of the catalogue go on from the snapshot.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "the database cannot be reached: \(reason)" }
}
